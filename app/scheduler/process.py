"""`flask scheduler`: APScheduler in a process of its own, never inside the web workers."""
from __future__ import annotations

import logging

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from . import jobs

log = logging.getLogger(__name__)


#: The fixed job ids: registering a job again replaces it, never adds a second copy.
JOB_IDS = ("sla-reminders", "outbox-delivery", "housekeeping", "planner-statistics")
#: Added only when BACKUP_DIR is set.
BACKUP_JOB_ID = "nightly-backup"


def build(app: Flask, scheduler: BaseScheduler | None = None) -> BaseScheduler:
    """Register the jobs under fixed ids on ``scheduler`` (a new blocking one by default).

    Registering again replaces a job of the same id, never adds a second one, whether or not
    the scheduler has started (APScheduler keeps jobs added before start in a list of its own).
    """
    interval = int(app.config.get("SCHEDULER_INTERVAL_SECONDS", 60))
    if scheduler is None:
        scheduler = BlockingScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1,
                                                                    "misfire_grace_time": 300})
    jobs_by_id = {
        "sla-reminders": (jobs.send_reminders, {"seconds": interval}),
        "outbox-delivery": (jobs.deliver_outbox, {"seconds": interval}),
        "housekeeping": (jobs.housekeeping, {"hours": 1}),
        "planner-statistics": (jobs.planner_statistics, {"hours": 24}),
    }
    for job_id in JOB_IDS:
        func, every = jobs_by_id[job_id]
        if scheduler.get_job(job_id) is not None:
            scheduler.remove_job(job_id)
        scheduler.add_job(func, "interval", args=[app], id=job_id, replace_existing=True, **every)
    if app.config.get("BACKUP_DIR"):
        scheduler.add_job(jobs.nightly_backup, "cron", args=[app], id=BACKUP_JOB_ID, replace_existing=True,
                          hour=int(app.config.get("BACKUP_HOUR", 2)), minute=0, timezone="Asia/Bangkok")
    return scheduler


def run(app: Flask) -> None:
    """Start the scheduler and block until interrupted."""
    scheduler = build(app)
    log.info("scheduler started with jobs: %s", ", ".join(job.id for job in scheduler.get_jobs()))
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        log.info("scheduler stopped")
