"""The language model is memory-mapped from a derived copy in the user's cache folder.

The copy answers exactly as py3langid's own model; it is derived once, named after the model
it came from, replaced when damaged; when the cache cannot be written (a file in the way, a
read-only or full disk) detection still works, from the model loaded whole, and no partial
copy is left behind. The import starts opening the model before its first document, and the
importing process holds only the part of the model its texts touch (no timings: the resident
memory a fresh process adds, with a wide margin, and what the tables are).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.fsconditions import require_unshare
from tests.support.language_texts import body, english
from workbench import language, language_model

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private user cache folder (platformdirs reads XDG_CACHE_HOME on every call)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return language_model.cache_dir()


def _copies(folder: Path) -> list[Path]:
    return sorted(folder.glob("*")) if folder.exists() else []


def test_the_mapped_copy_answers_as_py3langid_itself(cache: Path) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    whole = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    mapped = language_model.mapped_identifier()
    assert isinstance(mapped.tk_nextmove, memoryview)  # not a copy in memory
    # py3langid's pre-shifted row offsets, as a compact array rather than its list of
    # ~120,000 Python ints (4.3 MB in the importing process, issue 16: import memory)
    assert not isinstance(mapped._rowbase, list)
    assert list(mapped._rowbase) == whole._rowbase
    held = sys.getsizeof(whole._rowbase) + sum(map(sys.getsizeof, whole._rowbase))
    assert sys.getsizeof(mapped._rowbase) < held / 4
    texts = [english(3_000), body("ug", 3_000), body("zh", 3_000), body("ar", 3_000),
             "Это доклад о принудительном труде", "OK", "", "1234 5678",
             english(400) + body("ug", 400) + body("zh", 400)]
    for text in texts:
        got, expected = mapped.classify(text), whole.classify(text)
        assert got[0] == expected[0] and got[1] == pytest.approx(expected[1], abs=1e-6), text


def test_derived_once_named_after_the_model_and_stale_copies_go(cache: Path) -> None:
    cache.mkdir(parents=True)
    stale = cache / "py3langid-0123456789abcdef0123456789abcdef.npz"
    stale.write_bytes(b"an older py3langid's model")
    language_model.mapped_identifier()
    [copy] = _copies(cache)
    digest = language_model._sha256(language_model.source_model())
    assert copy.name == f"py3langid-{digest[:32]}.npz"
    first = copy.stat()
    language_model.mapped_identifier()
    again = copy.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_copy_is_not_used_and_is_derived_again(cache: Path, damage: str) -> None:
    language_model.mapped_identifier()
    [copy] = _copies(cache)
    data = copy.read_bytes()
    copy.write_bytes({"truncated": data[: len(data) // 2], "garbage": b"\0" * 4096,
                      "empty": b""}[damage])
    model = language_model.load_identifier()  # falls back to the whole model
    assert model.classify(body("ug", 2_000))[0] == "ug"
    assert not copy.exists(), "the damaged copy is removed"
    assert isinstance(language_model.load_identifier().tk_nextmove, memoryview)
    assert copy.stat().st_size == len(data)


@pytest.mark.parametrize("fill", [b"\0", b"\xff"])
def test_a_copy_whose_tables_answer_wrongly_is_not_used(cache: Path, fill: bytes) -> None:
    """Damage the zip's directory cannot show: the DFA's table overwritten in place (zeros:
    every byte leads back to the start, so no text has any feature; 0xff: to no state)."""
    language_model.mapped_identifier()
    [copy] = _copies(cache)
    mapping, members = language_model._map_members(copy)
    at, size = members["nextmove"].offset, members["nextmove"].shape[0] * 4
    mapping.close()
    with open(copy, "r+b") as fh:
        fh.seek(at)
        fh.write(fill * size)
    model = language_model.load_identifier()
    assert model.classify(english(2_000))[0] == "en"
    assert not isinstance(model.tk_nextmove, memoryview), "the whole model answered"
    assert not copy.exists(), "the wrong copy is removed, to be derived again"


def test_a_file_where_the_cache_folder_should_be(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    with pytest.raises(OSError):
        language_model.mapped_identifier()
    assert language_model.load_identifier().classify(body("zh", 2_000))[0] == "zh"


# Runs in a fresh interpreter: detect, then report what the model cost and what is in the
# cache folder. argv: the cache folder (XDG_CACHE_HOME), the texts (NUL-separated file).
PROBE = """
import json, sys
sys.path.insert(0, sys.argv[3])
import numpy  # the importing process holds it already (the search index)
def anon():
    with open('/proc/self/status') as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith('RssAnon:')) / 1024
before = anon()
from workbench import language
texts = open(sys.argv[2], encoding='utf-8').read().split('\\0')
codes = [language.detect_language(t) for t in texts]
from pathlib import Path
print(json.dumps({'codes': codes, 'added_anon_mb': anon() - before,
                  'mapped': type(language._model().tk_nextmove).__name__ == 'memoryview',
                  'cache': sorted(p.name for p in Path(sys.argv[1]).rglob('*') if p.is_file())}))
"""


def _probe(tmp_path: Path, cache_home: Path, texts: list[str],
           wrap: list[str] | None = None) -> dict[str, Any]:
    src = tmp_path / "texts.txt"
    src.write_text("\0".join(texts), encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    cmd = [sys.executable, "-c", PROBE, str(cache_home), str(src), str(ROOT)]
    proc = subprocess.run([*(wrap or []), *cmd], capture_output=True, text=True, env=env,
                          timeout=300, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def test_the_importing_process_holds_only_what_its_texts_touch(tmp_path: Path) -> None:
    texts = [english(20_000), body("ug", 20_000), body("zh", 20_000), body("ar", 20_000)]
    out = _probe(tmp_path, tmp_path / "cache", texts)
    assert out["codes"] == ["en", "ug", "zh", "ar"]
    assert out["mapped"]
    # Loaded whole, the model adds about 76 MB of private memory (105 MB while loading);
    # mapped, the tables stay in the shared file and what remains is small.
    assert out["added_anon_mb"] < 30, out
    assert len(out["cache"]) == 1


@pytest.mark.parametrize("condition", ["read-only", "full"])
def test_no_cache_space_still_detects_and_leaves_nothing_half_written(
        tmp_path: Path, condition: str) -> None:
    require_unshare()
    home = tmp_path / "cache-home"
    home.mkdir()
    mount = (f"mount -t tmpfs -o size=1m tmpfs {home}" if condition == "full" else
             f"mount --bind {home} {home} && mount -o remount,bind,ro {home}")
    out = _probe(tmp_path, home, [body("ug", 5_000), english(5_000)],
                 wrap=["unshare", "-m", "sh", "-c", f'{mount} && exec "$@"', "sh"])
    assert out["codes"] == ["ug", "en"]
    assert not out["mapped"]  # loaded whole, as py3langid does
    assert out["cache"] == [], "no partial copy is left in the cache folder"


def test_an_import_opens_the_model_before_its_first_document(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_preload = language.preload

    def preload() -> Any:
        calls.append("preload")
        return real_preload()

    def detect(text: str) -> str | None:
        calls.append("detect")
        return "en"

    monkeypatch.setattr(language, "preload", preload)
    monkeypatch.setattr(language, "detect_language", detect)
    (tmp_path / "a.txt").write_text(english(2_000), encoding="utf-8")
    wb.import_paths([tmp_path / "a.txt"])
    # prepare_import (the workers' start) and run_import each ask; the first opens it.
    assert "detect" in calls and calls.index("preload") < calls.index("detect")


def test_preload_opens_the_model_once(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    monkeypatch.setattr(language, "_identifier", None)
    thread = language.preload()
    assert thread is not None
    thread.join(120)
    assert language._identifier is not None
    assert language.preload() is None  # already open: nothing to start


# Fresh interpreter: how much of the cached copy is mapped in, after opening the model, after
# a detection, and after ``language.release`` (argv: the cache folder, a text file, ROOT).
RESIDENT = """
import json, re, sys
sys.path.insert(0, sys.argv[3])
from pathlib import Path
from workbench import language

def resident_kb():
    kb, current = 0, ''
    with open('/proc/self/smaps') as fh:
        for line in fh:
            if re.match(r'^[0-9a-f]+-[0-9a-f]+ ', line):
                current = line.split()[-1]
            elif line.startswith('Rss:') and current.endswith('.npz'):
                kb += int(line.split()[1])
    return kb

text = open(sys.argv[2], encoding='utf-8').read()
language._model()
opened = resident_kb()
code = language.detect_language(text)
detected = resident_kb()
language.release()
released = resident_kb()
again = language.detect_language(text)
print(json.dumps({'opened': opened, 'detected': detected, 'released': released,
                  'codes': [code, again]}))
"""


@pytest.mark.skipif(not Path("/proc/self/smaps").exists(), reason="reads /proc/self/smaps")
def test_the_model_keeps_no_pages_mapped_in_beyond_a_detection(tmp_path: Path) -> None:
    """The kernel maps 64 KB around each page a detection reads (fault-around, whatever
    MADV_RANDOM says): the open's own check left ~6 MB mapped, and every import's texts
    added theirs for the rest of the window's life. The pages stay in the page cache, so
    mapping them again costs a minor fault, not a read."""
    src = tmp_path / "text.txt"
    src.write_text(english(20_000), encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", RESIDENT, str(tmp_path / "cache"), str(src),
                           str(ROOT)], capture_output=True, text=True, env=env, timeout=300,
                          cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["codes"] == ["en", "en"]
    assert out["opened"] < 1024, out  # the check's pages are let go once it has answered
    assert out["detected"] > out["opened"]
    assert out["released"] < 1024, out


def test_an_import_lets_go_of_the_models_pages_when_it_ends(
        wb: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real_release = language.release
    real_detect = language.detect_language

    def release() -> None:
        calls.append("release")
        real_release()

    def detect(text: str) -> str | None:
        calls.append("detect")
        return real_detect(text)

    monkeypatch.setattr(language, "release", release)
    monkeypatch.setattr(language, "detect_language", detect)
    (tmp_path / "a.txt").write_text(english(2_000), encoding="utf-8")
    wb.import_paths([tmp_path / "a.txt"])
    assert calls == ["detect", "release"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice: Linux")
def test_the_model_opens_at_a_lower_priority_than_the_import(
        monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    """The preloading thread yields the cores to the extraction workers starting beside it;
    the rest of the process keeps its priority."""
    import threading

    seen: dict[str, int] = {}
    real_model = language._model

    def model() -> Any:
        seen["thread"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        return real_model()

    monkeypatch.setattr(language, "_identifier", None)
    monkeypatch.setattr(language, "_model", model)
    own = os.getpriority(os.PRIO_PROCESS, 0)
    thread = language.preload()
    assert thread is not None
    thread.join(120)
    assert seen["thread"] == min(19, own + language.PRELOAD_NICENESS)
    assert os.getpriority(os.PRIO_PROCESS, 0) == own
