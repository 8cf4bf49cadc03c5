"""Executive pages: statistics and reports, never personal data."""
from flask import Blueprint

bp = Blueprint("executive", __name__)

from . import routes  # noqa: E402,F401
from . import reports  # noqa: E402,F401
