"""The organisation's letterhead on every PDF it publishes (reports, statistics, handbooks, notices)."""
from __future__ import annotations

from ..models import Organisation
from .organisation import get_profile
from .pdf import ThaiPDF


def apply(pdf: ThaiPDF) -> Organisation:
    """Print the organisation's name, logo, address and telephone on every page of ``pdf``; returns it."""
    org = get_profile()
    logo = org.logo if org.id is not None and org.logo_mimetype in ("image/png", "image/jpeg") else None
    phone = f"โทรศัพท์ {org.phone}" if org.phone else ""
    pdf.set_letterhead(org.name, org.short_name, logo_png=logo, lines=[org.address or "", phone])
    return org
