"""Alembic environment: runs on the connection the library passes in (batch mode for SQLite)."""

from alembic import context
from sqlalchemy import create_engine

from workbench.models import Base, UTCDateTime

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _render_item(type_, obj, autogen_context):  # type: ignore[no-untyped-def]
    # Revisions must not import application types: render UTCDateTime as a plain DateTime.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
