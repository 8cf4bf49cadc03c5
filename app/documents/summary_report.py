"""The complaint summary report as an A4 PDF: figures per channel, categories, problems and solutions.

What it prints is what the public may see once it is published: small corruption counts are hidden as on
the statistics pages, and the cases' own notes never appear.
"""
from __future__ import annotations

from .. import thai
from ..services.summary_report import CHANNEL_TITLES, Summary, public_count, title_of
from . import render


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def to_pdf(summary: Summary, digits: thai.Digits = "arabic") -> bytes:
    """The published content (figures, repeat categories, problems, solutions) as an A4 PDF."""
    figures = []
    for channel, f in summary.channels.items():
        c = f.counts
        figures.append([CHANNEL_TITLES[channel],
                        *(public_count(channel, v, digits) for v in
                          (c.received, c.completed, c.in_progress, c.rejected, c.forwarded)),
                        thai.with_digits(_percent(f.on_time_percent), digits),
                        thai.with_digits(_percent(f.satisfaction.percent), digits)])
    categories = [[c.name or "ไม่ระบุประเภท", *(thai.with_digits(str(v), digits) for v in (c.count, c.months, c.previous)),
                   "ซ้ำ" if c.repeats else ""] for c in summary.categories]
    saved = summary.saved
    return render.pdf("documents/summary_report.html", digits=digits, title=title_of(summary.period),
                      summary=summary, figures=figures, categories=categories,
                      problems=(saved.problems if saved else "") or "-",
                      solutions=(saved.solutions if saved else "") or "-")
