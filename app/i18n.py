"""Locale selection (Thai unless the visitor chose English) and template helpers for Thai dates."""
from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import get_locale

from . import labels, thai

LANG_COOKIE = "lang"


def select_locale() -> str:
    """Thai by default; English only when chosen with ?lang=en or the language cookie."""
    if not has_request_context():  # CLI, scheduler, PDFs made outside a request: Thai
        return "th"
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    return chosen if chosen in ("th", "en") else "th"


def init_template_helpers(app: Flask) -> None:
    """Register Jinja filters for Buddhist Era dates and Thai digits."""
    app.jinja_env.filters["thai_date"] = lambda d, style="full", digits="arabic": (
        thai.format_date(d, style=style, digits=digits) if d else ""
    )
    app.jinja_env.filters["thai_datetime"] = lambda d, digits="arabic": (
        thai.format_datetime(d, digits=digits) if d else ""
    )
    app.jinja_env.filters["thai_digits"] = thai.thai_digits
    app.jinja_env.globals.update(
        fiscal_year_label=thai.fiscal_year_label,
        STATUS_LABELS=labels.STATUS_LABELS,
        CHANNEL_LABELS=labels.CHANNEL_LABELS,
        SOURCE_LABELS=labels.SOURCE_LABELS,
        ROLE_LABELS=labels.ROLE_LABELS,
        AGENCY_LABELS=labels.AGENCY_LABELS,
        get_locale=get_locale,
    )

    @app.after_request
    def remember_language(response):
        chosen = request.args.get("lang")
        if chosen in ("th", "en"):
            response.set_cookie(LANG_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
        return response
