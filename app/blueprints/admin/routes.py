"""Admin views."""
from __future__ import annotations

from flask import render_template

from ...models.people import ADMIN
from ...security.access import roles_required
from . import bp


@bp.route("/")
@roles_required(ADMIN)
def index():
    """The admin start page."""
    return render_template("admin/index.html", admin_tiles=[])
