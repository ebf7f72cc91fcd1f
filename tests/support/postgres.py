"""A throwaway PostgreSQL cluster for tests: started once per test process, a database per test.

The cluster lives in a private temporary folder (its data, and its socket: it listens on no
TCP port at all, so two pytest-xdist workers, each with its own cluster, never collide). As
root it runs as the ``postgres`` user, since PostgreSQL refuses to run as root. Databases are
cloned from a template migrated to head once (``CREATE DATABASE ... TEMPLATE``), which costs
a few tens of milliseconds instead of a full migration per test.

Without the PostgreSQL binaries the tests that need a cluster skip and say why; with
``WORKBENCH_REQUIRE_POSTGRES=1`` (CI) they fail instead, so a missing server cannot pass
silently.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REQUIRE_ENV = "WORKBENCH_REQUIRE_POSTGRES"
PORT = 5432  # only names the socket file: the cluster listens on no TCP port
SUPERUSER = "postgres"


def _bin_dir() -> Path | None:
    """The folder of ``initdb``/``pg_ctl``: Debian keeps them out of PATH, by version."""
    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                    key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                    else 0)
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def unavailable(reason: str) -> None:
    """Skip (or, where PostgreSQL is required, fail) the test needing a cluster."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"PostgreSQL is required ({REQUIRE_ENV}=1) but {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL for this test: {reason}")


@dataclass
class Cluster:
    """A running cluster reachable through its socket folder."""

    bin_dir: Path
    root: Path
    as_user: list[str]
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.root / "data"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                              check=False, timeout=120)

    def start(self) -> None:
        done = self._run(str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust",
                         "-U", SUPERUSER, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr.strip()}")
        opts = (f"-k {self.root} -p {PORT} -c listen_addresses='' -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        done = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", opts,
                         "-l", str(self.root / "log"), "-w", "-t", "60", "start")
        if done.returncode != 0:
            log = (self.root / "log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()} {log}")

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                  "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        """A libpq-style URL with no password (the cluster trusts its socket)."""
        return f"postgresql://{user}@/{database}?host={self.root}&port={PORT}"

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run statements outside a transaction (CREATE/DROP DATABASE need that)."""
        import psycopg

        with psycopg.connect(host=str(self.root), port=PORT, user=SUPERUSER,
                             dbname=database, autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)  # type: ignore[arg-type]

    def new_database(self, template: str | None = None) -> str:
        """A new empty database (a copy of ``template`` when given); returns its name."""
        name = f"wb_{os.getpid()}_{next(self._names)}"
        clone = f" TEMPLATE {template}" if template else ""
        self.execute(f"CREATE DATABASE {name}{clone}")
        return name

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


_process: dict[str, Cluster | BaseException] = {}


def process_cluster() -> Cluster:
    """This test process's cluster, started on first use and stopped when the process exits
    (the ``pg_cluster`` fixture, and the libraries of a run on PostgreSQL: libraries.py)."""
    found = _process.get("cluster")
    if isinstance(found, BaseException):  # it could not start: say why again, not try again
        raise found.with_traceback(None)
    if found is None:
        try:
            found = start_cluster()
        except (pytest.skip.Exception, pytest.fail.Exception) as exc:
            _process["cluster"] = exc
            raise
        _process["cluster"] = found
        atexit.register(found.stop)
    return found


def start_cluster() -> Cluster:
    """Start a cluster, or skip/fail (``unavailable``) saying why it cannot be."""
    bin_dir = _bin_dir()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        unavailable("the PostgreSQL server binaries (initdb, pg_ctl) are not installed "
                    "(Debian: apt-get install postgresql)")
    assert bin_dir is not None
    as_user: list[str] = []
    # A short folder: a Unix socket's path is limited to about 100 bytes.
    root = Path(tempfile.mkdtemp(prefix="wbpg-", dir="/tmp"))
    if os.geteuid() == 0:
        import pwd

        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            unavailable("we are root and there is no 'postgres' user to run the server as")
        os.chown(root, account.pw_uid, account.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    cluster = Cluster(bin_dir, root, as_user)
    try:
        cluster.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        cluster.stop()
        unavailable(f"the cluster could not start: {exc}")
    return cluster
