"""`flask scheduler`: APScheduler in a process of its own, never inside the web workers."""
from __future__ import annotations

import logging

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from . import jobs

log = logging.getLogger(__name__)


def build(app: Flask) -> BlockingScheduler:
    """The scheduler with its jobs under fixed ids (re-adding replaces, never duplicates)."""
    interval = int(app.config.get("SCHEDULER_INTERVAL_SECONDS", 60))
    scheduler = BlockingScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1,
                                                                "misfire_grace_time": 300})
    scheduler.add_job(jobs.send_reminders, "interval", seconds=interval, args=[app], id="sla-reminders",
                      replace_existing=True)
    scheduler.add_job(jobs.deliver_outbox, "interval", seconds=interval, args=[app], id="outbox-delivery",
                      replace_existing=True)
    scheduler.add_job(jobs.housekeeping, "interval", hours=1, args=[app], id="housekeeping",
                      replace_existing=True)
    return scheduler


def run(app: Flask) -> None:
    """Start the scheduler and block until interrupted."""
    scheduler = build(app)
    log.info("scheduler started with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
