"""Executive views: counts, SLA compliance and trends; never personal data or case content."""
from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from flask_babel import gettext as _

from ... import thai
from ...labels import CHANNEL_LABELS, SOURCE_LABELS
from ...models.base import utcnow
from ...models.case import CHANNELS
from ...models.people import EXECUTIVE
from ...security.access import roles_required
from ...services import dashboard, surveys
from ...services.cases import oversight
from . import bp, charts

#: How many fiscal years the pickers offer at most.
MAX_YEARS = 15


def _fmt_int(value) -> str:
    return f"{int(value or 0):,}"


def _fmt_num(value, places: int = 1) -> str:
    return "–" if value is None else f"{value:,.{places}f}"


def _fmt_change(value) -> str:
    return "–" if value is None else f"{value:+,.1f}%"


def _choices(now) -> tuple[int, list[int]]:
    """The current fiscal year and the years offered, newest first (back to the first case)."""
    current = thai.fiscal_year(now)
    first = max(min(dashboard.earliest_fiscal_year(now), current - 1), current - MAX_YEARS + 1)
    return current, list(range(current, first - 1, -1))


@bp.route("/")
@roles_required(EXECUTIVE)
def overview():
    """A fiscal year (or one month of it) at a glance: KPI cards, charts and their data tables."""
    now = utcnow()
    current_fy, years = _choices(now)
    fy = request.args.get("fy", type=int) or current_fy
    if not 2500 <= fy <= 2700:
        fy = current_fy
    if fy not in years:
        years = sorted({*years, fy}, reverse=True)
    month = request.args.get("month", type=int)
    if month is not None and not 1 <= month <= 12:
        month = None
    baseline = request.args.get("baseline", type=int)
    if baseline is None or baseline == fy or not 2500 <= baseline <= 2700:
        baseline = fy - 1
    baseline_years = sorted({*[y for y in years if y != fy], fy - 1, baseline}, reverse=True)
    channel = request.args.get("channel") or dashboard.ALL
    if channel not in dashboard.CHANNEL_CHOICES:
        channel = dashboard.ALL

    data = dashboard.overview(fy, now, month=month, baseline_fy=baseline, channel=channel)

    shown_channels = list(CHANNELS) if channel == dashboard.ALL else [channel]
    month_chart = charts.column_chart([
        (thai.month_abbr(p.month), f"{thai.month_abbr(p.month)} {thai.be_year(p.year_ce)}",
         [(c, str(CHANNEL_LABELS[c]), p.received[c]) for c in shown_channels])
        for p in data.months
    ])
    source_chart = charts.hbar_chart([(str(SOURCE_LABELS.get(c.key, c.key)), c.count)
                                      for c in data.by_source if c.count])
    category_chart = charts.hbar_chart([(c.label or _("ยังไม่ระบุประเภทเรื่อง"), c.count) for c in data.by_category])
    unit_chart = charts.hbar_chart([(u.unit_name or _("ยังไม่มอบหมายหน่วยงาน"), u.total)
                                    for u in data.overdue_by_unit])
    rating_chart = charts.hbar_chart([(str(surveys.RATING_LABELS[rating]), n)
                                      for rating, n in data.satisfaction.by_rating.items()])
    month_options = [(m, f"{thai.month_abbr(m)} {thai.be_year(y)}") for y, m in thai.fiscal_months(fy)]
    return render_template(
        "executive/overview.html",
        fy=fy, month=month, baseline=baseline, channel=channel, years=years, baseline_years=baseline_years,
        month_options=month_options, current_fy=current_fy, data=data, shown_channels=shown_channels,
        month_chart=month_chart, source_chart=source_chart, category_chart=category_chart,
        unit_chart=unit_chart, rating_chart=rating_chart, RATING_LABELS=surveys.RATING_LABELS,
        fmt_int=_fmt_int, fmt_num=_fmt_num, fmt_change=_fmt_change,
        month_abbr=thai.month_abbr, be_year=thai.be_year, thai_date=thai.format_date,
        flagged=oversight.flagged_for(current_user._get_current_object()),
    )
