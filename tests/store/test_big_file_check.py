"""A big project opens after a fast partial check; the whole check runs in the background.

Nothing is written to the file before the background check passed, a failed
check refuses every write, and closing never leaves the checking thread behind.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from stancemark.core.errors import CorruptProjectError
from stancemark.core.models import ArticleDraft
from stancemark.store import open_project, project


@pytest.fixture
def always_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(project, "FULL_CHECK_MAX_BYTES", 0)


def make_project(path: Path, n: int = 400) -> None:
    with open_project(path, create=True) as s:
        s.articles.add_many(ArticleDraft(text=f"Article {i} about the border talks. " * 20,
                                         title=f"T{i}") for i in range(n))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def no_checker_thread() -> bool:
    return not any(t.name == "stancemark-quick-check" for t in threading.enumerate())


def test_healthy_big_file_is_checked_in_background_then_writable(tmp_path: Path,
                                                                always_big: None) -> None:
    p = tmp_path / "big.stancemark"
    make_project(p)
    store = open_project(p)
    try:
        assert store.integrity_check is not None
        assert store.integrity in ("checking", "ok")
        store.set_meta("touched", "yes")  # waits for the check, then writes
        assert store.integrity == "ok"
    finally:
        store.close()
    assert no_checker_thread()
    with open_project(p) as again:
        assert again.get_meta("touched") == "yes"


def test_corrupt_big_file_is_never_written(tmp_path: Path, always_big: None) -> None:
    p = tmp_path / "bad.stancemark"
    make_project(p)
    data = bytearray(p.read_bytes())
    page = 4096
    # zero pages deep in the article data, far from the schema and the small tables
    mid = (len(data) * 2 // 3) // page * page
    data[mid: mid + 3 * page] = bytes(3 * page)
    p.write_bytes(bytes(data))
    before = digest(p)
    try:
        store = open_project(p)
    except CorruptProjectError:
        assert digest(p) == before  # caught by the fast part already: fine too
        return
    heard: list[str] = []
    try:
        assert store.integrity_check is not None
        store.integrity_check.add_listener(lambda c: heard.append(c.state))
        with pytest.raises(CorruptProjectError, match="damaged"):
            store.set_meta("touched", "yes")
        assert store.integrity == "failed"
        assert heard == ["failed"]
    finally:
        store.close()
    assert digest(p) == before
    assert no_checker_thread()


def test_truncated_big_file_is_refused_at_once(tmp_path: Path, always_big: None) -> None:
    p = tmp_path / "cut.stancemark"
    make_project(p)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptProjectError, match="truncated|damaged"):
        open_project(p)


def test_closing_during_the_check_stops_it(tmp_path: Path, always_big: None) -> None:
    p = tmp_path / "big.stancemark"
    make_project(p)
    before = digest(p)
    open_project(p).close()
    assert no_checker_thread()
    assert digest(p) == before


def test_small_file_is_checked_whole_before_opening(tmp_path: Path) -> None:
    p = tmp_path / "small.stancemark"
    make_project(p, n=3)
    with open_project(p) as store:
        assert store.integrity_check is None
        assert store.integrity == "ok"
