"""Opening, creating, refusing, migrating and locking project files."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from stancemark.core.errors import (
    CorruptProjectError,
    NewerVersionError,
    NotAProjectError,
    ProjectError,
    ProjectLockedError,
    ReadOnlyProjectError,
)
from stancemark.core.models import ArticleDraft
from stancemark.store import open_project, schema
from stancemark.store.schema import CURRENT_VERSION


def fingerprint(path: Path) -> tuple[str, float]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime


def make_project(path: Path, n: int = 3) -> None:
    with open_project(path, create=True) as s:
        s.articles.add_many(ArticleDraft(text=f"Article number {i} about NATO.", title=f"T{i}")
                            for i in range(n))


def test_create_and_reopen_keeps_data(tmp_path: Path) -> None:
    p = tmp_path / "a.stancemark"
    make_project(p)
    with open_project(p) as s:
        assert s.counts()["articles"] == 3
        assert s.schema_version == CURRENT_VERSION
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        # the default codebook is there
        assert [p.value for p in s.codebook.load().scale] == [-2, -1, 0, 1, 2]


def test_missing_project_is_not_created_without_asking(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no project"):
        open_project(tmp_path / "nope.stancemark")
    assert not (tmp_path / "nope.stancemark").exists()


def test_text_file_is_refused_and_untouched(tmp_path: Path) -> None:
    p = tmp_path / "notes.stancemark"
    p.write_text("just some notes, not a database\n" * 100)
    before = fingerprint(p)
    with pytest.raises(NotAProjectError, match="not an SQLite database"):
        open_project(p)
    assert fingerprint(p) == before
    assert not (tmp_path / "notes.stancemark-wal").exists()


def test_other_programs_sqlite_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "other.db"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE birds(name)")
    con.commit()
    con.close()
    before = fingerprint(p)
    with pytest.raises(NotAProjectError, match="not a Stancemark project"):
        open_project(p)
    assert fingerprint(p) == before


def test_newer_version_is_refused_and_untouched(tmp_path: Path) -> None:
    p = tmp_path / "new.stancemark"
    make_project(p)
    con = sqlite3.connect(p)
    con.execute(f"PRAGMA user_version = {CURRENT_VERSION + 5}")
    con.commit()
    con.close()
    before = fingerprint(p)
    with pytest.raises(NewerVersionError, match="newer Stancemark"):
        open_project(p)
    with pytest.raises(NewerVersionError):
        open_project(p, read_only=True)
    assert fingerprint(p) == before


def test_corrupt_file_is_refused_and_untouched(tmp_path: Path) -> None:
    p = tmp_path / "bad.stancemark"
    make_project(p, n=300)
    data = bytearray(p.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    # zero out pages in the middle of the file, keeping the header intact
    data[3 * page: 5 * page] = bytes(2 * page)
    p.write_bytes(bytes(data))
    before = fingerprint(p)
    with pytest.raises(CorruptProjectError, match="damaged"):
        open_project(p)
    assert fingerprint(p) == before


def test_truncated_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "cut.stancemark"
    make_project(p, n=300)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptProjectError):
        open_project(p)


def test_second_writer_is_refused_and_may_read(tmp_path: Path) -> None:
    p = tmp_path / "shared.stancemark"
    make_project(p)
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from stancemark.store import open_project;"
         f"s = open_project({str(p)!r}); print('held', flush=True); sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(ProjectLockedError, match="another Stancemark") as info:
            open_project(p)
        assert "read-only" in str(info.value)
        with open_project(p, read_only=True) as ro:
            assert ro.read_only
            assert ro.counts()["articles"] == 3
            with pytest.raises(ReadOnlyProjectError):
                ro.articles.set_status(1, "done")
    finally:
        holder.communicate("\n", timeout=10)
    # released when the other process ends
    with open_project(p) as s:
        s.articles.set_status(1, "done")


def _deny_writes_to(monkeypatch, denied: Path) -> None:
    """Root ignores permission bits, so simulate them where the test runs as root."""
    import stancemark.store.project as project

    real = os.access
    monkeypatch.setattr(project.os, "access",
                        lambda p, mode: False if Path(p) == denied and mode & os.W_OK
                        else real(p, mode))


def test_read_only_file_opens_read_only(tmp_path: Path, monkeypatch) -> None:
    p = tmp_path / "ro.stancemark"
    make_project(p)
    p.chmod(0o444)
    if os.geteuid() == 0:
        _deny_writes_to(monkeypatch, p)
    before = fingerprint(p)
    with open_project(p) as s:
        assert s.read_only and "not writable" in (s.read_only_reason or "")
        assert s.counts()["articles"] == 3
        with pytest.raises(ReadOnlyProjectError, match="read-only"):
            s.actors.add("X", "person")
    assert fingerprint(p)[0] == before[0]


def test_project_in_unwritable_folder(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    p = folder / "p.stancemark"
    make_project(p)
    folder.chmod(0o555)
    try:
        if os.geteuid() == 0:
            _deny_writes_to(monkeypatch, folder)
        with open_project(p) as s:
            assert s.read_only and "folder" in (s.read_only_reason or "")
            assert s.counts()["articles"] == 3
        with pytest.raises(ProjectError, match="not writable"):
            open_project(folder / "new.stancemark", create=True)
    finally:
        folder.chmod(0o755)


def test_transaction_rolls_back_everything(store) -> None:
    with pytest.raises(RuntimeError):
        with store.write():
            store.articles.add(ArticleDraft(text="first"))
            store.actors.add("Somebody", "person")
            raise RuntimeError("boom")
    assert store.counts()["articles"] == 0
    assert store.counts()["actors"] == 0


def test_migration_takes_a_copy_first_and_keeps_data(tmp_path: Path, monkeypatch) -> None:
    p = tmp_path / "old.stancemark"
    make_project(p)
    extra = ("ALTER TABLE articles ADD COLUMN reviewer TEXT;\n"
             "CREATE INDEX idx_rev ON articles(reviewer);")
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, extra])
    monkeypatch.setattr(schema, "CURRENT_VERSION", CURRENT_VERSION + 1)
    import stancemark.store.project as project

    monkeypatch.setattr(project, "MIGRATIONS", schema.MIGRATIONS)
    monkeypatch.setattr(project, "CURRENT_VERSION", CURRENT_VERSION + 1)
    with open_project(p) as s:
        assert s.schema_version == CURRENT_VERSION + 1
        assert s.counts()["articles"] == 3
        cols = [r[1] for r in s.conn.execute("PRAGMA table_info(articles)")]
        assert "reviewer" in cols
    backup = tmp_path / f"old.stancemark.v{CURRENT_VERSION}.bak"
    assert backup.exists()
    con = sqlite3.connect(backup)
    assert con.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 3
    con.close()


def test_failed_migration_leaves_file_as_it_was(tmp_path: Path, monkeypatch) -> None:
    p = tmp_path / "old.stancemark"
    make_project(p)
    import stancemark.store.project as project

    broken = "CREATE TABLE x(a);\nBROKEN SQL;"
    monkeypatch.setattr(project, "MIGRATIONS", [*schema.MIGRATIONS, broken])
    monkeypatch.setattr(project, "CURRENT_VERSION", CURRENT_VERSION + 1)
    with pytest.raises(ProjectError, match="Upgrading the project failed"):
        open_project(p)
    monkeypatch.undo()
    with open_project(p) as s:
        assert s.schema_version == CURRENT_VERSION
        assert s.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'x'").fetchone() is None


def test_fts_search_finds_words_with_diacritics_folded(store) -> None:
    from stancemark.core.filters import ArticleFilter

    store.articles.add_many([
        ArticleDraft(text="Vučić met Kurti in Brussels.", title="Talks"),
        ArticleDraft(text="Nothing about that here.", title="Other"),
    ])
    hits = store.articles.summaries(ArticleFilter(search="vucic"))
    assert [h.title for h in hits] == ["Talks"]
    assert store.articles.count(ArticleFilter(search="bruss")) == 1  # prefix
    assert store.articles.count(ArticleFilter(search='"unbalanced')) == 0  # no FTS syntax error


def test_text_of_annotated_article_is_frozen(store) -> None:
    aid = store.articles.add(ArticleDraft(text="Kurti spoke."))
    actor = store.actors.add("Albin Kurti", "person")
    store.annotations.add_mention(aid, 0, 5, actor, "alice")
    with pytest.raises(sqlite3.IntegrityError, match="frozen"):
        with store.write() as conn:
            conn.execute("UPDATE articles SET text = 'changed' WHERE id = ?", (aid,))


def test_annotation_counts_follow_every_edit_and_sort(store) -> None:
    ids = [store.articles.add(ArticleDraft(text=f"Kurti spoke {i} times.")) for i in range(3)]
    actor = store.actors.add("Albin Kurti", "person")
    m = store.annotations.add_mention(ids[1], 0, 5, actor, "alice")
    store.annotations.add_claim(ids[1], 6, 11, "alice")
    store.annotations.add_mention(ids[2], 0, 5, actor, "bob")
    assert [s.annotations for s in store.articles.summaries()] == [0, 2, 1]
    by_count = store.articles.summaries(order="annotations", descending=True)
    assert [s.id for s in by_count] == [ids[1], ids[2], ids[0]]
    store.annotations.delete_mention(m.id)
    assert store.articles.summary(ids[1]).annotations == 1
    store.articles.delete(ids[1])
    assert store.conn.execute("SELECT count(*) FROM article_counts").fetchone()[0] == 2
