"""The attachment disk fills up: the citizen gets a clear error, no case is stored without its files, nothing half-written stays.

The attachment folder is a real tmpfs of 256 KiB mounted for the test (needs root, as CI runs), so
the ENOSPC comes from the kernel, not from a stub.
"""
from __future__ import annotations

import io
import os
import subprocess

import pytest
from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Case
from tests.functional.test_intake import _post


@pytest.fixture
def tiny_disk(app, tmp_path):
    mount = tmp_path / "attachments"
    mount.mkdir()
    assert os.geteuid() == 0, "mounting the tmpfs needs root (CI runs as root)"
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", str(mount)], check=True)
    app.config["ATTACHMENT_DIR"] = str(mount)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _noise_png(side: int = 160) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def test_a_full_attachment_disk_refuses_the_submission_clearly_and_stores_nothing(client, tiny_disk):
    filler = tiny_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:  # ENOSPC: the disk is full
        os.ftruncate(fd, os.fstat(fd).st_size - 8192)  # leave about 8 KiB free
    finally:
        os.close(fd)
    photo = _noise_png()
    assert len(photo) > 40_000

    response = _post(client, "/report", {"subject": "เรียกรับเงิน", "details": "ขอเงินแลกใบอนุญาต"},
                     files=[(io.BytesIO(photo), "evidence.png")])

    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "ยังไม่ถูกบันทึก" in page and "Traceback" not in page
    assert db.session.scalar(select(func.count(Case.id))) == 0
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]  # no half-written .part file

    filler.unlink()  # space again: the same submission goes through, files and all
    response = _post(client, "/report", {"subject": "เรียกรับเงิน", "details": "ขอเงินแลกใบอนุญาต"},
                     files=[(io.BytesIO(photo), "evidence.png")])
    assert response.status_code == 303
    [name] = db.session.scalars(select(Attachment.storage_name)).all()
    assert (tiny_disk / name).exists()
