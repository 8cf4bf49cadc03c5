"""Public statistics pages (i30 and general complaints) and their CSV/XLSX/PDF downloads; no sign-in."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for

from ... import thai
from ...documents import stats as stats_files
from ...extensions import limiter
from ...models.base import utcnow
from ...models.case import CHANNELS, CORRUPTION, GENERAL
from ...security.access import public
from ...services import exports, stats, stats_settings
from ..downloads import file_response
from . import bp

#: The oldest fiscal year a page or file is made for.
FIRST_FISCAL_YEAR = 2500


def _export_limit() -> str:
    return current_app.config.get("STATS_EXPORT_RATE_LIMIT", "60 per minute; 600 per day")


def _today():
    return thai.to_local(utcnow()).date()


def _fiscal_year(raw: str | None, current: int) -> int:
    """The requested fiscal year (BE), the current one when none is given; 404 when it is no year we show."""
    if raw is None or raw == "":
        return current
    try:
        fy = int(raw)
    except ValueError:
        abort(404)
    if not FIRST_FISCAL_YEAR <= fy <= current + 1:
        abort(404)
    return fy


@bp.route("/stats")
@public
def stats_index():
    """The statistics start: the corruption page (ITA i30) comes first."""
    return redirect(url_for("public.stats_page", channel=CORRUPTION))


@bp.route("/stats/<channel>")
@public
def stats_page(channel: str):
    """A channel's statistics for one fiscal year: monthly (or first half-year) and by category."""
    if channel not in CHANNELS:
        abort(404)
    today = _today()
    current = thai.fiscal_year(today)
    fy = _fiscal_year(request.args.get("fy"), current)
    half = request.args.get("view") == "half"
    settings = stats_settings.get()
    main = exports.build(channel, fy, "half-year" if half else "monthly", today=today, settings=settings)
    by_category = exports.build(channel, fy, "category-half-year" if half else "category", today=today,
                                settings=settings)
    years = sorted(set(stats.years_with_data(channel)) | {current, fy}, reverse=True)
    return render_template(
        "stats/page.html", channel=channel, other=GENERAL if channel == CORRUPTION else CORRUPTION,
        fy=fy, half=half, years=years, main=main, by_category=by_category, ita_line=exports.ita_line(main),
        counting_rule=exports.COUNTING_RULE, in_progress_rule=exports.IN_PROGRESS_RULE,
        no_complaints_period=exports.NO_COMPLAINTS_PERIOD,
        num=main.num,
        downloads=lambda kind: [(fmt, url_for("public.stats_export", channel=channel, fy=fy, kind=kind, fmt=fmt))
                                for fmt in exports.FORMATS],
    )


@bp.route("/stats/<channel>/<int:fy>/<kind>.<fmt>")
@public
@limiter.limit(_export_limit)
def stats_export(channel: str, fy: int, kind: str, fmt: str):
    """One table of the page as a CSV, XLSX or PDF file, masked exactly as the page is."""
    if channel not in CHANNELS or kind not in exports.KINDS or fmt not in exports.FORMATS:
        abort(404)
    today = _today()
    fy = _fiscal_year(str(fy), thai.fiscal_year(today))
    # Spreadsheets keep numbers as numbers; the PDF follows the digit setting like the page.
    table = exports.build(channel, fy, kind, today=today, digits="arabic" if fmt in ("csv", "xlsx") else None)
    return file_response(stats_files.render_file(table, fmt), stats_files.filename(table, fmt))
