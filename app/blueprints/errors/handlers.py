"""Handlers that turn every error into a calm page or a JSON error body."""
from __future__ import annotations

import logging

from flask import Response, jsonify, make_response, render_template, request
from markupsafe import escape
from flask_babel import get_locale, gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from ...database import write_intent
from ...documents.engine import EngineUnavailable
from ...extensions import db
from ...services.attachments import StorageError
from . import bp

log = logging.getLogger(__name__)


def _messages() -> dict[int, str]:
    return {
        400: _("คำขอไม่ถูกต้อง"),
        403: _("ท่านไม่มีสิทธิ์เข้าถึงหน้านี้"),
        404: _("ไม่พบหน้าที่ท่านต้องการ"),
        405: _("ไม่รองรับวิธีการเรียกนี้"),
        413: _("ไฟล์หรือข้อมูลที่ส่งมีขนาดใหญ่เกินกำหนด"),
        429: _("มีการใช้งานถี่เกินไป กรุณารอสักครู่แล้วลองใหม่"),
        500: _("ระบบขัดข้องชั่วคราว ข้อมูลที่ท่านส่งยังไม่ถูกบันทึก กรุณาลองใหม่อีกครั้ง"),
        503: _("ระบบไม่ว่างชั่วคราว ข้อมูลที่ท่านส่งยังไม่ถูกบันทึก กรุณาลองใหม่อีกครั้งในอีกสักครู่"),
    }


def _api_codes() -> dict[int, str]:
    return {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
            413: "payload_too_large", 415: "unsupported_media_type", 429: "rate_limited",
            500: "server_error", 503: "unavailable"}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def render_error(status: int, message: str | None = None):
    """Render the Thai error page (or the API's JSON error) for a status code."""
    text = str(message or _messages().get(status) or _messages()[400 if status < 500 else 500])
    if _wants_json():
        body = {"error": {"code": _api_codes().get(status, "error"), "message": text, "fields": {}}}
        return jsonify(body), status
    template = f"errors/{status}.html" if status in (403, 404, 500) else "errors/generic.html"
    try:
        return render_template(template, status=status, message=text), status
    except Exception as exc:  # a broken template must still not show a stack trace
        log.error("error page failed to render: %s", type(exc).__name__)
        lang, home = _plain_page_language()
        return Response(_PLAIN_PAGE.format(lang=lang, status=status, message=escape(text), home=escape(home)),
                        status, mimetype="text/html")


_PLAIN_PAGE = (
    '<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{status}</title>'
    '<p>{message}</p><p><a href="/">{home}</a></p></html>'
)


def _plain_page_language() -> tuple[str, str]:
    """The language and "back to the home page" text of the last-resort page; Thai if anything fails."""
    try:
        return str(get_locale() or "th"), _("กลับหน้าแรก")
    except Exception:  # the last-resort page must render whatever is broken
        return "th", "กลับหน้าแรก"


@bp.app_errorhandler(CSRFError)
def csrf_error(_exc):
    """A form sent without a valid CSRF token: explain, change nothing."""
    return render_error(400, _("แบบฟอร์มหมดอายุหรือไม่ถูกต้อง กรุณาโหลดหน้าใหม่แล้วส่งอีกครั้ง"))


@bp.app_errorhandler(EngineUnavailable)
def pdf_engine_unavailable(exc: EngineUnavailable):
    """The PDF engine cannot render now: say so plainly (503) and point to the print view."""
    db.session.rollback()
    log.error("PDF engine unavailable at endpoint %s: %s", request.endpoint, exc)
    return render_error(503, _("ขณะนี้ระบบสร้างไฟล์ PDF ไม่พร้อมใช้งาน กรุณาลองใหม่ภายหลัง "
                               "หรือใช้หน้าสำหรับพิมพ์ของเบราว์เซอร์แทน"))


@bp.app_errorhandler(HTTPException)
def http_error(exc: HTTPException):
    """Any HTTP error (404, 403, 405, 413, 429, ...)."""
    if exc.code is None or exc.code >= 500:
        return unexpected_error(exc)
    return render_error(exc.code)


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(StorageError)
def service_unavailable(exc: Exception):
    """The database is locked past the busy timeout or unreachable, or the attachment disk is full:
    nothing was saved, try again shortly."""
    db.session.rollback()
    write_intent.set(False)  # the error page only reads: it must not queue for the write lock again
    cause = exc.orig if isinstance(exc, OperationalError) else exc
    log.error("service unavailable (%s: %s) at endpoint %s", type(exc).__name__, type(cause).__name__,
              request.endpoint)
    response = make_response(render_error(503))
    response.headers["Retry-After"] = "30"
    return response


@bp.app_errorhandler(Exception)
def unexpected_error(exc: Exception):
    """Anything unexpected: roll back, log the type only, show the Thai 500 page."""
    db.session.rollback()
    # The exception text can carry submitted data; log its type and the endpoint only.
    log.error("unhandled %s at endpoint %s", type(exc).__name__, request.endpoint,
              exc_info=not isinstance(exc, InternalServerError) and _log_tracebacks())
    return render_error(500)


def _log_tracebacks() -> bool:
    from flask import current_app

    return bool(current_app.config.get("LOG_TRACEBACKS", False))
