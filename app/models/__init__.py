"""The data model; importing this package registers every table with SQLAlchemy."""
from .audit import AuditEntry
from .case import Case, Category
from .org import Organisation, Unit
from .people import AuthThrottle, StaffSession, User, UserRole

__all__ = [
    "AuditEntry",
    "AuthThrottle",
    "Case",
    "Category",
    "Organisation",
    "StaffSession",
    "Unit",
    "User",
    "UserRole",
]
