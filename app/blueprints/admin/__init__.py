"""Administration: users, units, categories, organisation profile, audit log."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import routes  # noqa: E402,F401
from . import stats_settings  # noqa: E402,F401
from . import plans  # noqa: E402,F401
from . import handbooks  # noqa: E402,F401
from . import letters  # noqa: E402,F401
