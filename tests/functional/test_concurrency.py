"""Concurrent submissions all succeed with distinct case numbers (writers queue, never 'database is locked')."""
from __future__ import annotations

import threading

from sqlalchemy import select

from app.extensions import db
from app.models import Case
from app.models.base import utcnow
from app.services import intake


def test_parallel_submissions_get_distinct_running_numbers(app):
    errors: list[BaseException] = []
    per_thread, threads = 5, 6

    def worker(n: int):
        try:
            with app.app_context():
                for i in range(per_thread):
                    intake.submit_complaint(intake.ComplaintInput(subject=f"เรื่อง {n}-{i}", details="ทดสอบ"),
                                            now=utcnow())
                    db.session.commit()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert errors == []
    db.session.rollback()
    sequences = sorted(db.session.scalars(select(Case.sequence)))
    assert sequences == list(range(1, per_thread * threads + 1))
