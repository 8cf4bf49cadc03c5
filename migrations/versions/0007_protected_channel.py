"""protected channel: exclusions by keyed hash, two-person requests, account approvals, server-side receipts

The accused of a corruption report leaves ``cases.accused_user_id`` (a plaintext staff id next to the report)
for ``case_exclusions`` (a keyed hash of the staff id, details encrypted); the investigation outcome code
joins the encrypted findings; ``flagged_for_executive`` goes (whether a report needs oversight is computed
from who can still see it). Audit entries about protected-channel reports are marked and their detail
encrypted. Requests that need a second person, one-time credential links and receipts get tables.

Revision ID: 0007_protected_channel
Revises: 0006
Create Date: 2026-12-01 09:00:00

"""
import json

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_protected_channel'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_exclusions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('user_hash', sa.String(length=64), nullable=False),
        sa.Column('details_enc', sa.Text(), nullable=False),
        sa.Column('confirmed', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_exclusions_case_id_cases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_exclusions')),
        sa.UniqueConstraint('case_id', 'user_hash', name='uq_case_exclusions_case_user'),
    )
    op.create_table(
        'case_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=32), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=False),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('payload_enc', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_requests_case_id_cases'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_case_requests_decided_by_id_users')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_case_requests_requested_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_requests')),
        sa.UniqueConstraint('uid', name=op.f('uq_case_requests_uid')),
    )
    with op.batch_alter_table('case_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_requests_case_id'), ['case_id'], unique=False)
    op.create_table(
        'receipt_holds',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('code_enc', sa.Text(), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_receipt_holds_case_id_cases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_receipt_holds')),
    )
    with op.batch_alter_table('receipt_holds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_receipt_holds_expires_at'), ['expires_at'], unique=False)
    op.create_table(
        'account_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('requested_by_id', sa.Integer(), nullable=True),
        sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('payload_enc', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'],
                                name=op.f('fk_account_requests_decided_by_id_users')),
        sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'],
                                name=op.f('fk_account_requests_requested_by_id_users')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_account_requests_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_requests')),
    )
    with op.batch_alter_table('account_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_requests_user_id'), ['user_id'], unique=False)
    op.create_table(
        'credential_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_credential_links_user_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_credential_links')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_credential_links_token_hash')),
    )
    with op.batch_alter_table('credential_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credential_links_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('protected', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index('ix_audit_log_protected_at', ['protected', 'at'], unique=False)

    _move_plaintext_into_encrypted_rows()

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_cases_accused_user_id_users'), type_='foreignkey')
        batch_op.drop_column('accused_user_id')
        batch_op.drop_column('flagged_for_executive')
        batch_op.drop_column('outcome')


def _move_plaintext_into_encrypted_rows() -> None:
    """Existing accused ids and outcome codes become exclusions and encrypted outcomes (keys from the app)."""
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, uid, accused_user_id, outcome, outcome_enc FROM cases"
        " WHERE accused_user_id IS NOT NULL OR outcome IS NOT NULL")).all()
    old_audit = conn.execute(sa.text(
        "SELECT a.id, a.detail FROM audit_log a JOIN cases c ON c.id = a.target_id"
        " WHERE a.target_type = 'case' AND c.channel = 'corruption'")).all()
    if not rows and not old_audit:
        return  # nothing to move: no keyring needed (a fresh installation)
    from app.security import columns, crypto
    from app.security.hashing import keyed_hash

    for case_id, uid, accused_id, outcome, outcome_enc in rows:
        if accused_id is not None:
            details = crypto.encrypt_json({"user_id": accused_id, "basis": "confirmed"},
                                          columns.exclusion_aad_for(uid, keyed_hash("case-exclusion", str(accused_id))))
            conn.execute(sa.text(
                "INSERT INTO case_exclusions (case_id, user_hash, details_enc, confirmed, created_at)"
                " VALUES (:c, :h, :d, :t, CURRENT_TIMESTAMP)"),
                {"c": case_id, "h": keyed_hash("case-exclusion", str(accused_id)), "d": details, "t": True})
        if outcome is not None:
            aad = f"case:{uid}:outcome"
            data = crypto.decrypt_json(outcome_enc, aad) if outcome_enc else {}
            data["outcome"] = outcome
            conn.execute(sa.text("UPDATE cases SET outcome_enc = :v WHERE id = :c"),
                         {"v": crypto.encrypt_json(data, aad), "c": case_id})
    for entry_id, detail in old_audit:
        value = crypto.encrypt_text(detail, columns.audit_detail_aad_for(entry_id)) if detail else ""
        conn.execute(sa.text("UPDATE audit_log SET protected = :t, detail = :d WHERE id = :i"),
                     {"t": True, "d": value, "i": entry_id})


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('flagged_for_executive', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('accused_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_cases_accused_user_id_users'), 'users', ['accused_user_id'], ['id'])
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_protected_at')
        batch_op.drop_column('protected')
    with op.batch_alter_table('credential_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credential_links_user_id'))
    op.drop_table('credential_links')
    with op.batch_alter_table('account_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_requests_user_id'))
    op.drop_table('account_requests')
    with op.batch_alter_table('receipt_holds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_receipt_holds_expires_at'))
    op.drop_table('receipt_holds')
    with op.batch_alter_table('case_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_requests_case_id'))
    op.drop_table('case_requests')
    op.drop_table('case_exclusions')
