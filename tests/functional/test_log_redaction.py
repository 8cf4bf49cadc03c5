"""Tracebacks and token-bearing paths go through the same redaction as every other log line."""
from __future__ import annotations

import io
import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.logging_setup import init_logging

EMAIL, PHONE, TOKEN = "somchai@example.org", "0812345678", "q8Zt2VvY-survey-token-RZ3x"
NAME = "สมชาย ใจดี"


@pytest.fixture
def captured(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        init_logging(app)
        yield stream
    finally:
        root.removeHandler(handler)


def test_a_traceback_is_redacted_like_the_message(captured):
    try:
        raise ValueError(f"could not mail {EMAIL} at {PHONE}")
    except ValueError:
        logging.getLogger("app").exception("sending failed")
    written = captured.getvalue()
    assert "Traceback" in written and "ValueError" in written and "[email]" in written
    assert EMAIL not in written and PHONE not in written


def test_survey_tokens_and_code_parameters_are_redacted_from_access_lines(captured):
    access = logging.getLogger("gunicorn.access")
    access.info('[04/Dec/2026] "GET /survey/%s HTTP/1.1" 200 512 3ms', TOKEN)
    access.info('[04/Dec/2026] "POST /track?code=%s HTTP/1.1" 200 512 3ms', TOKEN)
    access.info('[04/Dec/2026] "GET /receipt/%s HTTP/1.1" 200 512 3ms', TOKEN)
    written = captured.getvalue()
    assert written.count("[code]") == 3 and TOKEN not in written


def test_a_logged_database_error_carries_none_of_the_submitted_values(captured):
    """SQLAlchemy hides the parameters; PostgreSQL's own detail ("Key (v)=(...)") is redacted."""
    db.session.execute(text("CREATE TEMPORARY TABLE probe (v VARCHAR(40) UNIQUE, w VARCHAR(40) NOT NULL)"))
    db.session.execute(text("INSERT INTO probe (v, w) VALUES (:v, 'x')"), {"v": NAME})
    for statement in ("INSERT INTO probe (v, w) VALUES (:v, 'x')", "INSERT INTO probe (v, w) VALUES ('y', NULL)"):
        try:
            with db.session.begin_nested():
                db.session.execute(text(statement), {"v": NAME})
        except IntegrityError:
            logging.getLogger("app").exception("saving failed")
    db.session.rollback()
    written = captured.getvalue()
    assert written.count("IntegrityError") >= 2 and NAME not in written
