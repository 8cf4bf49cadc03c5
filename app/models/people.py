"""Staff accounts, their roles, server-side sessions and sign-in throttles."""
from __future__ import annotations

from flask_login import UserMixin

from ..extensions import db
from .base import UTCDateTime, utcnow

INTAKE = "intake"
UNIT_OFFICER = "unit_officer"
INTEGRITY = "integrity"
EXECUTIVE = "executive"
#: Outside the normal chain (a deputy named by the executive, the supervising authority's contact):
#: handles reports the channel cannot oversee itself and approves when no second integrity officer can.
OVERSIGHT = "oversight"
ADMIN = "admin"

#: Every role, in the order screens list them.
ROLES = (INTAKE, UNIT_OFFICER, INTEGRITY, OVERSIGHT, EXECUTIVE, ADMIN)
#: Roles that open protected-channel reports: never held by an administrator, granted only with approval
#: (and, from #8 on, only with a second factor).
PROTECTED_ROLES = (INTEGRITY, OVERSIGHT)
#: Roles whose holders approve grants of these roles; a grant of any of them needs one of them to approve,
#: and every change to such an account is announced to all of them.
APPROVER_ROLES = (INTEGRITY, OVERSIGHT, EXECUTIVE)


class User(UserMixin, db.Model):
    """A staff member who signs in; citizens never have accounts."""

    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    #: Sign-in name, stored lower-case.
    username = db.Column(db.String(80), nullable=False, unique=True)
    full_name = db.Column(db.String(200), nullable=False)
    #: Position title (ตำแหน่ง), shown on receipts as the responsible officer.
    position = db.Column(db.String(200), nullable=False, default="")
    email = db.Column(db.String(200), nullable=True)
    #: argon2id hash (argon2-cffi's encoded form).
    password_hash = db.Column(db.String(255), nullable=False)
    #: Unit officers belong to a unit; other roles may too.
    unit_id = db.Column(db.Integer, db.ForeignKey("units.id"), nullable=True, index=True)
    #: Deactivated accounts cannot sign in and their sessions end.
    active = db.Column(db.Boolean, nullable=False, default=True)
    #: Set when an admin issues a password: the user must choose a new one.
    must_change_password = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(UTCDateTime, nullable=True)
    password_changed_at = db.Column(UTCDateTime, nullable=False, default=utcnow)

    unit = db.relationship("Unit", lazy="joined", foreign_keys=[unit_id])
    role_rows = db.relationship(
        "UserRole", cascade="all, delete-orphan", lazy="selectin", back_populates="user"
    )

    @property
    def roles(self) -> set[str]:
        """The set of role names this user holds."""
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        """True when the user holds any of the given roles."""
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles: list[str] | set[str]) -> None:
        """Replace the user's roles with the given ones."""
        wanted = set(roles)
        unknown = wanted - set(ROLES)
        if unknown:
            raise ValueError(f"unknown roles: {sorted(unknown)}")
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        for role in sorted(wanted - self.roles):
            self.role_rows.append(UserRole(role=role))

    @property
    def is_active(self) -> bool:  # Flask-Login reads this
        return bool(self.active)

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(db.Model):
    """One role held by one user (a user may hold several)."""

    __tablename__ = "user_roles"

    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    #: One of ROLES.
    role = db.Column(db.String(30), primary_key=True)

    user = db.relationship("User", back_populates="role_rows")


class StaffSession(db.Model):
    """A signed-in browser session, so sign-out really ends it on the server."""

    __tablename__ = "staff_sessions"

    id = db.Column(db.Integer, primary_key=True)
    #: SHA-256 of the random session token kept in the signed cookie.
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    #: Touched at most once a minute; drives the idle timeout.
    last_seen_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    #: Set on sign-out, password change, deactivation or timeout.
    ended_at = db.Column(UTCDateTime, nullable=True)

    user = db.relationship("User")


class AuthThrottle(db.Model):
    """Failed sign-in counter for one account or one address (keyed by HMAC, never raw)."""

    __tablename__ = "auth_throttles"

    #: "acct:" or "addr:" followed by an HMAC of the username or address.
    key = db.Column(db.String(80), primary_key=True)
    failures = db.Column(db.Integer, nullable=False, default=0)
    window_started_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    locked_until = db.Column(UTCDateTime, nullable=True)


class AccountRequest(db.Model):
    """An administrator's change to an approver's account that waits for a second person.

    Granting an approver role, changing such an account's e-mail address, or handing a one-time sign-in link
    to its owner in person (no e-mail on file) needs an existing integrity officer, oversight person or
    executive other than the requester and the account itself.
    """

    __tablename__ = "account_requests"

    id = db.Column(db.Integer, primary_key=True)
    #: "grant" (roles), "email" (new address) or "handover" (a one-time link given in person).
    kind = db.Column(db.String(20), nullable=False)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    requested_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    requested_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = db.Column(UTCDateTime, nullable=False)
    #: Encrypted JSON: the roles to grant or the new address.
    payload_enc = db.Column(db.Text, nullable=False)
    #: pending, approved, refused, cancelled (expiry is read from expires_at).
    status = db.Column(db.String(20), nullable=False, default="pending")
    decided_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    decided_at = db.Column(UTCDateTime, nullable=True)

    user = db.relationship("User", foreign_keys=[user_id])
    requested_by = db.relationship("User", foreign_keys=[requested_by_id])
    decided_by = db.relationship("User", foreign_keys=[decided_by_id])


class CredentialLink(db.Model):
    """A one-time link with which an account's owner sets a new password; only its hash is stored."""

    __tablename__ = "credential_links"

    id = db.Column(db.Integer, primary_key=True)
    #: SHA-256 of the random token in the link.
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = db.Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = db.Column(UTCDateTime, nullable=False)
    #: Set when used, or when a newer link replaced it.
    used_at = db.Column(UTCDateTime, nullable=True)

    user = db.relationship("User")
