"""Time the plan reports at scale: KPIs of the linked measures, the measure report, the summary (best of N, ms).

    .venv/bin/python bench/run_reports.py                       # bench/out/bench.sqlite3
    DATABASE_URL=postgresql://... .venv/bin/python bench/run_reports.py

Needs a database filled by ``generate.py``. The first run migrates it, loads the shipped Ban Pong plan
as the active plan and, with ``--surveys N``, adds N survey answers to completed general complaints
(random ratings), so the satisfaction figures have rows to read. Both are kept for later runs.
"""
from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generate import database_url, make_app, migrate  # noqa: E402
from run_stats import best_of  # noqa: E402


def _prepare(surveys: int, now: datetime) -> None:
    """The active plan and, if asked, survey answers (once)."""
    from sqlalchemy import func, insert, select

    from app.extensions import db
    from app.models import Case, SurveyResponse
    from app.services import plans

    if plans.active_plan() is None:
        plans.load_shipped("banpong_2566_2570", now=now, activate=True)
        db.session.commit()
    have = db.session.scalar(select(func.count(SurveyResponse.id)))
    if surveys and not have:
        rng = random.Random(6)
        rows = db.session.execute(
            select(Case.id, Case.closed_at).where(Case.channel == "general", Case.status == "completed")
            .order_by(Case.id).limit(surveys)).all()
        db.session.execute(insert(SurveyResponse), [
            {"case_id": case_id, "channel": "general", "rating": rng.choice((5, 5, 4, 4, 4, 3, 2)), "via": "link",
             "submitted_at": closed + timedelta(days=rng.randint(0, 10))} for case_id, closed in rows])
        db.session.commit()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fy", type=int, help="fiscal year (BE); default the last complete one")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--surveys", type=int, default=50_000, help="survey answers to add once (default 50,000)")
    args = parser.parse_args(argv)

    app = make_app(database_url())
    from sqlalchemy import func, select

    from app import thai
    from app.database import write_intent
    from app.extensions import db
    from app.models import Case, SurveyResponse
    from app.services import measure_reports, plan_kpis, plans, summary_report
    from app.services.report_periods import ReportPeriod

    now = datetime.now(timezone.utc)
    fy = args.fy or thai.fiscal_year(now) - 1
    with app.app_context():
        migrate(app)
        _prepare(args.surveys, now)
        write_intent.set(False)
        plan = plans.active_plan()
        total = db.session.scalar(select(func.count(Case.id)))
        answers = db.session.scalar(select(func.count(SurveyResponse.id)))
        print(f"run_reports: {db.engine.dialect.name}, {total:,} cases, {answers:,} survey answers, "
              f"fiscal year {fy}, plan '{plan.title[:40]}…', best of {args.runs} (ms)\n")
        linked = [m for m in plan.measures if plan_kpis.is_computed(m)]
        header = f"{'what':58} {'6 months':>10} {'year':>10}"
        print(header)
        print("-" * len(header))
        periods = (ReportPeriod.of(fy, "half"), ReportPeriod.of(fy, "year"))

        def row(label, fn):
            times = [best_of(lambda p=p: fn(p), args.runs) for p in periods]
            print(f"{label:58} {times[0]:>10,.1f} {times[1]:>10,.1f}")

        for measure in linked:
            metrics = ",".join(k.metric for k in measure.kpis if k.metric)
            row(f"KPIs of {measure.code_text} ({metrics})"[:58],
                lambda p, m=measure: plan_kpis.compute(m, p, now))
        row("measure report: build (all measures)", lambda p: measure_reports.build(plan, p, now))
        row("measure report: build + PDF (5 columns)",
            lambda p: measure_reports.to_pdf(measure_reports.build(plan, p, now), 5))
        row("measure report: build + XLSX",
            lambda p: measure_reports.to_xlsx(measure_reports.build(plan, p, now), 5))
        row("summary report: build", lambda p: summary_report.build(p, now))


if __name__ == "__main__":
    main()
