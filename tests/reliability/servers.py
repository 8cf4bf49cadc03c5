"""Real servers for the reliability tests, on free loopback ports: redis-server and gunicorn."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port}")


class Process:
    """A child process stopped (and waited for) when the test is done."""

    def __init__(self, args: list[str], env: dict | None = None, log: Path | None = None):
        self.log = log
        out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
        self.popen = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                      start_new_session=True)

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log else ""


def start_redis(tmp: Path) -> tuple[Process, str]:
    """A private redis-server (no persistence) on a free port; returns it and its URL."""
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    assert os.path.exists(binary), "redis-server is needed (Debian package redis-server; make system-deps)"
    port = free_port()
    proc = Process([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", str(tmp)], log=tmp / "redis.log")
    wait_for_port(port)
    return proc, f"redis://127.0.0.1:{port}/0"


def gunicorn_binary() -> str:
    return str(Path(sys.executable).with_name("gunicorn"))


def start_gunicorn(tmp: Path, env: dict, workers: int, preload: bool = False) -> tuple[Process, str]:
    """gunicorn with the project's gunicorn.conf.py and ``workers`` workers; returns it and its base URL.

    ``preload`` loads the app before forking, so every worker accepts requests as soon as the first does.
    """
    port = free_port()
    full_env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers),
                "GUNICORN_ERRORLOG": "-", "PYTHONUNBUFFERED": "1"}
    if preload:
        full_env["GUNICORN_CMD_ARGS"] = "--preload"
    proc = Process([gunicorn_binary(), "-c", "gunicorn.conf.py", "wsgi:app"], env=full_env, log=tmp / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise RuntimeError("gunicorn exited:\n" + proc.output())
        try:
            with urllib.request.urlopen(base + "/api/v1/health", timeout=2):
                return proc, base
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    proc.stop()
    raise TimeoutError("gunicorn did not answer:\n" + proc.output())


def production_env(tmp: Path, database_url: str, keyring: Path | None = None, **extra: str) -> dict:
    """What a production deployment sets: a real secret, a keyring file, the database."""
    keyring = keyring or tmp / "keyring.json"
    if not keyring.exists():
        subprocess.run([sys.executable, "-m", "app.security", "init", str(keyring)], cwd=ROOT, check=True,
                       capture_output=True)
    return {"SUJARIT_ENV": "production", "SECRET_KEY": "r" * 48, "SUJARIT_KEYRING": str(keyring),
            "DATABASE_URL": database_url, "SUJARIT_INSTANCE_PATH": str(tmp / "instance"),
            "ATTACHMENT_DIR": str(tmp / "attachments"), "SESSION_COOKIE_SECURE": "false", **extra}


def request(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 30):
    """One request on a new connection: (status, body bytes); HTTP errors are answers, not exceptions."""
    req = urllib.request.Request(url, data=data, headers={"Connection": "close", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers of ``master`` (its child processes)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return pids
