"""Thai labels (translatable) for statuses, channels, sources and roles, one term per concept."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

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
    "executive": _l("ผู้บริหาร"),
    "admin": _l("ผู้ดูแลระบบ"),
}
