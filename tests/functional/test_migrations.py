"""Migrations build the schema from empty on this run's database engine, and match the models."""
from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A second, empty database on the same engine as the suite's."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/empty.sqlite3"
        return
    name = f"sujarit_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(empty_database_url, app):
    fresh = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url,
                                   "KEYRING_PATH": app.config.get("KEYRING_PATH")})
    with fresh.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
            tables = set(inspect(conn).get_table_names())
        assert diff == [], f"models and migrations disagree: {diff}"
        assert {"cases", "users", "user_roles", "staff_sessions", "attachments", "audit_log"} <= tables
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        upgrade()
        db.session.remove()
        db.engine.dispose()


def test_upgrade_keeps_existing_cases_and_their_events(empty_database_url, app):
    """An organisation already running the first release upgrades without losing a case."""
    fresh = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url,
                                   "KEYRING_PATH": app.config.get("KEYRING_PATH")})
    with fresh.app_context():
        upgrade(revision="0001")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO cases (uid, channel, status, source, fiscal_year, sequence, case_number, received_at,"
                " due_at, created_at, updated_at, is_anonymous) VALUES ('u1', 'general', 'received', 'web', 2569, 1,"
                " 'ร. 1/2569', '2026-01-05 03:00:00', '2026-01-20 03:00:00', '2026-01-05 03:00:00',"
                " '2026-01-05 03:00:00', :anon)"), {"anon": True})
            case_id = conn.execute(text("SELECT id FROM cases")).scalar_one()
            conn.execute(text("INSERT INTO case_events (case_id, at, kind, to_status, encrypted) VALUES"
                              " (:c, '2026-01-05 03:00:00', 'received', 'received', :f)"), {"c": case_id, "f": False})
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT case_number FROM cases")).scalar_one() == "ร. 1/2569"
            assert conn.execute(text("SELECT count(*) FROM case_events")).scalar_one() == 1
        db.session.remove()
        db.engine.dispose()


def test_upgrade_moves_a_plaintext_accused_outcome_and_reveal_reason_into_encrypted_rows(empty_database_url, app):
    """A copy of an upgraded database no longer says who is accused, what was found, or why a reporter was revealed."""
    from app.models import AuditEntry, Case
    from app.services import audit, casework
    from app.services.case_access import user_hash

    fresh = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url,
                                   "KEYRING_PATH": app.config.get("KEYRING_PATH")})
    with fresh.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO users (username, full_name, position, password_hash, active, must_change_password,"
                " created_at, password_changed_at) VALUES ('niti', 'นิติ กร', '', 'x', :t, :f,"
                " '2026-01-05 03:00:00', '2026-01-05 03:00:00')"), {"t": True, "f": False})
            user_id = conn.execute(text("SELECT id FROM users")).scalar_one()
            conn.execute(text(
                "INSERT INTO cases (uid, channel, status, source, fiscal_year, sequence, case_number, received_at,"
                " due_at, created_at, updated_at, is_anonymous, accused_user_id, outcome, flagged_for_executive)"
                " VALUES ('u2', 'corruption', 'completed', 'web', 2569, 1, 'ท. 1/2569', '2026-01-05 03:00:00',"
                " '2026-01-20 03:00:00', '2026-01-05 03:00:00', '2026-01-05 03:00:00', :t, :u, 'substantiated', :t)"),
                {"t": True, "u": user_id})
            case_id = conn.execute(text("SELECT id FROM cases")).scalar_one()
            conn.execute(text("INSERT INTO audit_log (at, action, target_type, target_id, detail) VALUES"
                              " ('2026-01-06 03:00:00', 'case.reveal_identity', 'case', :c, 'เหตุผลลับมาก')"),
                         {"c": case_id})
        upgrade()
        with db.engine.connect() as conn:
            row = conn.execute(text("SELECT case_id, user_hash, confirmed FROM case_exclusions")).one()
            detail = conn.execute(text("SELECT detail FROM audit_log")).scalar_one()
        assert row.case_id == case_id and row.user_hash == user_hash(user_id) and row.confirmed
        assert "เหตุผลลับมาก" not in detail
        case = db.session.get(Case, case_id)
        assert casework.read_outcome(case)["outcome"] == "substantiated"
        entry = db.session.scalar(db.select(AuditEntry))
        assert entry.protected and audit.read_detail(entry) == "เหตุผลลับมาก"
        db.session.remove()
        db.engine.dispose()
