"""The data a citizen's receipt shows (screen, print and PDF): nothing personal."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..labels import SOURCE_LABELS
from ..models import Case
from . import links, sla


@dataclass
class ReceiptView:
    """Everything on a receipt; nothing personal (a corruption receipt carries no case number)."""

    channel: str
    tracking_code: str
    case_number: str | None
    received_at: datetime
    due_at: datetime
    sla_days: int
    source_label: str
    #: Absolute link that opens the tracking page for this code; encoded in the QR code.
    tracking_url: str

    @property
    def tracking_page(self) -> str:
        """The address to type by hand: the tracking page without the code."""
        return links.for_typing(links.tracking_lookup())


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
        tracking_url=links.tracking(code),
    )
