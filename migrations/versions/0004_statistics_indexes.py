"""statistics indexes: status in the (channel, received_at) index; an index on closing time

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:05:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_channel_received')
        batch_op.create_index('ix_cases_channel_received', ['channel', 'received_at', 'status'], unique=False)
        batch_op.create_index('ix_cases_closed', ['closed_at', 'channel', 'due_at', 'received_at'], unique=False)


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_closed')
        batch_op.drop_index('ix_cases_channel_received')
        batch_op.create_index('ix_cases_channel_received', ['channel', 'received_at'], unique=False)
