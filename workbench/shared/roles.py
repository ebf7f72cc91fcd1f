"""Who may do what in a shared library, enforced by PostgreSQL's grants (issue 19 part 3).

Three levels, each a set of grants on the library's tables (schemas ``public`` and
``wbsearch``) to a role the server's administrator made:

* reader: reads and searches (SELECT), changes nothing;
* editor: imports, highlights, tags, dossiers and the rest, but not redactions, nor a
  dossier's frozen state;
* owner: everything an editor does, plus redacting, freezing and exporting a dossier.

Granting a level first takes back whatever the role had, so it can also lower one. The
server refuses what a level does not allow, whatever program a person uses; the core says
it in words (``refusal``) rather than as a database error, and checks an export before
writing its file (``check_export``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from .. import audit
from ..errors import NotFound, UserError

if TYPE_CHECKING:
    from ..library import Library

LEVELS = ("reader", "editor", "owner")
SCHEMAS = ("public", "wbsearch")
OWNER_ONLY_TABLES = ("redactions",)
OWNER_ONLY_COLUMNS = {"dossiers": ("frozen_at",)}


def grant_statements(role: str, level: str, columns: dict[str, list[str]]) -> list[str]:
    """The SQL that gives ``role`` (already quoted) ``level``; ``columns``: each owner-only
    column's table and all its columns."""
    schemas = ", ".join(SCHEMAS)
    every = [f"ALL TABLES IN SCHEMA {s}" for s in SCHEMAS]
    sql = [f"REVOKE ALL ON {t} FROM {role}" for t in every]
    sql += [f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM {role}" for s in SCHEMAS]
    sql += [f"GRANT USAGE ON SCHEMA {schemas} TO {role}"]
    sql += [f"GRANT SELECT ON {t} TO {role}" for t in every]
    if level == "reader":
        return sql
    sql += [f"GRANT INSERT, UPDATE, DELETE ON {t} TO {role}" for t in every]
    sql += [f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {role}" for s in SCHEMAS]
    sql += [f"REVOKE INSERT, UPDATE, DELETE ON alembic_version FROM {role}",
            f"REVOKE UPDATE, DELETE ON audit_events FROM {role}"]  # appended to, only
    if level == "editor":
        sql += [f"REVOKE INSERT, UPDATE, DELETE ON {t} FROM {role}" for t in OWNER_ONLY_TABLES]
        for table, owner_only in OWNER_ONLY_COLUMNS.items():
            allowed = ", ".join(c for c in columns[table] if c not in owner_only)
            sql += [f"REVOKE UPDATE ON {table} FROM {role}",
                    f"GRANT UPDATE ({allowed}) ON {table} TO {role}"]
    return sql


# Recording a dossier's export is an owner's (an owner may write redactions): the server
# refuses the audit event of anyone else's, and the audit log stays append-only for every
# role but its table's owner (no policy allows UPDATE or DELETE). Made by the first grant.
AUDIT_POLICIES = [
    "ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY",
    """DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = 'audit_events'
                     AND policyname = 'workbench_read') THEN
        CREATE POLICY workbench_read ON audit_events FOR SELECT USING (true);
      END IF;
      IF NOT EXISTS (SELECT 1 FROM pg_policies WHERE tablename = 'audit_events'
                     AND policyname = 'workbench_append') THEN
        CREATE POLICY workbench_append ON audit_events FOR INSERT WITH CHECK (
          event_type <> 'dissemination' OR object_type <> 'dossier'
          OR has_table_privilege('redactions', 'INSERT'));
      END IF;
    END $$""",
]


def may_record(library: Library) -> bool:
    """Whether this desktop's role may append to the audit log (False: a shared case's
    reader, whose checks are then not recorded)."""
    if library.store.engine.dialect.name != "postgresql":
        return True
    with library.read() as s:
        return bool(s.execute(text(
            "SELECT has_table_privilege('audit_events', 'INSERT')")).scalar())


def check_export(library: Library, *, dossier: bool) -> None:
    """Before anything is written: may this desktop's role record this export? A reader
    exports nothing, only an owner exports a dossier (the server would refuse its audit
    event after the file was written). Nothing to check in a personal library."""
    if library.store.engine.dialect.name != "postgresql":
        return
    with library.read() as s:
        role, may_record, may_redact = s.execute(text(
            "SELECT current_user, has_table_privilege('audit_events', 'INSERT'), "
            "has_table_privilege('redactions', 'INSERT')")).one()
    if not may_record:
        raise UserError(f"You are a reader of this shared case (as {role}): readers export "
                        "nothing, and nothing was written",
                        "ask one of its owners to export it for you")
    if dossier and not may_redact:
        raise UserError(f"Only an owner of this shared case may export a dossier (as {role} "
                        "you are an editor): nothing was written",
                        "ask one of its owners to export it, or to make you an owner")


def grant(library: Library, user: str, level: str) -> dict[str, Any]:
    """Give the server role ``user`` ``level`` on this shared library, audited."""
    if level not in LEVELS:
        raise UserError(f"No level {level!r}", f"choose one of {', '.join(LEVELS)}")
    if library.store.engine.dialect.name != "postgresql":
        raise UserError("Roles are for a shared library: a personal one has one user",
                        "share it first (`workbench share`)")
    with library.transaction() as s:
        if s.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :u"), {"u": user}).first() \
                is None:
            raise NotFound(f"There is no role {user!r} on the library's server",
                           f"its administrator makes it first: CREATE ROLE {user} LOGIN")
        role = s.get_bind().dialect.identifier_preparer.quote(user)
        columns = {t: [str(r[0]) for r in s.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "'public' AND table_name = :t ORDER BY ordinal_position"), {"t": t})]
            for t in OWNER_ONLY_COLUMNS}
        for sql in grant_statements(role, level, columns) + AUDIT_POLICIES:
            s.execute(text(sql))
        audit.record(s, audit.MODIFICATION, "library", None,
                     {"action": "role grant", "role": user, "level": level})
    return {"role": user, "level": level}


def reader_refusal(role: str | None) -> UserError:
    who = f"as {role}" if role else "with your role"
    return UserError(f"You are a reader of this shared case ({who}): nothing was changed",
                     "ask one of its owners to make you an editor (`workbench role grant`)")


def refusal(message: str, role: str | None) -> UserError | None:
    """A server's "permission denied" in words a person can act on, or None."""
    who = f"as {role}" if role else "with your role"
    if 'row-level security policy for table "audit_events"' in message:
        return UserError(f"Only an owner of this shared case may export a dossier ({who} "
                         "you are an editor): the export was not recorded",
                         "ask one of its owners to export it, or to make you an owner")
    if "permission denied" not in message:
        return None
    table = message.split("permission denied for table", 1)[-1].strip().split()[0] \
        if "permission denied for table" in message else ""
    if table == "audit_events":
        return UserError("The audit log of this shared case is only ever added to: nothing "
                         "was changed")
    if table == "":
        return reader_refusal(role)
    if table in OWNER_ONLY_TABLES or table in OWNER_ONLY_COLUMNS:
        return UserError(f"Only an owner of this shared case may redact or freeze a dossier "
                         f"({who} you are an editor): nothing was changed",
                         "ask one of its owners to do it, or to make you an owner")
    return UserError(f"Your role may not change {table} in this shared case ({who}): "
                     "nothing was changed", "ask one of its owners for the right level")


class RolesMixin:
    """The facade's part: granting a level to a colleague's server role."""

    library: Library

    def grant_role(self, user: str, level: str) -> dict[str, Any]:
        """Make the server role ``user`` a reader, editor or owner of this shared library
        (PostgreSQL grants; needs a role that may grant them, such as the one that made
        the library)."""
        return grant(self.library, user, level)
