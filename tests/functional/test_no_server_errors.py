"""Input that used to end in a 500: a control character in a spreadsheet cell, a deeply nested JSON body, a dead database."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.models import MeasureResult
from tests.conftest import csrf_from
from tests.functional.test_plan_reports import HALF, _login, plan  # noqa: F401 - the fixture is used by name


def test_measure_report_xlsx_takes_a_result_with_a_control_character_pasted_from_word(client, auth, plan):
    _login(client, auth, "integrity")
    page = client.get("/executive/reports/measures/results?fy=2569&period=half")
    training = next(m for m in plan.measures if m.running_no == 1)
    client.post("/executive/reports/measures/results", data={
        "csrf_token": csrf_from(page.get_data(as_text=True)), "fy": "2569", "period": "half",
        f"result-{training.id}": "จัดอบรมแล้ว\x0bผู้เข้าร่วม 45 คน\x07"})
    assert "\x0b" in db.session.get(MeasureResult, (training.id, 2569, "half")).text

    response = client.get(HALF.replace("measures?", "measures.xlsx?"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    cell = next(row[4].value for row in sheet.iter_rows() if (row[0].value or "").startswith("1.1.1 "))
    assert cell == "จัดอบรมแล้วผู้เข้าร่วม 45 คน"


def test_a_deeply_nested_json_body_is_a_400_and_files_nothing(client):
    body = '{"subject": "ก", "details": "ข", "reporter": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post("/api/v1/complaints", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


def test_moderately_nested_json_beyond_the_contract_is_a_400(client):
    body = '{"subject": "ก", "details": "ข", "reporter": {"name": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}}"
    response = client.post("/api/v1/complaints", data=body, content_type="application/json")
    assert response.status_code == 400


def test_health_answers_503_when_the_database_is_down(client, monkeypatch):
    def down(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(db.session, "execute", down)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
