"""Generate a large, realistic set of cases for the statistics benchmarks.

    .venv/bin/python bench/generate.py                 # 1,000,000 cases into bench/out/bench.sqlite3
    DATABASE_URL=postgresql://... .venv/bin/python bench/generate.py -n 1000000

The database is migrated first (Alembic, through the app factory), the standard units and
categories are ensured, then the cases are written with bulk INSERTs (SQLite: executemany in
batches) or COPY (PostgreSQL), bypassing the ORM. Cases are spread uniformly from the start of the
fiscal year two years before the current one until ``--now``, over both channels, with a status mix
that depends on age (recent cases are often open, old ones almost all closed), due dates 15 days
after receipt, closing times mostly within the deadline, explanations on most late cases, and text
columns of realistic width. Encrypted columns hold random base64 of a realistic length: the data is
for timing only and is not readable by the app's keys.

Case numbers continue after any existing ones and the case counters are moved past them, so the
app can keep issuing numbers in the same database (e.g. a scratch demo database for screenshots).
"""
from __future__ import annotations

import argparse
import base64
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_SQLITE = ROOT / "bench" / "out" / "bench.sqlite3"
BATCH = 20_000

COLUMNS = ("uid", "channel", "status", "source", "fiscal_year", "sequence", "case_number", "tracking_hash",
           "category_id", "unit_id", "subject", "details", "location", "content_enc", "reporter_enc",
           "is_anonymous", "received_at", "due_at", "closed_at", "explained_at", "rejection_reason",
           "forwarded_to", "created_at", "updated_at")

#: (value, weight) of how cases arrive, per channel.
SOURCE_WEIGHTS = {
    "general": [("web", 33), ("phone", 20), ("walk_in", 15), ("social_media", 11), ("letter", 8), ("box", 5),
                ("damrongdham", 4), ("hotline_1111", 3), ("api", 1)],
    "corruption": [("web", 80), ("letter", 8), ("walk_in", 5), ("damrongdham", 5), ("box", 2)],
}
SUBJECTS = ["ไฟถนนดับ", "ถนนชำรุดเป็นหลุมบ่อ", "ท่อระบายน้ำอุดตัน", "ขยะไม่มีการเก็บ", "เสียงดังรบกวนยามวิกาล",
            "น้ำประปาไม่ไหล", "ขอรับเบี้ยยังชีพผู้สูงอายุ", "สอบถามภาษีที่ดิน", "เจ้าหน้าที่บริการไม่สุภาพ"]
FILLER = "ขอให้หน่วยงานเข้ามาตรวจสอบและแก้ไขโดยเร็ว ประชาชนในพื้นที่ได้รับความเดือดร้อนเป็นเวลาหลายวันแล้ว "


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    DEFAULT_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE}"


def make_app(url: str):
    """The app bound to ``url`` with a throwaway instance folder; migrations applied."""
    instance = tempfile.mkdtemp(prefix="sujarit-bench-")
    os.environ.setdefault("SUJARIT_INSTANCE_PATH", instance)
    from app import create_app

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url,
                                 "KEYRING_PATH": str(Path(os.environ["SUJARIT_INSTANCE_PATH"]) / "keyring.json")})
    return app


def migrate(app) -> None:
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def _blob(rng: random.Random, n: int) -> str:
    return base64.b64encode(rng.randbytes(n)).decode()


class Generator:
    """Builds rows as tuples in COLUMNS order."""

    def __init__(self, rng: random.Random, now: datetime, start: datetime, categories: dict, units: dict,
                 next_seq: dict):
        from app import thai

        self.thai = thai
        self.rng = rng
        self.now = now
        self.start = start
        self.span = (now - start).total_seconds()
        self.categories = categories  # channel -> [(id, default_unit_id)]
        self.unit_ids = list(units.values())
        self.legal_unit = units.get("งานนิติการ")
        self.next_seq = next_seq  # (channel, fy) -> next sequence

    def row(self) -> tuple:
        rng, now = self.rng, self.now
        channel = "corruption" if rng.random() < 0.08 else "general"
        received = self.start + timedelta(seconds=rng.random() * self.span)
        fy = self.thai.fiscal_year(received)
        key = (channel, fy)
        seq = self.next_seq.get(key, 1)
        self.next_seq[key] = seq + 1
        due = received + timedelta(days=15)
        age_days = (now - received).total_seconds() / 86400
        p_open = 0.6 if age_days < 15 else 0.15 if age_days < 60 else 0.02
        closed_at = explained_at = rejection = forwarded = None
        if rng.random() < p_open:
            status = "in_progress" if rng.random() < 0.7 else "received"
        else:
            on_time = rng.random() < 0.78
            days = rng.uniform(0.1, 15) if on_time else rng.uniform(15.01, 75)
            closed_at = received + timedelta(days=days)
            if closed_at > now:
                closed_at = None
                status = "in_progress"
            else:
                r = rng.random()
                forwarded_share = 0.2 if channel == "corruption" else 0.07
                if r < 0.08:
                    status, rejection = "rejected", rng.choice(["outside_authority", "insufficient_detail", "duplicate"])
                elif r < 0.08 + forwarded_share:
                    status, forwarded = "forwarded", rng.choice(["nacc", "pacc", "damrongdham", "district"])
                else:
                    status = "completed"
        late = (closed_at is None and now > due) or (closed_at is not None and closed_at > due)
        if late and rng.random() < 0.6:
            explained_at = due + timedelta(days=rng.uniform(0.2, 4))
            limit = closed_at or now
            if explained_at > limit:
                explained_at = limit
        cats = self.categories.get(channel) or [(None, None)]
        category_id, default_unit = rng.choice(cats) if rng.random() > 0.04 else (None, None)
        if channel == "corruption":
            unit_id = self.legal_unit if rng.random() < 0.7 else None
            subject = details = location = None
            content = _blob(rng, rng.randint(300, 900))
        else:
            unit_id = default_unit if (default_unit and rng.random() < 0.9) else rng.choice(self.unit_ids)
            if status == "received" and rng.random() < 0.5:
                unit_id = None  # not triaged yet
            subject = rng.choice(SUBJECTS)
            details = FILLER * rng.randint(1, 4)
            location = f"หมู่ {rng.randint(1, 15)}" if rng.random() < 0.7 else None
            content = None
        anonymous = rng.random() < (0.6 if channel == "corruption" else 0.2)
        reporter = None if anonymous else _blob(rng, rng.randint(80, 200))
        prefix = "ร." if channel == "general" else "ท."
        updated = closed_at or explained_at or received
        return (uuid.UUID(bytes=rng.randbytes(16)).hex, channel, status, _pick(rng, SOURCE_WEIGHTS[channel]), fy,
                seq, f"{prefix} {seq}/{fy}", rng.randbytes(32).hex(), category_id, unit_id, subject, details,
                location, content, reporter, anonymous, received, due, closed_at, explained_at, rejection,
                forwarded, received, updated)


def _sqlite_value(v):
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, bool):
        return int(v)
    return v


def insert_sqlite(raw, rows_iter, total: int, report) -> None:
    cur = raw.cursor()
    sql = f"INSERT INTO cases ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    done = 0
    while done < total:
        batch = [tuple(_sqlite_value(v) for v in next(rows_iter)) for _ in range(min(BATCH, total - done))]
        cur.execute("BEGIN")
        cur.executemany(sql, batch)
        cur.execute("COMMIT")
        done += len(batch)
        report(done)


def insert_postgres(raw, rows_iter, total: int, report) -> None:
    done = 0
    with raw.cursor() as cur:
        while done < total:
            n = min(BATCH * 5, total - done)
            with cur.copy(f"COPY cases ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for _ in range(n):
                    copy.write_row(next(rows_iter))
            raw.commit()
            done += n
            report(done)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--cases", type=int, default=1_000_000, help="how many cases (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=20240101, help="random seed (same seed, same data)")
    parser.add_argument("--now", help="ISO time the data ends at (default: now)")
    parser.add_argument("--years", type=int, default=3, help="fiscal years covered, the current one included")
    parser.add_argument("--no-analyze", action="store_true", help="skip ANALYZE after loading")
    args = parser.parse_args(argv)

    url = database_url()
    app = make_app(url)
    t0 = time.perf_counter()
    migrate(app)

    from sqlalchemy import func, select, text

    from app import thai
    from app.extensions import db
    from app.models import Case, CaseCounter, Category
    from app.services import seed

    now = datetime.fromisoformat(args.now).astimezone(timezone.utc) if args.now else datetime.now(timezone.utc)
    with app.app_context():
        units = {u.name: u.id for u in seed.ensure_units_and_categories().values()}
        db.session.commit()
        categories: dict[str, list] = {"general": [], "corruption": []}
        for cat in db.session.scalars(select(Category).where(Category.active.is_(True))):
            for channel in ("general", "corruption"):
                if cat.channel in (channel, "both"):
                    categories[channel].append((cat.id, cat.default_unit_id))
        next_seq = {(c, fy): (m or 0) + 1 for c, fy, m in db.session.execute(
            select(Case.channel, Case.fiscal_year, func.max(Case.sequence)).group_by(Case.channel, Case.fiscal_year))}
        for counter in db.session.scalars(select(CaseCounter)):
            key = (counter.channel, counter.fiscal_year)
            next_seq[key] = max(next_seq.get(key, 1), counter.last_value + 1)
        existing = db.session.scalar(select(func.count(Case.id)))
        db.session.commit()  # release SQLite's write lock before the raw connection writes
        first_fy = thai.fiscal_year(now) - (args.years - 1)
        start, _ = thai.fiscal_year_bounds_utc(first_fy)
        start = start.replace(tzinfo=timezone.utc)
        gen = Generator(random.Random(args.seed), now, start, categories, units, next_seq)
        rows = iter(gen.row, None)
        dialect = db.engine.dialect.name
        print(f"generate: {args.cases:,} cases into {db.engine.url.render_as_string(hide_password=True)} "
              f"({dialect}), received {thai.format_date(start)} .. {thai.format_date(now)}; "
              f"{existing:,} cases already there", flush=True)
        t_load = time.perf_counter()
        last = [t_load]

        def report(done: int) -> None:
            if time.perf_counter() - last[0] > 10 or done == args.cases:
                last[0] = time.perf_counter()
                print(f"  {done:,} rows, {last[0] - t_load:.1f} s", flush=True)

        raw = db.engine.raw_connection()
        try:
            if dialect == "postgresql":
                insert_postgres(raw.driver_connection, rows, args.cases, report)
            else:
                insert_sqlite(raw.driver_connection, rows, args.cases, report)
        finally:
            raw.close()
        load_seconds = time.perf_counter() - t_load
        # Keep the app's own numbering ahead of the generated numbers.
        for (channel, fy), nxt in gen.next_seq.items():
            row = db.session.get(CaseCounter, (channel, fy))
            if row is None:
                db.session.add(CaseCounter(channel=channel, fiscal_year=fy, last_value=nxt - 1))
            else:
                row.last_value = max(row.last_value, nxt - 1)
        db.session.commit()
        t_an = time.perf_counter()
        if not args.no_analyze:
            with db.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        total = db.session.scalar(select(func.count(Case.id)))
        print(f"generate: loaded {args.cases:,} in {load_seconds:.1f} s "
              f"({args.cases / max(load_seconds, 1e-9):,.0f} rows/s); ANALYZE {time.perf_counter() - t_an:.1f} s; "
              f"{total:,} cases in total; whole run {time.perf_counter() - t0:.1f} s")
        if dialect == "sqlite":
            path = db.engine.url.database
            print(f"generate: SQLite file {path}: {os.path.getsize(path) / 1e6:,.0f} MB")


if __name__ == "__main__":
    main()
