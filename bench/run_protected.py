"""Time the protected channel's access checks on a generated database: the integrity officer's inbox
(tab counts and the first page) with exclusions, the oversight person's inbox (the needs-oversight
condition), and the executive's list of reports needing oversight. Best of 5 runs, in milliseconds.

Run ``bench/generate.py`` first; this script adds staff and exclusions (a keyed hash per excluded officer
on 5 % of the corruption reports) once, then times the queries.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL")
                        or f"sqlite:///{Path(__file__).resolve().parent / 'out' / 'bench.sqlite3'}")
    args = parser.parse_args()

    import tempfile

    from sqlalchemy import func, select

    from app import create_app
    from app.extensions import db
    from app.models import Case, CaseExclusion, User
    from app.models.base import utcnow
    from app.models.case import CORRUPTION
    from app.models.people import EXECUTIVE, INTEGRITY, OVERSIGHT
    from app.services import accounts, case_access, inbox
    from app.services.cases import oversight

    instance = tempfile.mkdtemp(prefix="sujarit-bench-")
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": args.database,
                                 "KEYRING_PATH": str(Path(instance) / "keyring.json")})
    with app.app_context():
        now = utcnow()
        people = {}
        for username, role in (("bench_niti1", INTEGRITY), ("bench_niti2", INTEGRITY), ("bench_niti3", INTEGRITY),
                               ("bench_amphoe", OVERSIGHT), ("bench_nayok", EXECUTIVE)):
            user = db.session.scalar(select(User).where(User.username == username))
            if user is None:
                user = accounts.create_user(username=username, full_name=username, password="bench-password-2569",
                                            roles=[role], now=now)
            people[username] = user
        db.session.commit()
        if not db.session.scalar(select(func.count(CaseExclusion.id))):
            ids = db.session.scalars(select(Case.id).where(Case.channel == CORRUPTION).order_by(Case.id)).all()
            digest = case_access.user_hash(people["bench_niti1"])
            db.session.execute(CaseExclusion.__table__.insert(), [
                {"case_id": i, "user_hash": digest, "details_enc": "v1:bench:x", "confirmed": True, "created_at": now}
                for i in ids[::20]])
            db.session.commit()
        corruption = db.session.scalar(select(func.count(Case.id)).where(Case.channel == CORRUPTION))
        excluded = db.session.scalar(select(func.count(CaseExclusion.id)))
        print(f"{corruption:,} corruption reports, {excluded:,} with an exclusion")
        flt = inbox.InboxFilter()
        for name in ("bench_niti1", "bench_niti2", "bench_amphoe"):
            user = people[name]

            def page():
                # The inbox's SQL (tab counts and one page); the generated text is not decryptable, so no subjects.
                inbox.tab_counts(user, CORRUPTION, flt, now)
                db.session.scalars(case_access.visible_cases(user, CORRUPTION).order_by(Case.due_at, Case.id)
                                   .limit(inbox.PAGE_SIZE)).all()

            print(f"inbox (counts + first page) as {name:14} {best(page):8.1f} ms")
        plain = select(func.count(Case.id)).where(Case.channel == CORRUPTION)
        print(f"bare count of the channel               {best(lambda: db.session.scalar(plain)):8.1f} ms")
        print(f"executive's list needing oversight       {best(lambda: oversight.flagged_for(people['bench_nayok'])):8.1f} ms")


if __name__ == "__main__":
    main()
