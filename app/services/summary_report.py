"""The complaint summary to executives and the public: figures, repeat categories, problems and solutions.

Figures are computed (stats, plan_kpis, surveys); the words "problems and obstacles" and "solutions" are
the staff's, drafted from the root-cause and prevention notes recorded on general complaints and from the
repeat-category analysis. The notes themselves stay internal: the public sees only a published report's
figures and words, and corruption figures there go through the small-count protection of the statistics.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy import case as sql_case

from .. import thai
from ..extensions import db
from ..labels import lazy_text as _l
from ..models import Case, Category, SummaryReport
from ..models.case import CHANNELS, CORRUPTION, GENERAL
from ..models.people import User
from . import audit, plan_kpis, stats, stats_settings, surveys
from .report_periods import ReportPeriod

#: A category "repeats" when its complaints arrived in at least this many different months of the period.
REPEAT_MONTHS = 2
#: Longest problems / solutions text.
MAX_TEXT = 8000
#: Longest root-cause / prevention note on a case.
MAX_NOTE = 2000


class SummaryError(ValueError):
    """A refused change, with a Thai message."""


@dataclass(frozen=True)
class ChannelFigures:
    """One channel's figures for the period."""

    channel: str
    counts: stats.Counts
    on_time: int
    decided: int
    satisfaction: object

    @property
    def on_time_percent(self) -> float | None:
        return 100.0 * self.on_time / self.decided if self.decided else None


@dataclass(frozen=True)
class CategoryRepeat:
    """A general-complaint category in the period: how many, in how many months, against last year."""

    category_id: int | None
    name: str
    count: int
    months: int
    previous: int

    @property
    def repeats(self) -> bool:
        return self.months >= REPEAT_MONTHS


@dataclass(frozen=True)
class NoteGroup:
    """Identical root-cause / prevention notes of one category, with how many cases carry them."""

    category: str
    root_cause: str
    prevention: str
    cases: int


@dataclass(frozen=True)
class Summary:
    """Everything the summary report shows."""

    period: ReportPeriod
    now: datetime
    channels: dict[str, ChannelFigures]
    categories: list[CategoryRepeat]
    notes: list[NoteGroup]
    saved: SummaryReport | None

    @property
    def repeating(self) -> list[CategoryRepeat]:
        return [c for c in self.categories if c.repeats]

    @property
    def published(self) -> bool:
        return self.saved is not None and self.saved.published_at is not None


def _month_bounds(period: ReportPeriod) -> list[datetime]:
    months = 6 if period.kind == "half" else 12
    return stats.month_bounds_utc(period.fiscal_year, months)


def channel_figures(channel: str, period: ReportPeriod, now: datetime) -> ChannelFigures:
    """Counts by current status, on-time share and satisfaction of one channel in the period."""
    table = stats.monthly(channel, period.fiscal_year, half=period.kind == "half")
    figures = plan_kpis.case_figures(Case.channel == channel, period.start, period.end, now)
    return ChannelFigures(channel, table.totals, figures.on_time, figures.decided,
                          surveys.satisfaction(period.start, period.end, channel=channel))


def category_repeats(period: ReportPeriod) -> list[CategoryRepeat]:
    """General complaints per category: count, distinct months with complaints, same span last year."""
    bounds = _month_bounds(period)
    month_columns = [
        func.sum(sql_case((and_(Case.received_at >= start, Case.received_at < end), 1), else_=0))
        for start, end in zip(bounds, bounds[1:])
    ]
    rows = db.session.execute(
        select(Case.category_id, func.count(), *month_columns)
        .where(Case.channel == GENERAL, Case.received_at >= period.start, Case.received_at < period.end)
        .group_by(Case.category_id)
    ).all()
    previous = period.shifted(period.fiscal_year - 1)
    before = dict(db.session.execute(
        select(Case.category_id, func.count())
        .where(Case.channel == GENERAL, Case.received_at >= previous.start, Case.received_at < previous.end)
        .group_by(Case.category_id)
    ).all())
    names = dict(db.session.execute(select(Category.id, Category.name)).all())
    result = [CategoryRepeat(row[0], names.get(row[0], "") if row[0] else "", int(row[1]),
                             sum(1 for v in row[2:] if v), int(before.get(row[0], 0)))
              for row in rows]
    result.sort(key=lambda c: (-c.months, -c.count, c.name))
    return result


def note_groups(period: ReportPeriod) -> list[NoteGroup]:
    """The root-cause / prevention notes on general complaints received in the period, grouped."""
    rows = db.session.execute(
        select(Category.name, Case.root_cause, Case.prevention, func.count(Case.id))
        .outerjoin(Category, Category.id == Case.category_id)
        # Spelled like the partial index ix_cases_analysis so the planner uses it (record_notes stores
        # NULL, never "", for an empty note).
        .where(Case.channel == GENERAL, Case.received_at >= period.start, Case.received_at < period.end,
               or_(Case.root_cause.is_not(None), Case.prevention.is_not(None)))
        .group_by(Category.name, Case.root_cause, Case.prevention)
        .order_by(func.count(Case.id).desc(), Category.name)
    ).all()
    return [NoteGroup(name or "", root or "", prevention or "", int(n)) for name, root, prevention, n in rows]


def build(period: ReportPeriod, now: datetime) -> Summary:
    """The summary of ``period`` as of ``now``."""
    return Summary(period, now, {c: channel_figures(c, period, now) for c in CHANNELS}, category_repeats(period),
                   note_groups(period), db.session.get(SummaryReport, (period.fiscal_year, period.kind)))


def draft(summary: Summary) -> tuple[str, str]:
    """Problems and solutions drafted from the repeat categories and the cases' notes (Thai)."""
    causes: dict[str, list[str]] = {}
    remedies: dict[str, list[str]] = {}
    for note in summary.notes:
        key = note.category or "ไม่ระบุประเภท"
        if note.root_cause and note.root_cause not in causes.setdefault(key, []):
            causes[key].append(note.root_cause)
        if note.prevention and note.prevention not in remedies.setdefault(key, []):
            remedies[key].append(note.prevention)
    problems, solutions = [], []
    for repeat in summary.repeating:
        name = repeat.name or "ไม่ระบุประเภท"
        line = f"- {name}: มีเรื่องร้องเรียน {repeat.count} เรื่อง ใน {repeat.months} เดือน"
        if repeat.previous:
            line += f" (ช่วงเดียวกันของปีก่อน {repeat.previous} เรื่อง)"
        if causes.get(name):
            line += " สาเหตุที่พบ: " + "; ".join(causes[name])
        problems.append(line)
    for name, items in causes.items():
        if items and not any((r.name or "ไม่ระบุประเภท") == name for r in summary.repeating):
            problems.append(f"- {name}: " + "; ".join(items))
    for name, items in remedies.items():
        if items:
            solutions.append(f"- {name}: " + "; ".join(items))
    late = summary.channels[GENERAL]
    if late.decided and late.on_time < late.decided:
        problems.append(f"- เรื่องร้องเรียนทั่วไปที่ดำเนินการไม่ทันกำหนด {late.decided - late.on_time} เรื่อง "
                        f"จาก {late.decided} เรื่องที่ครบกำหนดแล้ว")
    return "\n".join(problems), "\n".join(solutions)


def save(period: ReportPeriod, *, problems: str, solutions: str, publish: bool | None, actor: User,
         now: datetime) -> SummaryReport:
    """Store the staff's words; ``publish`` True/False publishes or withdraws, None leaves it."""
    problems, solutions = (problems or "").strip(), (solutions or "").strip()
    if len(problems) > MAX_TEXT or len(solutions) > MAX_TEXT:
        raise SummaryError(_l("ข้อความยาวเกิน %(n)s ตัวอักษร", n=f"{MAX_TEXT:,}"))
    if publish and not (problems or solutions):
        raise SummaryError(_l("กรุณากรอกปัญหาอุปสรรคหรือแนวทางแก้ไขก่อนเผยแพร่"))
    row = db.session.get(SummaryReport, (period.fiscal_year, period.kind))
    if row is None:
        row = SummaryReport(fiscal_year=period.fiscal_year, period=period.kind)
        db.session.add(row)
    row.problems, row.solutions = problems, solutions
    row.updated_by_id, row.updated_at = actor.id, now
    if publish is True and row.published_at is None:
        row.published_at = now
    elif publish is False:
        row.published_at = None
    audit.record("summary.save", actor=actor, now=now, target_type="summary_report",
                 detail=f"{period.fiscal_year}/{period.kind} published={row.published_at is not None}")
    return row


def published() -> list[SummaryReport]:
    """Published summaries, newest first."""
    return list(db.session.scalars(select(SummaryReport).where(SummaryReport.published_at.is_not(None))
                                   .order_by(SummaryReport.fiscal_year.desc(), SummaryReport.period.desc())))


def public_count(channel: str, value: int, digits: str = "arabic") -> str:
    """A count as the public may see it: small corruption counts hidden as in the statistics pages."""
    threshold = stats_settings.get().threshold_for(channel)
    if 0 < value < threshold:
        text = f"< {threshold}"
    else:
        text = f"{value:,}"
    return thai.with_digits(text, digits)


def record_notes(case: Case, *, root_cause: str, prevention: str, actor: User, now: datetime) -> None:
    """Store the analysis notes of a general complaint (the summary report drafts from them)."""
    if case.channel != GENERAL:
        raise SummaryError(_l("บันทึกสาเหตุและแนวทางป้องกันได้เฉพาะเรื่องร้องเรียนทั่วไป"))
    root_cause, prevention = (root_cause or "").strip(), (prevention or "").strip()
    if len(root_cause) > MAX_NOTE or len(prevention) > MAX_NOTE:
        raise SummaryError(_l("ข้อความยาวเกิน %(n)s ตัวอักษร", n=f"{MAX_NOTE:,}"))
    case.root_cause, case.prevention = root_cause or None, prevention or None
    audit.record("case.analysis", actor=actor, now=now, target_type="case", target_id=case.id)


__all__ = ["CORRUPTION", "GENERAL", "MAX_NOTE", "MAX_TEXT", "REPEAT_MONTHS", "CategoryRepeat", "ChannelFigures",
           "NoteGroup", "Summary", "SummaryError", "build", "category_repeats", "channel_figures", "draft",
           "note_groups", "public_count", "published", "record_notes", "save"]


#: Channel names in the report tables.
CHANNEL_TITLES = {GENERAL: "เรื่องร้องเรียนทั่วไป", CORRUPTION: "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"}


def title_of(period: ReportPeriod) -> str:
    """The report's title, e.g. "รายงานสรุปผลการดำเนินการเรื่องร้องเรียน รอบ 6 เดือน ปีงบประมาณ พ.ศ. 2569"."""
    kind = "รอบ 6 เดือน" if period.kind == "half" else "ประจำปี"
    return f"รายงานสรุปผลการดำเนินการเรื่องร้องเรียน {kind} ปีงบประมาณ พ.ศ. {period.fiscal_year}"
