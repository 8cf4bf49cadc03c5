"""Property-based fuzzing of every public form and API route: hostile input never gets a 5xx, never half-writes.

Bounded for CI (FUZZ_EXAMPLES per route, 150 by default: about 2,000 requests in all); a longer run by
hand: ``FUZZ_EXAMPLES=3000 make test PYTEST_ARGS=tests/fuzz``.
"""
from __future__ import annotations

import io
import json
import os
import re
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Case, SurveyResponse
from app.services import attachments as attachment_store
from tests.conftest import csrf_from
from tests.factories import file_complaint, seed_categories

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

#: Text an attacker, a broken keyboard or a Word paste would send: controls, NUL, bidi marks, Thai, long runs.
_nasty = st.sampled_from(["\x00", "\x0b", "\u202e", "\ud7ff", "\ufeff", "'; DROP TABLE cases; --", "<script>",
                          "{{7*7}}", "%s%n", "../../etc/passwd", "=HYPERLINK(\"x\")", "๑๒๓", "ร้องเรียน", "\r\n"])
hostile_text = st.one_of(st.text(max_size=60), st.text(alphabet=string.printable, max_size=300),
                         st.lists(_nasty, max_size=8).map("".join), st.just("ก" * 20_000),
                         st.from_regex(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", fullmatch=True))
json_value = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                                    hostile_text),
                          lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                  st.dictionaries(hostile_text, inner, max_size=4)),
                          max_leaves=12)


def _form_fields(names: list[str]):
    return st.fixed_dictionaries({}, optional={name: hostile_text for name in names})


def _state() -> tuple[int, int, int]:
    db.session.rollback()
    return (db.session.scalar(select(func.count(Case.id))), db.session.scalar(select(func.count(Attachment.id))),
            db.session.scalar(select(func.count(SurveyResponse.id))))


def _assert_whole() -> None:
    """Nothing half-written: every case has its first event, every attachment row its file, no stray file."""
    db.session.rollback()
    for case in db.session.scalars(select(Case)).all():
        assert case.events and case.events[0].kind == "received"
    rows = set(db.session.scalars(select(Attachment.storage_name)))
    assert {p.name for p in attachment_store.storage_dir().iterdir()} == rows


@pytest.fixture
def fuzz_app(app):
    app.config.update(INTAKE_RATE_LIMIT="1000000 per minute", TRACKING_RATE_LIMIT="1000000 per minute",
                      API_RATE_LIMIT="1000000 per minute", LOGIN_MAX_FAILURES_ADDRESS=10**9,
                      LOGIN_MAX_FAILURES_ACCOUNT=10**9)
    seed_categories()
    return app


@pytest.mark.parametrize("path, fields", [
    ("/complaint", ["subject", "details", "category", "location", "name", "phone", "email", "address", "website"]),
    ("/report", ["subject", "details", "category", "accused_name", "accused_position", "accused_unit",
                 "incident_date", "location", "evidence", "witnesses", "name", "phone", "email", "address",
                 "national_id", "website"]),
])
def test_intake_forms_never_fail_and_never_half_write(fuzz_app, client, path, fields):
    token = csrf_from(client.get(path).get_data(as_text=True))

    @FUZZ
    @given(form=_form_fields(fields), files=st.lists(st.binary(max_size=300), max_size=2))
    def submit(form, files):
        before = _state()
        data = {**form, "csrf_token": token}
        if files:
            data["files"] = [(io.BytesIO(b), f"f{i}.jpg") for i, b in enumerate(files)]
        response = client.post(path, data=data, content_type="multipart/form-data")
        assert response.status_code < 500, response.status_code
        after = _state()
        assert after[0] == before[0] + (response.status_code == 303)

    submit()
    _assert_whole()


def test_tracking_forms_never_fail(fuzz_app, client):
    case, code = file_complaint()
    token = csrf_from(client.get("/track/").get_data(as_text=True))

    @FUZZ
    @given(path=st.sampled_from(["/track/", "/track/answer", "/track/survey"]),
           form=_form_fields(["code", "answer", "rating", "comment"]), real_code=st.booleans())
    def submit(path, form, real_code):
        data = {**form, "csrf_token": token}
        if real_code:
            data["code"] = code
        response = client.post(path, data=data, content_type="multipart/form-data")
        assert response.status_code < 500, response.status_code

    submit()
    _assert_whole()


def test_survey_links_and_sign_in_never_fail(fuzz_app, client):
    token = csrf_from(client.get("/auth/login").get_data(as_text=True))

    @FUZZ
    @given(survey_token=hostile_text.filter(lambda t: "\x00" not in t and "/" not in t and t.strip() != ""),
           form=_form_fields(["rating", "comment", "username", "password"]))
    def submit(survey_token, form):
        path = "/survey/" + survey_token
        assert client.get(path).status_code < 500
        assert client.post(path, data={**form, "csrf_token": token}).status_code < 500
        assert client.post("/auth/login", data={**form, "csrf_token": token}).status_code < 500

    submit()


@pytest.mark.parametrize("path", ["/api/v1/complaints", "/api/v1/reports"])
def test_api_intake_never_fails_and_files_only_on_201(fuzz_app, client, path):
    @FUZZ
    @given(body=st.one_of(st.dictionaries(st.sampled_from(["subject", "details", "category", "location", "reporter",
                                                           "accused", "incident_date", "evidence", "witnesses"]),
                                          json_value, max_size=9),
                          json_value),
           raw=st.one_of(st.none(), st.binary(max_size=200),
                         st.integers(1, 200_000).map(lambda n: ("[" * n + "]" * n).encode()),
                         st.integers(1, 200_000).map(lambda n: ('{"subject":' * n + "1" + "}" * n).encode())),
           content_type=st.sampled_from(["application/json", "application/json; charset=utf-8", "text/plain"]))
    def submit(body, raw, content_type):
        before = _state()
        payload = raw if raw is not None else json.dumps(body, ensure_ascii=True).encode()
        response = client.post(path, data=payload, content_type=content_type)
        assert response.status_code < 500, response.status_code
        if response.status_code >= 400:
            assert set(response.get_json()["error"]) == {"code", "message", "fields"}
        assert _state()[0] == before[0] + (response.status_code == 201)

    submit()
    _assert_whole()


def test_api_and_public_reads_never_fail(fuzz_app, client):
    @FUZZ
    @given(code=hostile_text, channel=hostile_text, year=hostile_text, kind=hostile_text)
    def read(code, channel, year, kind):
        safe = lambda t: re.sub(r"[\x00-\x20#?%]", "", t)[:200] or "x"  # noqa: E731 - URL path segments
        for url, query in ((f"/api/v1/track/{safe(code)}", None),
                           ("/api/v1/stats", {"channel": channel, "fiscal_year": year}),
                           (f"/track/{safe(code)}", None),
                           (f"/stats/{safe(channel)}", {"fy": year, "kind": kind}),
                           (f"/stats/general/2569/{safe(kind)}.xlsx", None),
                           (f"/handbook/{safe(kind)}", None),
                           (f"/reports/summary/2569/{safe(kind)}", None)):
            response = client.get(url, query_string=query)
            assert response.status_code < 500, (url, response.status_code)

    read()
