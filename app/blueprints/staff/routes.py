"""Staff views: start page, inboxes, the case page and its actions, offline entry, notifications."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from urllib.parse import quote

from flask import Response, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select, update
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ... import thai
from ...labels import CHANNEL_LABELS, SOURCE_LABELS
from ...documents import receipt as receipt_document
from ...extensions import db
from ...models import Attachment, Case, Category, Notification, Unit, User
from ...models.base import utcnow
from ...models.case import CORRUPTION, GENERAL, SOURCES
from ...models.people import INTAKE, INTEGRITY, UNIT_OFFICER
from ...security.access import roles_required, staff_required
from ...services import attachments as attachment_store
from ...services import audit, case_access, casework, intake, receipts_view, tracking
from ...services import inbox as inboxes
from ...services.attachments import Upload
from ...services.casework import Action, CaseworkError
from ...services.intake import Accused, ComplaintInput, IntakeError, Reporter, ReportInput
from ..downloads import file_response
from ..form_helpers import commit_submission, show_errors
from . import bp
from .forms import (AccusedForm, ActionForm, AssignForm, ButtonForm, ForwardForm, MoveForm, NewCaseForm,
                    OutcomeForm, RejectForm, choices)
from .labels import ACTION_ORDER, ACTION_TEXT, AGENCY_LABELS, EVENT_LABELS, OUTCOME_LABELS, REJECTION_LABELS

#: How long the staff receipt (with the tracking code) stays viewable after an offline entry.
RECEIPT_TTL = timedelta(hours=2)
RECEIPT_KEY = "staff_receipt"
#: Offline sources: everything except the citizen's own web form and the API.
OFFLINE_SOURCES = tuple(s for s in SOURCES if s not in ("web", "api"))
#: A letter or box item received on an earlier day is counted from the start of office hours.
OFFICE_OPENS = time(8, 30)
NOTIFICATIONS_SHOWN = 100


# ---------------------------------------------------------------- start page and nav badge

def _tiles() -> list[dict]:
    """Start-page links for the areas the user's roles open."""
    tiles = []
    if current_user.has_role(INTAKE, UNIT_OFFICER):
        tiles.append({"url": url_for("staff.inbox"), "title": _("เรื่องร้องเรียน/ร้องทุกข์ทั่วไป"),
                      "text": _("เรื่องที่รอดำเนินการ เรียงตามกำหนดแล้วเสร็จ")})
    if current_user.has_role(INTEGRITY):
        tiles.append({"url": url_for("staff.reports"), "title": _("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
                      "text": _("เข้าถึงได้เฉพาะเจ้าหน้าที่ผู้รับผิดชอบ ทุกการเปิดดูถูกบันทึก")})
    if current_user.has_role(INTAKE, INTEGRITY):
        tiles.append({"url": url_for("staff.new_case"), "title": _("บันทึกเรื่องที่รับจากช่องทางอื่น"),
                      "text": _("โทรศัพท์ หนังสือ ตู้รับเรื่อง ยื่นด้วยตนเอง สื่อสังคมออนไลน์ ศูนย์ดำรงธรรม สายด่วน 1111")})
    tiles.append({"url": url_for("staff.notifications"), "title": _("การแจ้งเตือน"),
                  "text": _("งานที่ได้รับมอบหมายและเรื่องใกล้ครบกำหนด")})
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


def _unread_count() -> int:
    """Unread in-app notifications of the signed-in user (one indexed COUNT)."""
    if not current_user.is_authenticated:
        return 0
    try:
        return db.session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == current_user.id, Notification.read_at.is_(None))) or 0
    except Exception:  # the error page must render even when the database is down
        db.session.rollback()
        return 0


@bp.app_context_processor
def inject_unread_count():
    """The nav badge: a callable, so only pages that show the nav run the query."""
    return {"unread_notification_count": _unread_count}


# ---------------------------------------------------------------- inboxes

def _category_choices(channel: str) -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Category).where(Category.channel.in_((channel, "both")))
                              .order_by(Category.active.desc(), Category.sort_order, Category.name))
    return [(str(c.id), c.name) for c in rows]


def _unit_choices() -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.name))
    return [(str(u.id), u.name) for u in rows]


def _list(channel: str, template: str):
    flt = inboxes.parse_filter(request.args)
    if channel == GENERAL and not current_user.has_role(INTAKE):
        flt = replace(flt, unit_id=None)  # a unit officer's inbox is their unit already
    now = utcnow()
    page = inboxes.list_cases(current_user, channel, flt, now)
    return render_template(template, page=page, flt=flt, channel=channel, now=now, tabs=inboxes.TABS,
                           category_choices=_category_choices(channel),
                           unit_choices=_unit_choices() if channel == GENERAL and current_user.has_role(INTAKE) else [],
                           sources=SOURCES, max_due_within=inboxes.MAX_DUE_WITHIN,
                           endpoint="staff.inbox" if channel == GENERAL else "staff.reports")


@bp.route("/cases")
@roles_required(INTAKE, UNIT_OFFICER)
def inbox():
    """General complaints the user may work on, soonest due first."""
    return _list(GENERAL, "staff/inbox.html")


@bp.route("/reports")
@roles_required(INTEGRITY, hide=True)
def reports():
    """Corruption reports: integrity officers only (never those a report names)."""
    return _list(CORRUPTION, "staff/reports.html")


# ---------------------------------------------------------------- the case page

def _case_or_404(case_id: int) -> Case:
    """The case if the user may see it; 404 otherwise, so its existence is never confirmed."""
    item = db.session.get(Case, case_id)
    if item is None or not case_access.can_view(current_user, item):
        abort(404)
    return item


class RevealForm(FlaskForm):
    """Why the integrity officer needs to see the reporter's identity."""

    reason = StringField(_l("เหตุผลที่ต้องเปิดดูข้อมูลผู้แจ้ง"),
                         validators=[DataRequired(_l("กรุณาระบุเหตุผล")), Length(min=5, max=300)])


#: The form class of every action the case page offers.
ACTION_FORMS = {"accept": ActionForm, "assign": AssignForm, "progress": ActionForm, "complete": ActionForm,
                "explain": ActionForm, "ask": ActionForm, "note": ActionForm, "forward": ForwardForm,
                "reject": RejectForm, "reopen": ActionForm, "accused": AccusedForm, "outcome": OutcomeForm,
                "move": MoveForm}


def _late(item: Case, now: datetime) -> bool:
    """Past the due date (open) or closed after it: the only time an explanation makes sense."""
    return (not item.is_closed and now > item.due_at) or (item.closed_at is not None and item.closed_at > item.due_at)


def _offered(item: Case, now: datetime) -> list[str]:
    """The actions the case page offers the user now, in display order (the services check again)."""
    allowed = casework.allowed_actions(current_user, item)
    if not _late(item, now):
        allowed.discard("explain")
    if item.channel == CORRUPTION and current_user.has_role(INTEGRITY):
        allowed.add("accused")
        if "note" in allowed:
            allowed.add("outcome")
    if item.channel == GENERAL and current_user.has_role(INTAKE):
        allowed.add("move")
    return [a for a in ACTION_ORDER if a in allowed]


def _prepare_form(action: str, form: FlaskForm, item: Case, *, preset: bool = True) -> None:
    """Labels and options of an action form; ``preset`` shows the case's current values (not for a posted form)."""
    text = ACTION_TEXT[action]
    if isinstance(form, ActionForm):
        if text["public"]:
            form.public_message.label.text = str(text["public"])
            form.public_message.flags.required = text["required"]
        if action == "note":
            form.internal_note.flags.required = True
    if action == "assign":
        if item.channel == GENERAL and current_user.has_role(INTAKE):
            form.unit.choices = choices([("", _("— เลือกหน่วยงาน —"))] + _unit_choices())
        elif item.channel == GENERAL:
            own = current_user.unit
            form.unit.choices = choices([(str(own.id), own.name)] if own else [])
        else:
            form.unit.choices = []
        # Grouped by unit, so an intake officer picks an officer of the unit chosen above (no script needed).
        form.officer.choices = choices([("", _("— ไม่ระบุตัวเจ้าหน้าที่ —"))]) + [
            SelectChoice(str(u.id), u.full_name, optgroup=u.unit.name if u.unit else _("ไม่สังกัดหน่วยงาน"))
            for u in sorted(inboxes.assignable_officers(current_user, item),
                            key=lambda u: (u.unit.name if u.unit else "", u.full_name))]
        if preset:
            form.unit.data = str(item.unit_id) if item.unit_id else ""
            form.officer.data = str(item.assignee_id) if item.assignee_id else ""
    elif action == "accused":
        form.accused.choices = choices([("", _("ไม่ระบุ"))] + [
            (str(u.id), f"{u.full_name}{' · ' + u.position if u.position else ''}") for u in inboxes.active_staff()])
        if preset:
            form.accused.data = str(item.accused_user_id) if item.accused_user_id else ""


def _action_forms(item: Case, offered: list[str], failed: tuple[str, FlaskForm] | None) -> dict[str, FlaskForm]:
    forms = {}
    for action in offered:
        if failed and failed[0] == action:
            forms[action] = failed[1]
            continue
        # formdata=None: a re-shown page after a failed POST must not copy that POST into every form.
        form = ACTION_FORMS[action](prefix=action, formdata=None)
        _prepare_form(action, form, item)
        forms[action] = form
    return forms


def _render_case(item: Case, *, failed: tuple[str, FlaskForm] | None = None, error: str | None = None,
                 reporter: dict | None = None, reveal_form: RevealForm | None = None, status: int = 200):
    now = utcnow()
    content = intake.read_content(item) if item.channel == CORRUPTION else None
    if item.channel == GENERAL:
        reporter = intake.read_reporter(item) if item.reporter_enc else {}
    offered = _offered(item, now)
    events = [{"event": e, "public": tracking.event_public_message(item, e),
               "internal": tracking.event_internal_note(item, e)} for e in item.events]
    outcome = casework.read_outcome(item) if item.outcome_enc else None
    duplicate = db.session.get(Case, item.duplicate_of_id) if item.duplicate_of_id else None
    response = make_response(render_template(
        "staff/case.html", case=item, content=content, reporter=reporter, revealed=reporter is not None,
        events=events, attachment_names={a.id: attachment_store.read_name(a) for a in item.attachments},
        now=now, countdown=inboxes.countdown(item, now), late=_late(item, now),
        explanation_missing=_late(item, now) and item.explained_at is None,
        reveal_form=reveal_form or RevealForm(formdata=None), forms=_action_forms(item, offered, failed),
        offered=offered, failed_action=failed[0] if failed else None, action_error=error,
        outcome=outcome, duplicate=duplicate, has_open_question=casework.has_open_question(item),
        ACTION_TEXT=ACTION_TEXT, EVENT_LABELS=EVENT_LABELS, AGENCY_LABELS=AGENCY_LABELS,
        OUTCOME_LABELS=OUTCOME_LABELS, REJECTION_LABELS=REJECTION_LABELS,
    ), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/cases/<int:case_id>")
@roles_required(INTAKE, UNIT_OFFICER, INTEGRITY, hide=True)
def case(case_id: int):
    """A case's details, timeline and the actions the user may take."""
    item = _case_or_404(case_id)
    if item.channel == CORRUPTION:
        # Every opening of a corruption report is on the record.
        audit.record("case.view", actor=current_user, now=utcnow(), target_type="case", target_id=item.id)
        db.session.commit()
    return _render_case(item)


def _chosen(model, value: str | None, missing: str):
    """The row a select named, None for the empty choice; a forged or stale id is refused in Thai."""
    if not value:
        return None
    try:
        row = db.session.get(model, int(value))
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise CaseworkError(missing)
    return row


def _message(form: ActionForm) -> Action:
    return Action(public_message=form.public_message.data or "", internal_note=form.internal_note.data or "")


def _perform(action: str, form: FlaskForm, item: Case, now: datetime) -> None:
    """Call the one service function behind an action.

    :raise CaseworkError: whatever the service refuses, with its Thai message.
    """
    user = current_user._get_current_object()
    if action == "assign":
        casework.assign(user, item, unit=_chosen(Unit, form.unit.data, _("ไม่พบหน่วยงานที่เลือก")),
                        officer=_chosen(User, form.officer.data, _("ไม่พบเจ้าหน้าที่ที่เลือก")),
                        now=now, message=_message(form))
    elif action == "accused":
        casework.set_accused(user, item, _chosen(User, form.accused.data, _("ไม่พบเจ้าหน้าที่ที่เลือก")), now=now)
    elif action == "outcome":
        casework.record_outcome(user, item, outcome=form.outcome.data or "", findings=form.findings.data or "",
                                referral=form.referral.data or "", now=now)
    elif action == "move":
        casework.move_to_corruption(user, item, reason=form.reason.data or "", now=now)
    elif action == "reject":
        duplicate = None
        if form.reason.data == "duplicate":
            original = inboxes.find_visible_by_number(user, item.channel, form.duplicate_number.data or "")
            duplicate = original.id if original else None
        casework.transition(user, item, "reject", now=now, message=_message(form), reason=form.reason.data,
                            duplicate_of=duplicate)
    elif action == "forward":
        casework.transition(user, item, "forward", now=now, message=_message(form), agency=form.agency.data,
                            agency_other=form.agency_other.data or "")
    else:
        casework.transition(user, item, action, now=now, message=_message(form))


@bp.route("/cases/<int:case_id>/actions/<action>", methods=["POST"])
@roles_required(INTAKE, UNIT_OFFICER, INTEGRITY, hide=True)
def act(case_id: int, action: str):
    """Apply one action to a case; a refused action changes nothing and says why, in Thai."""
    item = _case_or_404(case_id)
    if action not in ACTION_FORMS:
        abort(404)
    form = ACTION_FORMS[action](prefix=action)
    _prepare_form(action, form, item, preset=False)
    if not form.validate_on_submit():
        return _render_case(item, failed=(action, form), status=400,
                            error=_("ส่งแบบฟอร์มไม่สำเร็จ กรุณาลองใหม่อีกครั้ง"))
    try:
        _perform(action, form, item, utcnow())
    except CaseworkError as exc:
        db.session.rollback()
        return _render_case(item, failed=(action, form), error=str(exc), status=400)
    db.session.commit()
    flash(str(ACTION_TEXT[action]["done"]), "success")
    if not case_access.can_view(current_user, item):
        # Moved into the protected channel, or the officer named themself: the case has left their reach.
        target = "staff.reports" if current_user.has_role(INTEGRITY) else "staff.inbox"
        if target == "staff.inbox" and not current_user.has_role(INTAKE, UNIT_OFFICER):
            target = "staff.home"
        return redirect(url_for(target), code=303)
    return redirect(url_for("staff.case", case_id=item.id) + "#timeline", code=303)


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
    return _render_case(item, reporter=intake.read_reporter(item) if item.reporter_enc else {}, reveal_form=form)


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


# ---------------------------------------------------------------- offline entry

def _entry_channels() -> list[str]:
    """Intake officers enter general complaints; integrity officers corruption reports."""
    return [c for c, role in ((GENERAL, INTAKE), (CORRUPTION, INTEGRITY)) if current_user.has_role(role)]


def _received_at(day: date | None, now: datetime) -> datetime | None:
    """The moment counted as receipt: now for today; an earlier day from the start of office hours.

    Counting an earlier letter from the opening of that day is the earliest it can have arrived,
    so the 15 days are never stretched by the delay in typing it in. A future day stays in the
    future, and the service refuses it.
    """
    if day is None:
        return None
    if day == thai.to_local(now).date():
        return now
    return datetime.combine(day, OFFICE_OPENS, tzinfo=thai.BANGKOK).astimezone(timezone.utc)


def _new_case_form() -> NewCaseForm:
    form = NewCaseForm()
    channels = _entry_channels()
    form.channel.choices = choices([(c, str(CHANNEL_LABELS[c])) for c in channels])
    form.source.choices = choices([("", _("— เลือกช่องทาง —"))] + [(s, str(SOURCE_LABELS[s])) for s in OFFLINE_SOURCES])
    if not form.is_submitted():
        form.channel.data = channels[0]
    rows = db.session.scalars(select(Category).where(Category.active.is_(True), Category.channel.in_(
        [*channels, "both"])).order_by(Category.channel.desc(), Category.sort_order, Category.name))
    # An officer who enters both kinds sees which categories belong to which channel.
    form.category.choices = choices([("", _("— เลือกประเภท (ถ้ามี) —"))]) + [
        SelectChoice(c.code, c.name, optgroup=str(CHANNEL_LABELS.get(c.channel, _("ทั้งสองช่องทาง")))
                     if len(channels) > 1 else None) for c in rows]
    return form


@bp.route("/cases/new", methods=["GET", "POST"])
@roles_required(INTAKE, INTEGRITY)
def new_case():
    """Enter a complaint or report that arrived by phone, letter, box, walk-in, social media or referral."""
    form = _new_case_form()
    channels = _entry_channels()
    now = utcnow()
    if form.validate_on_submit():
        errors = {}
        if form.channel.data not in channels:
            errors["channel"] = _("กรุณาเลือกประเภทเรื่องที่ท่านมีหน้าที่รับ")
        if form.source.data not in OFFLINE_SOURCES:
            errors["source"] = _("กรุณาเลือกช่องทางที่รับเรื่อง")
        if form.received_at.data is None:
            errors["received_at"] = _("กรุณาระบุวันที่รับเรื่อง")
        if errors:
            show_errors(form, errors)
            return _render_new_case(form, channels, now), 400
        reporter = Reporter(name=form.name.data or "", phone=form.phone.data or "", email=form.email.data or "",
                            address=form.address.data or "", national_id=form.national_id.data or "")
        files = [Upload(f.filename or "", f.read()) for f in (form.files.data or []) if f and f.filename]
        options = dict(now=now, source=form.source.data, received_at=_received_at(form.received_at.data, now),
                       actor_id=current_user.id)
        try:
            if form.channel.data == CORRUPTION:
                submission = intake.submit_report(ReportInput(
                    subject=form.subject.data or "", details=form.details.data or "",
                    category_code=form.category.data or "",
                    accused=Accused(form.accused_name.data or "", form.accused_position.data or "",
                                    form.accused_unit.data or ""),
                    incident_date=form.incident_date.data or "", location=form.location.data or "",
                    evidence=form.evidence.data or "", witnesses=form.witnesses.data or "",
                    reporter=reporter, files=files), **options)
            else:
                submission = intake.submit_complaint(ComplaintInput(
                    subject=form.subject.data or "", details=form.details.data or "",
                    category_code=form.category.data or "", location=form.location.data or "",
                    reporter=reporter, files=files), **options)
        except IntakeError as exc:
            db.session.rollback()
            show_errors(form, exc.fields)
            return _render_new_case(form, channels, now), 400
        commit_submission(submission)
        session[RECEIPT_KEY] = {"case_id": submission.case.id, "code": submission.tracking_code,
                                "at": now.timestamp()}
        flash(_("บันทึกเรื่องแล้ว เลขที่ %(number)s", number=submission.case.case_number), "success")
        return redirect(url_for("staff.receipt", case_id=submission.case.id), code=303)
    if form.errors:
        if "received_at" in form.errors:
            form.received_at.errors = [_("วันที่ไม่ถูกต้อง กรุณาเลือกจากปฏิทิน")]
        return _render_new_case(form, channels, now), 400
    return _render_new_case(form, channels, now)


def _render_new_case(form: NewCaseForm, channels: list[str], now: datetime) -> str:
    if not form.is_submitted():
        form.received_at.data = thai.to_local(now).date()
    form.received_at.render_kw = {"max": thai.to_local(now).date().isoformat()}
    return render_template("staff/new_case.html", form=form, channels=channels, today=thai.to_local(now).date())


def _held_receipt(case_id: int):
    """The receipt of a case this officer just entered, while its tracking code is still held; else 404."""
    item = _case_or_404(case_id)
    held = session.get(RECEIPT_KEY)
    if not held or held.get("case_id") != item.id:
        abort(404)
    if utcnow().timestamp() - held.get("at", 0) > RECEIPT_TTL.total_seconds():
        session.pop(RECEIPT_KEY, None)
        abort(404)
    return item, receipts_view.build(item, held["code"])


@bp.route("/cases/<int:case_id>/receipt")
@roles_required(INTAKE, INTEGRITY, hide=True)
def receipt(case_id: int):
    """The staff copy of the receipt: the tracking code to hand to the complainant, shown only now."""
    item, data = _held_receipt(case_id)
    response = make_response(render_template("staff/receipt.html", case=item, r=data, form=ButtonForm()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/cases/<int:case_id>/receipt/print")
@roles_required(INTAKE, INTEGRITY, hide=True)
def receipt_print(case_id: int):
    """A print-friendly receipt to hand or post to the complainant (the same document as the PDF)."""
    item, data = _held_receipt(case_id)
    response = make_response(receipt_document.html(data, toolbar=[
        (_("กลับ"), url_for("staff.receipt", case_id=item.id)),
        (_("ดาวน์โหลด PDF"), url_for("staff.receipt_pdf", case_id=item.id))]))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/cases/<int:case_id>/receipt.pdf")
@roles_required(INTAKE, INTEGRITY, hide=True)
def receipt_pdf(case_id: int):
    """The receipt as a PDF (Thai font, QR code to the tracking page)."""
    with force_locale("th"):  # a Thai document whatever the screen language
        _item, data = _held_receipt(case_id)
    return file_response(receipt_document.pdf(data), "receipt.pdf", private=True)


@bp.route("/cases/<int:case_id>/receipt/done", methods=["POST"])
@roles_required(INTAKE, INTEGRITY, hide=True)
def receipt_done(case_id: int):
    """Forget the tracking code: after this nobody, staff included, can show it again."""
    item = _case_or_404(case_id)
    session.pop(RECEIPT_KEY, None)
    flash(_("ลบรหัสติดตามเรื่องออกจากหน้าจอแล้ว"), "info")
    return redirect(url_for("staff.case", case_id=item.id), code=303)


# ---------------------------------------------------------------- notifications

@bp.route("/notifications")
@staff_required
def notifications():
    """The user's in-app notifications, newest first."""
    rows = db.session.scalars(select(Notification).where(Notification.user_id == current_user.id)
                              .order_by(Notification.created_at.desc(), Notification.id.desc())
                              .limit(NOTIFICATIONS_SHOWN)).all()
    return render_template("staff/notifications.html", notes=rows, form=ButtonForm(),
                           unread=sum(1 for n in rows if n.read_at is None))


@bp.route("/notifications/read", methods=["POST"])
@staff_required
def notifications_read():
    """Mark every notification of the user as read."""
    form = ButtonForm()
    if form.validate_on_submit():
        db.session.execute(update(Notification).where(Notification.user_id == current_user.id,
                                                       Notification.read_at.is_(None)).values(read_at=utcnow()))
        db.session.commit()
        flash(_("ทำเครื่องหมายว่าอ่านแล้วทั้งหมด"), "info")
    return redirect(url_for("staff.notifications"), code=303)
