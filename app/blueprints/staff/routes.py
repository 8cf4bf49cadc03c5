"""Staff views: start page, inboxes, the case page and its actions, offline entry, notifications."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from urllib.parse import quote

from flask import Response, abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ...extensions import db
from ...models import Case, Unit, User
from ...models.base import utcnow
from ...models.case import CORRUPTION, GENERAL, SOURCES
from ...models.people import EXECUTIVE, INTAKE, INTEGRITY, OVERSIGHT, UNIT_OFFICER
from ...security.access import roles_required, staff_required
from ...services import attachments as attachment_store
from ...services import audit, case_access, casework, categories, intake, notify, sla, tracking, units
from ...services import inbox as inboxes
from ...services.cases import approvals, exclusions
from ...services.casework import Action, CaseworkError
from . import bp
from .forms import (AccusedForm, ActionForm, AssignForm, ButtonForm, ForwardForm, MoveForm, OutcomeForm, RejectForm,
                    choices)
from .labels import (ACTION_ORDER, ACTION_TEXT, AGENCY_LABELS, EVENT_LABELS, OUTCOME_LABELS, REJECTION_LABELS,
                     REQUEST_LABELS)

NOTIFICATIONS_SHOWN = 100
#: The roles that work on cases (each may open only the cases case_access allows).
CASE_ROLES = (INTAKE, UNIT_OFFICER, INTEGRITY, OVERSIGHT)


# ---------------------------------------------------------------- start page and nav badge

def _tiles() -> list[dict]:
    """Start-page links for the areas the user's roles open."""
    tiles = []
    if current_user.has_role(INTAKE, UNIT_OFFICER):
        tiles.append({"url": url_for("staff.inbox"), "title": _("เรื่องร้องเรียน/ร้องทุกข์ทั่วไป"),
                      "text": _("เรื่องที่รอดำเนินการ เรียงตามกำหนดแล้วเสร็จ")})
    if current_user.has_role(INTEGRITY, OVERSIGHT):
        tiles.append({"url": url_for("staff.reports"), "title": _("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
                      "text": _("เข้าถึงได้เฉพาะเจ้าหน้าที่ผู้รับผิดชอบ ทุกการเปิดดูถูกบันทึก")})
    if current_user.has_role(INTEGRITY, OVERSIGHT, EXECUTIVE):
        tiles.append({"url": url_for("staff.approvals"), "title": _("คำขอรออนุมัติ"),
                      "text": _("คำขอที่ต้องมีบุคคลที่สองพิจารณา ทั้งเรื่องร้องเรียนการทุจริตและบัญชีผู้ใช้")})
        tiles.append({"url": url_for("staff.access_log"), "title": _("บันทึกการเข้าถึงเรื่องร้องเรียนการทุจริต"),
                      "text": _("ใครเปิดดู เปิดเผยข้อมูลผู้แจ้ง ดาวน์โหลด ยื่นคำขอ และอนุมัติ เมื่อใด")})
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
        return notify.unread_count(current_user)
    except Exception:  # the error page must render even when the database is down
        db.session.rollback()
        return 0


@bp.app_context_processor
def inject_unread_count():
    """The nav badge: a callable, so only pages that show the nav run the query."""
    return {"unread_notification_count": _unread_count}


# ---------------------------------------------------------------- inboxes

def _category_choices(channel: str) -> list[tuple[str, str]]:
    return [(str(c.id), c.name) for c in categories.for_channels([channel], active_only=False)]


def _unit_choices() -> list[tuple[str, str]]:
    return [(str(u.id), u.name) for u in units.active_units()]


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
@roles_required(INTEGRITY, OVERSIGHT, hide=True)
def reports():
    """Corruption reports: integrity officers and, where needed, oversight (never those a report names)."""
    return _list(CORRUPTION, "staff/reports.html")


# ---------------------------------------------------------------- the case page

def _case_or_404(uid: str) -> Case:
    """The case if the user may see it; 404 otherwise, so its existence is never confirmed."""
    item = case_access.visible_by_uid(current_user, uid)
    if item is None:
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


def _offered(item: Case, now: datetime) -> list[str]:
    """The actions the case page offers the user now, in display order (the services check again)."""
    allowed = casework.allowed_actions(current_user, item, now)
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
        form.accused.choices = choices([
            (str(u.id), f"{u.full_name}{' · ' + u.position if u.position else ''}") for u in inboxes.active_staff()])
        if preset:
            form.accused.data = [str(x.user.id) for x in exclusions.listed(item) if x.user is not None]


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
    user = current_user._get_current_object()
    protected = item.channel == CORRUPTION
    content = intake.read_content(item) if protected else None
    if not protected:
        reporter = intake.read_reporter(item) if item.reporter_enc else {}
    offered = _offered(item, now)
    events = [{"event": e, "public": tracking.event_public_message(item, e),
               "internal": tracking.event_internal_note(item, e)} for e in item.events]
    outcome = casework.read_outcome(item) if item.outcome_enc else None
    requests = approvals.shown_on(item, user, now) if protected else []
    response = make_response(render_template(
        "staff/case.html", case=item, content=content, reporter=reporter, revealed=reporter is not None,
        events=events, attachment_names={a.id: attachment_store.read_name(a) for a in item.attachments},
        now=now, countdown=inboxes.countdown(item, now), late=sla.is_late(item, now),
        explanation_missing=sla.explanation_missing(item, now),
        reveal_form=reveal_form or RevealForm(formdata=None), forms=_action_forms(item, offered, failed),
        offered=offered, failed_action=failed[0] if failed else None, action_error=error,
        outcome=outcome, duplicate=item.duplicate_of, has_open_question=casework.has_open_question(item),
        two_person={a for a in offered if casework.needs_second_person(user, item, a)},
        reveal_needs_request=protected and casework.needs_second_person(user, item, "reveal")
        and approvals.reveal_granted(user, item, now) is None,
        requests=requests, can_decide={r.request.id for r in requests if user in approvals.approvers(r.request)},
        viewers=case_access.handlers(item) if protected else [],
        needs_oversight=protected and case_access.needs_oversight(item),
        excluded=exclusions.listed(item) if protected else [], button_form=ButtonForm(),
        ACTION_TEXT=ACTION_TEXT, EVENT_LABELS=EVENT_LABELS, AGENCY_LABELS=AGENCY_LABELS,
        OUTCOME_LABELS=OUTCOME_LABELS, REJECTION_LABELS=REJECTION_LABELS, REQUEST_LABELS=REQUEST_LABELS,
    ), status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/cases/<uid>")
@roles_required(*CASE_ROLES, hide=True)
def case(uid: str):
    """A case's details, timeline and the actions the user may take."""
    item = _case_or_404(uid)
    if item.channel == CORRUPTION:
        # Every opening of a corruption report is on the record.
        audit.record_case("case.view", item, actor=current_user, now=utcnow())
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


def _details(action: str, form: FlaskForm, item: Case) -> dict:
    """The details a rejection or forward carries, as the service takes them."""
    if action == "reject":
        duplicate = None
        if form.reason.data == "duplicate":
            original = inboxes.find_visible_by_number(current_user, item.channel, form.duplicate_number.data or "")
            duplicate = original.id if original else None
        return {"reason": form.reason.data, "duplicate_of": duplicate}
    if action == "forward":
        return {"agency": form.agency.data, "agency_other": form.agency_other.data or ""}
    return {}


def _accused(form: AccusedForm) -> list[User]:
    people = []
    for value in form.accused.data or []:
        person = _chosen(User, value, _("ไม่พบเจ้าหน้าที่ที่เลือก"))
        if person is not None:
            people.append(person)
    return people


def _perform(action: str, form: FlaskForm, item: Case, now: datetime) -> bool:
    """Call the one service function behind an action; True when it became a request for a second person.

    :raise CaseworkError: whatever the service refuses, with its Thai message.
    """
    user = current_user._get_current_object()
    if casework.needs_second_person(user, item, action):
        if action == "accused":
            approvals.ask(user, item, "accused", now=now, accused=_accused(form))
        else:
            approvals.ask(user, item, action, now=now, message=_message(form), **_details(action, form, item))
        return True
    if action == "assign":
        casework.assign(user, item, unit=_chosen(Unit, form.unit.data, _("ไม่พบหน่วยงานที่เลือก")),
                        officer=_chosen(User, form.officer.data, _("ไม่พบเจ้าหน้าที่ที่เลือก")),
                        now=now, message=_message(form))
    elif action == "accused":
        casework.apply_accused(user, item, _accused(form), now=now)
    elif action == "outcome":
        casework.record_outcome(user, item, outcome=form.outcome.data or "", findings=form.findings.data or "",
                                referral=form.referral.data or "", now=now)
    elif action == "move":
        casework.move_to_corruption(user, item, reason=form.reason.data or "", now=now)
    else:
        casework.transition(user, item, action, now=now, message=_message(form), **_details(action, form, item))
    return False


@bp.route("/cases/<uid>/actions/<action>", methods=["POST"])
@roles_required(*CASE_ROLES, hide=True)
def act(uid: str, action: str):
    """Apply one action to a case; a refused action changes nothing and says why, in Thai."""
    item = _case_or_404(uid)
    if action not in ACTION_FORMS:
        abort(404)
    form = ACTION_FORMS[action](prefix=action)
    _prepare_form(action, form, item, preset=False)
    if not form.validate_on_submit():
        return _render_case(item, failed=(action, form), status=400,
                            error=_("ส่งแบบฟอร์มไม่สำเร็จ กรุณาลองใหม่อีกครั้ง"))
    try:
        asked = _perform(action, form, item, utcnow())
    except CaseworkError as exc:
        db.session.rollback()
        return _render_case(item, failed=(action, form), error=str(exc), status=400)
    db.session.commit()
    if asked:
        flash(_("ยื่นคำขอแล้ว รายการนี้จะมีผลเมื่อบุคคลที่สองอนุมัติ"), "success")
    else:
        flash(str(ACTION_TEXT[action]["done"]), "success")
    if not case_access.can_view(current_user, item):
        # Moved into the protected channel, or the officer named themself: the case has left their reach.
        target = "staff.reports" if current_user.has_role(INTEGRITY, OVERSIGHT) else "staff.inbox"
        if target == "staff.inbox" and not current_user.has_role(INTAKE, UNIT_OFFICER):
            target = "staff.home"
        return redirect(url_for(target), code=303)
    return redirect(url_for("staff.case", uid=item.uid) + "#timeline", code=303)


@bp.route("/cases/<uid>/reveal", methods=["POST"])
@roles_required(INTEGRITY, OVERSIGHT, hide=True)
def reveal(uid: str):
    """Show a corruption reporter's identity: audited with a reason, and for an integrity officer only once a
    second person approved the request (the oversight person, being the outside check, decides alone)."""
    item = _case_or_404(uid)
    if item.channel != CORRUPTION:
        abort(404)
    form = RevealForm()
    if not form.validate_on_submit():
        flash(_("กรุณาระบุเหตุผลที่ต้องเปิดดูข้อมูลผู้แจ้ง (อย่างน้อย 5 ตัวอักษร)"), "error")
        return redirect(url_for("staff.case", uid=item.uid), code=303)
    user, now = current_user._get_current_object(), utcnow()
    if casework.needs_second_person(user, item, "reveal") and approvals.reveal_granted(user, item, now) is None:
        try:
            approvals.ask(user, item, "reveal", now=now, reveal_reason=form.reason.data or "")
        except CaseworkError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for("staff.case", uid=item.uid), code=303)
        db.session.commit()
        flash(_("ยื่นคำขอเปิดดูข้อมูลผู้แจ้งแล้ว เปิดดูได้เมื่อบุคคลที่สองอนุมัติ"), "success")
        return redirect(url_for("staff.case", uid=item.uid), code=303)
    audit.record_case("case.reveal_identity", item, actor=user, now=now, detail=form.reason.data.strip())
    db.session.commit()
    return _render_case(item, reporter=intake.read_reporter(item) if item.reporter_enc else {}, reveal_form=form)


@bp.route("/cases/<uid>/attachments/<file_uid>")
@roles_required(*CASE_ROLES, hide=True)
def attachment(uid: str, file_uid: str):
    """Download an attachment of a case the user may see."""
    item = _case_or_404(uid)
    file = next((a for a in item.attachments if a.uid == file_uid), None)
    if file is None:
        abort(404)
    name, data = attachment_store.read(file)
    if item.channel == CORRUPTION:
        audit.record_case("case.attachment_download", item, actor=current_user, now=utcnow())
        db.session.commit()
    response = Response(data, mimetype=file.mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response.headers["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- notifications

@bp.route("/notifications")
@staff_required
def notifications():
    """The user's in-app notifications, newest first."""
    rows = notify.recent(current_user, NOTIFICATIONS_SHOWN)
    return render_template("staff/notifications.html", notes=rows, form=ButtonForm(),
                           unread=sum(1 for n in rows if n.read_at is None))


@bp.route("/notifications/read", methods=["POST"])
@staff_required
def notifications_read():
    """Mark every notification of the user as read."""
    form = ButtonForm()
    if form.validate_on_submit():
        notify.mark_all_read(current_user, utcnow())
        db.session.commit()
        flash(_("ทำเครื่องหมายว่าอ่านแล้วทั้งหมด"), "info")
    return redirect(url_for("staff.notifications"), code=303)
