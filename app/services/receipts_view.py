"""The data a citizen's receipt shows (screen, print and PDF)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from ..labels import SOURCE_LABELS
from ..models import Case
from . import sla
from .organisation import get_profile


@dataclass
class ReceiptView:
    """Everything on a receipt; nothing personal."""

    channel: str
    tracking_code: str
    case_number: str | None
    received_at: datetime
    due_at: datetime
    sla_days: int
    source_label: str
    tracking_url: str

    def pdf_data(self):
        """The same receipt as input for the PDF renderer."""
        from .receipts import ReceiptData

        org = get_profile()
        return ReceiptData(
            org_name=org.name, org_short_name=org.short_name, org_address=org.address or "",
            org_phone=org.phone or "", org_logo_png=org.logo if org.logo_mimetype == "image/png" else None,
            channel=self.channel, tracking_code=self.tracking_code, case_number=self.case_number,
            received_at=self.received_at, due_at=self.due_at, tracking_url=self.tracking_url,
            sla_days=self.sla_days, source_label=self.source_label,
        )


def tracking_url(code: str) -> str:
    """Absolute link that opens the tracking page for a code (used in QR codes)."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/track/{code}"


def build(case: Case, code: str) -> ReceiptView:
    """The receipt of a case whose tracking code the caller holds."""
    return ReceiptView(
        channel=case.channel,
        tracking_code=code,
        case_number=case.case_number if case.channel == "general" else None,
        received_at=case.received_at,
        due_at=case.due_at,
        sla_days=sla.sla_days(case.channel),
        source_label=str(SOURCE_LABELS.get(case.source, case.source)),
        tracking_url=tracking_url(code),
    )
