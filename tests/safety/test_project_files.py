"""The project file against an unlucky file system: stray journals, links, read-only mounts,
damaged schemas, tampered versions, full disks. Nothing confirmed is lost or hidden.

Tests that need a file system of their own (a read-only or a full one) mount a tmpfs
and run only as root (CI is); they skip elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.core.errors import (
    CorruptProjectError,
    NotAProjectError,
    ProjectError,
    ProjectLockedError,
    ReadOnlyProjectError,
)
from stancemark.core.models import ArticleDraft
from stancemark.store import open_project
from stancemark.store.schema import CURRENT_VERSION


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_project(path: Path, n: int = 30) -> None:
    with open_project(path, create=True) as s:
        s.articles.add_many(ArticleDraft(text=f"Article {i}: Kurti met Vučić in Brussels.",
                                         title=f"T{i}") for i in range(n))


CRASH_CHILD = r"""
import os, sys
from stancemark.core.models import ArticleDraft
from stancemark.store import open_project
s = open_project(sys.argv[1])
s.conn.execute("PRAGMA wal_autocheckpoint = 0")  # keep every change in the journal
for i in range(int(sys.argv[2])):
    s.articles.add(ArticleDraft(text=f"Later article {i}. " * 40, title=f"L{i}"))
os.kill(os.getpid(), 9)
"""


def crash_with_journal(path: Path, n: int) -> None:
    """Add ``n`` articles in a child killed before it closes: they live in the -wal only."""
    subprocess.run([sys.executable, "-c", CRASH_CHILD, str(path), str(n)], check=False)
    assert Path(f"{path}-wal").stat().st_size > 0


def foreign_journal(tmp_path: Path) -> bytes:
    """The -wal of another database, as a leftover from another program would be."""
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute("CREATE TABLE birds(name)")
    con.executemany("INSERT INTO birds VALUES (?)", [("wren" * 50,)] * 3000)
    con.commit()
    data = Path(f"{other}-wal").read_bytes()
    con.close()
    return data


@pytest.fixture
def mount(tmp_path: Path):
    """Mount a tmpfs (``mount("1m")``); remount it read-only with ``mount.read_only()``."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a tmpfs")
    mounted: list[Path] = []

    class Mount:
        def __call__(self, size: str = "4m") -> Path:
            point = tmp_path / f"mnt{len(mounted)}"
            point.mkdir()
            res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs",
                                  str(point)], capture_output=True, text=True)
            if res.returncode != 0:
                pytest.skip(f"cannot mount tmpfs here: {res.stderr.strip()}")
            mounted.append(point)
            return point

        @staticmethod
        def read_only(point: Path) -> None:
            subprocess.run(["mount", "-o", "remount,ro", str(point)], check=True)

    yield Mount()
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


# -- 1. a journal that does not belong to the file ---------------------------------

def test_stray_journal_is_refused_and_file_and_journal_stay_byte_identical(
        tmp_path: Path) -> None:
    p = tmp_path / "p.stancemark"
    make_project(p, 300)
    wal = Path(f"{p}-wal")
    wal.write_bytes(foreign_journal(tmp_path))
    before = (digest(p), digest(wal))
    for read_only in (False, True):
        with pytest.raises(CorruptProjectError) as err:
            open_project(p, read_only=read_only)
        assert "journal" in str(err.value) and "stancemark restore" in str(err.value)
        assert (digest(p), digest(wal)) == before
    # the file alone was sound: setting the journal aside gets every article back
    assert main(["restore", str(p), "--set-journal-aside"]) == 0
    with open_project(p) as s:
        assert s.counts()["articles"] == 300
    kept = [k for k in tmp_path.iterdir() if k.name.endswith("-wal") and "with-journal" in k.name]
    assert len(kept) == 1 and digest(kept[0]) == before[1]


def test_restore_keeps_the_later_state_and_never_mixes_journals(tmp_path: Path) -> None:
    p = tmp_path / "p.stancemark"
    make_project(p, 5)
    backup = tmp_path / "p.before-merge.bak"
    shutil.copyfile(p, backup)
    crash_with_journal(p, 20)  # the later state: 25 articles, 20 of them in the -wal
    assert main(["restore", str(p), str(backup)]) == 0
    with open_project(p) as s:
        assert s.counts()["articles"] == 5
        assert s.integrity_ok()
    kept = next(tmp_path.glob("p.stancemark.replaced-*[0-9]"))
    with open_project(kept, read_only=True) as s:
        assert s.counts()["articles"] == 25  # the replaced state, whole, journal and all


def test_restore_refuses_a_damaged_backup_and_changes_nothing(tmp_path: Path) -> None:
    p = tmp_path / "p.stancemark"
    make_project(p, 5)
    bad = tmp_path / "bad.bak"
    bad.write_bytes(p.read_bytes()[:5000])
    before = digest(p)
    assert main(["restore", str(p), str(bad)]) == 1
    assert digest(p) == before and not list(tmp_path.glob("*.replaced-*"))


# -- 2. links ------------------------------------------------------------------------

def test_hard_link_cannot_make_a_second_writer(tmp_path: Path) -> None:
    p = tmp_path / "p.stancemark"
    make_project(p, 3)
    other = tmp_path / "same-file.stancemark"
    os.link(p, other)
    with open_project(p) as first, open_project(other) as second:
        assert first.read_only and second.read_only
        assert "hard link" in (second.read_only_reason or "")
        with pytest.raises(ReadOnlyProjectError):
            second.articles.add(ArticleDraft(text="lost?"))
    other.unlink()
    with open_project(p) as s:
        assert not s.read_only


def test_symbolic_link_shares_the_writer_lock(tmp_path: Path) -> None:
    p = tmp_path / "p.stancemark"
    make_project(p, 3)
    link = tmp_path / "link.stancemark"
    link.symlink_to(p)
    with open_project(p):
        with pytest.raises(ProjectLockedError):
            open_project(link)
    with open_project(link) as s:  # alone, the link opens the real file for writing
        s.articles.add(ArticleDraft(text="Through the link."))
        assert s.path == p
    assert not Path(f"{link}-wal").exists()
    with open_project(p) as s:
        assert s.counts()["articles"] == 4


def test_symlink_loop_and_device_are_refused_in_one_line(tmp_path: Path, capsys) -> None:
    loop = tmp_path / "loop.stancemark"
    loop.symlink_to(loop)
    article = tmp_path / "a.txt"
    article.write_text("Kurti spoke in Pristina.\n")
    with pytest.raises(ProjectError, match="leads back to itself"):
        open_project(loop, create=True)
    assert main(["import", str(loop), str(article)]) == 1
    assert main(["import", "/dev/null", str(article)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "is a device" in err
    with pytest.raises(NotAProjectError, match="is a device"):
        open_project("/dev/null", create=True)


# -- 3. read-only folder or mount: never read without the journal ----------------------

def test_read_only_mount_without_shm_still_reads_the_journal(mount, tmp_path: Path) -> None:
    point = mount("8m")
    p = point / "p.stancemark"
    make_project(p, 3)
    crash_with_journal(p, 5)
    Path(f"{p}-shm").unlink()
    mount.read_only(point)
    with open_project(p) as s:
        assert s.read_only
        assert s.counts()["articles"] == 8
        assert "journal" in (s.read_only_reason or "")
    assert main(["info", str(p), "--json"]) == 0
    # nothing was left behind in the temporary folder
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("stancemark-ro-*/p.stancemark"))


def test_read_only_folder_with_shm_reads_the_journal(tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    p = folder / "p.stancemark"
    make_project(p, 3)
    crash_with_journal(p, 5)
    folder.chmod(0o555)
    try:
        with open_project(p, read_only=True) as s:
            assert s.counts()["articles"] == 8
    finally:
        folder.chmod(0o755)


# -- 7. a schema changed by hand ----------------------------------------------------------

def test_dropped_search_trigger_is_repaired_and_search_finds_new_articles(
        tmp_path: Path) -> None:
    from stancemark.core.filters import ArticleFilter

    p = tmp_path / "p.stancemark"
    make_project(p, 3)
    con = sqlite3.connect(p)
    con.execute("DROP TRIGGER articles_fts_ai")
    con.execute("INSERT INTO articles(uid, title, length, imported_at, updated_at, text) "
                "VALUES ('x', 'Hidden', 20, '', '', 'zebra crossing story')")
    con.commit()
    con.close()
    with open_project(p, read_only=True) as s:
        assert "open it once for writing" in (s.read_only_reason or "")
    with open_project(p) as s:
        assert any("search index" in r for r in s.repairs)
        assert s.articles.count(ArticleFilter(search="zebra")) == 1
        s.articles.add(ArticleDraft(text="A giraffe story."))
        assert s.articles.count(ArticleFilter(search="giraffe")) == 1
    with open_project(p) as s:
        assert s.repairs == []


def test_dropped_counts_table_is_rebuilt_with_right_counts(tmp_path: Path) -> None:
    p = tmp_path / "p.stancemark"
    make_project(p, 2)
    with open_project(p) as s:
        actor = s.actors.add("Albin Kurti", "person")
        ann = s.annotator_id("alice")
        with s.write() as conn:
            conn.execute("INSERT INTO mentions(article_id, actor_id, start_offset, end_offset, "
                         "text, annotator_id, created_at, updated_at) "
                         "VALUES (1, ?, 11, 16, 'Kurti', ?, '', '')", (actor, ann))
    con = sqlite3.connect(p)
    con.execute("DROP TABLE article_counts")
    con.commit()
    con.close()
    with open_project(p) as s:
        assert any("recounted" in r for r in s.repairs)
        counts = dict(s.conn.execute("SELECT article_id, annotations FROM article_counts"))
        assert counts == {1: 1, 2: 0}


def test_dropped_data_table_is_refused_untouched(tmp_path: Path, capsys) -> None:
    p = tmp_path / "p.stancemark"
    make_project(p, 2)
    con = sqlite3.connect(p)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("DROP TABLE mentions")
    con.commit()
    con.close()
    before = digest(p)
    with pytest.raises(CorruptProjectError, match="mentions"):
        open_project(p)
    assert digest(p) == before
    assert main(["info", str(p)]) == 1
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("tampered", [2, 0, -7])
def test_tampered_schema_version_is_set_right(tmp_path: Path, tampered: int) -> None:
    p = tmp_path / "p.stancemark"
    make_project(p, 4)
    con = sqlite3.connect(p)
    con.execute(f"PRAGMA user_version = {tampered}")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="changed by hand|older schema"):
        open_project(p, read_only=True)
    with open_project(p) as s:
        assert s.schema_version == CURRENT_VERSION
        assert s.counts()["articles"] == 4
        assert tampered == 0 or any("version" in r for r in s.repairs)
        assert s.integrity_ok()
    assert not list(tmp_path.glob("*.bak"))  # nothing was migrated twice


def test_info_on_a_truncated_project_is_one_line(tmp_path: Path, capsys) -> None:
    p = tmp_path / "p.stancemark"
    make_project(p, 200)
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    assert main(["info", str(p)]) == 1
    err = capsys.readouterr().err
    assert "damaged" in err and "Traceback" not in err and err.count("\n") == 1


# -- full disks ------------------------------------------------------------------------

def fill(point: Path, leave: int) -> None:
    """Fill the file system at ``point`` up to ``leave`` free bytes."""
    free = shutil.disk_usage(point).free
    with (point / "ballast").open("wb") as f:
        f.write(b"\0" * max(free - leave, 0))


def test_project_created_on_a_full_disk_says_so_and_leaves_nothing(
        mount, tmp_path: Path, capsys) -> None:
    point = mount("1m")
    fill(point, 8192)
    article = tmp_path / "a.txt"
    article.write_text("Kurti spoke in Pristina.\n" * 50)
    assert main(["import", str(point / "p.stancemark"), str(article)]) == 1
    err = capsys.readouterr().err
    assert "full" in err and "Traceback" not in err and "rollback" not in err
    assert sorted(x.name for x in point.iterdir()) == ["ballast"]


def _columns(create_sql: str, table: str) -> list[tuple]:
    scratch = sqlite3.connect(":memory:")
    try:
        scratch.execute(create_sql)
        return scratch.execute(f"PRAGMA table_info({table})").fetchall()
    finally:
        scratch.close()


def downgrade_one_version(path: Path) -> None:
    """Give the file exactly the schema of the version before the current one."""
    from stancemark.store.schema_check import expected_schema

    now, before = expected_schema(CURRENT_VERSION), expected_schema(CURRENT_VERSION - 1)
    con = sqlite3.connect(path)
    for name, obj in now.items():
        if name not in before:
            con.execute(f"DROP {obj.type.upper()} IF EXISTS {name}")
    for name, obj in before.items():
        if name not in now:
            con.execute(obj.sql)
        elif obj.type == "table" and now[name].sql != obj.sql:
            # a column the current version added to an existing table
            old = {r[1] for r in _columns(obj.sql, name)}
            for column in [r[1] for r in _columns(now[name].sql, name)]:
                if column not in old:
                    con.execute(f"ALTER TABLE {name} DROP COLUMN {column}")
    con.execute(f"PRAGMA user_version = {CURRENT_VERSION - 1}")
    con.commit()
    con.close()


def test_migration_backup_on_a_full_disk_is_never_partial(mount, monkeypatch) -> None:
    point = mount("2m")
    p = point / "p.stancemark"
    make_project(p, 60)
    downgrade_one_version(p)
    before = digest(p)
    fill(point, p.stat().st_size // 2)  # room for half a backup
    with pytest.raises(ProjectError, match="full"):
        open_project(p)
    assert digest(p) == before
    leftovers = [x.name for x in point.iterdir() if "bak" in x.name or x.name.endswith(".tmp")]
    assert leftovers == []
    (point / "ballast").unlink()
    with open_project(p) as s:
        assert s.schema_version == CURRENT_VERSION and s.counts()["articles"] == 60
    assert (point / f"p.stancemark.v{CURRENT_VERSION - 1}.bak").stat().st_size > 0
