"""audit author: the person (or database role) each audit event was written by

``audit_events.author``: on a shared library (PostgreSQL) the database role that wrote the
event (``current_user``), on a personal one the name configured in ``WORKBENCH_AUTHOR`` or the
user logged in. It is part of the event's hashed record for the events written from this
revision on; events written before have none (NULL) and their hashes, computed without it,
verify as they did.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 03:30:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("author")
