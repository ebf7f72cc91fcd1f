"""the page as evidence: highlight geometry, facsimile exhibits, area redactions, page boxes

- ``highlights.page_geometry``: where a highlight sits on the original page(s), in PDF points
  from the page's top-left corner as displayed (y down; what Qt PDF and the PDF open
  parameters' ``viewrect`` use): ``{"kind": "text"|"region", "pages": [{"page": N,
  "quads": [[x0, y0, x1, y1], ...]}]}``; NULL for documents without pages (text, HTML).
- ``dossier_items.facsimile`` / ``facsimile_pages``: show the exhibit as the source's own pages
  (``"3-4,7"``; NULL = the pages the highlight spans, or every page of a document item).
- ``redactions.area``: an area rule, ``{"document_id": D, "page": N, "rect": [x0, y0, x1, y1]}``
  (same units); its ``text`` is empty.
- ``page_boxes``: each character's box on a page of a text layer, aligned one to one with that
  page's text in the layer, derived from the original by the layer's own extractor (PDFium) or
  kept from OCR; a new layer gets its own rows, so a re-extraction re-derives them.

Revision ID: 0004
Revises: 0003
Create Date: 2027-02-01 12:00:00.000000
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.add_column(sa.Column('page_geometry', sa.JSON(), nullable=True))
    with op.batch_alter_table('dossier_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('facsimile', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('facsimile_pages', sa.String(length=256), nullable=True))
    with op.batch_alter_table('redactions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('area', sa.JSON(), nullable=True))
    op.create_table(
        'page_boxes',
        sa.Column('layer_id', sa.Integer(), nullable=False),
        sa.Column('page', sa.Integer(), nullable=False),
        sa.Column('width', sa.Float(), nullable=False),
        sa.Column('height', sa.Float(), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('boxes', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['layer_id'], ['text_layers.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('layer_id', 'page'),
    )


def downgrade() -> None:
    op.drop_table('page_boxes')
    with op.batch_alter_table('redactions', schema=None) as batch_op:
        batch_op.drop_column('area')
    with op.batch_alter_table('dossier_items', schema=None) as batch_op:
        batch_op.drop_column('facsimile_pages')
        batch_op.drop_column('facsimile')
    with op.batch_alter_table('highlights', schema=None) as batch_op:
        batch_op.drop_column('page_geometry')
