"""GET /api/v1/stats exactly as the contract says: fields, types, every month, 400s, small-count nulls."""
from __future__ import annotations

import pytest

from app.extensions import db
from app.models.base import utcnow
from app.services import stats_settings
from tests.stats_data import (CORRUPTION_2569, CORRUPTION_2569_TOTAL, GENERAL_2569, GENERAL_2569_TOTAL, MONTH_KEYS,
                              NOW, build_fy2569)

COLUMNS = ("received", "completed", "in_progress", "rejected", "forwarded")


@pytest.fixture
def data(app, monkeypatch):
    import app.blueprints.api.routes as api_routes

    monkeypatch.setattr(api_routes, "utcnow", lambda: NOW)
    return build_fy2569()


def _row(d: dict) -> tuple:
    return tuple(d[c] for c in COLUMNS)


def test_general_year_matches_the_contract(client, data):
    response = client.get("/api/v1/stats?channel=general&fiscal_year=2569")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "Set-Cookie" not in response.headers
    body = response.get_json()
    assert set(body) == {"fiscal_year", "months", "totals", "suppressed_below"}
    assert body["fiscal_year"] == 2569 and body["suppressed_below"] is None
    assert [m["month"] for m in body["months"]] == MONTH_KEYS
    for month in body["months"]:
        assert set(month) == {"month", *COLUMNS}
        assert all(type(month[c]) is int for c in COLUMNS)
    assert {m["month"]: _row(m) for m in body["months"]} == GENERAL_2569
    assert set(body["totals"]) == set(COLUMNS) and _row(body["totals"]) == GENERAL_2569_TOTAL


def test_corruption_year_and_the_bangkok_month_of_the_boundary_case(client, data):
    body = client.get("/api/v1/stats?channel=corruption&fiscal_year=2569").get_json()
    assert {m["month"]: _row(m) for m in body["months"]} == CORRUPTION_2569
    assert _row(body["totals"]) == CORRUPTION_2569_TOTAL
    # 30 Sep 2025 17:30 UTC is 1 Oct 2025 in Bangkok: October of FY2569, not September of FY2568.
    general_2568 = client.get("/api/v1/stats?channel=general&fiscal_year=2568").get_json()
    assert general_2568["months"][-1]["month"] == "2025-09" and general_2568["months"][-1]["received"] == 1
    assert general_2568["totals"]["received"] == 1


def test_small_counts_are_null_with_the_threshold_beside_them(client, data):
    stats_settings.update(small_count_threshold=3, digits="thai", actor=None, now=utcnow())
    db.session.commit()
    body = client.get("/api/v1/stats?channel=corruption&fiscal_year=2569").get_json()
    assert body["suppressed_below"] == 3
    months = {m["month"]: m for m in body["months"]}
    assert _row(months["2025-10"]) == (None, 0, None, 0, 0)
    assert _row(months["2025-11"]) == (3, None, 0, 0, None)
    assert _row(months["2026-01"]) == (0, 0, 0, 0, 0)
    assert _row(body["totals"]) == (4, None, None, 0, None)
    # Digits never change the API, and the general channel is never masked.
    general = client.get("/api/v1/stats?channel=general&fiscal_year=2569").get_json()
    assert general["suppressed_below"] is None and _row(general["totals"]) == GENERAL_2569_TOTAL


def test_an_empty_year_is_twelve_zero_months(client, data):
    body = client.get("/api/v1/stats?channel=corruption&fiscal_year=2560").get_json()
    assert [m["month"] for m in body["months"]][:2] == ["2016-10", "2016-11"]
    assert all(_row(m) == (0,) * 5 for m in body["months"]) and _row(body["totals"]) == (0,) * 5


@pytest.mark.parametrize("query, fields", [
    ("", {"channel", "fiscal_year"}),
    ("?channel=general", {"fiscal_year"}),
    ("?fiscal_year=2569", {"channel"}),
    ("?channel=secret&fiscal_year=2569", {"channel"}),
    ("?channel=general&fiscal_year=abc", {"fiscal_year"}),
    ("?channel=general&fiscal_year=2025.5", {"fiscal_year"}),
    ("?channel=general&fiscal_year=-2569", {"fiscal_year"}),
    ("?channel=general&fiscal_year=%E0%B9%92%E0%B9%95%E0%B9%96%E0%B9%99", {"fiscal_year"}),  # Thai digits
    ("?channel=general&fiscal_year=2025", {"fiscal_year"}),  # a Christian-era year
    ("?channel=general&fiscal_year=2572", {"fiscal_year"}),  # beyond next year
    ("?channel=CORRUPTION&fiscal_year=0", {"channel", "fiscal_year"}),
])
def test_bad_or_missing_parameters_are_400_with_field_messages(client, data, query, fields):
    response = client.get("/api/v1/stats" + query)
    assert response.status_code == 400
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == "invalid_parameters"
    assert set(body["error"]["fields"]) == fields
    assert all(isinstance(v, str) and v for v in body["error"]["fields"].values())


def test_error_messages_follow_the_language(client, data):
    body = client.get("/api/v1/stats?lang=en").get_json()
    assert body["error"]["message"] == "Invalid parameters."
    assert "corruption" in body["error"]["fields"]["channel"]


def test_next_fiscal_year_is_allowed_and_empty(client, data):
    body = client.get("/api/v1/stats?channel=general&fiscal_year=2571").get_json()
    assert body["fiscal_year"] == 2571 and body["totals"]["received"] == 0
