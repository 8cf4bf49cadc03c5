"""The public JSON API v1, checked against the contract in PRODUCT.md."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.extensions import db
from app.models import Case
from tests.factories import seed_categories

ISO_BKK = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def assert_error_shape(body: dict, code: str):
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_post_complaint_returns_201_with_contract_fields(client):
    seed_categories()
    response = client.post("/api/v1/complaints", json={
        "subject": "น้ำประปาไม่ไหล", "details": "สามวันแล้ว", "category": "water", "location": "หมู่ 4",
        "reporter": {"name": "สมชาย", "phone": "0812345678", "email": "s@example.com", "address": "บ้านเลขที่ 1"}})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"tracking_code", "case_number", "channel", "status", "received_at", "due_at"}
    assert body["channel"] == "general" and body["status"] == "received"
    assert body["case_number"].startswith("ร. 1/")
    assert ISO_BKK.match(body["received_at"]) and ISO_BKK.match(body["due_at"])
    received = datetime.fromisoformat(body["received_at"])
    assert datetime.fromisoformat(body["due_at"]) - received == timedelta(days=15)
    assert "Set-Cookie" not in response.headers
    assert db.session.scalar(select(Case)).source == "api"


def test_post_complaint_without_reporter_is_accepted(client):
    response = client.post("/api/v1/complaints", json={"subject": "ก", "details": "ข"})
    assert response.status_code == 201


def test_post_report_returns_201_without_case_number(client):
    response = client.post("/api/v1/reports", json={
        "subject": "ฮั้วประมูล", "details": "ผู้รับเหมารายเดิมทุกโครงการ",
        "accused": {"name": "นาย ก", "position": "นายช่าง", "unit": "กองช่าง"},
        "incident_date": "2026-01-15", "location": "ที่ทำการ"})
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"tracking_code", "channel", "status", "received_at", "due_at"}
    assert body["channel"] == "corruption" and body["status"] == "received"
    case = db.session.scalar(select(Case))
    assert case.is_anonymous


def test_missing_required_fields_give_422_with_field_messages(client):
    response = client.post("/api/v1/complaints", json={"details": ""})
    assert response.status_code == 422
    body = response.get_json()
    assert_error_shape(body, "validation_failed")
    assert set(body["error"]["fields"]) == {"subject", "details"}
    assert count() == 0


def test_wrong_types_are_reported_with_the_other_problems(client):
    response = client.post("/api/v1/reports", json={"details": 5, "accused": {"name": ["x"]},
                                                    "reporter": {"email": "bad"}})
    fields = response.get_json()["error"]["fields"]
    assert response.status_code == 422
    assert set(fields) == {"subject", "details", "accused.name", "reporter.email"}
    assert count() == 0


def test_reporter_must_be_an_object(client):
    response = client.post("/api/v1/complaints", json={"subject": "ก", "details": "ข", "reporter": "me"})
    assert response.status_code == 422
    assert "reporter" in response.get_json()["error"]["fields"]


def test_unknown_category_is_a_field_error(client):
    response = client.post("/api/v1/complaints", json={"subject": "ก", "details": "ข", "category": "nope"})
    assert response.status_code == 422
    assert "category" in response.get_json()["error"]["fields"]


def test_future_incident_date_is_refused(client):
    response = client.post("/api/v1/reports", json={"subject": "ก", "details": "ข", "incident_date": "2999-01-01"})
    assert response.status_code == 422
    assert "incident_date" in response.get_json()["error"]["fields"]


def test_body_that_is_not_json_gives_415_and_broken_json_400(client):
    response = client.post("/api/v1/complaints", data="subject=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert_error_shape(response.get_json(), "unsupported_media_type")
    response = client.post("/api/v1/complaints", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert_error_shape(response.get_json(), "invalid_json")
    response = client.post("/api/v1/complaints", json=["a", "list"])
    assert response.status_code == 400


def test_wrong_method_gives_405_json(client):
    response = client.get("/api/v1/complaints")
    assert response.status_code == 405
    assert_error_shape(response.get_json(), "method_not_allowed")


def test_track_returns_status_dates_overdue_and_public_updates_only(client):
    created = client.post("/api/v1/complaints", json={"subject": "ก", "details": "ข",
                                                      "reporter": {"name": "ชื่อลับ"}}).get_json()
    response = client.get(f"/api/v1/track/{created['tracking_code']}")
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"channel", "status", "received_at", "due_at", "overdue", "updates"}
    assert body["overdue"] is False and body["status"] == "received"
    assert body["received_at"] == created["received_at"] and body["due_at"] == created["due_at"]
    assert body["updates"] == [{"at": created["received_at"], "status": "received", "message": ""}]
    assert "ชื่อลับ" not in response.get_data(as_text=True)


def test_track_accepts_the_code_typed_loosely(client):
    code = client.post("/api/v1/reports", json={"subject": "ก", "details": "ข"}).get_json()["tracking_code"]
    assert client.get(f"/api/v1/track/{code.lower().replace('-', '')}").status_code == 200


def test_track_reports_overdue_cases(client):
    code = client.post("/api/v1/complaints", json={"subject": "ก", "details": "ข"}).get_json()["tracking_code"]
    case = db.session.scalar(select(Case))
    case.due_at = case.received_at - timedelta(days=1)
    db.session.commit()
    assert client.get(f"/api/v1/track/{code}").get_json()["overdue"] is True


def test_unknown_codes_all_get_the_same_404(client):
    client.post("/api/v1/complaints", json={"subject": "ก", "details": "ข"})
    bodies = set()
    for code in ("AAAA-BBBB-CCCC-DDDD", "x", "%27%20OR%201=1--", "0" * 200, "ก"):
        response = client.get(f"/api/v1/track/{code}")
        assert response.status_code == 404
        bodies.add(response.get_data())
    assert len(bodies) == 1
    assert_error_shape(client.get("/api/v1/track/zzz").get_json(), "not_found")


def test_guessing_codes_is_rate_limited(app, client):
    app.config["TRACKING_RATE_LIMIT"] = "3 per minute"
    statuses = [client.get(f"/api/v1/track/GUESS{i}").status_code for i in range(4)]
    assert statuses == [404, 404, 404, 429]
    assert_error_shape(client.get("/api/v1/track/again").get_json(), "rate_limited")
