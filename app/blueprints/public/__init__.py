"""Public pages: the home page and, from #3, the two intake channels."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import routes  # noqa: E402,F401
from . import stats  # noqa: E402,F401
from . import handbooks  # noqa: E402,F401
from . import reports  # noqa: E402,F401
from . import survey  # noqa: E402,F401
from . import documents  # noqa: E402,F401
