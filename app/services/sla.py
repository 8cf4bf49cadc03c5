"""The 15-day rule: due dates fixed at receipt."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

#: The plans' deadline (002 L1145; 004 L2667), used unless a channel is configured otherwise.
DEFAULT_SLA_DAYS = 15


def sla_days(channel: str) -> int:
    """Days allowed for a channel (configurable per channel)."""
    per_channel = current_app.config.get("SLA_DAYS", {}) or {}
    return int(per_channel.get(channel, DEFAULT_SLA_DAYS))


def due_at(channel: str, received_at: datetime) -> datetime:
    """The due date of a case received at ``received_at``: received + the channel's days."""
    return received_at + timedelta(days=sla_days(channel))


def is_overdue(due: datetime, closed: bool, now: datetime) -> bool:
    """An open case past its due time."""
    return not closed and now > due
