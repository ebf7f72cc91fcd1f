"""redaction label: what an export prints, apart from the private reason

Until now a redaction's reason was printed in every export (``[REDACTED: reason]``), while the
prompts said it was kept in the log; a reason such as "family of a detainee - safety" can
itself identify someone. ``redactions.label`` is now what is printed (``REDACTED``, or a short
category the user picks such as ``witness safety``); ``reason`` stays private, in the library.

Existing rows get the label ``REDACTED``: their reasons stop being printed. That is the safe
choice — a reason written while it was printed could have been chosen to be shown, but
nothing shows that it was harmless, and a generic mark reveals nothing. Give a redaction a
category by removing it and redacting again with ``--label``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 12:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('redactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('label', sa.Text(), nullable=False,
                                      server_default='REDACTED'))


def downgrade() -> None:
    # The labels are lost: 0001 printed the reasons instead.
    with op.batch_alter_table('redactions', schema=None) as batch_op:
        batch_op.drop_column('label')
