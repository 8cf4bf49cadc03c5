"""Time each statistics query next to the bare GROUP BY it builds on (best of N runs, milliseconds).

    .venv/bin/python bench/run_stats.py                       # bench/out/bench.sqlite3
    DATABASE_URL=postgresql://... .venv/bin/python bench/run_stats.py --explain

Times the executive dashboard's queries (app/services/dashboard.py) for a whole fiscal year and for one
month, and the public statistics functions of app/services/stats.py that take a fiscal year (found by
looking at ``dir(stats)``). ``--explain`` prints the query plans (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN ANALYZE on PostgreSQL) of the dashboard's queries.
"""
from __future__ import annotations

import argparse
import inspect
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generate import database_url, make_app  # noqa: E402


def best_of(fn, runs: int) -> float:
    """The fastest of ``runs`` calls, in milliseconds (each in its own transaction)."""
    from app.extensions import db

    best = float("inf")
    for _ in range(runs):
        db.session.rollback()
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    db.session.rollback()
    return best * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fy", type=int, help="fiscal year (BE); default the last complete one")
    parser.add_argument("--month", type=int, default=3, help="calendar month for the monthly figures (default 3)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--now", help="ISO time used as 'now' (default: now)")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    args = parser.parse_args(argv)

    app = make_app(database_url())
    from sqlalchemy import and_, func, select

    from app import thai
    from app.database import write_intent
    from app.extensions import db
    from app.models import Case
    from app.services import dashboard, stats
    from app.services.inbox import overdue_condition

    write_intent.set(False)  # read-only: plain BEGIN on SQLite
    now = datetime.fromisoformat(args.now).astimezone(timezone.utc) if args.now else datetime.now(timezone.utc)
    fy = args.fy or thai.fiscal_year(now) - 1
    base_fy = fy - 1
    with app.app_context():
        dialect = db.engine.dialect.name
        total = db.session.scalar(select(func.count(Case.id)))
        year = dashboard.Period.of(fy)
        month = dashboard.Period.of(fy, args.month)
        print(f"run_stats: {dialect}, {total:,} cases, fiscal year {fy}, month {args.month}, baseline {base_fy}, "
              f"best of {args.runs} (ms)\n")

        def received_in(p):
            return and_(Case.received_at >= p.start, Case.received_at < p.end)

        def closed_in(p):
            return and_(Case.closed_at >= p.start, Case.closed_at < p.end)

        def bare(p, *cols, where=None, group=True):
            query = select(*cols, func.count()).where(where if where is not None else received_in(p))
            return query.group_by(*cols) if group and cols else query

        def run(query):
            return lambda: db.session.execute(query).all()

        bares = {
            "by channel, status": lambda p: bare(p, Case.channel, Case.status),
            "by source": lambda p: bare(p, Case.source),
            "by category": lambda p: bare(p, Case.category_id),
            "closed in period": lambda p: bare(p, where=closed_in(p)),
            "overdue by unit": lambda p: select(Case.unit_id, func.count()).where(overdue_condition(now))
            .group_by(Case.unit_id),
            "by channel (year)": lambda p: bare(year, Case.channel),
        }
        # (label, function of a period, the bare GROUP BY it builds on)
        measured = [
            ("received_summary", lambda p: dashboard.received_summary(p, "all", now), "by channel, status"),
            ("closed_summary (SLA, avg, median)", lambda p: dashboard.closed_summary(p, "all"), "closed in period"),
            ("median_days_ordered (LIMIT/OFFSET)", lambda p: dashboard.median_days_ordered(p, "all"),
             "closed in period"),
            ("received_by_source", lambda p: dashboard.received_by_source(p, "all"), "by source"),
            ("received_by_category", lambda p: dashboard.received_by_category(p, "all"), "by category"),
            ("overdue_by_unit (now)", lambda p: dashboard.overdue_by_unit("all", now), "overdue by unit"),
            ("monthly_series (12 months)", lambda p: dashboard.monthly_series(fy, "all"), "by channel (year)"),
            ("year_on_year", lambda p: dashboard.year_on_year(p, base_fy, "all", now), "by channel, status"),
            ("overview (whole page)", lambda p: dashboard.overview(fy, now, month=p.month), None),
        ]
        if dialect == "postgresql":
            measured.insert(3, ("median_days_percentile", lambda p: dashboard.median_days_percentile(p, "all"),
                                "closed in period"))
        # The public statistics (another module, still growing): any public function taking a fiscal year.
        for name in sorted(n for n in dir(stats) if not n.startswith("_")):
            fn = getattr(stats, name)
            if not inspect.isfunction(fn) or fn.__module__ != stats.__name__ or "bounds" in name:
                continue
            params = inspect.signature(fn).parameters
            if "fiscal_year" not in params:
                continue
            kwargs = {}
            ok = True
            for pname, param in params.items():
                if pname == "fiscal_year":
                    kwargs[pname] = fy
                elif pname == "channel":
                    kwargs[pname] = "general"
                elif pname == "now":
                    kwargs[pname] = now
                elif param.default is inspect.Parameter.empty:
                    ok = False
            if ok:
                measured.append((f"stats.{name}(channel=general)", lambda p, fn=fn, kwargs=kwargs: fn(**kwargs),
                                 "by channel, status"))

        header = f"{'query':40} {'year':>9} {'month':>9}   {'bare GROUP BY':22} {'year':>9} {'month':>9}"
        print(header)
        print("-" * len(header))
        for label, fn, base in measured:
            yearly_only = label.startswith("stats.") or label.startswith("monthly_series")
            try:
                t_year = best_of(lambda: fn(year), args.runs)
                t_month = float("nan") if yearly_only else best_of(lambda: fn(month), args.runs)
            except Exception as exc:  # a stats function with another signature: say so, keep going
                db.session.rollback()
                print(f"{label:40} failed: {type(exc).__name__}: {exc}"[:160])
                continue
            if base:
                b_year = best_of(run(bares[base](year)), args.runs)
                b_month = float("nan") if yearly_only else best_of(run(bares[base](month)), args.runs)
                print(f"{label:40} {t_year:9.1f} {t_month:9.1f}   {base:22} {b_year:9.1f} {b_month:9.1f}")
            else:
                print(f"{label:40} {t_year:9.1f} {t_month:9.1f}")

        if args.explain:
            explain(db, dialect, year, now, bares, fy)


def explain(db, dialect, period, now, bares, fy) -> None:
    """Print the plans of the dashboard's main queries (captured as they run)."""
    from sqlalchemy import event

    from app.services import dashboard

    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "FROM cases" in statement and not statement.startswith("EXPLAIN"):
            captured.append((statement, parameters))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        dashboard.overview(fy, now, month=None)
        db.session.rollback()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) "
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for statement, parameters in captured:
            print("\n" + "=" * 100 + "\n" + " ".join(statement.split())[:400])
            cur.execute(prefix + statement, parameters)
            for row in cur.fetchall():
                print("   ", " | ".join(str(v) for v in row))
        raw.rollback()
    finally:
        raw.close()


if __name__ == "__main__":
    main()
