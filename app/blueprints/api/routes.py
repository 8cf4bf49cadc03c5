"""API views."""
from __future__ import annotations

from flask import jsonify
from sqlalchemy import text

from ...extensions import db
from ...security.access import public
from . import bp


@bp.route("/health")
@public
def health():
    """Liveness and database reachability, for load balancers and monitoring."""
    db.session.execute(text("SELECT 1"))
    return jsonify({"status": "ok"})
