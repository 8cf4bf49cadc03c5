"""Role checks as small view decorators."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def roles_required(*roles: str, hide: bool = False) -> Callable:
    """Allow only signed-in staff holding one of ``roles``.

    :param hide: answer 404 instead of 403, for routes whose mere existence
        (a case id, a report) must not be confirmed to the wrong person.
    :raise NotFound / Forbidden: for a signed-in user without the role.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(404 if hide else 403)
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)  # read by the route-coverage test
        return wrapped

    return decorator


def staff_required(view: Callable) -> Callable:
    """Allow any signed-in staff member, whatever their roles."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    wrapped.required_roles = frozenset()
    return wrapped


def public(view: Callable) -> Callable:
    """Mark a view as deliberately open to everyone (checked by the route-coverage test)."""
    view.is_public = True
    return view
