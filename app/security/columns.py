"""The registry of encrypted columns: each column with the associated data that binds its values to their row.

Every encrypted value in the database is listed here once, and the services take their associated data
from here, so key rotation (``services/keys.py``) finds every column through :data:`REGISTRY` and a new
column cannot silently miss a rotation (``tests/functional/test_encrypted_columns.py`` fails when a
column holds encrypted values but is not registered).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy.orm import joinedload

from ..models import (AccountRequest, Attachment, AuditEntry, Case, CaseEvent, CaseExclusion, CaseRequest, Letter,
                      OutboxMessage, ReceiptHold, SurveyInvite, SurveyResponse)


# ---------------------------------------------------------------- associated data, one format per column

def case_content_aad(case: Case) -> str:
    """A corruption report's content."""
    return f"case:{case.uid}:content"


def case_reporter_aad(case: Case) -> str:
    """A reporter's identity and contact."""
    return f"case:{case.uid}:reporter"


def case_outcome_aad(case: Case) -> str:
    """The investigation outcome, findings and referral."""
    return f"case:{case.uid}:outcome"


def event_aad(case: Case, event: CaseEvent, which: str) -> str:
    """An event's public or internal message, bound to that event of that case."""
    return f"case:{case.uid}:event:{event.id}:{which}"


def survey_token_aad(case: Case) -> str:
    """The survey invitation token."""
    return f"case:{case.uid}:survey:token"


def survey_comment_aad(case: Case) -> str:
    """A survey comment."""
    return f"case:{case.uid}:survey:comment"


def outbox_aad(message: OutboxMessage, what: str) -> str:
    """An e-mail's recipient ("to") or body ("body")."""
    return f"outbox:{message.id}:{what}"


def attachment_aad(attachment_uid: str) -> str:
    """An attachment's file content (the name adds ":name")."""
    return f"attachment:{attachment_uid}"


def exclusion_aad_for(case_uid: str, user_hash: str) -> str:
    """The details of one exclusion, bound to its case and hashed staff id."""
    return f"case:{case_uid}:exclusion:{user_hash}"


def exclusion_aad(row: CaseExclusion) -> str:
    """The details of one exclusion row."""
    return exclusion_aad_for(row.case.uid, row.user_hash)


def case_request_aad(row: CaseRequest) -> str:
    """The payload of a two-person request on a case."""
    return f"case:{row.case.uid}:request:{row.uid}"


def account_request_aad(row: AccountRequest) -> str:
    """The payload of a request about an approver's account."""
    return f"account-request:{row.id}"


def receipt_aad(row: ReceiptHold) -> str:
    """A held receipt's tracking code."""
    return f"receipt:{row.id}"


def letter_void_aad(letter: Letter) -> str:
    """Why a register number was voided."""
    return f"letter:{letter.uid}:void"


def audit_detail_aad_for(entry_id: int) -> str:
    """The detail of a protected-channel audit entry."""
    return f"audit:{entry_id}:detail"


# ---------------------------------------------------------------- the registry

@dataclass(frozen=True)
class EncryptedColumn:
    """One encrypted column: how to bind a row's value, and which rows hold ciphertext."""

    model: type
    column: str
    aad: Callable[[Any], str]
    #: Only rows for which this is true hold ciphertext (e.g. events of protected cases); None = every row.
    when: Callable[[Any], bool] | None = None
    #: Loader options the ``aad`` needs (e.g. the case of an event), so rotation reads in batches.
    load: tuple = ()

    def applies(self, row) -> bool:
        """True when this row's value is encrypted."""
        return self.when is None or bool(self.when(row))


REGISTRY: tuple[EncryptedColumn, ...] = (
    EncryptedColumn(Case, "content_enc", case_content_aad),
    EncryptedColumn(Case, "reporter_enc", case_reporter_aad),
    EncryptedColumn(Case, "outcome_enc", case_outcome_aad),
    EncryptedColumn(CaseEvent, "public_message", lambda e: event_aad(e.case, e, "public"),
                    when=lambda e: e.encrypted, load=(joinedload(CaseEvent.case),)),
    EncryptedColumn(CaseEvent, "internal_note", lambda e: event_aad(e.case, e, "internal"),
                    when=lambda e: e.encrypted, load=(joinedload(CaseEvent.case),)),
    EncryptedColumn(CaseExclusion, "details_enc", exclusion_aad, load=(joinedload(CaseExclusion.case),)),
    EncryptedColumn(CaseRequest, "payload_enc", case_request_aad, load=(joinedload(CaseRequest.case),)),
    EncryptedColumn(ReceiptHold, "code_enc", receipt_aad),
    EncryptedColumn(Attachment, "filename_enc", lambda a: attachment_aad(a.uid) + ":name"),
    EncryptedColumn(SurveyInvite, "token_enc", lambda i: survey_token_aad(i.case), load=(joinedload(SurveyInvite.case),)),
    EncryptedColumn(SurveyResponse, "comment_enc", lambda r: survey_comment_aad(r.case),
                    load=(joinedload(SurveyResponse.case),)),
    EncryptedColumn(OutboxMessage, "to_enc", lambda m: outbox_aad(m, "to")),
    EncryptedColumn(OutboxMessage, "body_enc", lambda m: outbox_aad(m, "body")),
    EncryptedColumn(AccountRequest, "payload_enc", account_request_aad),
    EncryptedColumn(Letter, "void_reason_enc", letter_void_aad),
    EncryptedColumn(AuditEntry, "detail", lambda a: audit_detail_aad_for(a.id),
                    when=lambda a: a.protected and bool(a.detail)),
)


def registered(model: type, column: str) -> bool:
    """True when ``model.column`` is in the registry."""
    return any(entry.model is model and entry.column == column for entry in REGISTRY)
