"""KPIs of the plan's measures, computed from the cases a measure is linked to (never typed in).

A measure's links (a whole channel, or a category) say which cases are its evidence. Definitions, for
the cases received in the report period (Bangkok calendar, half-open UTC bounds), status as of ``now``:

- ``received_count``: how many were received.
- ``on_time_rate``: of those whose outcome is known — closed (completed, rejected or forwarded: the
  statuses that stop the clock) or still open past their due date — the share closed by the due date.
  Open cases not yet due are neither a success nor a failure yet, and are reported as pending.
- ``satisfaction_rate``: survey answers submitted in the period about linked cases: mean score of the
  5-point scale as a percentage (mean / 5 x 100), with the number of answers.
- ``reduction_vs_baseline``: received in the period against the same span of the plan's baseline year
  (only the elapsed part of a running period), as a percentage fewer; the year's target comes from the
  plan (PlanTarget.reduction_percent).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy import case as sql_case

from .. import thai
from ..extensions import db
from ..models import Case, Measure, Plan
from ..models.case import CHANNELS, CLOSED_STATUSES, CORRUPTION, GENERAL
from ..models.plan import (METRIC_ON_TIME, METRIC_RECEIVED, METRIC_REDUCTION, METRIC_SATISFACTION,
                           MeasureKpi, PlanTarget)
from . import sla, surveys
from .report_periods import ReportPeriod

#: How the channels are named in the report sentences.
CHANNEL_NOUNS = {GENERAL: "เรื่องร้องเรียนทั่วไป", CORRUPTION: "เรื่องร้องเรียนการทุจริตและเบาะแส"}


def measure_condition(measure: Measure) -> ColumnElement[bool] | None:
    """The cases that are evidence for ``measure``: OR over its links; None when it has no links."""
    parts = []
    channels = sorted({link.channel for link in measure.links if link.channel in CHANNELS})
    if channels:
        parts.append(Case.channel.in_(channels))
    categories = sorted({link.category_id for link in measure.links if link.category_id is not None})
    if categories:
        parts.append(Case.category_id.in_(categories))
    if not parts:
        return None
    return or_(*parts) if len(parts) > 1 else parts[0]


def linked_channels(measure: Measure) -> list[str]:
    """The channels a measure's links reach (a category belongs to the channel(s) of its form)."""
    found = {link.channel for link in measure.links if link.channel in CHANNELS}
    for link in measure.links:
        if link.category is not None:
            found.update(CHANNELS if link.category.channel == "both" else [link.category.channel])
    return [c for c in CHANNELS if c in found]


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class CaseFigures:
    """Cases received in a period that match a condition, and how their handling went."""

    received: int
    by_channel: dict[str, int]
    closed: int
    on_time: int
    #: Open and past due at ``now``: already late.
    late_open: int
    #: Open and not yet due: outcome not known.
    pending: int

    @property
    def decided(self) -> int:
        """Cases whose on-time outcome is known."""
        return self.received - self.pending

    @property
    def on_time_percent(self) -> float | None:
        return 100.0 * self.on_time / self.decided if self.decided else None


def case_figures(condition: ColumnElement[bool], start: datetime, end: datetime, now: datetime) -> CaseFigures:
    """One GROUP BY over the matching cases received in [start, end)."""
    closed = Case.status.in_(CLOSED_STATUSES)
    on_time = and_(closed, Case.closed_at <= Case.due_at)
    pending = and_(Case.status.notin_(CLOSED_STATUSES), Case.due_at >= now)

    def count_if(cond):
        return func.coalesce(func.sum(sql_case((cond, 1), else_=0)), 0)

    # COUNT(*), not COUNT(id): PostgreSQL's covering index has no id, and COUNT(id) forced a table scan.
    rows = db.session.execute(
        select(Case.channel, func.count(), count_if(closed), count_if(on_time), count_if(pending))
        .where(condition, Case.received_at >= start, Case.received_at < end)
        .group_by(Case.channel)
    ).all()
    by_channel = {c: 0 for c in CHANNELS}
    totals = [0, 0, 0, 0]
    for channel, n, n_closed, n_on_time, n_pending in rows:
        by_channel[channel] = int(n)
        for i, value in enumerate((n, n_closed, n_on_time, n_pending)):
            totals[i] += int(value or 0)
    received, n_closed, n_on_time, n_pending = totals
    return CaseFigures(received, by_channel, n_closed, n_on_time, received - n_closed - n_pending, n_pending)


# ---------------------------------------------------------------- KPI values


@dataclass(frozen=True)
class KpiValue:
    """A KPI's computed value in a period, its target and whether the target is met."""

    kpi: MeasureKpi
    #: Percent or count; None when there is nothing to compute from (no cases, no answers, zero baseline).
    value: float | None
    target: float | None
    met: bool | None
    #: The Thai sentence printed in the reports' result column.
    sentence: str
    details: dict = field(default_factory=dict)


def _num(value: float | int, digits: str, places: int = 1) -> str:
    text = f"{value:,.{places}f}" if isinstance(value, float) else f"{value:,}"
    return thai.with_digits(text, digits)


def _year(value: int, digits: str) -> str:
    """A year is never printed with a thousands separator."""
    return thai.with_digits(str(value), digits)


def _target(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _target_text(value: float, digits: str) -> str:
    """A target like 80 or 82.5, printed without needless decimals."""
    return _num(int(value) if value == int(value) else value, digits)


def _met_text(met: bool | None) -> str:
    return "" if met is None else (" ผ่านเป้าหมาย" if met else " ไม่ผ่านเป้าหมาย")


def _sla_days_text(channels: list[str], digits: str) -> str:
    """"ภายใน 15 วัน" when the linked channels share one SLA, else "ภายในกำหนด"."""
    policies = {(rule.days, rule.mode) for rule in map(sla.policy, channels)}
    if len(policies) != 1:
        return "ภายในกำหนด"
    days, mode = policies.pop()
    return f"ภายใน {_num(days, digits)} วัน" + ("ทำการ" if mode == sla.WORKING else "")


def _received_noun(channels: list[str]) -> str:
    return CHANNEL_NOUNS[channels[0]] if len(channels) == 1 else "เรื่อง"


def _received_sentence(figures: CaseFigures, channels: list[str], digits: str) -> str:
    if len(channels) > 1:
        parts = [f"{CHANNEL_NOUNS[c]} {_num(figures.by_channel.get(c, 0), digits)} เรื่อง" for c in channels]
        return "ได้รับ" + " ".join(parts)
    return f"ได้รับ{_received_noun(channels)} {_num(figures.received, digits)} เรื่อง"


def _on_time_sentence(figures: CaseFigures, channels: list[str], target: float | None, met, digits: str) -> str:
    if figures.received == 0:
        return f"ไม่มี{_received_noun(channels) if channels else 'เรื่องร้องเรียน'}ในช่วงเวลานี้"
    text = (f"ได้รับเรื่อง {_num(figures.received, digits)} เรื่อง แล้วเสร็จ {_num(figures.on_time, digits)} เรื่อง "
            f"{_sla_days_text(channels, digits)}")
    if figures.on_time_percent is not None:
        text += f" ร้อยละ {_num(round(figures.on_time_percent, 1), digits)}"
    if figures.pending:
        text += f" (ยังไม่ครบกำหนด {_num(figures.pending, digits)} เรื่อง)"
    if target is not None:
        text += f" (เป้าหมายร้อยละ {_target_text(target, digits)}{_met_text(met)})"
    return text


def _satisfaction_sentence(result, target: float | None, met, digits: str) -> str:
    if not result.responses:
        return "ยังไม่มีผู้ตอบแบบประเมินความพึงพอใจ"
    text = (f"ความพึงพอใจของผู้ร้องเรียน ร้อยละ {_num(round(result.percent, 1), digits)} "
            f"(ค่าเฉลี่ย {_num(round(result.mean, 2), digits, 2)} จาก 5 ผู้ตอบ {_num(result.responses, digits)} ราย)")
    if target is not None:
        text += f" เป้าหมายไม่ต่ำกว่าร้อยละ {_target_text(target, digits)}{_met_text(met)}"
    return text


def baseline_year(plan: Plan, period: ReportPeriod) -> int:
    """The plan's baseline fiscal year, or the year before the period when the plan names none."""
    return plan.baseline_year or period.fiscal_year - 1


def reduction_target(plan: Plan, fiscal_year: int) -> float | None:
    """The plan's reduction target (percent) for ``fiscal_year``, if it set one."""
    row = db.session.get(PlanTarget, (plan.id, fiscal_year))
    return _target(row.reduction_percent) if row is not None else None


def _reduction(condition, plan: Plan, period: ReportPeriod, channels: list[str], now: datetime, digits: str,
               whole: CaseFigures | None) -> tuple[float | None, float | None, bool | None, str, dict]:
    """``whole`` is the period's figures when already counted: once the period is over they are current."""
    base_fy = baseline_year(plan, period)
    end = period.elapsed_end(now)
    span = end - period.start
    base = period.shifted(base_fy)
    base_end = min(base.end, base.start + span)
    current = (whole if whole is not None and end == period.end
               else case_figures(condition, period.start, end, now)).received
    baseline = case_figures(condition, base.start, base_end, now).received
    target = reduction_target(plan, period.fiscal_year)
    noun = _received_noun(channels)
    lead = f"{noun} {_num(current, digits)} เรื่อง "
    text = f"เทียบกับปีฐาน พ.ศ. {_year(base_fy, digits)} ช่วงเดียวกัน {_num(baseline, digits)} เรื่อง"
    if baseline == 0:
        value, met = None, None
        text += " (ปีฐานไม่มีเรื่อง จึงคำนวณร้อยละไม่ได้)"
    else:
        value = 100.0 * (baseline - current) / baseline
        met = None if target is None else value >= target
        text += (f" ลดลงร้อยละ {_num(round(value, 1), digits)}" if value >= 0
                 else f" เพิ่มขึ้นร้อยละ {_num(round(-value, 1), digits)}")
    if target is not None:
        text += f" (เป้าหมายปี {_year(period.fiscal_year, digits)} ลดลงร้อยละ {_target_text(target, digits)}{_met_text(met)})"
    if not period.is_over(now):
        text += " (นับถึงวันที่จัดทำรายงาน)"
    # The short form follows a sentence that already gave the period's count.
    return value, target, met, lead + text, {"current": current, "baseline": baseline, "baseline_year": base_fy,
                                             "short": text}


def compute(measure: Measure, period: ReportPeriod, now: datetime, *, digits: str = "arabic") -> list[KpiValue]:
    """The computed KPIs of ``measure`` (those with a metric) in ``period``; empty without links."""
    condition = measure_condition(measure)
    kpis = [k for k in measure.kpis if k.metric]
    if condition is None or not kpis:
        return []
    channels = linked_channels(measure)
    figures: CaseFigures | None = None
    values = []
    for kpi in kpis:
        target = _target(kpi.target)
        if kpi.metric in (METRIC_RECEIVED, METRIC_ON_TIME):
            figures = figures or case_figures(condition, period.start, period.end, now)
        if kpi.metric == METRIC_RECEIVED:
            values.append(KpiValue(kpi, float(figures.received), target,
                                   None if target is None else figures.received >= target,
                                   _received_sentence(figures, channels, digits),
                                   {"by_channel": figures.by_channel}))
        elif kpi.metric == METRIC_ON_TIME:
            value = figures.on_time_percent
            met = None if target is None or value is None else value >= target
            values.append(KpiValue(kpi, value, target, met,
                                   _on_time_sentence(figures, channels, target, met, digits),
                                   {"received": figures.received, "on_time": figures.on_time,
                                    "pending": figures.pending, "late_open": figures.late_open}))
        elif kpi.metric == METRIC_SATISFACTION:
            result = surveys.satisfaction(period.start, period.end, condition=condition)
            value = result.percent
            met = None if target is None or value is None else value >= target
            values.append(KpiValue(kpi, value, target, met, _satisfaction_sentence(result, target, met, digits),
                                   {"responses": result.responses, "mean": result.mean}))
        elif kpi.metric == METRIC_REDUCTION:
            value, plan_target, met, text, details = _reduction(condition, measure.plan, period, channels, now,
                                                                digits, figures)
            values.append(KpiValue(kpi, value, plan_target, met, text, details))
    return values


def is_computed(measure: Measure) -> bool:
    """True when the measure's result is (partly) computed from cases."""
    return measure_condition(measure) is not None and any(k.metric for k in measure.kpis)


def result_sentence(measure: Measure, period: ReportPeriod, now: datetime, *, digits: str = "arabic",
                    values: list[KpiValue] | None = None) -> str:
    """The computed part of the result column, e.g. "ดำเนินการแล้วเสร็จ ได้รับเรื่อง ๑๒ เรื่อง ...".

    ``values`` are the measure's computed KPIs when the caller already has them (they are computed here
    otherwise).
    """
    if values is None:
        values = compute(measure, period, now, digits=digits)
    if not values:
        return ""
    metrics = {v.kpi.metric for v in values}
    if METRIC_ON_TIME in metrics and len(linked_channels(measure)) <= 1:
        # The on-time sentence already says how many were received.
        values = [v for v in values if v.kpi.metric != METRIC_RECEIVED]
    counted = METRIC_RECEIVED in {v.kpi.metric for v in values}
    sentences = [v.details["short"] if counted and v.kpi.metric == METRIC_REDUCTION else v.sentence
                 for v in values]
    lead = "ดำเนินการแล้วเสร็จ" if period.is_over(now) else "อยู่ระหว่างดำเนินการ"
    return lead + " " + " ".join(sentences)


__all__ = ["CHANNEL_NOUNS", "CaseFigures", "KpiValue", "baseline_year", "case_figures", "compute",
           "is_computed", "linked_channels", "measure_condition", "reduction_target", "result_sentence"]
