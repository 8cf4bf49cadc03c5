"""The organisation profile and its units."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..models import Organisation, Unit


def get_profile() -> Organisation:
    """Return the organisation row, or an unsaved one built from configuration defaults."""
    org = db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    if org is not None:
        return org
    cfg = current_app.config
    return Organisation(name=cfg["ORG_NAME"], short_name=cfg["ORG_SHORT_NAME"], org_type=cfg["ORG_TYPE"],
                        address="", phone="", email="", website="")


def active_units() -> list[Unit]:
    """Units that can take new cases, in display order."""
    return list(db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.name)))
