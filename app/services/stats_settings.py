"""Settings of the published statistics: ITA item codes per fiscal year, small-count threshold, digits.

Every change is written to the audit log. Reading never writes: without a settings row the defaults
apply (no suppression, Arabic digits, no ITA code).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..labels import lazy_text as _l
from ..models import ItaCode, StatisticsSettings, User
from ..models.case import CHANNELS, CORRUPTION
from ..models.settings import DIGIT_STYLES
from . import audit

#: Upper bound of the small-count threshold: anything larger would hide a whole small organisation.
MAX_THRESHOLD = 20
#: ITA item codes look like O29, i30, EB12, IIT 5, O.29: letters, digits, dots, dashes and spaces.
CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .\-/]{0,19}$")


class SettingsError(ValueError):
    """A refused change; ``field`` names the form field it concerns."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


@dataclass(frozen=True)
class PublicSettings:
    """What the public pages need to know, detached from the session."""

    small_count_threshold: int = 0
    digits: str = "arabic"

    def threshold_for(self, channel: str) -> int:
        """The suppression threshold of a channel's public output (only the corruption channel has one)."""
        return self.small_count_threshold if channel == CORRUPTION else 0


def _row() -> StatisticsSettings | None:
    return db.session.scalar(select(StatisticsSettings).order_by(StatisticsSettings.id).limit(1))


def get() -> PublicSettings:
    """The current settings (defaults when none were saved)."""
    row = _row()
    if row is None:
        return PublicSettings()
    digits = row.digits if row.digits in DIGIT_STYLES else "arabic"
    return PublicSettings(small_count_threshold=max(0, row.small_count_threshold or 0), digits=digits)


def update(*, small_count_threshold: int, digits: str, actor: User | None, now: datetime) -> bool:
    """Save the threshold and digit style; audit what changed. Returns False when nothing changed."""
    if not isinstance(small_count_threshold, int) or not 0 <= small_count_threshold <= MAX_THRESHOLD:
        raise SettingsError(_l("ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง %(max)s", max=MAX_THRESHOLD),
                            "small_count_threshold")
    if digits not in DIGIT_STYLES:
        raise SettingsError(_l("เลือกรูปแบบตัวเลข"), "digits")
    row = _row()
    if row is None:
        row = StatisticsSettings(small_count_threshold=0, digits="arabic", updated_at=now)
        db.session.add(row)
    changes = []
    if row.small_count_threshold != small_count_threshold:
        changes.append(f"small_count_threshold: {row.small_count_threshold} -> {small_count_threshold}")
        row.small_count_threshold = small_count_threshold
    if row.digits != digits:
        changes.append(f"digits: {row.digits} -> {digits}")
        row.digits = digits
    if not changes:
        return False
    row.updated_at = now
    db.session.flush()
    audit.record("settings.statistics", actor=actor, now=now, target_type="statistics_settings",
                 target_id=row.id, detail="; ".join(changes))
    return True


def ita_code(fiscal_year: int, channel: str) -> str | None:
    """The ITA item code the channel's statistics page answers to in a fiscal year, or None if unset."""
    return db.session.scalar(select(ItaCode.code).where(ItaCode.fiscal_year == fiscal_year,
                                                        ItaCode.channel == channel))


def ita_codes() -> dict[int, dict[str, str]]:
    """Every saved code: ``{fiscal_year: {channel: code}}``, newest year first."""
    result: dict[int, dict[str, str]] = {}
    for row in db.session.scalars(select(ItaCode).order_by(ItaCode.fiscal_year.desc(), ItaCode.channel)):
        result.setdefault(row.fiscal_year, {})[row.channel] = row.code
    return result


def set_ita_code(fiscal_year: int, channel: str, code: str, *, actor: User | None, now: datetime) -> bool:
    """Set (or with an empty code, remove) one page's ITA code for a fiscal year; audited."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if not isinstance(fiscal_year, int) or not 2500 <= fiscal_year <= 2700:
        raise SettingsError(_l("ปีงบประมาณไม่ถูกต้อง"), "fiscal_year")
    code = (code or "").strip()
    if code and not CODE_RE.match(code):
        raise SettingsError(_l("รหัสข้อ ITA ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข จุด และขีด ไม่เกิน 20 ตัว เช่น O29"),
                            f"{channel}_code")
    row = db.session.get(ItaCode, (fiscal_year, channel))
    before = row.code if row is not None else ""
    if before == code:
        return False
    if not code:
        db.session.delete(row)
    elif row is None:
        db.session.add(ItaCode(fiscal_year=fiscal_year, channel=channel, code=code, updated_at=now))
    else:
        row.code = code
        row.updated_at = now
    db.session.flush()
    audit.record("settings.ita_code", actor=actor, now=now, target_type="ita_code", target_id=fiscal_year,
                 detail=f"{fiscal_year} {channel}: {before or '-'} -> {code or '-'}")
    return True


__all__ = ["MAX_THRESHOLD", "PublicSettings", "SettingsError", "get", "ita_code", "ita_codes", "set_ita_code",
           "update"]
