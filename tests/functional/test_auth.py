"""Staff sign-in, throttling, sign-out and password change, through the real forms."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, StaffSession
from app.models.base import utcnow
from tests.conftest import csrf_from
from tests.factories import PASSWORD, make_user


def test_sign_in_with_correct_password_opens_staff_home(client, auth):
    make_user("intake", username="somsri")
    response = auth.login("somsri", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/staff/")
    page = client.get("/staff/")
    assert page.status_code == 200
    assert "สวัสดี" in page.get_data(as_text=True)


def test_username_is_case_insensitive(client, auth):
    make_user("intake", username="somsri")
    assert auth.login("  SomSri ", PASSWORD).status_code == 302
    assert client.get("/staff/").status_code == 200


def test_wrong_password_is_refused_in_thai_and_opens_nothing(client, auth):
    make_user("intake", username="somsri")
    response = auth.login("somsri", "wrong-password-123")
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_unknown_user_gets_the_same_message_as_wrong_password(auth):
    response = auth.login("nobody", "whatever-password")
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)


def test_deactivated_user_cannot_sign_in(client, auth):
    make_user("intake", username="gone", active=False)
    auth.login("gone", PASSWORD)
    assert client.get("/staff/").status_code == 302


def test_account_locks_after_repeated_failures_even_with_right_password(app, client, auth):
    make_user("intake", username="somsri")
    limit = app.config["LOGIN_MAX_FAILURES_ACCOUNT"]
    for _ in range(limit):
        auth.login("somsri", "wrong-password-123")
    response = auth.login("somsri", PASSWORD)
    assert "เข้าสู่ระบบผิดหลายครั้งเกินไป" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_account_lock_is_per_account(app, client, auth):
    make_user("intake", username="somsri")
    make_user("intake", username="somchai")
    for _ in range(app.config["LOGIN_MAX_FAILURES_ACCOUNT"]):
        auth.login("somsri", "wrong-password-123")
    assert auth.login("somchai", PASSWORD).status_code == 302


def test_address_is_throttled_across_accounts(app, client, auth):
    app.config["LOGIN_MAX_FAILURES_ADDRESS"] = 3
    make_user("intake", username="target")
    for name in ("a1", "a2", "a3"):
        auth.login(name, "wrong-password-123")
    response = auth.login("target", PASSWORD)
    assert "เข้าสู่ระบบผิดหลายครั้งเกินไป" in response.get_data(as_text=True)


def test_lock_expires_after_the_lockout_period(app, client, auth):
    user = make_user("intake", username="somsri")
    for _ in range(app.config["LOGIN_MAX_FAILURES_ACCOUNT"]):
        auth.login("somsri", "wrong-password-123")
    from app.models import AuthThrottle

    for row in db.session.scalars(select(AuthThrottle)):
        row.locked_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert auth.login(user.username, PASSWORD).status_code == 302


def test_login_without_csrf_token_is_rejected(client):
    make_user("intake", username="somsri")
    response = client.post("/auth/login", data={"username": "somsri", "password": PASSWORD})
    assert response.status_code == 400
    assert "แบบฟอร์มหมดอายุ" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_sign_out_ends_the_session_on_the_server(app, client, auth):
    make_user("intake", username="somsri")
    auth.login("somsri", PASSWORD)
    # Keep a copy of the signed cookie, as a thief would.
    stolen = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    auth.logout()
    thief = app.test_client()
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], stolen)
    assert thief.get("/staff/").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(StaffSession).where(StaffSession.ended_at.is_(None))) == 0


def test_idle_session_expires(app, client, auth):
    make_user("intake", username="somsri")
    auth.login("somsri", PASSWORD)
    row = db.session.scalar(select(StaffSession))
    row.last_seen_at = utcnow() - app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_absolute_session_lifetime_is_enforced(app, client, auth):
    make_user("intake", username="somsri")
    auth.login("somsri", PASSWORD)
    row = db.session.scalar(select(StaffSession))
    row.created_at = utcnow() - app.config["SESSION_ABSOLUTE_TIMEOUT"] - timedelta(minutes=1)
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def _change_password(client, current, new, confirm=None):
    token = csrf_from(client.get("/auth/password").get_data(as_text=True))
    return client.post("/auth/password", data={"current": current, "new": new, "confirm": confirm or new,
                                               "csrf_token": token})


def test_password_change_keeps_this_session_and_ends_the_others(app, client, auth):
    make_user("intake", username="somsri")
    other = app.test_client()
    from tests.conftest import AuthActions

    AuthActions(other).login("somsri", PASSWORD)
    auth.login("somsri", PASSWORD)
    response = _change_password(client, PASSWORD, "a-brand-new-secret-42")
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert other.get("/staff/").status_code == 302
    auth.logout()
    assert auth.login("somsri", PASSWORD).status_code == 200  # old password no longer works
    assert auth.login("somsri", "a-brand-new-secret-42").status_code == 302


def test_password_change_rejects_wrong_current_and_weak_new(client, auth):
    user = make_user("intake", username="somsri")
    old_hash = user.password_hash
    auth.login("somsri", PASSWORD)
    text = _change_password(client, "not-my-password", "a-brand-new-secret-42").get_data(as_text=True)
    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in text
    text = _change_password(client, PASSWORD, "short").get_data(as_text=True)
    assert "อย่างน้อย 10 ตัวอักษร" in text
    text = _change_password(client, PASSWORD, "a-brand-new-secret-42", "different-secret-42").get_data(as_text=True)
    assert "ไม่ตรงกัน" in text
    db.session.expire_all()
    assert db.session.get(type(user), user.id).password_hash == old_hash


def test_passwords_are_stored_as_argon2id(app):
    user = make_user("intake")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_sign_in_and_failures_are_audited_without_the_password(client, auth):
    make_user("intake", username="somsri")
    auth.login("somsri", "wrong-password-123")
    auth.login("somsri", PASSWORD)
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert "auth.login_failed" in actions and "auth.login" in actions
    details = " ".join(e.detail for e in db.session.scalars(select(AuditEntry)))
    assert "wrong-password" not in details and PASSWORD not in details


def test_open_redirect_after_login_is_ignored(client):
    make_user("intake", username="somsri")
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login?next=https://evil.example/", data={
        "username": "somsri", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"].endswith("/staff/")


def test_session_cookie_is_httponly_and_samesite(client, auth):
    make_user("intake", username="somsri")
    response = auth.login("somsri", PASSWORD)
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
