"""The data model; importing this package registers every table with SQLAlchemy."""
from .audit import AuditEntry
from .case import Attachment, Case, CaseCounter, CaseEvent, Category, Reminder
from .notify import Notification, OutboxMessage
from .org import ChannelSetting, Holiday, Organisation, Unit
from .people import AuthThrottle, StaffSession, User, UserRole

__all__ = [
    "ChannelSetting",
    "Holiday",
    "Notification",
    "OutboxMessage",
    "Reminder",
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
