"""pg search words: one row of lexemes per document, without positions, to count matches

On PostgreSQL only: ``wbsearch.words`` holds each indexed document's distinct lexemes (words,
stems and every pair of neighbouring words) as a ``tsvector`` stripped of positions, GIN
indexed. A search counts and filters its matches there (one row per document, not the seven
windows of ``wbsearch.body``); the windows are read to rank the best candidates and to check
the positions of a longer phrase (``workbench/search/postgres/``, index format 3). The rows
are written by the search backend: an index of an older format is rebuilt by the first
writer's check after this upgrade, and searches read the old rows rightly until then.

A role granted a level before this revision (``workbench role grant``: grants on every table
of the schema as it stood) is given the same privileges on the new table as it holds on
``wbsearch.docs``, so a reader can still search. On SQLite this revision does nothing.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 09:40:00.000000
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLE = """
CREATE TABLE wbsearch.words (
    doc_id integer PRIMARY KEY REFERENCES wbsearch.docs (doc_id) ON DELETE CASCADE,
    words tsvector NOT NULL
)"""
INDEX = "CREATE INDEX ix_wbsearch_words ON wbsearch.words USING gin (words)"
# The privileges each role holds on wbsearch.docs, given on the new table too.
SAME_GRANTS = """
DO $$
DECLARE g record;
BEGIN
  FOR g IN SELECT grantee, privilege_type FROM information_schema.role_table_grants
           WHERE table_schema = 'wbsearch' AND table_name = 'docs'
             AND privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')
             AND grantee NOT IN (current_user, 'PUBLIC') LOOP
    EXECUTE format('GRANT %s ON wbsearch.words TO %I', g.privilege_type, g.grantee);
  END LOOP;
END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(TABLE)
    op.execute(INDEX)
    op.execute(SAME_GRANTS)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS wbsearch.words")
