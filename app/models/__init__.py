"""The data model; importing this package registers every table with SQLAlchemy."""
from .audit import AuditEntry
from .case import (Attachment, Case, CaseCounter, CaseEvent, CaseExclusion, CaseRequest, Category, ReceiptHold,
                   Reminder)
from .notify import Notification, OutboxMessage
from .org import ChannelSetting, Holiday, Organisation, Unit
from .people import AccountRequest, AuthThrottle, CredentialLink, StaffSession, User, UserRole
from .settings import ItaCode, StatisticsSettings
from .plan import (Measure, MeasureBudget, MeasureCode, MeasureKpi, MeasureLink, MeasureResult, Plan,
                   PlanDimension, PlanMission, PlanTarget, SummaryReport)
from .survey import SurveyInvite, SurveyResponse
from .handbook import Handbook
from .letters import Letter, LetterCounter, LetterSettings, Signatory

__all__ = [
    "AccountRequest",
    "CaseExclusion",
    "CaseRequest",
    "CredentialLink",
    "ReceiptHold",
    "Handbook",
    "Letter",
    "LetterCounter",
    "LetterSettings",
    "Signatory",
    "Measure",
    "MeasureBudget",
    "MeasureCode",
    "MeasureKpi",
    "MeasureLink",
    "MeasureResult",
    "Plan",
    "PlanDimension",
    "PlanMission",
    "PlanTarget",
    "SummaryReport",
    "SurveyInvite",
    "SurveyResponse",
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
