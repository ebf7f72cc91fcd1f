"""text layer hash: each layer's SHA-256 beside its text, cleared when the text is updated

``text_layers.text_sha256`` holds the SHA-256 of the layer's text (UTF-8), computed here for
existing layers and by the code for new ones; since issue 15 the layer's creating audit event
records the same hash, which ``verify`` re-derives. On SQLite a trigger sets the column to NULL
whenever a layer's text is updated (Workbench never updates it: layers are write-once), so the
search index's drift check, which compares the hash in each document's index stamp with this
column through the covering index ``ix_text_layers_hash``, re-indexes a layer whose text was
edited behind Workbench's back, without reading any text at open.

A later revision that rebuilds ``text_layers`` in batch mode drops the trigger: create it
again there (``TRIGGER_SQL``).

Revision ID: 0003
Revises: 0002
Create Date: 2027-01-10 12:00:00.000000
"""
import hashlib

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

TRIGGER = "text_layers_text_changed"
TRIGGER_SQL = (
    f"CREATE TRIGGER {TRIGGER} AFTER UPDATE OF text ON text_layers "
    "WHEN NEW.text IS NOT OLD.text "
    "BEGIN UPDATE text_layers SET text_sha256 = NULL WHERE id = NEW.id; END"
)
# PostgreSQL's twin of the trigger (a shared library, issue 19): cleared before the row is
# written, so an UPDATE that sets both the text and a hash still leaves no hash, as on SQLite.
PG_TRIGGER_SQL = (
    f"CREATE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN NEW.text_sha256 := NULL; RETURN NEW; END $$",
    f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OF text ON text_layers FOR EACH ROW "
    f"WHEN (NEW.text IS DISTINCT FROM OLD.text) EXECUTE FUNCTION {TRIGGER}()",
)
BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table('text_layers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('text_sha256', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_text_layers_hash', ['document_id', 'id', 'text_sha256'],
                              unique=False)
    conn = op.get_bind()
    last = 0
    while True:  # in batches: a large library's texts need not fit in memory at once
        rows = conn.execute(sa.text(
            "SELECT id, text FROM text_layers WHERE id > :last ORDER BY id LIMIT :n"),
            {"last": last, "n": BATCH}).all()
        if not rows:
            break
        conn.execute(sa.text("UPDATE text_layers SET text_sha256 = :h WHERE id = :i"), [
            {"i": i, "h": hashlib.sha256((t or "").encode("utf-8")).hexdigest()}
            for i, t in rows])
        last = rows[-1][0]
    if conn.dialect.name == "sqlite":
        op.execute(TRIGGER_SQL)
    elif conn.dialect.name == "postgresql":
        for statement in PG_TRIGGER_SQL:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON text_layers")
        op.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")
    with op.batch_alter_table('text_layers', schema=None) as batch_op:
        batch_op.drop_index('ix_text_layers_hash')
        batch_op.drop_column('text_sha256')
