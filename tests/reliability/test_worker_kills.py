"""gunicorn workers killed with SIGKILL while 8 citizens file: every acknowledged case survives, no file is left orphaned."""
from __future__ import annotations

import io
import os
import random
import signal
import threading
import time
from datetime import timedelta

from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.models import Attachment
from app.models.base import utcnow
from app.services import attachments as attachment_store
from app.services import tracking
from tests.reliability.citizen import Citizen
from tests.reliability.servers import production_env, start_gunicorn, start_redis, worker_pids

CLIENTS, ROUNDS, KILL_EVERY = 8, int(os.environ.get("RELIABILITY_ROUNDS", "6")), 1.0
#: Citizens keep filing (past ROUNDS) until this many workers have been killed under them.
MIN_KILLS = 4


def _photo(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (48, 48), (n % 255, 40, 90)).save(out, "PNG")
    return out.getvalue()


def test_killing_workers_loses_no_acknowledged_case_and_leaves_no_orphan_file(app, database_url, tmp_path):
    keyring = app.extensions["sujarit_keyring"].path
    redis, redis_url = start_redis(tmp_path)
    env = production_env(tmp_path, database_url, keyring=keyring, RATELIMIT_STORAGE_URI=redis_url,
                         INTAKE_RATE_LIMIT="100000 per minute", API_RATE_LIMIT="100000 per minute")
    assert env["ATTACHMENT_DIR"] == app.config["ATTACHMENT_DIR"]
    server, base = start_gunicorn(tmp_path, env, workers=4)
    acknowledged: list[str] = []
    answers: list[int | str] = []
    kills = 0
    deadline = time.monotonic() + 240

    def citizen(n: int):
        browser = Citizen(base, timeout=20)
        i = 0
        while (i < ROUNDS or kills < MIN_KILLS) and time.monotonic() < deadline:
            i += 1
            try:
                if i % 2:
                    status, code = browser.file_by_api(f"API {n}-{i}")
                else:
                    status, code = browser.file_with_attachment("/report" if n % 2 else "/complaint",
                                                                f"ฟอร์ม {n}-{i}", _photo(n * 100 + i))
            except OSError as exc:  # the worker died under this request: no answer, nothing acknowledged
                answers.append(type(exc).__name__)
                continue
            answers.append(status)
            if code:
                acknowledged.append(code)

    try:
        threads = [threading.Thread(target=citizen, args=(n,)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
            time.sleep(KILL_EVERY)
            workers = worker_pids(server.popen.pid)
            if workers:
                os.kill(random.choice(workers), signal.SIGKILL)
                kills += 1
        for t in threads:
            t.join(timeout=60)
    finally:
        server.stop()
        redis.stop()

    statuses = [a for a in answers if isinstance(a, int)]
    assert kills >= MIN_KILLS and acknowledged, (kills, answers)
    assert all(s in (200, 201, 303) for s in statuses), answers  # a killed request has no answer, never a 500
    db.session.rollback()
    for code in acknowledged:
        case = tracking.find_case(code)
        assert case is not None, f"acknowledged case {code} was lost"
        for attachment in case.attachments:
            assert attachment_store.read(attachment)[1].startswith(b"\x89PNG")
    names = set(db.session.scalars(select(Attachment.storage_name)))
    on_disk = {p.name for p in attachment_store.storage_dir().iterdir()}
    assert names <= on_disk, "a case lost its file"
    attachment_store.remove_orphans(utcnow() + timedelta(hours=2))  # the hourly housekeeping, after its grace
    assert {p.name for p in attachment_store.storage_dir().iterdir()} == names
    print(f"\n{kills} workers killed; {len(acknowledged)} cases acknowledged, all trackable; "
          f"{len(on_disk - names)} orphan files removed by housekeeping")
