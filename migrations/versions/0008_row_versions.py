"""row versions: what people edit together carries a version, so a stale edit is refused

``version`` on highlights, dossiers, entities and events: 1 when made, one more for each
transaction that changes the row (a dossier's also for changes to its items, sections and
redactions). An edit made against the version a person last saw is refused when someone
else changed the row since (``workbench.shared.versions``), instead of silently replacing
their change. Works the same on SQLite and PostgreSQL.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 04:20:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLES = ("highlights", "dossiers", "entities", "events")


def upgrade() -> None:
    # A plain ADD COLUMN, never batch mode: on SQLite batch mode may rebuild the table, and
    # dropping the old ``highlights`` cascades (foreign keys are on) to every row that names a
    # highlight: its tags, links, event sources and dossier items.
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False,
                                       server_default=sa.text("1")))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
