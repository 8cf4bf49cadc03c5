"""End-to-end fixtures: the real app served over HTTP and a headless Chromium emulating a phone.

The browser is Debian's ``chromium`` (CI installs it); Playwright's own browser downloads are
not used. A missing browser fails the run loudly: these tests are never skipped.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app.extensions import db
from app.models.base import utcnow

#: Where screenshots of the citizen pages are written for a human to look at.
SHOTS_DIR = Path(os.environ.get("E2E_SHOTS_DIR", "/tmp/e2e-shots"))

#: A small Android phone (the narrowest width the citizen pages must fit).
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "th-TH",
    "accept_downloads": True,
}

_CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def live_server(app):
    """Serve ``app`` on a free local port in a background thread; yield its base URL.

    The demo units, categories and an organisation are seeded first, as a fresh install has them.
    """
    from app.services import seed

    seed.ensure_units_and_categories()
    seed.ensure_organisation(name="องค์การบริหารส่วนตำบลทดสอบ", short_name="อบต.ทดสอบ", org_type="sao",
                             now=utcnow())
    db.session.commit()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    # Receipts, print views and QR codes link here, so they must point at this server.
    app.config["PUBLIC_BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        # Let the test thread see the server's writes cleanly before the tables are emptied.
        db.session.rollback()


def _chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        pytest.fail(
            "Chromium is required for the end-to-end tests but was not found "
            "(looked for `chromium` on PATH and /usr/bin/chromium). "
            "Install it with: apt-get install -y chromium",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    from playwright.sync_api import sync_playwright

    executable = _chromium_path()
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, headless=True, args=_CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def new_phone(browser):
    """Open a fresh phone (its own cookies) and return its first page; all are closed afterwards.

    Keyword arguments override the phone's context options, e.g. ``java_script_enabled=False``.
    """
    contexts = []

    def open_phone(**overrides):
        context = browser.new_context(**{**PHONE, **overrides})
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


@pytest.fixture
def phone(new_phone):
    """A page in a 360x740 touch-screen phone browser set to Thai."""
    return new_phone()


@pytest.fixture
def shot():
    """Save a full-page screenshot as /tmp/e2e-shots/<name>.png and return its path."""
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SHOTS_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
