"""official letters: settings, signatories and the register of letters sent (ทะเบียนหนังสือส่ง)

Revision ID: 0008_letters
Revises: 0007_protected_channel
Create Date: 2026-12-04 16:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_letters'
down_revision = '0007_protected_channel'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'letter_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('prefix', sa.String(length=50), nullable=False),
        sa.Column('address', sa.Text(), nullable=False),
        sa.Column('general_owner', sa.String(length=200), nullable=False),
        sa.Column('general_phone', sa.String(length=100), nullable=False),
        sa.Column('corruption_owner', sa.String(length=200), nullable=False),
        sa.Column('corruption_phone', sa.String(length=100), nullable=False),
        sa.Column('memo_unit', sa.String(length=300), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_settings')),
    )
    op.create_table(
        'signatories',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('position', sa.String(length=300), nullable=False),
        sa.Column('acting_for', sa.String(length=300), nullable=False),
        sa.Column('is_default', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signatories')),
    )
    op.create_table(
        'letter_counters',
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('last_value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('fiscal_year', name=op.f('pk_letter_counters')),
    )
    op.create_table(
        'letters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uid', sa.String(length=32), nullable=False),
        sa.Column('fiscal_year', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('key', sa.String(length=100), nullable=True),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('recipient', sa.String(length=300), nullable=False),
        sa.Column('signatory_name', sa.String(length=200), nullable=False),
        sa.Column('signatory_position', sa.String(length=300), nullable=False),
        sa.Column('signatory_acting_for', sa.String(length=300), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('voided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('voided_by_id', sa.Integer(), nullable=True),
        sa.Column('void_reason_enc', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_letters_case_id_cases')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_letters_created_by_id_users')),
        sa.ForeignKeyConstraint(['voided_by_id'], ['users.id'], name=op.f('fk_letters_voided_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letters')),
        sa.UniqueConstraint('fiscal_year', 'number', name='uq_letters_year_number'),
        sa.UniqueConstraint('key', name=op.f('uq_letters_key')),
        sa.UniqueConstraint('uid', name=op.f('uq_letters_uid')),
    )
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_letters_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_letters_case_id'))
    op.drop_table('letters')
    op.drop_table('letter_counters')
    op.drop_table('signatories')
    op.drop_table('letter_settings')
