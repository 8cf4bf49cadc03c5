"""Published complaint summaries: figures, repeat categories, problems and solutions, for everyone."""
from __future__ import annotations

from flask import abort, render_template

from ...documents import summary_report as summary_files
from ...labels import CHANNEL_LABELS
from ...models.base import utcnow
from ...models.plan import PERIODS
from ...security.access import public
from ...services import stats_settings, summary_report
from ...services.report_periods import ReportPeriod
from ..downloads import file_response
from . import bp


def _published(fy: int, period: str) -> summary_report.Summary:
    """The summary if staff published it; 404 otherwise (drafts are never public)."""
    if period not in PERIODS or not 2500 <= fy <= 2700:
        abort(404)
    data = summary_report.build(ReportPeriod.of(fy, period), utcnow())
    if not data.published:
        abort(404)
    return data


@bp.route("/reports/summary")
@public
def summary_reports():
    """The list of published summaries."""
    return render_template("public/summary_list.html", reports=summary_report.published(),
                           title_of=summary_report.title_of, ReportPeriod=ReportPeriod)


@bp.route("/reports/summary/<int:fy>/<period>")
@public
def summary_report_page(fy: int, period: str):
    """One published summary."""
    data = _published(fy, period)
    digits = stats_settings.get().digits
    return render_template("public/summary.html", data=data, title=summary_report.title_of(data.period),
                           count=lambda channel, value: summary_report.public_count(channel, value, digits),
                           CHANNEL_LABELS=CHANNEL_LABELS)


@bp.route("/reports/summary/<int:fy>/<period>.pdf")
@public
def summary_report_pdf(fy: int, period: str):
    """One published summary as PDF."""
    data = _published(fy, period)
    return file_response(summary_files.to_pdf(data, stats_settings.get().digits), f"summary-{fy}-{period}.pdf")
