"""Every audit event names its author (revision 0006): hashed with the event, so a changed
author breaks the chain; events written before 0006 have none and verify as they did."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from workbench import audit
from workbench.models import AuditEvent
from workbench.services import Workbench

AUTHOR_BY_ROLE = pytest.mark.sqlite_only(
    "a personal library's author is $WORKBENCH_AUTHOR or the user logged in; a shared one's is "
    "the database role it was written as (tests/pg/test_concurrent_writers.py)")


@AUTHOR_BY_ROLE
def test_a_new_event_names_its_author_and_a_changed_author_breaks_the_chain(
        library_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(audit.AUTHOR_ENV, "A. Researcher")
    with Workbench.open(library_path) as wb:
        wb.add_tag("Findings")
        with wb.library.read() as s:
            last = s.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
            assert last is not None and last.author == "A. Researcher"
            assert audit.event_dict(last)["author"] == "A. Researcher"
            last_id = last.id
            assert audit.verify_chain(s.execute(select(AuditEvent).order_by(AuditEvent.id))
                                      .scalars()) == []
        with wb.library.transaction() as s:
            s.execute(update(AuditEvent).where(AuditEvent.id == last_id)
                      .values(author="Someone Else"))
        with wb.library.read() as s:
            problems = audit.verify_chain(s.execute(select(AuditEvent)
                                                    .order_by(AuditEvent.id)).scalars())
    assert [(p.event_id, p.problem) for p in problems] == [
        (last_id, "contents were altered after it was written")]


@AUTHOR_BY_ROLE
def test_without_a_configured_name_the_author_is_the_os_user(
        library_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(audit.AUTHOR_ENV, raising=False)
    with Workbench.open(library_path) as wb:
        wb.add_tag("Findings")
        with wb.library.read() as s:
            author = s.execute(select(AuditEvent.author).order_by(AuditEvent.id.desc())
                               ).scalars().first()
    assert author == audit.current_actor()


def test_an_event_from_before_authors_verifies_as_before() -> None:
    fields = dict(seq=1, at="2026-01-01T00:00:00.000000Z", actor="me", event_type="creation",
                  object_type="tag", object_id="1", details="{}", prev_hash=audit.GENESIS)
    old = audit.event_hash(**fields)  # type: ignore[arg-type]
    assert audit.event_hash(**fields, author=None) == old  # type: ignore[arg-type]
    assert audit.event_hash(**fields, author="me") != old  # type: ignore[arg-type]
    ev = AuditEvent(id=1, author=None, hash=old, **{k: v for k, v in fields.items()
                                                    if k != "seq"})
    assert audit.verify_chain([ev]) == []
