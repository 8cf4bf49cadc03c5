"""Official letters of a case (print view and PDF) and the register of letters sent (ทะเบียนหนังสือส่ง).

A letter's page follows its case's boundary (case_access: a protected-channel report's letters are 404 to
everyone who may not open the report). Cases and letters are addressed by their random uids. The first print
of a letter takes its register number; reprints keep it.
"""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from ... import thai
from ...database import write_intent
from ...documents import letters as letter_documents
from ...extensions import db
from ...labels import lazy_text as _l
from ...models import Case, Letter, Signatory
from ...models.base import utcnow
from ...models.case import CORRUPTION
from ...models.letters import COMPLETION, MEMO
from ...models.people import EXECUTIVE
from ...security.access import roles_required
from ...services.letters import compose, register, settings
from ..downloads import file_response
from . import bp
from .routes import CASE_ROLES, _case_or_404

#: A letter's address: its random uid (32 hex digits), so "<uid>.pdf" never matches the print view's rule.
LETTER = "<string(length=32):uid>"


class IssueForm(FlaskForm):
    """Which signatory signs a new letter."""

    signatory = SelectField(_l("ผู้ลงนาม"), coerce=int)


class VoidForm(FlaskForm):
    """Why a register number is voided."""

    reason = StringField(_l("เหตุผลที่ยกเลิก"), validators=[DataRequired(_l("กรุณาระบุเหตุผล")),
                                                          Length(min=5, max=register.MAX_REASON)])


@bp.app_template_global()
def case_letters(case: Case) -> list[tuple[str, str, Letter | None]]:
    """(kind, title, standing letter or None) of the letters a case can have now (case page)."""
    return [(kind, compose.TITLES[kind], register.find(register.case_key(case, kind)))
            for kind in compose.kinds_for(case)]


def _begin_writing() -> None:
    """A GET that takes a register number writes: end its read transaction and take the write lock."""
    db.session.commit()
    write_intent.set(True)


def _case_letter(uid: str, kind: str) -> Letter:
    """The case's letter of ``kind``, issued now with the default signatory if it has none; 404 if none can be."""
    item = _case_or_404(uid)
    if kind not in compose.kinds_for(item):
        abort(404)
    letter = register.find(register.case_key(item, kind))
    if letter is None:
        _begin_writing()
        letter = compose.issue_for_case(item, kind, signatory=None, actor=current_user, now=utcnow())
        db.session.commit()
    return letter


def _printed(letter: Letter, what: str) -> None:
    """Corruption-channel letters: every print is on the (protected) record."""
    if letter.case is not None and letter.case.channel == CORRUPTION:
        register.record(f"letter.{what}", letter, actor=current_user, now=utcnow())
        db.session.commit()


def _print_view(letter: Letter):
    _printed(letter, "print")
    toolbar = [(_("กลับ"), url_for("staff.case", uid=letter.case.uid) if letter.case is not None
                else url_for("staff.letter_register")),
               (_("ดาวน์โหลด PDF"), url_for("staff.letter_pdf", uid=letter.uid)),
               (_("ทะเบียนหนังสือส่ง"), url_for("staff.letter_register", fy=letter.fiscal_year))]
    response = make_response(letter_documents.letter_html(compose.external(letter), toolbar=toolbar))
    response.headers["Cache-Control"] = "no-store"
    return response


def _pdf(letter: Letter, filename: str):
    _printed(letter, "pdf")
    return file_response(letter_documents.letter_pdf(compose.external(letter)), filename, private=True)


@bp.route("/cases/<uid>/notice")
@roles_required(*CASE_ROLES, hide=True)
def completion_notice(uid: str):
    """The completion notice (หนังสือแจ้งผลการดำเนินการ) to hand or post to the complainant."""
    return _print_view(_case_letter(uid, COMPLETION))


@bp.route("/cases/<uid>/notice.pdf")
@roles_required(*CASE_ROLES, hide=True)
def completion_notice_pdf(uid: str):
    """The completion notice as a PDF (the same document as its print view)."""
    return _pdf(_case_letter(uid, COMPLETION), "completion-notice.pdf")


@bp.route("/cases/<uid>/letters/<kind>", methods=["GET", "POST"])
@roles_required(*CASE_ROLES, hide=True)
def case_letter(uid: str, kind: str):
    """A case's letter: GET prints it (taking its number on first print); POST issues it with a chosen signatory."""
    if request.method == "GET":
        return _print_view(_case_letter(uid, kind))
    item = _case_or_404(uid)
    if kind not in compose.kinds_for(item):
        abort(404)
    form = IssueForm()
    form.signatory.choices = [(s.id, s.name) for s in settings.signatories(active_only=True)]
    if not form.validate_on_submit():
        flash(_("กรุณาเลือกผู้ลงนาม"), "error")
        return redirect(url_for("staff.case", uid=item.uid))
    letter = compose.issue_for_case(item, kind, signatory=db.session.get(Signatory, form.signatory.data),
                                    actor=current_user, now=utcnow())
    db.session.commit()
    return redirect(url_for("staff.letter", uid=letter.uid))


def _visible_letter(uid: str) -> Letter:
    """The letter with this uid if the user may see it; 404 otherwise (its existence is never confirmed)."""
    letter = register.visible_by_uid(current_user, uid)
    if letter is None:
        abort(404)
    return letter


def _letter_or_404(uid: str) -> Letter:
    letter = _visible_letter(uid)
    if letter.kind == MEMO:  # a memo is printed by what issued it (e.g. a report's cover), not here
        abort(404)
    return letter


@bp.route(f"/letters/{LETTER}")
@roles_required(*CASE_ROLES, hide=True)
def letter(uid: str):
    """A letter of the register, as printed (a voided one says so across its head)."""
    return _print_view(_letter_or_404(uid))


@bp.route(f"/letters/{LETTER}.pdf")
@roles_required(*CASE_ROLES, hide=True)
def letter_pdf(uid: str):
    """A letter of the register as PDF."""
    letter = _letter_or_404(uid)
    return _pdf(letter, f"letter-{letter.fiscal_year}-{letter.number}.pdf")


@bp.route("/letters")
@roles_required(*CASE_ROLES, EXECUTIVE)
def letter_register():
    """The register of letters sent in a fiscal year, as far as this user may see its letters."""
    now = utcnow()
    years = register.years() or [thai.fiscal_year(now)]
    fy = request.args.get("fy", type=int) or years[0]
    rows = register.entries(current_user, fy)
    response = make_response(render_template("staff/letters.html", rows=rows, fy=fy, years=years,
                                             TITLES=compose.TITLES, void_form=VoidForm(formdata=None),
                                             reference=compose.reference, void_reason=register.void_reason,
                                             can_void=current_user.has_role(*CASE_ROLES)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route(f"/letters/{LETTER}/void", methods=["POST"])
@roles_required(*CASE_ROLES)
def letter_void(uid: str):
    """Void a register number with a reason (audited); the next print of that letter takes a new number."""
    letter = _visible_letter(uid)
    form = VoidForm()
    if not form.validate_on_submit():
        flash(_("กรุณาระบุเหตุผลที่ยกเลิกเลขที่หนังสือ (อย่างน้อย 5 ตัวอักษร)"), "error")
    else:
        try:
            register.void(letter, form.reason.data, actor=current_user, now=utcnow())
            db.session.commit()
            flash(_("ยกเลิกเลขที่หนังสือแล้ว"), "success")
        except register.LetterError as exc:
            db.session.rollback()
            flash(str(exc), "error")
    return redirect(url_for("staff.letter_register", fy=letter.fiscal_year))
