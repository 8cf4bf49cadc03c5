"""The data model; importing this package registers every table with SQLAlchemy."""
from .audit import AuditEntry
from .case import Attachment, Case, CaseCounter, CaseEvent, Category
from .org import Organisation, Unit
from .people import AuthThrottle, StaffSession, User, UserRole

__all__ = [
    "Attachment",
    "AuditEntry",
    "AuthThrottle",
    "Case",
    "CaseCounter",
    "CaseEvent",
    "Category",
    "Organisation",
    "StaffSession",
    "Unit",
    "User",
    "UserRole",
]
