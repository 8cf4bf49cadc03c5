"""Public views."""
from __future__ import annotations

from flask import render_template

from ...security.access import public
from . import bp


@bp.route("/")
@public
def home():
    """Explain the service and link the two channels."""
    return render_template("public/home.html")
