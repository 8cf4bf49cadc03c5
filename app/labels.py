"""Thai labels (translatable) for statuses, channels, sources and roles, one term per concept.

Also the lazy-translation helpers the services use for their messages: the Thai source text is the
message; :func:`lazy_text` translates it when it is shown during a request in the visitor's language,
and gives the Thai text itself outside a request (CLI output, background work), where
``flask_babel.lazy_gettext`` would ask the locale selector for a request that is not there.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import has_request_context
from flask_babel import gettext
from flask_babel.speaklater import LazyString


def _text(string: str, **variables) -> str:
    if has_request_context():
        return gettext(string, **variables)
    return string % variables if variables else string


def lazy_text(string: str, **variables) -> LazyString:
    """Like ``flask_babel.lazy_gettext`` (same placeholders), but Thai when there is no request.

    Import it as ``_l`` so ``make messages`` (``pybabel extract -k _l``) collects the strings.
    """
    return LazyString(_text, string, **variables)


def lazy_join(separator: str, items: Iterable) -> LazyString:
    """``separator.join(items)`` of lazy messages, translated only when shown."""
    parts = tuple(items)
    return LazyString(lambda: separator.join(str(p) for p in parts))


def lazy_concat(*parts) -> LazyString:
    """Plain text and lazy messages put together, translated only when shown."""
    return LazyString(lambda: "".join(str(p) for p in parts))


_l = lazy_text

STATUS_LABELS = {
    "received": _l("รับเรื่องแล้ว"),
    "in_progress": _l("อยู่ระหว่างดำเนินการ"),
    "completed": _l("ดำเนินการแล้วเสร็จ"),
    "rejected": _l("ไม่รับพิจารณา"),
    "forwarded": _l("ส่งต่อหน่วยงานที่เกี่ยวข้อง"),
}

CHANNEL_LABELS = {
    "general": _l("เรื่องร้องเรียน/ร้องทุกข์ทั่วไป"),
    "corruption": _l("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
}

SOURCE_LABELS = {
    "web": _l("เว็บไซต์"),
    "api": _l("แอปพลิเคชัน/ระบบอื่น"),
    "phone": _l("โทรศัพท์"),
    "letter": _l("หนังสือ/จดหมาย"),
    "box": _l("ตู้รับเรื่องร้องเรียน"),
    "walk_in": _l("ยื่นด้วยตนเอง ณ ที่ทำการ"),
    "social_media": _l("สื่อสังคมออนไลน์ (Facebook, LINE)"),
    "damrongdham": _l("ศูนย์ดำรงธรรม"),
    "hotline_1111": _l("สายด่วน 1111"),
}

ROLE_LABELS = {
    "intake": _l("เจ้าหน้าที่รับเรื่องร้องเรียน"),
    "unit_officer": _l("เจ้าหน้าที่กอง/สำนัก"),
    "integrity": _l("เจ้าหน้าที่งานนิติการ (เรื่องทุจริต)"),
    "oversight": _l("ผู้กำกับดูแลเรื่องร้องเรียนการทุจริต"),
    "executive": _l("ผู้บริหาร"),
    "admin": _l("ผู้ดูแลระบบ"),
}

#: Agencies a case may be forwarded to (ส่งต่อหน่วยงานที่เกี่ยวข้อง).
AGENCY_LABELS = {
    "nacc": _l("สำนักงาน ป.ป.ช."),
    "pacc": _l("สำนักงาน ป.ป.ท."),
    "damrongdham": _l("ศูนย์ดำรงธรรม"),
    "district": _l("อำเภอ"),
    "province": _l("จังหวัด"),
    "other": _l("หน่วยงานอื่น"),
}

#: The organisation types of app.models.org.ORG_TYPES (same Thai text), for screens.
ORG_TYPE_LABELS = {
    "sao": _l("องค์การบริหารส่วนตำบล"),
    "tambon_municipality": _l("เทศบาลตำบล"),
    "town_municipality": _l("เทศบาลเมือง"),
    "city_municipality": _l("เทศบาลนคร"),
}
