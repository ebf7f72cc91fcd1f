"""pg search: a shared library's search index in PostgreSQL itself (nothing on SQLite)

On PostgreSQL only, in a schema of its own (``wbsearch``, so the tables shared by both engines
stay the same on each): ``docs`` (one row per indexed document: the title's lexemes, the
field columns queries filter on, the facet values as written and the layer it was built
from), ``body`` (the body's lexemes with positions, in chunks of at most ``CHUNK + OVERLAP``
positions: PostgreSQL keeps positions up to 16,383 and 256 of them per lexeme) and ``terms``
(the vocabulary with document counts, which prefix, wildcard and fuzzy terms are expanded
against). The lexemes are the project's own analysis (``workbench/search/analysis.py``),
written by ``workbench/search/postgres/``; PostgreSQL's parser never sees the text.

``pg_trgm`` gives the vocabulary a trigram index for wildcards. Creating the extension needs
a role allowed to (a superuser, or the database's owner on PostgreSQL 13 and later, where it
is trusted): without it the migration goes on and the vocabulary is scanned instead.
On SQLite this revision does nothing: a personal library searches with its Whoosh index.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 03:55:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = """
CREATE SCHEMA IF NOT EXISTS wbsearch;
CREATE TABLE wbsearch.docs (
    doc_id integer PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    layer_id integer,
    text_sha text NOT NULL DEFAULT '',
    title tsvector NOT NULL,
    kind text NOT NULL,
    lang text,
    date text,
    year integer,
    sources text[] NOT NULL,
    collections text[] NOT NULL,
    tags text[] NOT NULL,
    facet_kind text NOT NULL,
    facet_language text NOT NULL,
    facet_collections text[] NOT NULL,
    facet_tags text[] NOT NULL
);
CREATE INDEX ix_wbsearch_docs_title ON wbsearch.docs USING gin (title);
CREATE INDEX ix_wbsearch_docs_tags ON wbsearch.docs USING gin (tags);
CREATE INDEX ix_wbsearch_docs_collections ON wbsearch.docs USING gin (collections);
CREATE INDEX ix_wbsearch_docs_sources ON wbsearch.docs USING gin (sources);
CREATE INDEX ix_wbsearch_docs_date ON wbsearch.docs (date);
CREATE INDEX ix_wbsearch_docs_kind ON wbsearch.docs (kind);
CREATE INDEX ix_wbsearch_docs_lang ON wbsearch.docs (lang);
CREATE TABLE wbsearch.body (
    doc_id integer NOT NULL REFERENCES wbsearch.docs (doc_id) ON DELETE CASCADE,
    chunk integer NOT NULL,
    body tsvector NOT NULL,
    PRIMARY KEY (doc_id, chunk)
);
CREATE INDEX ix_wbsearch_body ON wbsearch.body USING gin (body);
CREATE TABLE wbsearch.terms (
    field text NOT NULL,
    term text COLLATE "C" NOT NULL,
    df integer NOT NULL,
    PRIMARY KEY (field, term)
);
"""
TRIGRAMS = "CREATE INDEX ix_wbsearch_terms_trgm ON wbsearch.terms USING gin (term gin_trgm_ops)"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for statement in TABLES.split(";"):
        if statement.strip():
            op.execute(statement)
    try:
        with bind.begin_nested():  # a refused CREATE EXTENSION must not abort the upgrade
            op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            op.execute(TRIGRAMS)
    except sa.exc.DBAPIError:
        pass  # no trigram index: the search scans the vocabulary (docs/SEARCH_ENGINE.md)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP SCHEMA IF EXISTS wbsearch CASCADE")
