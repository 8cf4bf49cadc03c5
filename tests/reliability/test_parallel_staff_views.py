"""Integrity officers opening one corruption report at once: every view and download answers, every one is audited."""
from __future__ import annotations

import io
import threading

from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEntry, Case
from app.services import attachments as attachment_store
from tests.conftest import AuthActions
from tests.factories import PASSWORD, file_report, make_user

CLIENTS, VIEWS = 8, 10


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 10, 10)).save(out, "PNG")
    return out.getvalue()


def test_eight_parallel_staff_views_of_a_corruption_report_all_answer_and_are_all_audited(app):
    for n in range(CLIENTS):
        make_user("integrity", username=f"niti{n}")
    case, _ = file_report()
    attachment_store.store(case, attachment_store.clean(attachment_store.Upload("a.png", _photo())))
    db.session.commit()
    case_id, case_uid, attachment_uid = case.id, case.uid, case.attachments[0].uid
    clients = []
    for n in range(CLIENTS):
        client = app.test_client()
        assert AuthActions(client).login(f"niti{n}", PASSWORD).status_code == 302
        clients.append(client)
    statuses: list[int] = []
    barrier = threading.Barrier(CLIENTS)

    def browse(client):
        with app.app_context():
            barrier.wait()
            for i in range(VIEWS):
                url = (f"/staff/cases/{case_uid}" if i % 2 == 0
                       else f"/staff/cases/{case_uid}/attachments/{attachment_uid}")
                statuses.append(client.get(url).status_code)
            db.session.remove()

    threads = [threading.Thread(target=browse, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(set(statuses)) == [200] and len(statuses) == CLIENTS * VIEWS
    db.session.rollback()
    audited = db.session.scalar(select(func.count(AuditEntry.id)).where(
        AuditEntry.target_id == case_id, AuditEntry.action.in_(("case.view", "case.attachment_download"))))
    assert audited == CLIENTS * VIEWS
    assert db.session.get(Case, case_id).channel == "corruption"
