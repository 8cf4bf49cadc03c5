"""Gunicorn settings for Sujarit: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Every setting can be changed through an environment variable (shown next to it). The app must
never log a citizen's IP address, so the access log is off by default and, when turned on, its
format leaves out the remote address (``%(h)s``), the query string, the referrer and the user agent.
"""
from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# Gunicorn is the production server: unless told otherwise, run the production configuration,
# which refuses to start without a real SECRET_KEY and keyring instead of generating throwaway ones.
os.environ.setdefault("SUJARIT_ENV", "production")

#: GUNICORN_BIND: where to listen; the TLS reverse proxy in front connects here.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

#: GUNICORN_WORKERS: processes; default 2 x cores + 1, at most 8. With more than one worker,
#: production needs RATELIMIT_STORAGE_URI=redis://... so every worker shares the same counters
#: (on_starting below refuses to start otherwise).
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
#: GUNICORN_THREADS: threads per worker (more than 1 switches to the gthread worker).
threads = _int("GUNICORN_THREADS", 1)

#: GUNICORN_TIMEOUT: seconds a request may take before its worker is restarted (PDF reports included).
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
#: Keep-alive for the reverse proxy's connections.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

#: Recycle workers now and then so slow leaks cannot grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

#: Each worker builds its own app (database engines and keyring are per process).
preload_app = False

#: Heartbeat files in memory rather than on a possibly slow disk.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

proc_name = "sujarit"

#: GUNICORN_ERRORLOG: "-" is stderr. The app's logging filter redacts addresses, e-mails, phones,
#: ID numbers and tracking codes from gunicorn's loggers as well.
errorlog = os.environ.get("GUNICORN_ERRORLOG", "-")
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

#: GUNICORN_ACCESSLOG: unset (default) means no access log; "-" means stdout, or give a file path.
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
#: Time, method, path (no query string), protocol, status, bytes, duration. No %(h)s (remote
#: address), %(a)s (user agent) or %(f)s (referrer): any of them can identify a citizen.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'

#: No runtime control socket (gunicorn >= 25 would otherwise create one in $HOME); older
#: versions ignore this name.
control_socket_disable = True


def on_starting(server):
    """Refuse production with several workers and per-process (memory://) rate-limit counters."""
    import sys

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from app.config import shared_limit_storage_problem

    problem = shared_limit_storage_problem(os.environ.get("SUJARIT_ENV", "production"), server.cfg.workers,
                                           os.environ.get("RATELIMIT_STORAGE_URI", "memory://"))
    if problem:
        sys.exit(problem)  # printed on stderr, exit status 1
