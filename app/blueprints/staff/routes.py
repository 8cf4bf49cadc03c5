"""Staff views."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...security.access import staff_required
from . import bp


def _tiles() -> list[dict]:
    """Start-page links for the areas the user's roles open."""
    tiles = []
    if current_user.has_role("executive"):
        tiles.append({"url": url_for("executive.overview"), "title": _("ภาพรวมสำหรับผู้บริหาร"),
                      "text": _("สถิติเรื่องร้องเรียนและการดำเนินการภายใน 15 วัน")})
    if current_user.has_role("admin"):
        tiles.append({"url": url_for("admin.index"), "title": _("ผู้ดูแลระบบ"),
                      "text": _("ผู้ใช้ หน่วยงาน ประเภทเรื่อง และข้อมูลองค์กร")})
    return tiles


@bp.route("/")
@staff_required
def home():
    """The signed-in staff member's start page: what each of their roles can do."""
    return render_template("staff/home.html", staff_tiles=_tiles())
