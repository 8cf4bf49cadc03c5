"""The one place that builds the service's addresses for e-mails, QR codes, letters and documents.

Every absolute link starts from ``PUBLIC_BASE_URL`` and takes its path from the route map, so renaming a
route changes every e-mail and QR code with it. Works inside or outside a request (scheduler, CLI).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def _path(endpoint: str, **values) -> str:
    # Bound to a placeholder host: only the path is used, the host comes from PUBLIC_BASE_URL.
    adapter = current_app.url_map.bind("localhost", url_scheme="http")
    return adapter.build(endpoint, values, force_external=False)


def base() -> str:
    """The public address without a trailing slash, e.g. ``https://complaints.example.go.th``."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/")


def url(endpoint: str, **values) -> str:
    """Absolute address of any route of this site, e.g. ``url("public.handbook", kind="general")``."""
    return base() + _path(endpoint, **values)


def path(endpoint: str, **values) -> str:
    """The site-relative path of a route (for links inside a page of this site)."""
    return _path(endpoint, **values)


def tracking(code: str) -> str:
    """The tracking page of one code (QR codes on receipts)."""
    return url("tracking.by_link", code=code)


def tracking_lookup() -> str:
    """The page where a citizen types a tracking code (e-mails)."""
    return url("tracking.lookup")


def survey(token: str) -> str:
    """The satisfaction survey of one invitation (e-mails, the completion notice's QR code)."""
    return url("public.survey", token=token)


def staff_case(case) -> str:
    """A case's page for staff (e-mails), by its random ``uid``: sequential ids would let anyone count reports."""
    return url("staff.case", uid=case.uid)


def set_password(token: str) -> str:
    """The one-time link with which an account's owner sets their own password."""
    return url("auth.set_password", token=token)


def for_typing(address: str) -> str:
    """The address as printed for typing by hand: no "https://", query or fragment (http keeps its scheme)."""
    parts = urlsplit(address)
    host = parts.netloc if parts.scheme in ("https", "") else f"{parts.scheme}://{parts.netloc}"
    return f"{host}{parts.path}"
