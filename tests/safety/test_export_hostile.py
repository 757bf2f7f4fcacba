"""Hostile projects and hostile output paths into every export.

A hand-edited project (offsets past the text, span text that no longer matches,
missing actors, categories nested thousands deep or in a loop), an output that
is not ours (a folder with a thesis in it, the project itself, a device, a FIFO,
a symbolic link), an export killed half-way, and command-line values that make
no sense: each gets one clear error or a complete export, and an old output is
left exactly as it was.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from stancemark.cli import main
from stancemark.core.errors import StancemarkError, ValidationError
from stancemark.core.filters import ArticleFilter, ExportFilter
from stancemark.core.models import ArticleDraft
from stancemark.exchange.registry import FORMATS, get_exporter
from stancemark.services.exchange import export_project
from stancemark.services.export_target import TargetError, clean_stale, temp_path
from stancemark.store import Store, open_project

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
TEXT = "Albin Kurti said the talks in Brussels would go on.\nVučić 😀 answered: never."

# per format, an output name of each shape it can write
SHAPES: dict[str, list[str]] = {
    fmt: (["out", "out.zip"] if get_exporter(fmt).multi_file
          else [f"out{get_exporter(fmt).suffix}"])
    for fmt in FORMATS
}
CASES = [(fmt, name) for fmt, names in SHAPES.items() for name in names]


def build_project(path: Path) -> Store:
    s = open_project(path, create=True)
    aid = s.articles.add(ArticleDraft(text=TEXT, title="Talks",
                                      published=datetime(2024, 3, 1, 9, 30)))
    assert aid is not None
    kurti = s.actors.add("Albin Kurti", "person")
    vucic = s.actors.add("Aleksandar Vučić", "person")
    for piece, actor in (("Albin Kurti", kurti), ("Brussels", kurti), ("Vučić", vucic)):
        start = TEXT.index(piece)
        s.annotations.add_mention(aid, start, start + len(piece), actor, "alice")
    start = TEXT.index("the talks")
    s.annotations.add_claim(aid, start, TEXT.index(" would go on") + 12, "alice",
                            claimant_id=kurti, target_id=vucic, category="politics", stance=1)
    s.annotations.set_sentiment(aid, None, "alice", -1)
    s.annotations.set_sentiment(aid, vucic, "alice", -2)
    return s


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Store]:
    s = build_project(tmp_path / "p.stancemark")
    yield s
    s.close()


def damage(store: Store, sql: str, params: tuple = ()) -> None:
    """Edit the project file behind Stancemark's back, as a user with sqlite3 would."""
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def fingerprint(path: Path) -> dict[str, tuple[int, str]]:
    """Every entry under ``path`` (or the file itself): kind, mode and content hash."""
    if not os.path.lexists(path):
        return {}
    paths = [path] if not path.is_dir() or path.is_symlink() else [path, *path.rglob("*")]
    out = {}
    for p in paths:
        st = os.lstat(p)
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if stat.S_ISREG(st.st_mode) else ""
        out[str(p.relative_to(path.parent))] = (st.st_mode, digest)
    return out


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".sm-" in p.name or p.name.endswith(".tmp"))


# -- 1. spans that do not match their article ----------------------------------------

SPAN_DAMAGE = {
    "end past the text": "UPDATE mentions SET end_offset = 99999 WHERE id = 2",
    "text differs": "UPDATE claims SET text = 'the talks in Paris' WHERE id = 1",
    "offsets not numbers": "UPDATE mentions SET start_offset = 'x' WHERE id = 1",
    "start after end": "UPDATE mentions SET start_offset = 40, end_offset = 3 WHERE id = 3",
    "unknown actor": "UPDATE claims SET target_id = 999 WHERE id = 1",
    "stance not a number": "UPDATE claims SET stance = 'high' WHERE id = 1",
}


@pytest.mark.parametrize(("fmt", "name"), CASES)
@pytest.mark.parametrize("what", ["end past the text", "text differs"])
def test_bad_span_refused_in_every_format_old_output_kept(project: Store, tmp_path: Path,
                                                          fmt: str, name: str,
                                                          what: str) -> None:
    out = tmp_path / name
    export_project(project, fmt, out)
    before = fingerprint(out)
    damage(project, SPAN_DAMAGE[what])
    with pytest.raises(ValidationError) as caught:
        export_project(project, fmt, out, force=True)
    message = str(caught.value)
    table, row = ("mentions", 2) if what.startswith("end") else ("claims", 1)
    assert f"{table} id {row} (article 1, offsets" in message
    assert "99999" in message if what.startswith("end") else "stored text differs" in message
    assert fingerprint(out) == before
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("what", sorted(SPAN_DAMAGE))
def test_every_kind_of_damaged_row_is_named(project: Store, tmp_path: Path, what: str) -> None:
    damage(project, SPAN_DAMAGE[what])
    for fmt in FORMATS:
        out = tmp_path / f"{fmt}-{what.replace(' ', '-')}"
        with pytest.raises(ValidationError, match=r"(mentions|claims) id \d \(article 1"):
            export_project(project, fmt, out)
        assert not out.exists()
    assert leftovers(tmp_path) == []


def test_many_bad_rows_first_few_and_a_count(project: Store, tmp_path: Path) -> None:
    for _ in range(40):
        damage(project, "INSERT INTO mentions(article_id, actor_id, start_offset, end_offset, "
                        "text, annotator_id, created_at, updated_at) SELECT article_id, "
                        "actor_id, 500, 510, 'ghost', annotator_id, created_at, updated_at "
                        "FROM mentions WHERE id = 1")
    with pytest.raises(ValidationError) as caught:
        export_project(project, "jsonl", tmp_path / "a.jsonl")
    message = str(caught.value)
    assert message.startswith("40 annotation row(s) do not match")
    assert message.count("mentions id") == 5 and "and 35 more" in message
    assert f"outside the text ({len(TEXT)} characters)" in message


def test_cli_prints_bad_rows_on_one_line(project: Store, tmp_path: Path, capsys) -> None:
    damage(project, SPAN_DAMAGE["end past the text"])
    out = tmp_path / "a.jsonl"
    assert main(["export", str(project.path), "-f", "jsonl", "-o", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "mentions id 2" in err[0] and "Traceback" not in err[0]
    assert not out.exists()


# -- 2. what --force may replace -------------------------------------------------------

@pytest.mark.parametrize(("fmt", "name"), CASES)
def test_force_replaces_an_earlier_export_of_each_format(project: Store, tmp_path: Path,
                                                         fmt: str, name: str) -> None:
    out = tmp_path / name
    export_project(project, fmt, out)
    with pytest.raises(TargetError, match="already exists"):
        export_project(project, fmt, out)
    first = fingerprint(out)
    export_project(project, fmt, out, force=True)
    assert set(fingerprint(out)) == set(first)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(("fmt", "name"), CASES)
def test_force_never_replaces_foreign_things(project: Store, tmp_path: Path, fmt: str,
                                             name: str) -> None:
    out = tmp_path / name
    if name == "out":  # a folder: an earlier export plus someone's thesis
        export_project(project, fmt, out)
        (out / "thesis.docx").write_bytes(b"four years of work")
    elif name.endswith(".zip"):
        with zipfile.ZipFile(out, "w") as zf:
            zf.writestr("out/thesis.docx", b"four years of work")
    else:
        out.write_text("notes I will need\n")
    before = fingerprint(out)
    with pytest.raises(TargetError, match="not a Stancemark export"):
        export_project(project, fmt, out, force=True)
    assert fingerprint(out) == before
    assert leftovers(tmp_path) == []


def test_thesis_named_like_an_export_table_survives(project: Store, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    out.mkdir()
    (out / "claims.csv").write_text("chapter,page\n1,12\n")
    with pytest.raises(TargetError, match="not a Stancemark export"):
        export_project(project, "csv", out, force=True)
    assert (out / "claims.csv").read_text() == "chapter,page\n1,12\n"


def test_cli_force_on_folder_with_notes_refused(project: Store, tmp_path: Path,
                                                capsys) -> None:
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "thesis.tex").write_text("\\chapter{One}")
    (folder / "notes.md").write_text("# notes")
    before = fingerprint(folder)
    rc = main(["export", str(project.path), "-f", "csv", "-o", str(folder), "--force"])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1 and len(err) == 1 and "not a Stancemark export" in err[0]
    assert fingerprint(folder) == before


def project_spellings(project: Store, tmp_path: Path) -> list[Path]:
    assert project.path is not None
    link = tmp_path / "link.jsonl"
    link.symlink_to(project.path)
    hard = tmp_path / "hard.jsonl"
    os.link(project.path, hard)
    sub = tmp_path / "sub"
    sub.mkdir()
    return [project.path, link, hard, sub / ".." / project.path.name]


@pytest.mark.parametrize("fmt", ["jsonl", "qdpx", "conll"])
def test_the_open_project_is_never_an_output(project: Store, tmp_path: Path, fmt: str) -> None:
    assert project.path is not None
    before = project.path.read_bytes()
    for spelling in project_spellings(project, tmp_path):
        with pytest.raises(TargetError, match="is the open project"):
            export_project(project, fmt, spelling, force=True)
        assert project.path.read_bytes() == before
    assert project.integrity_ok()
    assert leftovers(tmp_path) == []


def test_cli_refuses_the_project_as_output(project: Store, tmp_path: Path, capsys) -> None:
    assert project.path is not None
    before = project.path.read_bytes()
    rc = main(["export", str(project.path), "-f", "jsonl", "-o", str(project.path), "--force"])
    err = capsys.readouterr().err
    assert rc == 1 and "is the open project" in err and "Traceback" not in err
    assert project.path.read_bytes() == before


def test_a_folder_holding_the_project_is_never_replaced(project: Store, tmp_path: Path) -> None:
    for fmt in ("csv", "brat"):
        with pytest.raises(TargetError):
            export_project(project, fmt, tmp_path, force=True)
    assert project.path is not None and project.path.exists()
    # a project named like an export table, inside an otherwise export-shaped folder
    folder = tmp_path / "tables"
    export_project(project, "labelstudio", folder)
    (folder / "tasks.json").unlink()
    os.link(project.path, folder / "tasks.json")
    with pytest.raises(TargetError, match="open project"):
        export_project(project, "labelstudio", folder, force=True)
    assert project.integrity_ok()


def test_fifo_and_symlink_never_replaced(project: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(TargetError, match="FIFO"):
        export_project(project, "jsonl", fifo, force=True)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    earlier = tmp_path / "earlier.jsonl"
    export_project(project, "jsonl", earlier)
    link = tmp_path / "link.jsonl"
    link.symlink_to(earlier)
    with pytest.raises(TargetError, match="symbolic link"):
        export_project(project, "jsonl", link, force=True)
    assert link.is_symlink()


@pytest.mark.skipif(not IS_ROOT or not os.path.exists("/dev/full"), reason="needs root")
def test_dev_full_is_never_replaced(project: Store, capsys) -> None:
    before = os.lstat("/dev/full")
    rc = main(["export", str(project.path), "-f", "jsonl", "-o", "/dev/full", "--force"])
    err = capsys.readouterr().err
    assert rc == 1 and "is a device" in err and "Traceback" not in err
    after = os.lstat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev
    assert [n for n in os.listdir("/dev") if n.startswith(".full.")] == []


@pytest.mark.parametrize(("fmt", "name"), CASES)
@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_outputs_get_normal_permissions(project: Store, tmp_path: Path, fmt: str, name: str,
                                        umask: int) -> None:
    old = os.umask(umask)
    try:
        out = tmp_path / name
        export_project(project, fmt, out)
        export_project(project, fmt, out, force=True)  # a replaced output too
    finally:
        os.umask(old)
    for p in [out, *(out.rglob("*") if out.is_dir() else [])]:
        want = (0o777 if p.is_dir() else 0o666) & ~umask
        assert stat.S_IMODE(p.stat().st_mode) == want, p


# -- 3. leftovers of killed exports ------------------------------------------------------

_SLOW_EXPORT = """
import sys, time
from stancemark.services.exchange import export_project
from stancemark.store import open_project

def progress(event):
    print("writing", flush=True)
    time.sleep(60)

with open_project(sys.argv[1], read_only=True) as store:
    export_project(store, sys.argv[2], sys.argv[3], progress=progress)
"""


def killed_export(project: Store, fmt: str, out: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen([sys.executable, "-c", _SLOW_EXPORT, str(project.path), fmt,
                              str(out)], stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "writing"
    child.send_signal(signal.SIGKILL)
    child.wait()


@pytest.mark.parametrize(("fmt", "name"), [("jsonl", "a.jsonl"), ("csv", "tables"),
                                           ("brat", "b.zip")])
def test_next_export_removes_leftovers_of_a_killed_one(project: Store, tmp_path: Path,
                                                       fmt: str, name: str) -> None:
    out = tmp_path / name
    killed_export(project, fmt, out)
    first = leftovers(tmp_path)
    assert len(first) == 1 and not out.exists()
    killed_export(project, fmt, out)  # the second run removed the first one's leftover
    second = leftovers(tmp_path)
    assert len(second) == 1 and second != first
    export_project(project, fmt, out)
    assert leftovers(tmp_path) == [] and out.exists()


def test_a_running_exports_temp_is_kept(project: Store, tmp_path: Path) -> None:
    out = tmp_path / "a.jsonl"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = Path(str(temp_path(out)).replace(f"-{os.getpid()}-", f"-{sleeper.pid}-"))
        running.mkdir()
        (running / "a.jsonl").write_text("half")
        other = tmp_path / ".b.jsonl.sm-1-host-00.tmp"  # another output's: not ours to judge
        other.mkdir()
        export_project(project, "jsonl", out)
        assert running.exists() and other.exists()
    finally:
        sleeper.kill()
        sleeper.wait()
    assert clean_stale(out) == [running]


def test_old_export_stepped_aside_is_put_back(project: Store, tmp_path: Path) -> None:
    """Killed between moving the old folder aside and moving the new one in."""
    out = tmp_path / "tables"
    export_project(project, "csv", out)
    before = fingerprint(out)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    aside = Path(str(temp_path(out, "old")).replace(f"-{os.getpid()}-", f"-{dead.pid}-"))
    os.replace(out, aside)
    with pytest.raises(TargetError, match="already exists"):  # it is back, so it is kept
        export_project(project, "csv", out)
    assert fingerprint(out) == before and leftovers(tmp_path) == []


# -- 4. one-line errors ------------------------------------------------------------------

@contextlib.contextmanager
def as_nobody() -> Iterator[None]:
    """Root passes every permission check; act as an ordinary user for a moment."""
    if not IS_ROOT:
        yield
        return
    os.setegid(65534)
    os.seteuid(65534)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)


@pytest.fixture
def open_as_given(project: Store, monkeypatch) -> Store:
    """Let the CLI use the project already open (an ordinary user could not open root's)."""
    monkeypatch.setattr("stancemark.cli._open",
                        lambda *_a, **_k: contextlib.nullcontext(project))
    return project


def one_line_error(capsys, argv: list[str]) -> str:
    assert main(argv) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("Stancemark: error: ") and "Traceback" not in err[0]
    return err[0]


def test_unwritable_output_folder(open_as_given: Store, capsys) -> None:
    project = open_as_given
    folder = Path(tempfile.mkdtemp(prefix="sm-ro-"))
    try:
        os.chmod(folder, 0o555)
        with as_nobody():
            err = one_line_error(capsys, ["export", str(project.path), "-f", "jsonl", "-o",
                                          str(folder / "a.jsonl")])
        assert "may not write in the folder" in err
        assert os.listdir(folder) == []
    finally:
        os.chmod(folder, 0o755)
        os.rmdir(folder)


def test_unsearchable_output_folder(open_as_given: Store, tmp_path: Path, capsys) -> None:
    project = open_as_given
    locked = tmp_path / "locked"
    (locked / "inner").mkdir(parents=True)
    os.chmod(locked, 0)
    try:
        with as_nobody():
            err = one_line_error(capsys, ["export", str(project.path), "-f", "csv", "-o",
                                          str(locked / "inner" / "tables")])
        assert "cannot be reached: permission denied" in err
    finally:
        os.chmod(locked, 0o755)


def test_missing_output_folder(project: Store, tmp_path: Path, capsys) -> None:
    err = one_line_error(capsys, ["export", str(project.path), "-f", "jsonl", "-o",
                                  str(tmp_path / "nope" / "a.jsonl")])
    assert "does not exist" in err


@pytest.mark.parametrize(("ids", "expect"), [
    ("99999999999999999999", "is not an article id"),
    ("1,x", "'x' is not an article id"),
    ("0", "is not an article id"),
    ("1.5", "is not an article id"),
    ("١٢", "is not an article id"),  # Arabic-Indic digits: isdigit() yet not an id
    (",", "names no article"),
    (",".join(str(i) for i in range(1, 10_002)), "at most 10,000"),
])
def test_bad_ids(project: Store, tmp_path: Path, capsys, ids: str, expect: str) -> None:
    err = one_line_error(capsys, ["export", str(project.path), "-f", "jsonl", "-o",
                                  str(tmp_path / "a.jsonl"), "--ids", ids])
    assert expect in err
    assert not (tmp_path / "a.jsonl").exists()


@pytest.mark.parametrize(("args", "expect"), [
    (["--from", "notadate"], "YYYY-MM-DD"),
    (["--to", "2024-02-30"], "YYYY-MM-DD"),
    (["--from", "2024-3-1"], "YYYY-MM-DD"),
    (["--from", "2024-05-01", "--to", "2024-04-01"], "is after --to"),
])
def test_bad_dates(project: Store, tmp_path: Path, capsys, args: list[str],
                   expect: str) -> None:
    err = one_line_error(capsys, ["export", str(project.path), "-f", "jsonl", "-o",
                                  str(tmp_path / "a.jsonl"), *args])
    assert expect in err


def test_good_dates_and_ids_still_select(project: Store, tmp_path: Path, capsys) -> None:
    out = tmp_path / "a.jsonl"
    assert main(["export", str(project.path), "-f", "jsonl", "-o", str(out), "--ids", "1, 1",
                 "--from", "2024-03-01", "--to", "2024-03-01"]) == 0
    assert "1 article(s)" in capsys.readouterr().err


# -- 5. category chains ------------------------------------------------------------------

CHAIN = 3000


def add_chain(store: Store, depth: int = CHAIN, loop: bool = False) -> str:
    """Nest ``depth`` categories straight into the file (no validation); returns the deepest."""
    assert store.path is not None
    conn = sqlite3.connect(store.path)
    conn.execute("PRAGMA foreign_keys = OFF")
    top_parent = f"c{depth - 1}" if loop else None
    rows = [(f"c{i}", f"Level {i}", f"c{i - 1}" if i else top_parent, "", "#777777", None,
             100 + i) for i in range(depth)]
    conn.executemany("INSERT INTO categories(key, label, parent, description, color, shortcut, "
                     "position) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    deepest = f"c{depth - 1}"
    conn.execute("UPDATE claims SET category = ?", (deepest,))
    conn.commit()
    conn.close()
    return deepest


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_deep_category_chain_exports_quickly(project: Store, tmp_path: Path, fmt: str) -> None:
    add_chain(project)
    name = SHAPES[fmt][0]
    start = time.perf_counter()
    export_project(project, fmt, tmp_path / name, options={"network": "two-mode"})
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"{fmt}: {elapsed:.1f} s"
    out = tmp_path / name
    # a path names the root and the last 15 levels (core.categories.PATH_LEVELS)
    deepest_path = " › ".join(["Level 0", "…", *(f"Level {i}" for i in range(CHAIN - 15, CHAIN))])
    if fmt == "labelstudio":
        config = etree.parse(str(out / "config.xml"))
        values = config.xpath("//Choices[@name='category']/Choice/@value")
        assert len(values) == len(set(values)) and deepest_path in values
    elif fmt == "qdpx":
        # expat (ElementTree) has no nesting limit, unlike libxml2's 256 levels
        import xml.etree.ElementTree as ET

        code = "{urn:QDA-XML:project:1.0}Code"
        depth = deepest_level = 0
        with zipfile.ZipFile(out) as zf, zf.open("project.qde") as fh:
            for event, element in ET.iterparse(fh, events=("start", "end")):
                if element.tag != code:
                    continue
                depth += 1 if event == "start" else -1
                if event == "start" and element.get("name") == f"Level {CHAIN - 1}":
                    deepest_level = depth
        assert deepest_level == CHAIN + 1  # Claims › Level 0 › … › Level 2999
    elif fmt == "jsonl":
        first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        assert len(first["categories"]) >= CHAIN
    elif fmt == "csv":
        claims = (out / "claims.csv").read_text(encoding="utf-8-sig")
        assert deepest_path in claims and f",c{CHAIN - 1}," in claims


def test_category_loop_exports(project: Store, tmp_path: Path) -> None:
    add_chain(project, depth=500, loop=True)
    for fmt in FORMATS:
        export_project(project, fmt, tmp_path / f"{fmt}-{SHAPES[fmt][0]}")


# -- 6. a short seeded fuzz ---------------------------------------------------------------

def test_fuzz_options_damage_and_outputs(tmp_path: Path) -> None:
    """Random options and filters, damaged rows and existing outputs for about 5 seconds (seeded).

    Every run ends in a complete export (read back with the format's reader:
    exactly the undamaged spans) or a StancemarkError with the old output as it was.
    """
    import random

    from tests.safety import test_properties as readers

    rng = random.Random(15)
    deadline = time.monotonic() + 5
    runs = 0
    outcomes: set[str] = set()
    while time.monotonic() < deadline:
        runs += 1
        work = tmp_path / f"run{runs}"
        work.mkdir()
        store = build_project(work / "p.stancemark")
        try:
            broken: set[str] = set()  # tables with a row that must refuse the export
            for _ in range(rng.choice([0, 0, 1, 2])):
                what = rng.choice(sorted(SPAN_DAMAGE) + ["category", "affiliation loop"])
                if what == "category":
                    damage(store, "UPDATE claims SET category = 'no-such-category'")
                elif what == "affiliation loop":
                    damage(store, "UPDATE actors SET affiliation_id = 3 - id")
                else:
                    damage(store, SPAN_DAMAGE[what])
                    broken.add(SPAN_DAMAGE[what].split()[1])
            fmt = rng.choice(list(FORMATS))
            out = work / rng.choice(SHAPES[fmt])
            existing = rng.choice(["none", "earlier", "foreign"])
            if existing == "earlier":
                clean = build_project(work / "clean.stancemark")
                export_project(clean, fmt, out)
                clean.close()
            elif existing == "foreign":
                if out.suffix:
                    out.write_bytes(rng.randbytes(rng.randint(1, 300)))
                else:
                    out.mkdir()
                    (out / "mine.txt").write_text("mine")
            before = fingerprint(out)
            options = {"position_unit": rng.choice(["codepoint", "utf16"]),
                       "network": rng.choice(["one-mode", "two-mode"])}
            kinds = frozenset(rng.sample(["mentions", "claims", "sentiment"], rng.randint(1, 3)))
            annotators = rng.choice([None, ("alice",), ("nobody",)])
            articles = rng.choice([ArticleFilter(), ArticleFilter(ids=(1,)),
                                   ArticleFilter(ids=(2,)), ArticleFilter(status="done"),
                                   ArticleFilter(date_from="2024-03-01", date_to="2024-03-01")])
            selects_row = annotators != ("nobody",) and articles.ids != (2,) \
                and articles.status != "done"
            try:
                export_project(store, fmt, out, ExportFilter(articles, annotators, kinds), options,
                               force=rng.random() < 0.7)
            except StancemarkError:
                outcomes.add("refused")
                assert fingerprint(out) == before
            else:
                outcomes.add("written")
                assert not (broken & kinds and selects_row)
                if selects_row:
                    check_readable(readers, fmt, out, store, kinds)
            assert leftovers(work) == []
        finally:
            store.close()
    assert runs >= 20 and outcomes == {"refused", "written"}


def check_readable(readers, fmt: str, out: Path, store: Store, kinds: frozenset[str]) -> None:
    """Read ``out`` back with the format's reader; its spans are the project's valid ones."""
    from collections import Counter

    spans: Counter = Counter()
    for table in ("mentions", "claims"):
        if table not in kinds:
            continue
        for start, end, text in store.conn.execute(
                f"SELECT start_offset, end_offset, text FROM {table}"):
            spans[text] += 1
            assert TEXT[start:end] == text
    if fmt == "inception":  # a zip by itself, not a zipped folder
        readers.check_inception(out, TEXT, spans)
        return
    if out.suffix == ".zip":
        with zipfile.ZipFile(out) as zf:
            assert zf.testzip() is None
            target = out.parent / "unzipped"
            zf.extractall(target)
            out = target / out.stem
    if fmt == "jsonl":
        readers.check_jsonl(out, TEXT, spans)
    elif fmt == "doccano":
        readers.check_doccano(out, TEXT, spans)
    elif fmt == "labelstudio":
        readers.check_labelstudio(out, TEXT, spans)
    elif fmt == "xmi":
        readers.check_xmi(out, TEXT, spans)
    elif fmt == "qdpx":
        readers.check_qdpx(out, TEXT, spans)
    elif fmt == "csv":
        readers.check_csv(out, TEXT, spans)
    elif fmt == "graphml":
        import networkx as nx

        nx.read_graphml(out)
    elif fmt == "brat":
        assert sum(1 for _ in out.rglob("*.ann")) == 1
    else:
        assert "-DOCSTART-" in out.read_text(encoding="utf-8")
