"""The organisation's anti-corruption plan as data: dimensions, missions, measures, KPIs and results.

Measure codes differ between organisations (Ban Pong's 4.1.1 is Tak Bai's 4.1.2) and one measure may
carry several, so a code is only a label: what a measure measures is said by its KPIs' ``metric`` and
its links to channels and categories, never by its code.
"""
from __future__ import annotations

from ..extensions import db
from .base import UTCDateTime, utcnow

#: KPI metrics computed from the cases (never typed in); a KPI without a metric is reported in words.
METRIC_ON_TIME = "on_time_rate"            # % of cases received in the period completed by their due date
METRIC_SATISFACTION = "satisfaction_rate"  # mean survey score as % of the 5-point scale
METRIC_RECEIVED = "received_count"         # complaints / tip-offs received in the period
METRIC_REDUCTION = "reduction_vs_baseline" # % fewer received than in the plan's baseline year
METRICS = (METRIC_ON_TIME, METRIC_SATISFACTION, METRIC_RECEIVED, METRIC_REDUCTION)

#: Report periods: the first half of the fiscal year (Oct-Mar) and the whole year.
HALF = "half"
YEAR = "year"
PERIODS = (HALF, YEAR)


class Plan(db.Model):
    """An anti-corruption action plan (แผนปฏิบัติการป้องกันการทุจริต), e.g. พ.ศ. 2566-2570."""

    __tablename__ = "plans"

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(300), nullable=False)
    #: First and last fiscal year (BE) the plan covers.
    start_year = db.Column(db.Integer, nullable=False)
    end_year = db.Column(db.Integer, nullable=False)
    #: Fiscal year (BE) the plan's reduction targets are computed from (e.g. 2565).
    baseline_year = db.Column(db.Integer, nullable=True)
    #: The plan the reports and the dashboard use; at most one is active.
    active = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)

    dimensions = db.relationship("PlanDimension", back_populates="plan", order_by="PlanDimension.number",
                                 cascade="all, delete-orphan")
    missions = db.relationship("PlanMission", back_populates="plan", order_by="PlanMission.code",
                               cascade="all, delete-orphan")
    measures = db.relationship("Measure", back_populates="plan", order_by="Measure.running_no",
                               cascade="all, delete-orphan")
    targets = db.relationship("PlanTarget", back_populates="plan", order_by="PlanTarget.fiscal_year",
                              cascade="all, delete-orphan")


class PlanTarget(db.Model):
    """The plan's goal for one fiscal year: reduction of corruption cases against the baseline, ITA score."""

    __tablename__ = "plan_targets"

    plan_id = db.Column(db.Integer, db.ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    fiscal_year = db.Column(db.Integer, primary_key=True)
    #: e.g. 10 for "จำนวนคดีทุจริตลดลงร้อยละ 10 (คำนวณจากปี 2565)"; null = no target that year.
    reduction_percent = db.Column(db.Numeric(6, 2), nullable=True)
    ita_score = db.Column(db.Numeric(6, 2), nullable=True)

    plan = db.relationship("Plan", back_populates="targets")


class PlanDimension(db.Model):
    """One of the plan's dimensions (มิติ), e.g. 4 การยกระดับกลไกการตรวจสอบ..."""

    __tablename__ = "plan_dimensions"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False)
    number = db.Column(db.Integer, nullable=False)
    title = db.Column(db.Text, nullable=False, default="")

    plan = db.relationship("Plan", back_populates="dimensions")

    __table_args__ = (db.UniqueConstraint("plan_id", "number", name="uq_plan_dimensions_plan_number"),)


class PlanMission(db.Model):
    """A mission within a dimension (ภารกิจตามมิติ), e.g. 4.3 มาตรการจัดการเรื่องร้องเรียนการทุจริต."""

    __tablename__ = "plan_missions"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False)
    dimension_id = db.Column(db.Integer, db.ForeignKey("plan_dimensions.id", ondelete="CASCADE"), nullable=False)
    code = db.Column(db.String(20), nullable=False)
    title = db.Column(db.Text, nullable=False, default="")

    plan = db.relationship("Plan", back_populates="missions")
    dimension = db.relationship("PlanDimension")

    __table_args__ = (db.UniqueConstraint("plan_id", "code", name="uq_plan_missions_plan_code"),)


class Measure(db.Model):
    """A project, activity or measure of the plan (โครงการ/กิจกรรม/มาตรการ)."""

    __tablename__ = "measures"

    id = db.Column(db.Integer, primary_key=True)
    plan_id = db.Column(db.Integer, db.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False, index=True)
    mission_id = db.Column(db.Integer, db.ForeignKey("plan_missions.id", ondelete="CASCADE"), nullable=False)
    #: The plan's running number (ลำดับ), 1..n.
    running_no = db.Column(db.Integer, nullable=False)
    title = db.Column(db.Text, nullable=False)
    #: ขั้นตอนหรือวิธีการปฏิบัติ, as printed in the measure reports.
    steps = db.Column(db.Text, nullable=False, default="")
    #: ผู้รับผิดชอบ as the plan words it (e.g. "สำนักปลัด"), and the matching unit when there is one.
    responsible = db.Column(db.String(300), nullable=False, default="")
    unit_id = db.Column(db.Integer, db.ForeignKey("units.id", ondelete="SET NULL"), nullable=True)
    #: กำหนดแล้วเสร็จ, e.g. "ปีงบประมาณ 2566-2570".
    due_text = db.Column(db.String(200), nullable=False, default="")
    #: การกำกับติดตาม (the 4-column report's last heading), e.g. "รายงานความก้าวหน้า...รอบ ๖ เดือน".
    monitoring = db.Column(db.Text, nullable=False, default="")
    note = db.Column(db.Text, nullable=False, default="")

    plan = db.relationship("Plan", back_populates="measures")
    mission = db.relationship("PlanMission")
    unit = db.relationship("Unit")
    codes = db.relationship("MeasureCode", order_by="MeasureCode.code", cascade="all, delete-orphan")
    budgets = db.relationship("MeasureBudget", order_by="MeasureBudget.fiscal_year", cascade="all, delete-orphan")
    kpis = db.relationship("MeasureKpi", order_by="MeasureKpi.sort_order", cascade="all, delete-orphan")
    links = db.relationship("MeasureLink", order_by="MeasureLink.id", cascade="all, delete-orphan")

    __table_args__ = (db.UniqueConstraint("plan_id", "running_no", name="uq_measures_plan_running_no"),)

    @property
    def code_text(self) -> str:
        """The measure's codes joined for display, e.g. "4.3.1" or "2.2.2, 2.2.3"."""
        return ", ".join(c.code for c in self.codes)


class MeasureCode(db.Model):
    """One code a measure carries in its organisation's plan (a measure may carry several)."""

    __tablename__ = "measure_codes"

    measure_id = db.Column(db.Integer, db.ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True)
    code = db.Column(db.String(20), primary_key=True)


class MeasureBudget(db.Model):
    """The measure's budget in one fiscal year, in baht; null amount = "-" (no budget line)."""

    __tablename__ = "measure_budgets"

    measure_id = db.Column(db.Integer, db.ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True)
    fiscal_year = db.Column(db.Integer, primary_key=True)
    amount = db.Column(db.Numeric(14, 2), nullable=True)


class MeasureKpi(db.Model):
    """An indicator of a measure with its target; with a ``metric`` its value is computed from cases."""

    __tablename__ = "measure_kpis"

    id = db.Column(db.Integer, primary_key=True)
    measure_id = db.Column(db.Integer, db.ForeignKey("measures.id", ondelete="CASCADE"), nullable=False, index=True)
    #: The indicator in the plan's words.
    label = db.Column(db.Text, nullable=False)
    #: One of METRICS, or null for an indicator the staff report on in words.
    metric = db.Column(db.String(40), nullable=True)
    #: Target value (percent or count); null = none stated. Reduction targets come from PlanTarget.
    target = db.Column(db.Numeric(10, 2), nullable=True)
    sort_order = db.Column(db.Integer, nullable=False, default=0)


class MeasureLink(db.Model):
    """Which cases are evidence for a measure: a whole channel, or one category."""

    __tablename__ = "measure_links"

    id = db.Column(db.Integer, primary_key=True)
    measure_id = db.Column(db.Integer, db.ForeignKey("measures.id", ondelete="CASCADE"), nullable=False, index=True)
    #: "general" or "corruption" (every case of that channel), or null when a category is given.
    channel = db.Column(db.String(20), nullable=True)
    category_id = db.Column(db.Integer, db.ForeignKey("categories.id", ondelete="CASCADE"), nullable=True)

    category = db.relationship("Category")


class MeasureResult(db.Model):
    """What staff report as a measure's result (ผลการดำเนินการ) for a half year or a whole fiscal year."""

    __tablename__ = "measure_results"

    measure_id = db.Column(db.Integer, db.ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True)
    fiscal_year = db.Column(db.Integer, primary_key=True)
    #: HALF or YEAR.
    period = db.Column(db.String(10), primary_key=True)
    text = db.Column(db.Text, nullable=False, default="")
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)


class SummaryReport(db.Model):
    """The complaint summary to executives and the public: problems, obstacles and solutions.

    The figures are computed; the words are the staff's, drafted from the cases' root-cause and
    prevention notes. Only a published report is shown to the public.
    """

    __tablename__ = "summary_reports"

    fiscal_year = db.Column(db.Integer, primary_key=True)
    #: HALF or YEAR.
    period = db.Column(db.String(10), primary_key=True)
    #: ปัญหาและอุปสรรค
    problems = db.Column(db.Text, nullable=False, default="")
    #: แนวทางแก้ไข
    solutions = db.Column(db.Text, nullable=False, default="")
    published_at = db.Column(UTCDateTime, nullable=True)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    updated_at = db.Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
