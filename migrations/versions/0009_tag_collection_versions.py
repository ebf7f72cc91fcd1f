"""tag and collection versions: a rename, recolour, move or merge of a tag, or a collection's
rename or members, made against an older version is refused (no lost update)

``version`` on tags and collections, as revision 0008 gave highlights, dossiers, entities and
events: 1 when made, one more for each transaction that changes the row
(``workbench.shared.versions``). Works the same on SQLite and PostgreSQL.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

TABLES = ("tags", "collections")


def upgrade() -> None:
    # A plain ADD COLUMN, never batch mode: on SQLite batch mode may rebuild the table, and
    # dropping the old ``tags`` would cascade (foreign keys are on) to every highlight's and
    # document's tag links, and the old ``collections`` to every membership.
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False,
                                       server_default=sa.text("1")))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
