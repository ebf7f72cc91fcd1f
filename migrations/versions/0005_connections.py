"""connections between sources: copies, entities, a chronology, links between highlights

- ``copy_signatures``: each document's MinHash signature over word shingles of its current
  text layer; ``document_copies``: pairs of documents whose texts are substantially the same
  (``first_id < second_id``), ``found`` by the library, ``confirmed`` or ``rejected`` by the
  user.
- ``entities``, ``entity_names`` (names and aliases in any script), ``entity_documents``
  (documents the user linked to an entity); ``redactions.entity_id``: a rule hiding every
  name of an entity (RESTRICT: an entity a rule names cannot be deleted).
- ``events`` (a dated statement: the date as typed and its inclusive ISO bounds) and
  ``event_sources`` (the highlights it rests on).
- ``highlight_links``: corroborates | contradicts | same-event, with a private note.
- ``dossier_items.chronology``: a chronology section's filter; ``dossier_items.corroboration``:
  whether a highlight exhibit lists the sources linked to it as corroborating.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 00:03:48.759155
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "entities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("date_text", sa.String(length=64), nullable=False),
        sa.Column("date_kind", sa.String(length=16), nullable=False),
        sa.Column("date_from", sa.String(length=10), nullable=True),
        sa.Column("date_to", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("modified_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_date_from"), ["date_from"], unique=False)

    op.create_table(
        "document_copies",
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_id"],
            ["documents.id"],
            name=op.f("fk_document_copies_first_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["second_id"],
            ["documents.id"],
            name=op.f("fk_document_copies_second_id_documents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("first_id", "second_id", name=op.f("pk_document_copies")),
    )
    with op.batch_alter_table("document_copies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_copies_second_id"), ["second_id"], unique=False
        )

    op.create_table(
        "entity_documents",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_entity_documents_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_documents_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("entity_id", "document_id", name=op.f("pk_entity_documents")),
    )
    with op.batch_alter_table("entity_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entity_documents_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "entity_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entities.id"],
            name=op.f("fk_entity_names_entity_id_entities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity_names")),
        sa.UniqueConstraint("entity_id", "name", name=op.f("uq_entity_names_entity_id")),
    )
    with op.batch_alter_table("entity_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_names_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "copy_signatures",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("layer_id", sa.Integer(), nullable=False),
        sa.Column("num_perm", sa.Integer(), nullable=False),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.Column("minhash", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_copy_signatures_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["layer_id"],
            ["text_layers.id"],
            name=op.f("fk_copy_signatures_layer_id_text_layers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_copy_signatures")),
    )
    op.create_table(
        "event_sources",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("highlight_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["events.id"],
            name=op.f("fk_event_sources_event_id_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["highlight_id"],
            ["highlights.id"],
            name=op.f("fk_event_sources_highlight_id_highlights"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("event_id", "highlight_id", name=op.f("pk_event_sources")),
    )
    with op.batch_alter_table("event_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_event_sources_highlight_id"), ["highlight_id"], unique=False
        )

    op.create_table(
        "highlight_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("second_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["first_id"],
            ["highlights.id"],
            name=op.f("fk_highlight_links_first_id_highlights"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["second_id"],
            ["highlights.id"],
            name=op.f("fk_highlight_links_second_id_highlights"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_highlight_links")),
        sa.UniqueConstraint(
            "first_id", "second_id", "relation", name=op.f("uq_highlight_links_first_id")
        ),
    )
    with op.batch_alter_table("highlight_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_highlight_links_first_id"), ["first_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_highlight_links_second_id"), ["second_id"], unique=False
        )

    with op.batch_alter_table("dossier_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("chronology", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("corroboration", sa.Boolean(), server_default=sa.true(), nullable=False)
        )

    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entity_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_redactions_entity_id_entities"),
            "entities",
            ["entity_id"],
            ["id"],
            ondelete="RESTRICT",
        )


def downgrade() -> None:
    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_redactions_entity_id_entities"), type_="foreignkey")
        batch_op.drop_column("entity_id")

    with op.batch_alter_table("dossier_items", schema=None) as batch_op:
        batch_op.drop_column("corroboration")
        batch_op.drop_column("chronology")

    with op.batch_alter_table("highlight_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_highlight_links_second_id"))
        batch_op.drop_index(batch_op.f("ix_highlight_links_first_id"))

    op.drop_table("highlight_links")
    with op.batch_alter_table("event_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_sources_highlight_id"))

    op.drop_table("event_sources")
    op.drop_table("copy_signatures")
    with op.batch_alter_table("entity_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_names_entity_id"))

    op.drop_table("entity_names")
    with op.batch_alter_table("entity_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_documents_document_id"))

    op.drop_table("entity_documents")
    with op.batch_alter_table("document_copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_copies_second_id"))

    op.drop_table("document_copies")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_date_from"))

    op.drop_table("events")
    op.drop_table("entities")
