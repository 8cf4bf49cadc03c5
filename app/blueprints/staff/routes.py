"""Staff views: start page, inboxes, case page and attachments (actions come with the case-work feature)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length
from flask_login import current_user
from sqlalchemy import func, select

from ...extensions import db
from ...models import Attachment, Case
from ...models.case import CORRUPTION, GENERAL, STATUSES
from ...models.people import INTAKE, INTEGRITY, UNIT_OFFICER
from ...models.base import utcnow
from ...security.access import roles_required, staff_required
from ...services import attachments as attachment_store
from ...services import audit, case_access, intake, tracking
from . import bp

PAGE_SIZE = 50


def _tiles() -> list[dict]:
    """Start-page links for the areas the user's roles open."""
    tiles = []
    if current_user.has_role(INTAKE, UNIT_OFFICER):
        tiles.append({"url": url_for("staff.inbox"), "title": _("เรื่องร้องเรียน/ร้องทุกข์ทั่วไป"),
                      "text": _("เรื่องที่รอดำเนินการ เรียงตามกำหนดแล้วเสร็จ")})
    if current_user.has_role(INTEGRITY):
        tiles.append({"url": url_for("staff.reports"), "title": _("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
                      "text": _("เข้าถึงได้เฉพาะเจ้าหน้าที่ผู้รับผิดชอบ ทุกการเปิดดูถูกบันทึก")})
    if current_user.has_role("executive"):
        tiles.append({"url": url_for("executive.overview"), "title": _("ภาพรวมสำหรับผู้บริหาร"),
                      "text": _("สถิติเรื่องร้องเรียนและการดำเนินการภายใน 15 วัน")})
    if current_user.has_role("admin"):
        tiles.append({"url": url_for("admin.index"), "title": _("ผู้ดูแลระบบ"),
                      "text": _("ผู้ใช้ หน่วยงาน ประเภทเรื่อง และข้อมูลองค์กร")})
    return tiles


@bp.route("/")
@staff_required
def home():
    """The signed-in staff member's start page: what each of their roles can do."""
    return render_template("staff/home.html", staff_tiles=_tiles())


def _list(channel: str, template: str):
    query = case_access.visible_cases(current_user, channel)
    status = request.args.get("status")
    if status in STATUSES:
        query = query.where(Case.status == status)
    page = max(request.args.get("page", 1, type=int), 1)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    cases = db.session.scalars(query.order_by(Case.due_at, Case.id).limit(PAGE_SIZE)
                               .offset((page - 1) * PAGE_SIZE)).all()
    subjects = {c.id: (intake.read_content(c).get("subject", "") if c.channel == CORRUPTION else c.subject)
                for c in cases}
    return render_template(template, cases=cases, subjects=subjects, total=total, page=page,
                           page_size=PAGE_SIZE, status=status, now=utcnow())


@bp.route("/cases")
@roles_required(INTAKE, UNIT_OFFICER)
def inbox():
    """General complaints the user may work on, soonest due first."""
    return _list(GENERAL, "staff/inbox.html")


@bp.route("/reports")
@roles_required(INTEGRITY, hide=True)
def reports():
    """Corruption reports: integrity officers only."""
    return _list(CORRUPTION, "staff/reports.html")


def _case_or_404(case_id: int) -> Case:
    """The case if the user may see it; 404 otherwise, so its existence is never confirmed."""
    case = db.session.get(Case, case_id)
    if case is None or not case_access.can_view(current_user, case):
        abort(404)
    return case


@bp.route("/cases/<int:case_id>")
@roles_required(INTAKE, UNIT_OFFICER, INTEGRITY, hide=True)
def case(case_id: int):
    """A case's details and timeline."""
    item = _case_or_404(case_id)
    content = None
    reporter = None
    if item.channel == CORRUPTION:
        content = intake.read_content(item)
        # Every opening of a corruption report is on the record.
        audit.record("case.view", actor=current_user, now=utcnow(), target_type="case", target_id=item.id)
        db.session.commit()
    else:
        reporter = intake.read_reporter(item)
    messages = {e.id: tracking.event_public_message(item, e) for e in item.events}
    names = {a.id: attachment_store.read_name(a) for a in item.attachments}
    return render_template("staff/case.html", case=item, content=content, reporter=reporter,
                           messages=messages, attachment_names=names, now=utcnow(), reveal_form=RevealForm())


class RevealForm(FlaskForm):
    """Why the integrity officer needs to see the reporter's identity."""

    reason = StringField(_l("เหตุผลที่ต้องเปิดดูข้อมูลผู้แจ้ง"),
                         validators=[DataRequired(_l("กรุณาระบุเหตุผล")), Length(min=5, max=300)])


@bp.route("/cases/<int:case_id>/reveal", methods=["POST"])
@roles_required(INTEGRITY, hide=True)
def reveal(case_id: int):
    """Show a corruption reporter's identity after an explicit, audited request with a reason."""
    item = _case_or_404(case_id)
    if item.channel != CORRUPTION:
        abort(404)
    form = RevealForm()
    if not form.validate_on_submit():
        flash(_("กรุณาระบุเหตุผลที่ต้องเปิดดูข้อมูลผู้แจ้ง (อย่างน้อย 5 ตัวอักษร)"), "error")
        return redirect(url_for("staff.case", case_id=item.id))
    audit.record("case.reveal_identity", actor=current_user, now=utcnow(), target_type="case",
                 target_id=item.id, detail=form.reason.data.strip())
    db.session.commit()
    content = intake.read_content(item)
    messages = {e.id: tracking.event_public_message(item, e) for e in item.events}
    names = {a.id: attachment_store.read_name(a) for a in item.attachments}
    return render_template("staff/case.html", case=item, content=content, reporter=intake.read_reporter(item),
                           revealed=True, messages=messages, attachment_names=names, now=utcnow(),
                           reveal_form=form)


@bp.route("/cases/<int:case_id>/attachments/<int:attachment_id>")
@roles_required(INTAKE, UNIT_OFFICER, INTEGRITY, hide=True)
def attachment(case_id: int, attachment_id: int):
    """Download an attachment of a case the user may see."""
    item = _case_or_404(case_id)
    file = db.session.get(Attachment, attachment_id)
    if file is None or file.case_id != item.id:
        abort(404)
    name, data = attachment_store.read(file)
    if item.channel == CORRUPTION:
        audit.record("case.attachment_download", actor=current_user, now=utcnow(), target_type="case",
                     target_id=item.id)
        db.session.commit()
    response = Response(data, mimetype=file.mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response.headers["Cache-Control"] = "no-store"
    return response
