"""`flask backup create|verify|restore`: a snapshot an อบต. can bring back on a new server, and nothing less."""
from __future__ import annotations

import io
import json
import os
import stat
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import Case
from app.models.base import utcnow
from app.scheduler import jobs, process
from app.services import attachments as attachment_store
from app.services import intake, tracking
from app.services.operations import backups
from tests.backup_helpers import empty_database, instance_app
from tests.factories import file_complaint


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 24), (0, 90, 200)).save(out, "PNG")
    return out.getvalue()


def _cases_with_files(n: int) -> list[str]:
    codes = []
    for i in range(n):
        sub = intake.submit_report(intake.ReportInput(subject=f"เรื่อง {i}", details="รายละเอียด",
                                                      files=[intake.Upload(f"p{i}.png", _png())]), now=utcnow())
        db.session.commit()
        codes.append(sub.tracking_code)
    return codes


def _keyring(app) -> str:
    return str(app.extensions["sujarit_keyring"].path)


def test_a_snapshot_restores_into_a_new_instance_where_codes_track_and_files_decrypt(app, runner, database_url,
                                                                                    tmp_path):
    codes = _cases_with_files(3)
    general, general_code = file_complaint()
    snapshot = tmp_path / "snap"

    created = runner.invoke(args=["backup", "create", str(snapshot)])

    assert created.exit_code == 0, created.output
    assert "4 cases, 3 attachment files" in created.output
    assert "NOT in the snapshot" in created.output and _keyring(app) in created.output
    assert not any(p.name == "keyring.json" for p in snapshot.rglob("*"))
    assert stat.S_IMODE(snapshot.stat().st_mode) == 0o700
    assert runner.invoke(args=["backup", "verify", str(snapshot)]).exit_code == 0

    with empty_database(database_url, tmp_path) as target_url:
        other = instance_app(target_url, tmp_path / "restored-files", _keyring(app))
        with other.app_context():
            restored = other.test_cli_runner().invoke(args=["backup", "restore", str(snapshot)])
            assert restored.exit_code == 0, restored.output
            assert db.session.scalar(select(func.count(Case.id))) == 4
            for code in codes:
                case = tracking.find_case(code)
                [attachment] = case.attachments
                assert attachment_store.read(attachment)[1].startswith(b"\x89PNG")
            assert tracking.find_case(general_code).case_number == general.case_number
            client = other.test_client()
            assert client.get(f"/track/{codes[0]}").status_code == 200
            db.session.remove()
            db.engine.dispose()
        db.session.remove()  # the restored instance's connections end before its database is dropped


def test_restore_refuses_a_database_that_is_not_empty(app, runner, tmp_path):
    _cases_with_files(1)
    runner.invoke(args=["backup", "create", str(tmp_path / "snap")])
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "snap")])
    assert result.exit_code != 0 and "not empty" in result.output
    assert db.session.scalar(select(func.count(Case.id))) == 1


def test_restore_refuses_a_keyring_other_than_the_snapshots(app, runner, database_url, tmp_path):
    _cases_with_files(1)
    runner.invoke(args=["backup", "create", str(tmp_path / "snap")])
    with empty_database(database_url, tmp_path) as target_url:
        other = instance_app(target_url, tmp_path / "files", str(tmp_path / "another-keyring.json"))
        with other.app_context():
            result = other.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "snap")])
            assert result.exit_code != 0 and "keyring" in result.output
            db.engine.dispose()


@pytest.mark.parametrize("damage", ["no manifest", "altered attachment", "missing attachment", "foreign manifest"])
def test_verify_and_restore_refuse_a_partial_altered_or_foreign_snapshot(app, runner, tmp_path, damage):
    _cases_with_files(2)
    snapshot = tmp_path / "snap"
    assert runner.invoke(args=["backup", "create", str(snapshot)]).exit_code == 0
    files = sorted((snapshot / "attachments").iterdir())
    if damage == "no manifest":
        (snapshot / "manifest.json").unlink()
    elif damage == "altered attachment":
        files[0].write_bytes(files[0].read_bytes()[:-1] + b"\x00")
    elif damage == "missing attachment":
        files[1].unlink()
    else:
        (snapshot / "manifest.json").write_text(json.dumps({"format": "something-else", "files": {}}))
    for command in ("verify", "restore"):
        result = runner.invoke(args=["backup", command, str(snapshot)])
        assert result.exit_code != 0, (command, result.output)


def test_create_refuses_a_folder_that_is_not_empty(app, runner, tmp_path):
    (tmp_path / "snap").mkdir()
    (tmp_path / "snap" / "something").write_text("x")
    result = runner.invoke(args=["backup", "create", str(tmp_path / "snap")])
    assert result.exit_code != 0 and "not empty" in result.output


def test_the_nightly_job_writes_a_snapshot_and_keeps_the_newest_n(app, tmp_path, monkeypatch):
    _cases_with_files(1)
    app.config.update(BACKUP_DIR=str(tmp_path / "nightly"), BACKUP_KEEP=2)
    (tmp_path / "nightly").mkdir()
    (tmp_path / "nightly" / "sujarit-20000101-000000").mkdir()  # an unfinished run: no manifest
    nights = iter(utcnow() + timedelta(days=n) for n in range(3))
    monkeypatch.setattr(jobs, "utcnow", lambda: next(nights))
    made = [jobs.nightly_backup(app) for _ in range(3)]
    kept = sorted(p.name for p in (tmp_path / "nightly").iterdir())
    assert kept == sorted(os.path.basename(m) for m in made[1:])
    for name in kept:
        backups.verify(tmp_path / "nightly" / name)


def test_the_scheduler_runs_the_nightly_backup_only_when_backup_dir_is_set(app, tmp_path):
    from apscheduler.schedulers.background import BackgroundScheduler

    assert process.build(app, BackgroundScheduler()).get_job(process.BACKUP_JOB_ID) is None
    app.config["BACKUP_DIR"] = str(tmp_path)
    job = process.build(app, BackgroundScheduler()).get_job(process.BACKUP_JOB_ID)
    assert job is not None and "hour='2'" in str(job.trigger)
