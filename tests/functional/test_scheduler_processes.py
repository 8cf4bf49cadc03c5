"""Two scheduler processes at once send every reminder and e-mail exactly once; jobs have fixed ids."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Notification, OutboxMessage, Reminder
from app.models.base import utcnow
from app.models.notify import SENT
from app.models.people import INTAKE, UNIT_OFFICER
from app.scheduler import jobs, process
from app.services import casework, intake, notify
from tests.factories import file_complaint, make_unit, make_user

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Collector:
    """An SMTP handler that records (recipient, subject) of each message it accepts."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        subject = email.message_from_bytes(envelope.content, policy=email.policy.default)["Subject"]
        self.received.extend((rcpt, subject) for rcpt in envelope.rcpt_tos)
        return "250 OK"


@pytest.fixture
def smtp(app):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield controller.port, handler
    controller.stop()


def overdue_cases(count: int) -> tuple[list, list]:
    """``count`` complaints received 20 days ago by letter, each assigned, each with one reminder due now.

    Returns the cases and the staff every reminder goes to (officer, unit head, intake officer).
    """
    unit = make_unit()
    officer = make_user(UNIT_OFFICER, unit=unit)
    head = make_user(UNIT_OFFICER, unit=unit)
    desk = make_user(INTAKE)
    for person, address in ((officer, "officer@example.org"), (head, "head@example.org"), (desk, "desk@example.org")):
        person.email = address
    unit.head = head
    db.session.commit()
    now = utcnow()
    cases = []
    for n in range(count):
        sub = intake.submit_complaint(intake.ComplaintInput(subject=f"เรื่องที่ {n}", details="ค้างนาน"), now=now,
                                      source="letter", received_at=now - timedelta(days=20))
        casework.assign(desk, sub.case, unit=unit, officer=officer, now=now)
        cases.append(sub.case)
    db.session.commit()
    # The assignment e-mails are not part of the race.
    db.session.execute(update(OutboxMessage).values(status=SENT, body_enc=None))
    db.session.commit()
    due = db.session.scalars(select(Reminder).where(Reminder.sent_at.is_(None))).all()
    assert len(due) == count and all(r.kind == "overdue" and r.due_at <= utcnow() for r in due)
    return cases, [officer, head, desk]


def child_env(app, database_url: str, tmp_path: Path, smtp_port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "SMTP_"))}
    env.update(DATABASE_URL=database_url, SUJARIT_ENV="testing", SUJARIT_KEYRING=app.config["KEYRING_PATH"],
               SUJARIT_INSTANCE_PATH=str(tmp_path / "instance"), SECRET_KEY="scheduler-test-secret",
               SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_port), PYTHONPATH=str(ROOT))
    return env


def finish(procs: list[subprocess.Popen]) -> list[str]:
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs.append(out)
    return outputs


def assert_each_sent_exactly_once(cases, recipients, handler: Collector) -> None:
    db.session.rollback()  # read what the other processes committed
    case_ids = {c.id for c in cases}
    claimed = db.session.scalars(select(Reminder).where(Reminder.sent_at.is_not(None))).all()
    assert len(claimed) == len(cases) and {r.case_id for r in claimed} == case_ids
    assert all(r.cancelled_at is None for r in claimed)
    # Each claimed overdue reminder queued exactly one reminder for the next day.
    following = Counter(db.session.scalars(select(Reminder.case_id).where(Reminder.sent_at.is_(None))))
    assert following == Counter(case_ids)

    notes = db.session.execute(select(Notification.user_id, Notification.case_id)
                               .where(Notification.text.contains("เกินกำหนด"))).all()
    assert len(notes) == len(recipients) * len(cases)
    assert set(notes) == {(p.id, c) for p in recipients for c in case_ids}

    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.subject.contains("เกินกำหนด"))).all()
    assert len(mails) == len(recipients) * len(cases)
    assert {(m.status, m.attempts) for m in mails} == {(SENT, 1)}
    assert len(handler.received) == len(mails)
    assert len(set(handler.received)) == len(handler.received)  # no (recipient, subject) twice
    assert {rcpt for rcpt, _s in handler.received} == {p.email for p in recipients}


def test_two_run_once_commands_at_the_same_time_send_each_reminder_once(app, database_url, tmp_path, smtp):
    port, handler = smtp
    cases, recipients = overdue_cases(30)
    env = child_env(app, database_url, tmp_path, port)
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "sla", "run-once"]
    procs = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    outputs = finish(procs)

    counts = [dict(item.split("=") for item in out.split()) for out in outputs]
    assert sum(int(c["reminders"]) for c in counts) == 30
    assert sum(int(c["emails_sent"]) for c in counts) == 90
    assert all(c["emails_failed"] == "0" for c in counts)
    assert_each_sent_exactly_once(cases, recipients, handler)


LAUNCHER = textwrap.dedent('''
    """Start the app, wait for the agreed moment, then run every job once (test helper)."""
    import json, sys, time
    from sqlalchemy import text
    from app import create_app
    from app.extensions import db
    from app.scheduler import jobs

    app = create_app()
    with app.app_context():  # connect before the start line, so only the work races
        db.session.execute(text("SELECT 1"))
        db.session.remove()
    time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
    began = time.time()
    result = jobs.run_once(app)
    print(json.dumps({"began": began, "ended": time.time(), **result}))
''')


def test_two_schedulers_released_at_the_same_instant_share_the_work_without_duplicates(
        app, database_url, tmp_path, smtp):
    port, handler = smtp
    cases, recipients = overdue_cases(60)
    launcher = tmp_path / "launch.py"
    launcher.write_text(LAUNCHER)
    env = child_env(app, database_url, tmp_path, port)
    start_at = time.time() + 6  # both have imported the app and connected by then
    procs = [subprocess.Popen([sys.executable, str(launcher), str(start_at)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [json.loads(out.strip().splitlines()[-1]) for out in finish(procs)]

    first, second = results
    assert abs(first["began"] - second["began"]) < 0.5, "the two runs did not start together"
    assert first["began"] < second["ended"] and second["began"] < first["ended"]  # they overlapped
    assert first["reminders"] + second["reminders"] == 60
    # A run sends at most 100 e-mails; the next run (here: this process) sends the rest.
    db.session.rollback()
    flushed, failed = notify.deliver_pending(utcnow())
    assert failed == 0 and first["emails_sent"] + second["emails_sent"] + flushed == 180
    assert_each_sent_exactly_once(cases, recipients, handler)


# --- the scheduler's jobs ---------------------------------------------------------------------


def test_the_scheduler_registers_its_jobs_under_fixed_ids(app):
    scheduler = process.build(app)
    assert isinstance(scheduler, BlockingScheduler)
    jobs_by_id = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs_by_id) == {"sla-reminders", "outbox-delivery", "housekeeping", "planner-statistics"}
    assert jobs_by_id["sla-reminders"].func is jobs.send_reminders
    assert jobs_by_id["outbox-delivery"].func is jobs.deliver_outbox
    assert jobs_by_id["housekeeping"].func is jobs.housekeeping
    assert jobs_by_id["planner-statistics"].func is jobs.planner_statistics
    assert all(job.args == (app,) for job in jobs_by_id.values())


def test_building_twice_replaces_the_jobs_instead_of_adding_copies(app):
    pending = process.build(app)
    process.build(app, pending)
    assert sorted(job.id for job in pending.get_jobs()) == sorted(process.JOB_IDS)

    running = BackgroundScheduler(timezone="UTC")
    running.start(paused=True)
    try:
        process.build(app, running)
        process.build(app, running)
        assert sorted(job.id for job in running.get_jobs()) == sorted(process.JOB_IDS)
    finally:
        running.shutdown(wait=False)


def test_flask_scheduler_starts_a_scheduler_with_the_three_jobs(app, runner, monkeypatch):
    started = []
    monkeypatch.setattr(BlockingScheduler, "start", lambda self, *a, **k: started.append(
        sorted(job.id for job in self.get_jobs())))
    result = runner.invoke(args=["scheduler"])
    assert result.exit_code == 0, result.output
    assert started == [sorted(process.JOB_IDS)]


def test_the_jobs_do_nothing_when_nothing_is_due(app, runner):
    result = runner.invoke(args=["sla", "run-once"])
    assert result.exit_code == 0
    assert result.output.split() == ["reminders=0", "emails_sent=0", "emails_failed=0", "throttles_removed=0"]
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_the_planner_statistics_job_gives_sqlite_statistics_for_the_report_indexes(app):
    """Without statistics SQLite picked a poor index for the yearly figures; the daily job keeps them."""
    from sqlalchemy import text

    for _ in range(3):
        file_complaint()
    ran = jobs.planner_statistics(app)
    if db.engine.dialect.name != "sqlite":
        assert ran is False  # PostgreSQL's autovacuum keeps its own statistics
        return
    assert ran is True
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM sqlite_stat1"))
    try:
        assert jobs.planner_statistics(app) is True
        with db.engine.connect() as conn:
            indexes = set(conn.execute(text("SELECT idx FROM sqlite_stat1 WHERE tbl = 'cases'")).scalars())
        assert {"ix_cases_channel_received", "ix_cases_closed"} <= indexes
    finally:
        # The database is shared by the whole run: statistics of three cases would mislead the planner
        # of the query-plan tests that follow, so leave none behind (as the migrations left it).
        with db.engine.begin() as conn:
            conn.execute(text("DELETE FROM sqlite_stat1"))
