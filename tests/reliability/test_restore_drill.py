"""Restore drill: 200 cases with attachments filed while `flask backup create` runs, then restored into a new instance."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import time

from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case
from app.models.base import utcnow
from app.services import attachments as attachment_store
from app.services import intake, tracking
from tests.backup_helpers import empty_database, instance_app
from tests.reliability.servers import ROOT

FILERS, PER_FILER = 4, 50


def _photo(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (n % 256, (n * 7) % 256, 120)).save(out, "PNG")
    return out.getvalue()


def test_cases_acknowledged_before_the_snapshot_come_back_with_their_files(app, database_url, tmp_path):
    acknowledged: list[tuple[float, str, bytes]] = []
    errors: list[BaseException] = []
    started = threading.Event()

    def filer(n: int):
        try:
            with app.app_context():
                for i in range(PER_FILER):
                    photo = _photo(n * PER_FILER + i)
                    sub = intake.submit_report(intake.ReportInput(
                        subject=f"เรื่อง {n}-{i}", details="รายละเอียด",
                        files=[intake.Upload("evidence.png", photo)]), now=utcnow())
                    db.session.commit()
                    acknowledged.append((time.monotonic(), sub.tracking_code, photo))
                    if len(acknowledged) >= 40:
                        started.set()
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
            started.set()

    threads = [threading.Thread(target=filer, args=(n,)) for n in range(FILERS)]
    for t in threads:
        t.start()
    started.wait(timeout=120)
    env = {**os.environ, "DATABASE_URL": database_url, "SUJARIT_ENV": "testing",
           "SUJARIT_KEYRING": app.config["KEYRING_PATH"], "ATTACHMENT_DIR": app.config["ATTACHMENT_DIR"],
           "SUJARIT_INSTANCE_PATH": str(tmp_path / "instance")}
    snapshot = tmp_path / "snapshot"
    backup_started = time.monotonic()
    backup = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "backup", "create", str(snapshot)],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    for t in threads:
        t.join(timeout=300)
    assert errors == [] and backup.returncode == 0, (errors, backup.stderr)
    assert len(acknowledged) == FILERS * PER_FILER
    before = [(code, photo) for at, code, photo in acknowledged if at < backup_started]
    during = len(acknowledged) - len(before)
    assert before and during, "the backup must run while cases are being filed"

    with empty_database(database_url, tmp_path) as target_url:
        restored_app = instance_app(target_url, tmp_path / "restored-attachments", app.config["KEYRING_PATH"])
        with restored_app.app_context():
            result = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(snapshot)])
            assert result.exit_code == 0, result.output
            for code, photo in before:
                case = tracking.find_case(code)
                assert case is not None, f"case {code}, acknowledged before the snapshot, is missing"
                [attachment] = case.attachments
                assert attachment_store.read(attachment)[1] == attachment_store.clean(
                    attachment_store.Upload("evidence.png", photo)).data
            restored = db.session.scalar(select(func.count(Case.id)))
            for attachment_row in db.session.scalars(select(Case)).all():
                for attachment in attachment_row.attachments:  # no restored case without its file
                    attachment_store.read(attachment)
            db.session.remove()
            db.engine.dispose()
        db.session.remove()
    assert len(before) <= restored <= len(acknowledged)
    print(f"\nrestore drill: {len(before)} cases before the snapshot, {during} during it; {restored} restored")
