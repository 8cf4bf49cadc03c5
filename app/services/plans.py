"""The organisation's anti-corruption plan: plans, their targets, measures, import and the active plan.

Functions take the actor and ``now`` and only flush; the caller commits (one transaction per request).
Every change is written to the audit log.

Codes are labels: what a measure is evidence of is said by its links and KPI metrics. The one place a
code is read is :func:`default_channels`, the suggestion applied when an imported file has no links
column (3.2.x -> general complaints, 4.3.1/4.3.2 -> corruption reports), which the admin sees and can undo.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select, update

from ..extensions import db
from ..labels import lazy_text as _l
from ..models import (Category, Measure, MeasureBudget, MeasureCode, MeasureKpi, MeasureLink, Plan,
                      PlanDimension, PlanMission, PlanTarget, Unit, User)
from ..models.base import utcnow
from ..models.case import CHANNELS, CORRUPTION, GENERAL
from ..models.plan import METRICS
from . import audit, plan_import
from .plan_import import MeasureInput, ParsedPlan, PlanImportError

#: Where the ready-made plans live (inside the package, so they ship with it).
PLANS_DIR = Path(__file__).resolve().parent.parent / "plans"
#: Fiscal years (BE) a plan may cover, and its longest span.
MIN_YEAR, MAX_YEAR, MAX_SPAN = 2500, 2700, 10
MAX_TITLE = 300


class PlanError(ValueError):
    """A refused change; ``field`` names the form field it concerns (None: the form as a whole)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class ShippedPlan:
    """A plan that comes with the application as an import file and a JSON sidecar."""

    key: str
    title: str

    @property
    def csv_path(self) -> Path:
        return PLANS_DIR / f"{self.key}.csv"

    def meta(self) -> dict:
        """The sidecar: title, start_year, end_year, baseline_year, targets {year: {...}}."""
        return json.loads((PLANS_DIR / f"{self.key}.json").read_text(encoding="utf-8"))


def _discover() -> tuple[ShippedPlan, ...]:
    found = []
    for path in sorted(PLANS_DIR.glob("*.json")):
        if (path.with_suffix(".csv")).exists():
            found.append(ShippedPlan(path.stem, json.loads(path.read_text(encoding="utf-8"))["title"]))
    return tuple(found)


#: The plans that ship with the application (two small files read once at import).
SHIPPED: tuple[ShippedPlan, ...] = _discover()


@dataclass
class ImportSummary:
    """What an import did."""

    measures: int
    created: int = 0
    updated: int = 0
    deleted: int = 0
    #: (running number, channels) of the measures given the default links.
    default_links: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class TargetInput:
    """A plan's goal for one fiscal year; either value may be None."""

    reduction_percent: Decimal | None = None
    ita_score: Decimal | None = None


# ---------------------------------------------------------------- reading


def list_plans() -> list[tuple[Plan, int]]:
    """Every plan with its number of measures, newest first."""
    counts = (select(Measure.plan_id, func.count(Measure.id).label("n")).group_by(Measure.plan_id).subquery())
    rows = db.session.execute(select(Plan, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.plan_id == Plan.id)
                              .order_by(Plan.start_year.desc(), Plan.id.desc())).all()
    return [(plan, int(n)) for plan, n in rows]


def get_plan(plan_id: int) -> Plan | None:
    """The plan with this id, or None."""
    return db.session.get(Plan, plan_id)


def get_measure(plan: Plan, measure_id: int) -> Measure | None:
    """The measure with this id if it belongs to ``plan``."""
    measure = db.session.get(Measure, measure_id)
    return measure if measure is not None and measure.plan_id == plan.id else None


def active_plan() -> Plan | None:
    """The plan the reports and the dashboard use, or None."""
    return db.session.scalar(select(Plan).where(Plan.active.is_(True)).order_by(Plan.id).limit(1))


def plan_years(plan: Plan) -> list[int]:
    """The plan's fiscal years, first to last."""
    return list(range(plan.start_year, plan.end_year + 1))


def structure(plan: Plan) -> list[tuple[PlanDimension, list[tuple[PlanMission, list[Measure]]]]]:
    """Dimension -> mission -> measures, in order, for the plan page."""
    by_mission: dict[int, list[Measure]] = {}
    for measure in plan_import.measures_of(plan):
        by_mission.setdefault(measure.mission_id, []).append(measure)
    out = []
    for dimension in plan.dimensions:
        missions = sorted((m for m in plan.missions if m.dimension_id == dimension.id), key=_mission_order)
        out.append((dimension, [(m, sorted(by_mission.get(m.id, []), key=lambda x: x.running_no))
                                for m in missions]))
    return out


def _mission_order(mission: PlanMission) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in mission.code.split("."))


# ---------------------------------------------------------------- plans


def _check_plan(title: str, start_year: int, end_year: int, baseline_year: int | None,
                targets: dict[int, TargetInput], except_id: int | None = None) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise PlanError(_l("กรุณากรอกชื่อแผน"), "title")
    if len(title) > MAX_TITLE:
        raise PlanError(_l("ชื่อแผนยาวได้ไม่เกิน %(max)s ตัวอักษร", max=MAX_TITLE), "title")
    query = select(Plan.id).where(Plan.title == title)
    if except_id is not None:
        query = query.where(Plan.id != except_id)
    if db.session.scalar(query) is not None:
        raise PlanError(_l("มีแผนชื่อนี้อยู่แล้ว กรุณาใช้ชื่ออื่น"), "title")
    for name, year in (("start_year", start_year), ("end_year", end_year)):
        if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            raise PlanError(_l("ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2566"), name)
    if end_year < start_year:
        raise PlanError(_l("ปีสิ้นสุดต้องไม่ก่อนปีเริ่มต้น"), "end_year")
    if end_year - start_year + 1 > MAX_SPAN:
        raise PlanError(_l("แผนหนึ่งครอบคลุมได้ไม่เกิน %(n)s ปี", n=MAX_SPAN), "end_year")
    if baseline_year is not None and (not isinstance(baseline_year, int)
                                      or not MIN_YEAR <= baseline_year <= end_year):
        raise PlanError(_l("ปีฐานต้องเป็นปี พ.ศ. ไม่หลังปีสิ้นสุดของแผน เช่น 2565"), "baseline_year")
    for year, target in targets.items():
        if not start_year <= year <= end_year:
            raise PlanError(_l("ค่าเป้าหมายปี %(year)s อยู่นอกช่วงปีของแผน", year=year), "targets")
        for value in (target.reduction_percent, target.ita_score):
            if value is not None and not Decimal(0) <= value <= Decimal(100):
                raise PlanError(_l("ค่าเป้าหมายปี %(year)s ต้องอยู่ระหว่าง 0 ถึง 100", year=year), "targets")
    return title


def _set_targets(plan: Plan, targets: dict[int, TargetInput]) -> None:
    wanted = {y: t for y, t in targets.items() if t.reduction_percent is not None or t.ita_score is not None}
    for row in list(plan.targets):
        if row.fiscal_year not in wanted:
            plan.targets.remove(row)
    existing = {row.fiscal_year: row for row in plan.targets}
    for year, target in sorted(wanted.items()):
        row = existing.get(year)
        if row is None:
            row = PlanTarget(fiscal_year=year)
            plan.targets.append(row)
        row.reduction_percent = target.reduction_percent
        row.ita_score = target.ita_score


def create_plan(title: str, start_year: int, end_year: int, baseline_year: int | None,
                targets: dict[int, TargetInput], now: datetime, *, actor: User | None = None) -> Plan:
    """Add an empty plan.

    :raise PlanError: bad title (empty, too long, taken), years or targets.
    """
    title = _check_plan(title, start_year, end_year, baseline_year, targets)
    plan = Plan(title=title, start_year=start_year, end_year=end_year, baseline_year=baseline_year,
                active=False, created_at=now, updated_at=now)
    db.session.add(plan)
    _set_targets(plan, targets)
    db.session.flush()
    audit.record("plan.create", actor=actor, now=now, target_type="plan", target_id=plan.id,
                 detail=f"{start_year}-{end_year}")
    return plan


def update_plan(plan: Plan, *, title: str, start_year: int, end_year: int, baseline_year: int | None,
                targets: dict[int, TargetInput], actor: User | None, now: datetime) -> None:
    """Change a plan's title, years, baseline and targets (targets are replaced).

    :raise PlanError: as :func:`create_plan`.
    """
    plan.title = _check_plan(title, start_year, end_year, baseline_year, targets, except_id=plan.id)
    plan.start_year, plan.end_year, plan.baseline_year = start_year, end_year, baseline_year
    _set_targets(plan, targets)
    plan.updated_at = now
    db.session.flush()
    audit.record("plan.update", actor=actor, now=now, target_type="plan", target_id=plan.id,
                 detail=f"{start_year}-{end_year}")


def activate(plan: Plan, *, actor: User | None = None, now: datetime | None = None) -> None:
    """Make ``plan`` the one active plan."""
    _make_active(plan, actor=actor, now=now or utcnow())


def _make_active(plan: Plan, *, actor: User | None, now: datetime) -> None:
    # One UPDATE over every plan, so two admins activating at once cannot leave two active.
    db.session.execute(update(Plan).values(active=(Plan.id == plan.id)).execution_options(synchronize_session=False))
    for loaded in [o for o in db.session.identity_map.values() if isinstance(o, Plan)]:
        db.session.expire(loaded, ["active"])
    audit.record("plan.activate", actor=actor, now=now, target_type="plan", target_id=plan.id)


def delete_plan(plan: Plan, *, actor: User | None, now: datetime) -> None:
    """Delete a plan with its measures and their reported results."""
    plan_id = plan.id
    db.session.delete(plan)
    db.session.flush()
    audit.record("plan.delete", actor=actor, now=now, target_type="plan", target_id=plan_id)


def load_shipped(key: str, *, now: datetime, activate: bool = False, actor: User | None = None) -> Plan:
    """Create a plan from one of the shipped files (see :data:`SHIPPED`).

    :raise PlanError: unknown key, or a plan of that title exists already.
    """
    shipped = next((s for s in SHIPPED if s.key == key), None)
    if shipped is None:
        raise PlanError(_l("ไม่พบแผนสำเร็จรูปที่เลือก"))
    meta = shipped.meta()
    targets = {int(year): TargetInput(_decimal(t.get("reduction_percent")), _decimal(t.get("ita_score")))
               for year, t in meta.get("targets", {}).items()}
    plan = create_plan(meta["title"], int(meta["start_year"]), int(meta["end_year"]),
                       meta.get("baseline_year"), targets, now, actor=actor)
    import_file(plan, shipped.csv_path.name, shipped.csv_path.read_bytes(), default_links=False,
                actor=actor, now=now)
    if activate:
        _make_active(plan, actor=actor, now=now)
    return plan


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# ---------------------------------------------------------------- import


def default_channels(codes: list[str]) -> list[str]:
    """The suggested links of a measure: 3.2.x -> general complaints, 4.3.1/4.3.2 -> corruption reports.

    The only place a code's meaning is assumed; it applies to imports without a links column.
    """
    channels = []
    if any(c.startswith("3.2.") for c in codes):
        channels.append(GENERAL)
    if any(c in ("4.3.1", "4.3.2") for c in codes):
        channels.append(CORRUPTION)
    return channels


def guess_unit(responsible: str, units: list[Unit]) -> Unit | None:
    """The unit the plan's "ผู้รับผิดชอบ" text starts with (longest name wins), e.g. "สำนักปลัด อบต. ..."."""
    text = " ".join((responsible or "").split())
    best = None
    for unit in units:
        name = unit.name
        if text == name or text.startswith(name + " "):
            if best is None or len(name) > len(best.name):
                best = unit
    return best


def import_file(plan: Plan, filename: str, data: bytes, *, default_links: bool = True,
                actor: User | None = None, now: datetime | None = None) -> ImportSummary:
    """Replace the plan's measures with those of a CSV/XLSX file, all or nothing.

    Dimensions, missions and measures are matched by number, code and running number, so a measure
    that stays keeps its id (and the results staff reported for it); those not in the file go.

    :raise PlanImportError: with every problem of the file; nothing was changed.
    """
    now = now or utcnow()
    parsed = plan_import.parse(filename, data)
    summary = _apply(plan, parsed, default_links=default_links)
    plan.updated_at = now
    audit.record("plan.import", actor=actor, now=now, target_type="plan", target_id=plan.id,
                 detail=f"measures={summary.measures} created={summary.created} updated={summary.updated} "
                        f"deleted={summary.deleted} default_links={len(summary.default_links)}")
    return summary


def _apply(plan: Plan, parsed: ParsedPlan, *, default_links: bool) -> ImportSummary:
    units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True))))
    dimensions = {d.number: d for d in plan.dimensions}
    for number, title in parsed.dimension_titles.items():
        _dimension(plan, dimensions, number, title)
    missions = {m.code: m for m in plan.missions}
    for code, number in parsed.mission_dimensions.items():
        _mission(plan, missions, dimensions[number], code, parsed.mission_titles.get(code, ""))
    existing = {m.running_no: m for m in plan.measures}
    summary = ImportSummary(measures=len(parsed.rows))
    for row in parsed.rows:
        measure = existing.pop(row.running_no, None)
        if measure is None:
            measure = Measure(running_no=row.running_no, title=row.title, mission=missions[row.mission])
            plan.measures.append(measure)
            summary.created += 1
        else:
            summary.updated += 1
        if not parsed.has_links and default_links:
            row.channels = default_channels(row.codes)
            if row.channels:
                summary.default_links.append((row.running_no, row.channels))
        if not parsed.has_unit:
            unit = guess_unit(row.responsible, units)
            row.unit_id = unit.id if unit else None
        _fill(measure, missions[row.mission], row)
    for measure in existing.values():
        plan.measures.remove(measure)
        summary.deleted += 1
    db.session.flush()
    _prune(plan)
    return summary


def _dimension(plan: Plan, dimensions: dict[int, PlanDimension], number: int, title: str) -> PlanDimension:
    dimension = dimensions.get(number)
    if dimension is None:
        dimension = PlanDimension(number=number, title=title or "")
        plan.dimensions.append(dimension)
        dimensions[number] = dimension
    elif title:
        dimension.title = title
    return dimension


def _mission(plan: Plan, missions: dict[str, PlanMission], dimension: PlanDimension, code: str,
             title: str) -> PlanMission:
    mission = missions.get(code)
    if mission is None:
        mission = PlanMission(code=code, title=title or "", dimension=dimension)
        plan.missions.append(mission)
        missions[code] = mission
    else:
        mission.dimension = dimension
        if title:
            mission.title = title
    return mission


def _prune(plan: Plan) -> None:
    """Drop missions without measures and dimensions without missions (the file or form left them)."""
    used = {m.mission_id for m in plan.measures}
    for mission in list(plan.missions):
        if mission.id not in used:
            plan.missions.remove(mission)
    db.session.flush()
    used_dims = {m.dimension_id for m in plan.missions}
    for dimension in list(plan.dimensions):
        if dimension.id not in used_dims:
            plan.dimensions.remove(dimension)
    db.session.flush()


def _fill(measure: Measure, mission: PlanMission, data: MeasureInput) -> None:
    """Write every field and child row of a measure (children diffed so composite keys never clash)."""
    measure.mission = mission
    measure.running_no = data.running_no
    measure.title = data.title
    measure.steps = data.steps
    measure.responsible = data.responsible
    measure.unit_id = data.unit_id
    measure.due_text = data.due_text
    measure.monitoring = data.monitoring
    measure.note = data.note
    wanted_codes = list(dict.fromkeys(data.codes))
    for code in list(measure.codes):
        if code.code not in wanted_codes:
            measure.codes.remove(code)
    have = {c.code for c in measure.codes}
    measure.codes.extend(MeasureCode(code=c) for c in wanted_codes if c not in have)
    wanted_budgets = {y: a for y, a in data.budgets.items() if a is not None}
    for budget in list(measure.budgets):
        if budget.fiscal_year not in wanted_budgets:
            measure.budgets.remove(budget)
        else:
            budget.amount = wanted_budgets.pop(budget.fiscal_year)
    measure.budgets.extend(MeasureBudget(fiscal_year=y, amount=a) for y, a in sorted(wanted_budgets.items()))
    measure.kpis = [MeasureKpi(label=k.label, metric=k.metric, target=k.target, sort_order=i)
                    for i, k in enumerate(data.kpis)]
    links = [MeasureLink(channel=c) for c in CHANNELS if c in data.channels]
    links += [MeasureLink(category_id=c) for c in dict.fromkeys(data.category_ids)]
    measure.links = links


# ---------------------------------------------------------------- measures (the edit form)


def _check_measure(plan: Plan, data: MeasureInput, measure: Measure | None) -> None:
    if not data.title.strip():
        raise PlanError(_l("กรุณากรอกชื่อโครงการ/กิจกรรม/มาตรการ"), "title")
    if not 1 <= data.running_no <= 99999:
        raise PlanError(_l("ลำดับต้องเป็นจำนวนเต็มบวก"), "running_no")
    taken = db.session.scalar(select(Measure.id).where(Measure.plan_id == plan.id,
                                                       Measure.running_no == data.running_no))
    if taken is not None and (measure is None or taken != measure.id):
        raise PlanError(_l("ลำดับ %(no)s มีมาตรการอื่นใช้แล้ว", no=data.running_no), "running_no")
    if not 1 <= data.dimension <= 99:
        raise PlanError(_l("มิติต้องเป็นจำนวนเต็ม เช่น 4"), "dimension")
    if not plan_import.MISSION_RE.match(data.mission):
        raise PlanError(_l("รหัสภารกิจต้องเป็นตัวเลขคั่นด้วยจุด เช่น 4.3"), "mission")
    for mission in plan.missions:
        if mission.code == data.mission and mission.dimension.number != data.dimension:
            # Moving a mission to another dimension would move its other measures too.
            others = [m for m in plan.measures if m.mission_id == mission.id and m is not measure]
            if others:
                raise PlanError(_l("ภารกิจ %(code)s อยู่ในมิติ %(dim)s", code=data.mission,
                                   dim=mission.dimension.number), "mission")
    if len(data.responsible) > plan_import.MAX_RESPONSIBLE:
        raise PlanError(_l("ยาวได้ไม่เกิน %(max)s ตัวอักษร", max=plan_import.MAX_RESPONSIBLE), "responsible")
    if len(data.due_text) > plan_import.MAX_DUE:
        raise PlanError(_l("ยาวได้ไม่เกิน %(max)s ตัวอักษร", max=plan_import.MAX_DUE), "due_text")
    if data.unit_id is not None and db.session.get(Unit, data.unit_id) is None:
        raise PlanError(_l("กรุณาเลือกจากรายการ"), "unit_id")
    for kpi in data.kpis:
        if kpi.metric is not None and kpi.metric not in METRICS:
            raise PlanError(_l("กรุณาเลือกจากรายการ"), "kpis")
        if "{" in kpi.label or "}" in kpi.label:
            raise PlanError(_l("ข้อความตัวชี้วัดต้องไม่มีวงเล็บปีกกา { }"), "kpis")
    if any(c not in CHANNELS for c in data.channels):
        raise PlanError(_l("กรุณาเลือกจากรายการ"), "links")
    if data.category_ids:
        found = set(db.session.scalars(select(Category.id).where(Category.id.in_(data.category_ids))))
        if found != set(data.category_ids):
            raise PlanError(_l("กรุณาเลือกจากรายการ"), "category_ids")


def _save_measure(plan: Plan, measure: Measure | None, data: MeasureInput) -> Measure:
    dimensions = {d.number: d for d in plan.dimensions}
    dimension = _dimension(plan, dimensions, data.dimension, " ".join(data.dimension_title.split()))
    missions = {m.code: m for m in plan.missions}
    mission = _mission(plan, missions, dimension, data.mission, " ".join(data.mission_title.split()))
    if measure is None:
        # Created only now, with its mission: an earlier autoflush would insert it without one.
        measure = Measure(running_no=data.running_no, title=data.title, mission=mission)
        plan.measures.append(measure)
    _fill(measure, mission, data)
    db.session.flush()
    _prune(plan)
    return measure


def add_measure(plan: Plan, data: MeasureInput, *, actor: User | None, now: datetime) -> Measure:
    """Add a measure (its dimension and mission are created when new).

    :raise PlanError: a field is wrong; ``field`` says which.
    """
    _check_measure(plan, data, None)
    measure = _save_measure(plan, None, data)
    plan.updated_at = now
    audit.record("plan.measure.create", actor=actor, now=now, target_type="plan", target_id=plan.id,
                 detail=f"measure={measure.id} no={measure.running_no}")
    return measure


def update_measure(measure: Measure, data: MeasureInput, *, actor: User | None, now: datetime) -> None:
    """Save every field of a measure: codes, budgets, KPIs and links are replaced by ``data``'s.

    :raise PlanError: a field is wrong; ``field`` says which.
    """
    plan = measure.plan
    _check_measure(plan, data, measure)
    _save_measure(plan, measure, data)
    plan.updated_at = now
    audit.record("plan.measure.update", actor=actor, now=now, target_type="plan", target_id=plan.id,
                 detail=f"measure={measure.id} no={measure.running_no}")


def delete_measure(measure: Measure, *, actor: User | None, now: datetime) -> None:
    """Delete a measure with its reported results."""
    plan = measure.plan
    detail = f"measure={measure.id} no={measure.running_no}"
    plan.measures.remove(measure)
    db.session.flush()
    _prune(plan)
    plan.updated_at = now
    audit.record("plan.measure.delete", actor=actor, now=now, target_type="plan", target_id=plan.id,
                 detail=detail)


__all__ = [
    "ImportSummary", "MeasureInput", "PlanError", "PlanImportError", "SHIPPED", "ShippedPlan", "TargetInput",
    "activate", "active_plan", "add_measure", "create_plan", "default_channels", "delete_measure", "delete_plan",
    "get_measure", "get_plan", "guess_unit", "import_file", "list_plans",
    "load_shipped", "plan_years", "structure", "update_measure", "update_plan",
]
