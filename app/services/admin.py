"""Administration of staff accounts, the organisation profile and the audit log viewer."""
from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel.speaklater import LazyString
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..labels import lazy_text as _l
from ..models import AuditEntry, Case, Letter, Organisation, Unit, User, UserRole
from ..models.org import ORG_TYPES
from ..models.people import ADMIN, ROLES, UNIT_OFFICER
from ..security.passwords import policy_problems
from . import accounts, audit
from .people import roles as role_rules
from .seed import ensure_organisation


class AdminError(ValueError):
    """An administrator's request that cannot be carried out.

    The message is meant for the screen: a lazy string (Thai, translated when shown with ``str(exc)``
    in a request); ``field`` names the form field it belongs to (None for the form as a whole).
    """

    def __init__(self, message: str | LazyString, field: str | None = None):
        super().__init__(message)
        self.field = field


# --- staff accounts -------------------------------------------------------------------------------

#: Letters and digits that cannot be mistaken for one another when read aloud or copied by hand.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password(username: str = "") -> str:
    """Return a random one-time password (four groups of four) that meets the password policy."""
    while True:
        raw = "".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(16))
        password = "-".join(raw[i:i + 4] for i in range(0, 16, 4))
        if not policy_problems(password, username):
            return password


@dataclass
class IssuedPassword:
    """A user together with the password just issued to them; the password is never stored.

    For an integrity officer, oversight person or executive there is no password for the administrator:
    ``link`` says how the owner gets a one-time link ("mailed", "waiting" for an approver), and
    ``waiting_roles`` which roles wait for approval.
    """

    user: User
    password: str | None
    link: str | None = None
    waiting_roles: frozenset[str] = frozenset()


def list_users() -> list[User]:
    """Every staff account, active first, then by name."""
    return list(db.session.scalars(
        select(User).options(selectinload(User.role_rows)).order_by(User.active.desc(), User.full_name, User.id)
    ))


def get_user(user_id: int) -> User | None:
    """The account with this id, or None."""
    return db.session.get(User, user_id)


def _check_roles(roles: list[str], unit: Unit | None) -> None:
    if not roles:
        raise AdminError(_l("กรุณาเลือกบทบาทอย่างน้อยหนึ่งบทบาท"), "roles")
    if not set(roles) <= set(ROLES):
        raise AdminError(_l("บทบาทที่เลือกไม่ถูกต้อง"), "roles")
    if UNIT_OFFICER in roles and unit is None:
        raise AdminError(_l("เจ้าหน้าที่กอง/สำนักต้องสังกัดหน่วยงาน กรุณาเลือกหน่วยงาน"), "unit_id")
    problem = role_rules.conflicts(roles)
    if problem:
        raise AdminError(problem, "roles")


def _unit_or_none(unit_id: int | None, *, allow: Unit | None = None) -> Unit | None:
    """The unit chosen on a form; an inactive unit is accepted only if it is the current one."""
    if not unit_id:
        return None
    unit = db.session.get(Unit, unit_id)
    if unit is None or (not unit.active and unit is not allow):
        raise AdminError(_l("กรุณาเลือกหน่วยงานที่ยังเปิดใช้งาน"), "unit_id")
    return unit


def _username_taken(name: str, except_id: int | None = None) -> bool:
    query = select(User.id).where(User.username == name)
    if except_id is not None:
        query = query.where(User.id != except_id)
    return db.session.scalar(query) is not None


def create_staff_user(*, username: str, full_name: str, position: str, email: str | None,
                      unit_id: int | None, roles: list[str], actor: User, now: datetime) -> IssuedPassword:
    """Create an account with a generated password that must be changed at first sign-in.

    :raise AdminError: username taken, no role, or a unit officer without a unit.
    """
    name = accounts.normalise_username(username)
    if not name:
        raise AdminError(_l("กรุณากรอกชื่อผู้ใช้"), "username")
    if _username_taken(name):
        raise AdminError(_l("ชื่อผู้ใช้นี้มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่น"), "username")
    unit = _unit_or_none(unit_id)
    _check_roles(roles, unit)
    password = generate_password(name)
    try:
        user = accounts.create_user(username=name, full_name=full_name, position=position or "", email=email,
                                    password=password, roles=[], unit=unit, actor=actor, now=now,
                                    must_change_password=True, roles_may_wait=True)
    except IntegrityError as exc:  # another admin took the name a moment ago
        raise AdminError(_l("ชื่อผู้ใช้นี้มีผู้ใช้แล้ว กรุณาเลือกชื่ออื่น"), "username") from exc
    except accounts.AccountError as exc:
        raise AdminError(exc.args[0]) from exc  # keep the message lazy
    waiting = role_rules.apply_roles(user, roles, actor=actor, now=now)
    audit.record("user.roles", actor=actor, now=now, target_type="user", target_id=user.id,
                 detail="roles=" + ",".join(sorted(user.roles)))
    return IssuedPassword(user, password, waiting_roles=frozenset(waiting))


def _lock_admins() -> None:
    """Lock the administrators' rows so two admins cannot demote each other at the same moment."""
    db.session.execute(
        select(User.id).join(UserRole).where(UserRole.role == ADMIN).order_by(User.id).with_for_update(of=User)
    ).all()


def count_active_admins(*, excluding: User | None = None) -> int:
    """How many active accounts hold the admin role (optionally not counting one user)."""
    query = (select(func.count(func.distinct(User.id))).join(UserRole)
             .where(UserRole.role == ADMIN, User.active.is_(True)))
    if excluding is not None:
        query = query.where(User.id != excluding.id)
    return db.session.scalar(query) or 0


def _guard_admin_loss(user: User, actor: User, *, deactivating: bool) -> None:
    """Refuse a change that would leave no active admin or take the actor's own admin rights.

    :raise AdminError: when the change would lock everyone out of administration.
    """
    _lock_admins()
    if count_active_admins(excluding=user) == 0:
        raise AdminError(_l("ต้องมีผู้ดูแลระบบที่ใช้งานได้อยู่อย่างน้อยหนึ่งคนเสมอ จึงดำเนินการนี้ไม่ได้"),
                         None if deactivating else "roles")
    if actor is not None and user.id == actor.id:
        if deactivating:
            raise AdminError(_l("ท่านไม่สามารถปิดการใช้งานบัญชีของตนเองได้"))
        raise AdminError(_l("ท่านไม่สามารถถอนบทบาทผู้ดูแลระบบของตนเองได้"), "roles")


@dataclass
class UpdateResult:
    """What of an account change waits for an approver."""

    waiting_roles: frozenset[str]
    email_waits: bool


def update_staff_user(user: User, *, full_name: str, position: str, email: str | None, unit_id: int | None,
                      roles: list[str], active: bool, actor: User, now: datetime) -> UpdateResult:
    """Change an account's details, roles and active flag; deactivation ends the user's sessions.

    :raise AdminError: bad roles or unit, or the change would remove the last (or the actor's own) admin.
    """
    unit = _unit_or_none(unit_id, allow=user.unit)
    _check_roles(roles, unit)
    was_admin = user.active and ADMIN in user.roles
    if was_admin and (ADMIN not in roles or not active):
        _guard_admin_loss(user, actor, deactivating=not active)
    old_roles = sorted(user.roles)
    user.full_name = (full_name or "").strip() or user.username
    user.position = (position or "").strip()
    email_waits = role_rules.change_email(user, (email or "").strip() or None, actor=actor, now=now)
    user.unit = unit
    waiting = role_rules.apply_roles(user, roles, actor=actor, now=now)
    audit.record("user.update", actor=actor, now=now, target_type="user", target_id=user.id,
                 detail=_roles_detail(old_roles, sorted(user.roles)))
    if bool(user.active) != bool(active):
        _set_active(user, active, actor=actor, now=now)
    return UpdateResult(frozenset(waiting), email_waits)



def _roles_detail(old: list[str], new: list[str]) -> str:
    return "roles=" + ",".join(new) if old != new else ""


def _set_active(user: User, active: bool, *, actor: User, now: datetime) -> None:
    user.active = active
    role_rules.announce_status(user, active, actor=actor, now=now)
    if active:
        audit.record("user.reactivate", actor=actor, now=now, target_type="user", target_id=user.id)
        return
    ended = accounts.end_all_sessions(user, now)
    audit.record("user.deactivate", actor=actor, now=now, target_type="user", target_id=user.id,
                 detail=f"sessions_ended={ended}")


def set_user_active(user: User, active: bool, *, actor: User, now: datetime) -> None:
    """Deactivate (ending every session) or reactivate an account.

    :raise AdminError: deactivating oneself or the last active admin.
    """
    if bool(user.active) == bool(active):
        return
    if not active and ADMIN in user.roles:
        _guard_admin_loss(user, actor, deactivating=True)
    elif not active and actor is not None and user.id == actor.id:
        raise AdminError(_l("ท่านไม่สามารถปิดการใช้งานบัญชีของตนเองได้"))
    _set_active(user, active, actor=actor, now=now)


def reset_user_password(user: User, *, actor: User, now: datetime) -> IssuedPassword:
    """Issue a new generated password; the user must change it and their sessions end.

    An integrity officer's, oversight person's or executive's new credential never reaches the
    administrator: a one-time link goes to the owner (see ``people.roles.reset``).
    """
    if role_rules.is_approver(user):
        return IssuedPassword(user, None, link=role_rules.reset(user, actor=actor, now=now))
    password = generate_password(user.username)
    try:
        accounts.set_password_by_admin(user, password, actor=actor, now=now)
    except accounts.AccountError as exc:  # cannot happen with a generated password, but stay honest
        raise AdminError(exc.args[0]) from exc  # keep the message lazy
    return IssuedPassword(user, password)


# --- organisation profile -------------------------------------------------------------------------

#: Largest logo file accepted, before re-encoding.
LOGO_MAX_BYTES = 1024 * 1024
#: Longest side of the stored logo, in pixels.
LOGO_MAX_SIDE = 512
#: Refuse images with more pixels than this before decoding them (a small file can unpack huge).
_LOGO_MAX_PIXELS = 40_000_000


def get_or_create_organisation(now: datetime) -> Organisation:
    """The single organisation row, created from configuration defaults if missing."""
    from .organisation import get_profile

    profile = get_profile()
    if profile.id is not None:
        return profile
    return ensure_organisation(name=profile.name, short_name=profile.short_name, org_type=profile.org_type,
                               now=now)


def clean_logo(data: bytes) -> bytes:
    """Check an uploaded logo by its content and return it re-encoded as a metadata-free PNG.

    :raise AdminError: not a PNG/JPEG, larger than 1 MB, or unreadable.
    """
    if len(data) > LOGO_MAX_BYTES:
        raise AdminError(_l("ไฟล์โลโก้ต้องมีขนาดไม่เกิน 1 MB"), "logo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ("PNG", "JPEG"):
                raise AdminError(_l("โลโก้ต้องเป็นไฟล์ภาพ PNG หรือ JPEG เท่านั้น"), "logo")
            width, height = probe.size
            if width * height > _LOGO_MAX_PIXELS:
                raise AdminError(_l("ภาพโลโก้มีขนาดใหญ่เกินไป"), "logo")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)  # keep the orientation the EXIF asked for, then drop it
            has_alpha = "A" in img.getbands() or "transparency" in img.info
            img = img.convert("RGBA" if has_alpha else "RGB")
            img.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE))
            # A fresh image from raw pixels carries no EXIF, XMP, ICC or text chunks.
            bare = Image.frombytes(img.mode, img.size, img.tobytes())
    except AdminError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise AdminError(_l("โลโก้ต้องเป็นไฟล์ภาพ PNG หรือ JPEG เท่านั้น"), "logo") from exc
    out = io.BytesIO()
    bare.save(out, format="PNG", optimize=True)
    return out.getvalue()


def update_organisation(*, name: str, short_name: str, org_type: str, address: str, phone: str, email: str,
                        website: str, logo: bytes | None, remove_logo: bool, actor: User,
                        now: datetime) -> Organisation:
    """Save the organisation profile; a new logo replaces the old one after cleaning.

    :raise AdminError: an unknown organisation type or an unacceptable logo.
    """
    if org_type not in ORG_TYPES:
        raise AdminError(_l("กรุณาเลือกประเภทองค์กร"), "org_type")
    if not (name or "").strip():
        raise AdminError(_l("กรุณากรอกชื่อองค์กร"), "name")
    if not (short_name or "").strip():
        raise AdminError(_l("กรุณากรอกชื่อย่อ"), "short_name")
    cleaned = clean_logo(logo) if logo else None
    org = get_or_create_organisation(now)
    org.name = name.strip()
    org.short_name = short_name.strip()
    org.org_type = org_type
    org.address = (address or "").strip()
    org.phone = (phone or "").strip()
    org.email = (email or "").strip()
    org.website = (website or "").strip()
    changes = []
    if cleaned is not None:
        org.logo, org.logo_mimetype = cleaned, "image/png"
        changes.append("logo=new")
    elif remove_logo and org.logo is not None:
        org.logo, org.logo_mimetype = None, None
        changes.append("logo=removed")
    org.updated_at = now
    db.session.flush()
    audit.record("org.update", actor=actor, now=now, target_type="organisation", target_id=org.id,
                 detail=" ".join(changes))
    return org


def organisation_logo() -> tuple[bytes, str, datetime | None] | None:
    """The stored logo as (bytes, mimetype, updated_at), or None when there is none."""
    org = db.session.scalar(select(Organisation).order_by(Organisation.id).limit(1))
    if org is None or not org.logo:
        return None
    return org.logo, org.logo_mimetype or "image/png", org.updated_at


# --- audit log --------------------------------------------------------------------------------------

#: Entries per page of the audit log viewer.
AUDIT_PAGE_SIZE = 50


def audit_page(*, action_prefix: str = "", page: int = 1, per_page: int = AUDIT_PAGE_SIZE):
    """One page of the audit log, newest first, optionally only actions starting with a prefix."""
    # Protected-channel entries are for the people being watched (staff access log), never the administrator.
    query = select(AuditEntry).options(selectinload(AuditEntry.actor)).where(AuditEntry.protected.is_(False)).order_by(
        AuditEntry.at.desc(), AuditEntry.id.desc())
    prefix = (action_prefix or "").strip()
    if prefix:
        query = query.where(AuditEntry.action.startswith(prefix, autoescape=True))
    return db.paginate(query, page=max(page, 1), per_page=per_page, error_out=False, count=True)


def case_numbers(entries) -> dict[int, str]:
    """The printed numbers of the (general) cases a page of the log points at: never the sequential id,
    whose gaps would count the protected channel's reports."""
    ids = {e.target_id for e in entries if e.target_type == "case" and e.target_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(Case.id, Case.case_number).where(Case.id.in_(ids))).all())


def letter_numbers(entries) -> dict[int, str]:
    """The register numbers ("number/fiscal year") of the letters a page of the log points at, not their ids."""
    ids = {e.target_id for e in entries if e.target_type == "letter" and e.target_id}
    if not ids:
        return {}
    return {row.id: f"{row.number}/{row.fiscal_year}"
            for row in db.session.execute(select(Letter.id, Letter.number, Letter.fiscal_year).where(Letter.id.in_(ids)))}


#: Action families offered as filters; any other prefix can still be typed in.
AUDIT_PREFIXES = ("auth", "user", "unit", "category", "org", "case", "plan", "summary", "handbook", "letter",
                  "letters")
