"""Small factory functions that build test data through the services."""
from __future__ import annotations

import itertools

from app.extensions import db
from app.models import Unit
from app.models.base import utcnow
from app.services import accounts

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def make_unit(name: str | None = None) -> Unit:
    """A unit with a unique name."""
    unit = Unit(name=name or f"กองทดสอบ {next(_seq)}")
    db.session.add(unit)
    db.session.flush()
    return unit


def make_user(*roles: str, username: str | None = None, unit: Unit | None = None,
              password: str = PASSWORD, active: bool = True):
    """A committed staff user holding ``roles`` (a unit is made for unit officers)."""
    if "unit_officer" in roles and unit is None:
        unit = make_unit()
    user = accounts.create_user(
        username=username or f"user{next(_seq)}", full_name="ทดสอบ ระบบ", password=password,
        roles=list(roles), unit=unit, now=utcnow(),
    )
    user.active = active
    db.session.commit()
    return user


def seed_categories():
    """The standard units and categories (as `flask seed-demo` creates them)."""
    from app.services import seed

    units = seed.ensure_units_and_categories()
    db.session.commit()
    return units


def file_complaint(**overrides):
    """A committed general complaint through the intake service; returns (case, tracking code)."""
    from app.services import intake

    now = overrides.pop("now", None) or utcnow()
    data = intake.ComplaintInput(subject=overrides.pop("subject", "ไฟถนนดับ"),
                                 details=overrides.pop("details", "ไฟถนนดับทั้งซอย 3 มาหนึ่งสัปดาห์"),
                                 **overrides)
    sub = intake.submit_complaint(data, now=now)
    db.session.commit()
    return sub.case, sub.tracking_code


def file_report(**overrides):
    """A committed corruption report through the intake service; returns (case, tracking code)."""
    from app.services import intake

    data = intake.ReportInput(subject=overrides.pop("subject", "เรียกรับเงินค่าใบอนุญาต"),
                              details=overrides.pop("details", "เจ้าหน้าที่เรียกเงิน 5,000 บาท"),
                              **overrides)
    sub = intake.submit_report(data, now=utcnow())
    db.session.commit()
    return sub.case, sub.tracking_code


def make_plan(title: str | None = None, start_year: int = 2566, end_year: int = 2570):
    """An empty anti-corruption plan (flushed, not committed)."""
    from app.services import plans

    return plans.create_plan(title or f"แผนทดสอบ {next(_seq)}", start_year, end_year, start_year - 1, {}, utcnow())


def plan_csv(rows: list[list]) -> bytes:
    """Rows as a plan import file: UTF-8 CSV with a byte-order mark, as Excel saves it."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def approval(case, action: str, actor) -> dict:
    """``approved_by`` for a protected-channel action that needs a second person (one is made if none exists).

    services/cases/approvals.py gives the approval in the application; tests of other features use this
    shortcut, and tests/functional/test_protected_channel.py covers the request-and-approve path itself.
    """
    from app.services import case_access, casework

    if not casework.needs_second_person(actor, case, action):
        return {}
    second = next((u for u in case_access.handlers(case) if u.id != actor.id), None)
    return {"approved_by": second or make_user("integrity")}
