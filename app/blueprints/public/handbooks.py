"""The two public handbooks (general and corruption complaints) as pages and as PDFs; no sign-in."""
from __future__ import annotations

from flask import abort, current_app, render_template
from flask_babel import force_locale

from ...documents import handbook as handbook_document
from ...extensions import limiter
from ...models.base import utcnow
from ...models.handbook import KINDS
from ...security.access import public
from ...services import handbooks
from ..downloads import file_response
from . import bp


def _pdf_limit() -> str:
    return current_app.config.get("HANDBOOK_PDF_RATE_LIMIT", "60 per minute; 600 per day")


def _kind(kind: str) -> str:
    if kind not in KINDS:
        abort(404)
    return kind


@bp.route("/handbook/<kind>")
@public
def handbook(kind: str):
    """A handbook page: its four parts, built from the current settings plus the admin's words."""
    return render_template("public/handbook.html", page=handbooks.view(_kind(kind)))


@bp.route("/handbook/<kind>.pdf")
@public
@limiter.limit(_pdf_limit)
def handbook_pdf(kind: str):
    """The handbook as an A4 PDF, for the organisation to publish on its main website."""
    kind = _kind(kind)
    with force_locale("th"):  # a Thai document whatever the screen language
        data = handbook_document.to_pdf(handbooks.view(kind), today=utcnow())
    return file_response(data, f"handbook-{kind}.pdf", inline=True)
