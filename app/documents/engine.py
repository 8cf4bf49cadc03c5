"""HTML to PDF with Debian's headless Chromium, kept warm in each process.

Why Chromium: it breaks Thai lines at dictionary word boundaries (ICU) and its PDF text layer gives back
exactly the Thai that went in (SARA AM, tone marks), with no invisible characters; WeasyPrint 70 breaks
lines as well but loses the decomposed SARA AM in the text layer ("ตำบล" comes back as "ตาบล").

One browser per process, started on first use and reused (a page takes about 0.06 s warm, the launch
about 0.5 s). Playwright's sync API belongs to the thread that started it, so a single renderer thread
owns the browser and every caller (any gunicorn or dev-server thread) hands it work through a queue.
After a fork (gunicorn workers) the child starts its own. Pages run without JavaScript and every
network request is refused: a document holds only what the app put into it (inline CSS, fonts and
images as data: URIs).
"""
from __future__ import annotations

import atexit
import logging
import os
import queue
import re
import shutil
import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from datetime import datetime, timezone

log = logging.getLogger(__name__)

#: Where Debian puts the browser (package ``chromium``).
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: Seconds the browser may take to start.
LAUNCH_TIMEOUT = 30

_ARGS = [
    "--no-sandbox",  # the service user cannot use Chromium's user-namespace sandbox on most servers
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--mute-audio",
    # Belt and braces behind the request filter: no host name resolves from inside the renderer.
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


class EngineUnavailable(RuntimeError):
    """The PDF engine cannot render now (browser missing, crashed or too slow); the message says why."""


@dataclass(frozen=True)
class _Job:
    html: str
    timeout: float
    future: Future


class _Renderer:
    """A thread that owns one Playwright and one Chromium, and renders jobs one by one."""

    def __init__(self, executable: str) -> None:
        self.executable = executable
        self.pid = os.getpid()
        self.jobs: queue.Queue[_Job | None] = queue.Queue()
        #: Set when a job outlived its timeout: the next caller starts a fresh renderer.
        self.hung = False
        self.thread = threading.Thread(target=self._run, name="pdf-renderer", daemon=True)
        self.thread.start()

    def render(self, html: str, timeout: float) -> bytes:
        future: Future = Future()
        self.jobs.put(_Job(html, timeout, future))
        try:
            # The page's own timeouts (half of this each) fire first; this one catches a browser that hangs.
            return future.result(timeout=timeout)
        except FutureTimeout:
            future.cancel()  # still queued: never start it
            self.hung = True
            raise EngineUnavailable(f"the PDF renderer did not answer within {timeout:g} s") from None

    def stop(self) -> None:
        self.jobs.put(None)

    def _run(self) -> None:
        from playwright.sync_api import sync_playwright

        playwright = browser = None
        try:
            while True:
                job = self.jobs.get()
                if job is None:
                    return
                if not job.future.set_running_or_notify_cancel():
                    continue
                try:
                    if browser is None or not browser.is_connected():
                        if playwright is None:
                            playwright = sync_playwright().start()
                        browser = playwright.chromium.launch(executable_path=self.executable, headless=True,
                                                             args=_ARGS, timeout=LAUNCH_TIMEOUT * 1000)
                    job.future.set_result(self._pdf(browser, job))
                except Exception as exc:  # handed to the caller, who turns it into a clear error
                    job.future.set_exception(exc)
        finally:
            for closer in (getattr(browser, "close", None), getattr(playwright, "stop", None)):
                try:
                    if closer:
                        closer()
                except Exception:  # the process is ending anyway
                    pass

    @staticmethod
    def _pdf(browser, job: _Job) -> bytes:
        context = browser.new_context(java_script_enabled=False, offline=True)
        try:
            context.set_default_timeout(job.timeout * 1000 / 2)
            # data: URLs never reach this handler; everything else (http, file, ...) is refused.
            context.route("**/*", lambda route: route.abort("blockedbyclient"))
            page = context.new_page()
            page.set_content(job.html, wait_until="load")
            return page.pdf(prefer_css_page_size=True, print_background=True, tagged=False, outline=False)
        finally:
            context.close()


_lock = threading.Lock()
_renderer: _Renderer | None = None


def chromium_path(configured: str | None = None) -> str:
    """The browser to use: ``configured`` (CHROMIUM_PATH), else ``chromium`` on PATH, else Debian's path."""
    return configured or shutil.which("chromium") or DEFAULT_CHROMIUM


def html_to_pdf(html: str, *, executable: str | None = None, timeout: float = 30.0,
                created: datetime | None = None) -> bytes:
    """Render a self-contained HTML document to PDF bytes.

    ``created`` becomes the file's creation and modification date (else a fixed placeholder), so a file
    never tells when it was generated.

    :raise EngineUnavailable: the browser is missing, failed to start, crashed, or took too long.
    """
    global _renderer
    path = chromium_path(executable)
    if not os.path.exists(path):
        raise EngineUnavailable(
            f"Chromium was not found at {path}: install the Debian package 'chromium' "
            "(apt-get install chromium) or set CHROMIUM_PATH")
    with _lock:
        if _renderer is not None and _renderer.hung:
            _renderer.stop()  # it exits after the job it is stuck on; its browser closes with it
            _renderer = None
        if _renderer is None or _renderer.pid != os.getpid() or not _renderer.thread.is_alive():
            _renderer = _Renderer(path)  # a forked worker starts its own
        renderer = _renderer
    try:
        pdf = renderer.render(html, timeout)
    except EngineUnavailable:
        raise
    except Exception as exc:
        log.error("PDF rendering failed: %s", type(exc).__name__)
        raise EngineUnavailable(f"the PDF renderer failed ({type(exc).__name__})") from exc
    return _set_metadata(pdf, created)


def shutdown() -> None:
    """Close this process's browser (tests, process exit)."""
    global _renderer
    with _lock:
        if _renderer is not None and _renderer.pid == os.getpid():
            _renderer.stop()
            _renderer.thread.join(timeout=10)
        _renderer = None


atexit.register(shutdown)

#: Chromium writes the generation time as e.g. (D:20261204153501+00'00').
_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:(\d{14})([^)]*)\)")
#: The placeholder when no date is given (the instant many PDF tools use for reproducible output).
NO_DATE = datetime(1970, 1, 1, tzinfo=timezone.utc)


#: Chromium names itself (browser and version) as the creator.
_CREATOR = re.compile(rb"/Creator \((?:[^()\\]|\\.)*\)")
CREATOR = b"/Creator (Sujarit)"


def _set_metadata(pdf: bytes, when: datetime | None) -> bytes:
    """The file's dates set to ``when`` and its creator to "Sujarit": what it is and what made it, never when."""
    # Same length in, same length out (spaces are whitespace between PDF tokens), so the
    # cross-reference offsets stay right.
    stamp = (when or NO_DATE).astimezone(timezone.utc).strftime("%Y%m%d%H%M%S").encode()
    pdf = _DATE.sub(lambda m: b"/" + m.group(1) + b" (D:" + stamp + m.group(3) + b")", pdf)
    return _CREATOR.sub(lambda m: CREATOR + b" " * (len(m.group(0)) - len(CREATOR)), pdf, count=1)
