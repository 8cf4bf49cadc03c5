"""Views for signing in and out."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from ...extensions import db, limiter, login_manager
from ...models import User
from ...models.base import utcnow
from ...services import accounts, staff_sessions
from ...services.people import credentials
from ...security.access import public, staff_required
from ...services.accounts import AccountError
from . import bp
from .forms import ChangePasswordForm, LoginForm, SetPasswordForm

SESSION_TOKEN = "sid"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the user only while their server-side session is alive."""
    try:
        uid = int(user_id)
    except (TypeError, ValueError):
        return None
    live = staff_sessions.resolve(
        session.get(SESSION_TOKEN), uid, now=utcnow(),
        idle=current_app.config["SESSION_IDLE_TIMEOUT"],
        absolute=current_app.config["SESSION_ABSOLUTE_TIMEOUT"],
    )
    if live is None:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active:
        return None
    g.staff_session_id = live.id
    return user


def _safe_next(target: str | None) -> str | None:
    """Only follow same-site relative redirects after sign-in."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit("30 per minute", methods=["POST"])
def login():
    """Sign in with username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = accounts.authenticate(
            form.username.data, form.password.data, address=request.remote_addr or "", now=utcnow()
        )
        if result.outcome == "ok":
            token, _row = staff_sessions.start(result.user, utcnow())
            session.clear()  # a fresh session on sign-in stops session fixation
            session[SESSION_TOKEN] = token
            session.permanent = True
            login_user(result.user)
            db.session.commit()
            if result.user.must_change_password:
                flash(_("กรุณาตั้งรหัสผ่านใหม่ก่อนเริ่มใช้งาน"), "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(request.args.get("next")) or url_for("staff.home"))
        db.session.commit()  # keep the failure counters
        if result.outcome == "locked":
            flash(_("เข้าสู่ระบบผิดหลายครั้งเกินไป กรุณารอ 15 นาทีแล้วลองใหม่"), "error")
        else:
            flash(_("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"), "error")
        return render_template("auth/login.html", form=form), 200
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout():
    """Sign out and end the session on the server."""
    staff_sessions.end(session.get(SESSION_TOKEN), utcnow())
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("ออกจากระบบแล้ว"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@staff_required
def change_password():
    """Change one's own password; other sessions of the user end."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(
                current_user, current=form.current.data, new=form.new.data, confirm=form.confirm.data,
                now=utcnow(), keep_session_id=g.get("staff_session_id"),
            )
        except AccountError as exc:
            db.session.rollback()
            form.new.errors = list(form.new.errors) + [str(exc)]
            return render_template("auth/change_password.html", form=form), 200
        db.session.commit()
        flash(_("เปลี่ยนรหัสผ่านแล้ว"), "success")
        return redirect(url_for("staff.home"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit("10 per minute", methods=["POST"])
def set_password(token: str):
    """The account's owner sets their own password through a one-time link (nobody else saw it)."""
    now = utcnow()
    owner = credentials.holder(token, now)
    form = SetPasswordForm()
    if owner is None:
        return render_template("auth/set_password.html", form=None, owner=None), 404
    if form.validate_on_submit():
        try:
            credentials.redeem(token, new=form.new.data, confirm=form.confirm.data, now=now)
        except AccountError as exc:
            db.session.rollback()
            form.new.errors = list(form.new.errors) + [str(exc)]
            return render_template("auth/set_password.html", form=form, owner=owner), 400
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_("ตั้งรหัสผ่านแล้ว กรุณาเข้าสู่ระบบด้วยรหัสผ่านใหม่"), "success")
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/set_password.html", form=form, owner=owner), 400 if form.errors else 200


@bp.before_app_request
def require_new_password():
    """Hold a user with an admin-issued password on the change-password page until they set their own."""
    allowed = {"auth.change_password", "auth.logout", "auth.set_password", "static", "admin.logo"}
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in allowed):
        return redirect(url_for("auth.change_password"))
    return None
