"""The data model; importing this package registers every table with SQLAlchemy."""
from .audit import AuditEntry
from .case import Attachment, Case, CaseCounter, CaseEvent, Category, Reminder
from .notify import Notification, OutboxMessage
from .org import ChannelSetting, Holiday, Organisation, Unit
from .people import AuthThrottle, StaffSession, User, UserRole
from .settings import ItaCode, StatisticsSettings

__all__ = [
    "ChannelSetting",
    "Holiday",
    "ItaCode",
    "StatisticsSettings",
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
