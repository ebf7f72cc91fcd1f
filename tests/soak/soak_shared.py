"""The five-desktop soak of a shared library (issue 19): several processes code documents and
edit dossiers at once, each as its own database role, and afterwards nothing is lost.

Usage: .venv/bin/python tests/soak/soak_shared.py [--minutes 10] [--processes 5] [--seed 19]

A throwaway PostgreSQL cluster is started in a temporary folder (tests/support/postgres.py)
and removed after. The library is seeded (three documents, two dossiers, eight highlights
everyone edits, tags of each process's own); then each process, through the core facade,
loops for the given time over: highlighting (with its own tags), tagging documents, editing
the note of a shared highlight, adding note items to a dossier, editing a dossier's
description and an item's commentary, and now and then importing a file of its own. Every
edit of a highlight or dossier is made against the version the process read a moment before
(``expected_version``): when someone changed it meanwhile it is refused with a
``ConflictError``, and the process then reloads and retries, gives the edit up, or
overwrites on purpose (``force``), at random. Each process writes down what it believes it
committed; the checks afterwards:

- no lost update: every versioned row went through each version exactly once (the versions
  the processes say their edits produced are 2..version, no duplicate, no gap), and its
  field holds the value of the edit that produced its last version; every highlight, item,
  import and document tag a process made is there; an edit given up is nowhere;
- every refusal was a ``ConflictError`` in the documented words ("Changed by <role> at …
  reload to see their change, or overwrite"), and no process met any other error;
- the audit log: ids 1..n with no gap, ``workbench verify`` clean (run as the CLI), and the
  events of each author, counted by (type, object), exactly those its process made.

Prints one JSON object; exits 1 when any check fails. Not part of the test suite (a short
run is: tests/pg/test_soak_short.py); figures go to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:  # the processes never import pytest (which tests/support/postgres does)
    from tests.support.postgres import Cluster

WORDS = ["detention", "camp", "witness", "testimony", "convoy", "village", "report",
         "evidence", "family", "interview", "court", "prison", "transfer", "night", "guard"]
SHARED_HIGHLIGHTS = 8
OWN_TAGS = 6
CONFLICT_WORDS = ("since you opened it: reload to see their change, or overwrite")


def role_of(n: int) -> str:
    return f"soak_w{n}"


# --- one process: its own desktop -------------------------------------------------------------

class Desktop:
    """One process's session and its account of what it did."""

    def __init__(self, wb: Any, n: int, rng: random.Random, files: Path,
                 seed_info: dict[str, Any]) -> None:
        self.wb, self.n, self.rng, self.files = wb, n, rng, files
        self.me = role_of(n)
        self.docs: list[int] = seed_info["documents"]
        self.dossiers: list[int] = seed_info["dossiers"]
        self.shared: list[int] = seed_info["highlights"]
        self.lengths: dict[str, int] = seed_info["lengths"]
        self.audit: Counter[str] = Counter()
        self.versions: list[list[Any]] = []  # [type, id, version produced, field, value]
        self.highlights: list[int] = []
        self.items: list[list[Any]] = []  # [dossier, item, text]
        self.imports: list[int] = []
        self.doc_tags: set[tuple[int, str]] = set()
        self.given_up: list[list[Any]] = []  # [type, id, field, value]
        self.conflicts = self.retries = self.forced = 0
        self.bad_conflicts: list[str] = []
        self.errors: list[str] = []
        self.ops: Counter[str] = Counter()
        self.counter = 0

    def unique(self, what: str) -> str:
        self.counter += 1
        return f"{what} {self.me} #{self.counter}"

    def think(self) -> None:
        # a person reads before editing: others commit meanwhile, which makes conflicts
        time.sleep(self.rng.uniform(0, 0.03))

    # the versioned edits: read the version, think, edit against it ----------------------

    def versioned(self, kind: str, row: int, field: str, value: Any,
                  read: Any, edit: Any) -> None:
        from workbench.errors import ConflictError

        seen = read()
        self.think()
        for _attempt in range(4):
            try:
                edit(seen, False)
            except ConflictError as exc:
                self.conflicts += 1
                if not (exc.message.startswith("Changed by ") and CONFLICT_WORDS in exc.message
                        and exc.version > seen):
                    self.bad_conflicts.append(exc.message)
                choice = self.rng.random()
                if choice < 0.6:  # reload and try again
                    self.retries += 1
                    seen = read()
                    continue
                if choice < 0.8:  # give the edit up
                    self.given_up.append([kind, row, field, value])
                    return
                edit(seen, True)  # overwrite on purpose
                self.forced += 1
                self.versions.append([kind, row, self.produced_by_force(kind, row, seen),
                                      field, value])
                self.audit[f"modification/{kind}"] += 1
                return
            self.versions.append([kind, row, seen + 1, field, value])
            self.audit[f"modification/{kind}"] += 1
            return
        self.given_up.append([kind, row, field, value])

    def produced_by_force(self, kind: str, row: int, seen: int) -> int:
        """The version a forced edit made: its own audit event says what it replaced (no
        other process writes as this role)."""
        from sqlalchemy import select

        from workbench.models import AuditEvent

        with self.wb.library.read() as s:
            details = s.execute(
                select(AuditEvent.details).where(
                    AuditEvent.object_type == kind, AuditEvent.object_id == str(row),
                    AuditEvent.author == self.me).order_by(AuditEvent.id.desc()).limit(1)
            ).scalar_one()
        overwrote = json.loads(details).get("overwrote")
        return (overwrote["version_replaced"] if overwrote else seen) + 1

    def edit_note(self) -> None:
        hid = self.rng.choice(self.shared + self.highlights[-5:])
        note = self.unique("note")
        self.versioned("highlight", hid, "note", note,
                       lambda: int(self.wb.get_highlight(hid)["version"]),
                       lambda v, force: self.wb.edit_highlight(
                           hid, note=note, expected_version=v, force=force))

    def dossier_version(self, did: int) -> int:
        return next(int(d["version"]) for d in self.wb.list_dossiers() if d["id"] == did)

    def add_item(self) -> None:
        did = self.rng.choice(self.dossiers)
        text = self.unique("item")
        made: list[int] = []

        def edit(v: int, force: bool) -> None:
            made.extend(self.wb.add_item(did, note=text, expected_version=v,
                                         force=force).item_ids)

        self.versioned("dossier", did, "item", text, lambda: self.dossier_version(did), edit)
        if made:
            self.items.append([did, made[0], text])

    def edit_description(self) -> None:
        did = self.rng.choice(self.dossiers)
        text = self.unique("description")
        self.versioned("dossier", did, "description", text, lambda: self.dossier_version(did),
                       lambda v, force: self.wb.update_dossier(
                           did, description=text, expected_version=v, force=force))

    def edit_commentary(self) -> None:
        if not self.items:
            return self.add_item()
        did, item, _ = self.rng.choice(self.items)
        text = self.unique("commentary")
        self.versioned("dossier", did, f"commentary:{item}", text,
                       lambda: self.dossier_version(did),
                       lambda v, force: self.wb.set_commentary(
                           did, item, text, expected_version=v, force=force))
        return None

    # the unversioned ones ---------------------------------------------------------------

    def highlight(self) -> None:
        doc = self.rng.choice(self.docs)
        start = self.rng.randrange(0, self.lengths[str(doc)] - 40)
        tag = f"Soak/{self.me}/t{self.rng.randrange(OWN_TAGS)}"
        made = self.wb.add_highlight(doc, start=start, end=start + 30, tags=[tag])
        self.highlights.append(made.highlight_ids[0])
        self.audit["creation/highlight"] += 1

    def tag_document(self) -> None:
        doc = self.rng.choice(self.docs)
        tag = f"Soak/{self.me}/t{self.rng.randrange(OWN_TAGS)}"
        self.wb.tag_document(doc, tag)
        if (doc, tag) not in self.doc_tags:  # tagging again changes nothing, writes nothing
            self.doc_tags.add((doc, tag))
            self.audit["modification/document"] += 1

    def import_file(self) -> None:
        path = self.files / f"{self.me}-{self.counter}.txt"
        path.write_text(f"{self.unique('import')}: " + " ".join(
            self.rng.choice(WORDS) for _ in range(200)) + "\n")
        report, _ = self.wb.import_paths([path])
        self.imports.extend(o.document_id for o in report.imported)
        self.audit["ingestion/document"] += len(report.imported)
        if len(report.imported) != 1:
            self.errors.append(f"import of {path.name}: {report.outcomes}")

    def run(self, seconds: float) -> None:
        ops = [(self.edit_note, 25), (self.highlight, 15), (self.tag_document, 8),
               (self.add_item, 20), (self.edit_description, 14), (self.edit_commentary, 15),
               (self.import_file, 3)]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            op = self.rng.choices([o for o, _ in ops], [w for _, w in ops])[0]
            self.ops[op.__name__] += 1
            try:
                op()
            except Exception as exc:  # anything but a refusal is a finding
                self.errors.append(f"{op.__name__}: {type(exc).__name__}: {exc} | "
                                   + traceback.format_exc(limit=3).replace("\n", " ")[-600:])

    def account(self) -> dict[str, Any]:
        return {"role": self.me, "ops": dict(self.ops), "audit": dict(self.audit),
                "versions": self.versions, "highlights": self.highlights,
                "items": self.items, "imports": self.imports,
                "doc_tags": sorted(self.doc_tags), "given_up": self.given_up,
                "conflicts": self.conflicts, "retries": self.retries, "forced": self.forced,
                "bad_conflicts": self.bad_conflicts[:10], "errors": self.errors[:20],
                "error_count": len(self.errors)}


def worker(marker: str, n: int, seconds: float, seed: int, seed_file: str, out: str) -> None:
    """One process: opens the library while the owner seeds it, then works ``seconds``."""
    from workbench.services import Workbench

    files = Path(out).parent / f"files-{n}"
    files.mkdir(exist_ok=True)
    t0 = time.monotonic()
    with Workbench.open(marker) as wb:
        opened = time.monotonic()
        while not Path(seed_file).exists():  # written whole (renamed into place)
            if time.monotonic() - opened > 600:
                raise SystemExit("the library was never seeded")
            time.sleep(0.05)
        seed_info = json.loads(Path(seed_file).read_text())
        desk = Desktop(wb, n, random.Random(seed * 100 + n), files, seed_info)
        started = time.monotonic()
        desk.run(seconds)
        ran = time.monotonic()
    account = {**desk.account(), "open_s": round(opened - t0, 2),
               "run_s": round(ran - started, 2), "close_s": round(time.monotonic() - ran, 2)}
    Path(out).write_text(json.dumps(account))


# --- the run and its checks -------------------------------------------------------------------

def _text(rng: random.Random, n: int) -> str:
    return f"Statement {n}. " + " ".join(rng.choice(WORDS) for _ in range(400)) + "\n"


def seed_library(marker: Path, tmp: Path, seed: int, processes: int) -> dict[str, Any]:
    """Documents, dossiers, shared highlights and each process's tags, made as the owner."""
    from workbench.services import Workbench

    rng = random.Random(seed)
    paths = []
    for n in range(3):
        p = tmp / f"statement-{n}.txt"
        p.write_text(_text(rng, n))
        paths.append(p)
    with Workbench.open(marker) as wb:
        report, _ = wb.import_paths(paths)
        docs = [o.document_id for o in report.imported if o.document_id is not None]
        lengths = {str(d): len(wb.document_text(d).text) for d in docs}
        dossiers = [wb.create_dossier(f"Findings {n}").dossier_ids[0] for n in range(2)]
        shared = [wb.add_highlight(docs[n % 3], start=50 * n, end=50 * n + 20)
                  .highlight_ids[0] for n in range(SHARED_HIGHLIGHTS)]
        for n in range(processes):
            for k in range(OWN_TAGS):
                wb.add_tag(f"Soak/{role_of(n)}/t{k}")
    return {"documents": docs, "dossiers": dossiers, "highlights": shared, "lengths": lengths}


def desktop_marker(cluster: Cluster, database: str, marker: Path, who: str) -> Path:
    """A marker of the library opened as the server role ``who``, made when missing and
    allowed to write the library's tables (as tests/pg/test_shared_concurrency.py)."""
    cluster.execute(f"DO $$BEGIN CREATE ROLE {who} LOGIN; "
                    "EXCEPTION WHEN duplicate_object THEN NULL; END$$")
    cluster.execute(*[f"GRANT ALL ON ALL {what} IN SCHEMA {schema} TO {who}"
                      for what in ("TABLES", "SEQUENCES") for schema in ("public", "wbsearch")],
                    f"GRANT USAGE ON SCHEMA wbsearch TO {who}", database=database)
    mine = marker.parent / f"marker-{who}"
    mine.mkdir()
    info = json.loads((marker / "workbench-library.json").read_text())
    info["database"] = cluster.url(database, user=who)
    (mine / "workbench-library.json").write_text(json.dumps(info))
    return mine


def run_soak(cluster: Cluster, database: str, tmp: Path, *, seconds: float,
             processes: int, seed: int = 19) -> dict[str, Any]:
    """Seed, run the processes, check; the result's ``problems`` is empty when all holds."""
    from workbench.shared import create

    started = time.monotonic()
    marker = tmp / "case"
    create(marker, cluster.url(database), tmp / "store")
    seed_file = tmp / "seed.json"
    procs = []
    # The processes start (and open the library) while it is seeded: their start-up is
    # most of a short run's time on a loaded machine.
    for n in range(processes):
        mine = desktop_marker(cluster, database, marker, role_of(n))
        out = tmp / f"account-{n}.json"
        procs.append((out, subprocess.Popen(
            [sys.executable, __file__, "--worker", str(mine), str(n), str(seconds), str(seed),
             str(seed_file), str(out)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=str(ROOT),
            env={**os.environ, "XDG_CACHE_HOME": str(tmp / f"cache-{n}")})))
    try:
        seed_info = seed_library(marker, tmp, seed, processes)
    except BaseException:
        for _, p in procs:
            p.kill()
        raise
    (tmp / "seed.part").write_text(json.dumps(seed_info))
    (tmp / "seed.part").rename(seed_file)
    problems: list[str] = []
    accounts = []
    for out, p in procs:
        try:
            _, err = p.communicate(timeout=seconds + 180)
        except subprocess.TimeoutExpired:
            p.kill()
            _, err = p.communicate()
            problems.append(f"process {out.name} did not end (a deadlock?)")
        if p.returncode != 0 or not out.exists():
            problems.append(f"process {out.name} failed ({p.returncode}): {err[-1500:]}")
            continue
        accounts.append(json.loads(out.read_text()))
    ran_s = time.monotonic() - started
    result = check(cluster, database, marker, seed_info, accounts, problems)
    result.update(processes=processes, seconds_each=seconds, wall_s=round(ran_s, 1))
    return result


def check(cluster: Cluster, database: str, marker: Path, seed_info: dict[str, Any],
          accounts: list[dict[str, Any]], problems: list[str]) -> dict[str, Any]:
    import psycopg

    for a in accounts:
        problems += [f"{a['role']}: {e}" for e in a["errors"]]
        problems += [f"{a['role']}: a refusal not in the documented words: {m}"
                     for m in a["bad_conflicts"]]
    with psycopg.connect(host=str(cluster.root), port=5432, user="postgres",
                         dbname=database) as conn:
        def rows(sql: str) -> list[tuple[Any, ...]]:
            return conn.execute(sql).fetchall()  # type: ignore[arg-type]

        high = {r[0]: r[1:] for r in rows("SELECT id, version, note FROM highlights")}
        doss = {r[0]: r[1:] for r in rows("SELECT id, version, description FROM dossiers")}
        items = {r[0]: r[1:] for r in rows(
            "SELECT id, dossier_id, note_text, commentary FROM dossier_items")}
        docs = {r[0] for r in rows("SELECT id FROM documents")}
        doc_tags = set(rows("SELECT dt.document_id, t.id FROM document_tags dt "
                            "JOIN tags t ON t.id = dt.tag_id"))
        tag_ids = _tag_paths(rows("SELECT id, name, parent_id FROM tags"))
        ids = [r[0] for r in rows("SELECT id FROM audit_events ORDER BY id")]
        by_author: dict[str, Counter[str]] = {}
        for author, etype, otype, count in rows(
                "SELECT author, event_type, object_type, count(*) FROM audit_events "
                "GROUP BY 1, 2, 3"):
            by_author.setdefault(author, Counter())[f"{etype}/{otype}"] = count

    # every row went through each version once, and holds its last edit's value
    produced: dict[tuple[str, int], list[int]] = {}
    last: dict[tuple[str, int, str], tuple[int, str]] = {}
    for a in accounts:
        for kind, row, version, field, value in a["versions"]:
            produced.setdefault((kind, row), []).append(version)
            key = (kind, row, field)
            if key not in last or version > last[key][0]:
                last[key] = (version, value)
    for (kind, row), versions in produced.items():
        now = (high if kind == "highlight" else doss)[row][0]
        if sorted(versions) != list(range(2, now + 1)):
            dup = sorted(v for v, c in Counter(versions).items() if c > 1)
            problems.append(f"{kind} {row} at version {now}: edits claim versions "
                            f"{len(versions)} (duplicates {dup[:5]}): a lost or phantom update")
    for (kind, row, field), (version, value) in last.items():
        if kind == "highlight" and high[row][1] != value:
            problems.append(f"highlight {row}: note {high[row][1]!r}, its last edit (version "
                            f"{version}) wrote {value!r}")
        elif field == "description" and doss[row][1] != value:
            problems.append(f"dossier {row}: description {doss[row][1]!r}, last edit wrote "
                            f"{value!r}")
        elif field.startswith("commentary:"):
            item = int(field.split(":")[1])
            if items.get(item, (None, None, None))[2] != value:
                problems.append(f"item {item}: commentary lost, last edit wrote {value!r}")
    for a in accounts:
        for hid in a["highlights"]:
            if hid not in high:
                problems.append(f"{a['role']}'s highlight {hid} is missing")
        for did, item, text in a["items"]:
            if items.get(item, (None, None))[:2] != (did, text):
                problems.append(f"{a['role']}'s item {item} of dossier {did} is missing")
        for doc in a["imports"]:
            if doc not in docs:
                problems.append(f"{a['role']}'s import {doc} is missing")
        for doc, tag in a["doc_tags"]:
            if (doc, tag_ids.get(tag)) not in doc_tags:
                problems.append(f"{a['role']}'s tag {tag} on document {doc} is missing")
        for kind, row, _field, value in a["given_up"]:  # each value is written once only
            found = (high[row][1] == value if kind == "highlight" else
                     doss[row][1] == value or any(i[1] == value or i[2] == value
                                                  for i in items.values()))
            if found:
                problems.append(f"{a['role']}'s edit {value!r}, refused and given up, is "
                                "in the database")
        theirs = by_author.get(a["role"], Counter())
        if theirs != Counter(a["audit"]):
            problems.append(f"{a['role']}'s audit events {dict(theirs)} are not what it did "
                            f"{a['audit']}")
    if ids != list(range(1, len(ids) + 1)):
        problems.append("the audit log's ids have gaps")
    code, said = _verify(marker)
    verified = json.loads(said) if said.strip().startswith("{") else {}
    if code != 0 or verified.get("ok") is not True:
        problems.append(f"verify: exit {code} {said[-1500:]}")
    return {
        "ok": not problems, "problems": problems[:50], "problem_count": len(problems),
        "operations": sum(sum(a["ops"].values()) for a in accounts),
        "by_process": {a["role"]: {"ops": a["ops"], "audit_events": sum(a["audit"].values()),
                                   "conflicts": a["conflicts"], "retries": a["retries"],
                                   "forced": a["forced"], "given_up": len(a["given_up"]),
                                   "errors": a["error_count"], "open_s": a["open_s"],
                                   "close_s": a["close_s"]} for a in accounts},
        "conflicts": sum(a["conflicts"] for a in accounts),
        "versioned_edits_committed": sum(len(a["versions"]) for a in accounts),
        "audit_events": len(ids),
        "verify": {"exit": code, "ok": verified.get("ok"),
                   "audit_events_checked": verified.get("audit_events_checked")},
        "highlights": len(high), "dossier_items": len(items), "documents": len(docs),
    }


def _verify(marker: Path) -> tuple[int, str]:
    """``workbench verify --json`` as the owner (the command line, in this process): its exit
    code and what it printed (its error line too)."""
    import contextlib
    import io

    from workbench.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = main(["--library", str(marker), "verify", "--json"])
    return code, out.getvalue()


def _tag_paths(rows: list[tuple[Any, ...]]) -> dict[str, int]:
    names = {r[0]: (r[1], r[2]) for r in rows}

    def path(i: int) -> str:
        name, parent = names[i]
        return name if parent is None else f"{path(parent)}/{name}"

    return {path(i): i for i in names}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        marker, n, seconds, seed, seed_file, out = sys.argv[2:8]
        worker(marker, int(n), float(seconds), int(seed), seed_file, out)
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--processes", type=int, default=5)
    ap.add_argument("--seed", type=int, default=19)
    args = ap.parse_args()
    import signal

    from tests.support.postgres import start_cluster

    # stopped (SIGTERM): the cluster is still stopped and removed, by the ``finally`` below
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory() as tmpname:
            result = run_soak(cluster, cluster.new_database(), Path(tmpname),
                              seconds=args.minutes * 60, processes=args.processes,
                              seed=args.seed)
    finally:
        cluster.stop()
    result.update(load_avg_at_end=os.getloadavg(), cpus=os.cpu_count())
    print(json.dumps(result, indent=1))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
