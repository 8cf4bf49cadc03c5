"""Pages for staff who work cases (intake, unit and integrity officers, oversight) and approve requests."""
from flask import Blueprint

bp = Blueprint("staff", __name__)

from . import routes  # noqa: E402,F401
from . import analysis  # noqa: E402,F401
from . import letters  # noqa: E402,F401
from . import entry  # noqa: E402,F401
from . import protected  # noqa: E402,F401
