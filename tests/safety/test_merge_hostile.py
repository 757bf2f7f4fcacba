"""Hostile annotation sets and hostile file systems against ``merge``.

Every refusal is one line naming the line of the set, leaves every table as it
was and leaves no copy of the project behind; every merge obeys the rules of
editing (no mention twice, no affiliation loop, a codebook that only gains
entries that agree with the project's). Ends with a bounded fuzz run over
mutated exports.
"""

from __future__ import annotations

import copy
import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.cli import main
from stancemark.core.errors import StancemarkError, ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.services.exchange import export_project, merge_set
from stancemark.store import Store, memory_project, open_project
from tests.exchange.conftest import build_hostile_project
from tests.safety.test_hostile_inputs import TABLES, snapshot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> list[dict]:
    """The hostile project's export as records (codebook line first)."""
    src = build_hostile_project()
    path = tmp_path_factory.mktemp("set") / "base.jsonl"
    export_project(src, "jsonl", path)
    src.close()
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def recs(exported) -> list[dict]:
    return copy.deepcopy(exported)


@pytest.fixture
def project(tmp_path: Path) -> Store:
    """A file project with one article of the set already annotated by alice."""
    s = open_project(tmp_path / "p.stancemark", create=True)
    text = "Line one names NATO.\nLine two: NATO said troops stay.\n"
    aid = s.articles.add(ArticleDraft(text=text, title="Line one names NATO."))
    nato = s.actors.add("NATO", "organisation")
    s.annotations.add_mention(aid, 15, 19, nato, "alice")
    yield s
    s.close()


def write(path: Path, records: list, raw_tail: str = "") -> Path:
    # ASCII JSON: a lone surrogate becomes the \\ud800 escape a hostile file would hold
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + raw_tail,
                    encoding="utf-8")
    return path


def refused(store: Store, path: Path, where: str = "") -> str:
    """Merge ``path``: it must be refused in one clear line and change nothing."""
    before = snapshot(store)
    with pytest.raises(StancemarkError) as info:
        merge_set(store, path)
    message = str(info.value)
    assert where in message, message
    assert "\n" not in message and "Traceback" not in message and len(message) < 700, message
    assert snapshot(store) == before
    if store.path is not None:
        folder = store.path.parent
        assert not [p for p in folder.iterdir() if ".before-merge-" in p.name], \
            "a refused merge left a copy of the project behind"
    return message


def invariants(store: Store) -> None:
    """What every merge must leave: true spans, no duplicate mention, no loop, a sound file."""
    c = store.conn
    for table in ("mentions", "claims"):
        rows = c.execute(f"SELECT t.start_offset, t.end_offset, t.text, a.text FROM {table} t "
                         "JOIN articles a ON a.id = t.article_id").fetchall()
        for start, end, span, text in rows:
            assert text[start:end] == span
    dupes = c.execute("SELECT count(*) FROM (SELECT 1 FROM mentions GROUP BY article_id, "
                      "annotator_id, start_offset, end_offset, actor_id "
                      "HAVING count(*) > 1)").fetchone()[0]
    assert dupes == 0
    parents = dict(c.execute("SELECT id, affiliation_id FROM actors").fetchall())
    for actor in parents:
        seen, node = set(), actor
        while node is not None:
            assert node not in seen, "affiliation loop"
            seen.add(node)
            node = parents.get(node)
    assert c.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert c.execute("PRAGMA foreign_key_check").fetchall() == []


# -- 1. duplicates and affiliation loops -------------------------------------------------

def test_same_article_and_annotator_twice_adds_nothing_twice(recs, tmp_path: Path) -> None:
    path = write(tmp_path / "twice.jsonl", recs + recs[1:])
    target = memory_project()
    report = merge_set(target, path)
    once = memory_project()
    single = merge_set(once, write(tmp_path / "once.jsonl", recs))
    assert target.counts() == once.counts()
    assert report.mentions_added == single.mentions_added
    assert report.claims_added == single.claims_added
    assert report.sentiments_added == single.sentiments_added
    assert report.duplicates == single.mentions_added + single.claims_added \
        + single.sentiments_added
    assert report.conflicts == []
    invariants(target)


def test_same_mention_and_claim_twice_within_a_line(recs, tmp_path: Path) -> None:
    line = recs[1]
    line["mentions"].append(dict(line["mentions"][0], id="m99"))
    line["claims"].append(dict(line["claims"][0], id="c99"))
    target = memory_project()
    report = merge_set(target, write(tmp_path / "dup.jsonl", recs))
    assert report.duplicates == 2
    invariants(target)
    article = target.articles.ids()[0]
    first = line["mentions"][0]
    same = [m for m in target.annotations.mentions(article, line["annotator"])
            if (m.start, m.end) == (first["start"], first["end"])]
    assert len(same) == 1
    assert "2 duplicate(s) skipped" in report.text()


def test_two_actors_on_one_span_are_not_duplicates(recs, tmp_path: Path) -> None:
    line = recs[1]
    other = {"id": "a99", "name": "Someone Else", "type": "person", "aliases": [],
             "affiliation": None}
    line["actors"].append(other)
    line["mentions"].append(dict(line["mentions"][0], id="m99", actor="a99"))
    target = memory_project()
    report = merge_set(target, write(tmp_path / "two.jsonl", recs))
    assert report.duplicates == 0 and report.conflicts == []
    invariants(target)


@pytest.mark.parametrize("loop", ["self", "two-actor cycle", "through a same-named actor"])
def test_affiliation_loops_are_refused_with_the_line(loop, recs, project: Store,
                                                     tmp_path: Path) -> None:
    line = recs[3]  # the Cyrillic article: Vučić is affiliated with Serbia
    ids = {a["name"]: a["id"] for a in line["actors"]}
    serbia = next(a for a in line["actors"] if a["name"] == "Serbia")
    if loop == "self":
        serbia["affiliation"] = serbia["id"]
    elif loop == "two-actor cycle":
        serbia["affiliation"] = ids["Aleksandar Vučić"]
    else:  # a second local actor of the same name is the same actor once matched
        line["actors"].append({"id": "a99", "name": "serbia", "type": "country",
                               "aliases": [], "affiliation": None})
        serbia["affiliation"] = "a99"
    message = refused(project, write(tmp_path / "loop.jsonl", recs), "loop.jsonl, line 4: ")
    assert "cannot be affiliated with itself or with an actor affiliated with it" in message


def test_registry_and_merge_share_one_affiliation_rule() -> None:
    import inspect

    from stancemark.services import merge, registry

    assert "check_affiliation" in inspect.getsource(registry.RegistryService.edit)
    assert "check_affiliation" in inspect.getsource(merge._merge_record)


# -- 2. codebook differences --------------------------------------------------------------

def test_codebook_additions_are_reported(recs, project: Store, tmp_path: Path) -> None:
    book = recs[0]
    book["actor_types"].append({"key": "militia", "label": "Militia", "color": "#123456",
                                "shortcut": "X"})
    book["categories"].append({"key": "energy", "label": "Energy", "parent": "economy",
                               "description": "", "color": "#123456", "shortcut": "7"})
    book["scale"].append({"value": 3, "label": "very very positive", "color": "#123456",
                          "shortcut": "6"})
    report = merge_set(project, write(tmp_path / "more.jsonl", recs))
    assert len(report.codebook_changes) == 3
    text = report.text()
    assert "3 codebook addition(s)" in text
    assert "codebook: new actor type 'militia' (Militia, shortcut X)" in text
    assert "codebook: new category 'energy' (Energy, under 'economy', shortcut 7)" in text
    assert "codebook: new scale point +3 (very very positive, shortcut 6)" in text
    saved = project.codebook.load()
    assert saved.actor_type("militia") and saved.category("energy")
    assert [p.value for p in saved.scale] == [-2, -1, 0, 1, 2, 3]
    again = merge_set(project, write(tmp_path / "again.jsonl", recs))
    assert again.codebook_changes == [] and "0 codebook addition(s)" in again.text()


COLLISIONS = {
    "scale shortcut": (lambda b: b["scale"].append(
        {"value": 3, "label": "more", "color": "#123456", "shortcut": "1"}),
        "scale value +3 has shortcut '1', which scale value -2 already uses"),
    "type shortcut": (lambda b: b["actor_types"].append(
        {"key": "militia", "label": "Militia", "color": "#123456", "shortcut": "p"}),
        "actor type militia has shortcut 'p', which actor type person already uses"),
    "category shortcut": (lambda b: b["categories"].append(
        {"key": "energy", "label": "Energy", "parent": None, "description": "",
         "color": "#123456", "shortcut": "1"}),
        "category energy has shortcut '1', which category security already uses"),
    "scale label": (lambda b: b["scale"][3].update(label="agree"),
                    "scale value +1 is labelled 'positive' in the project and 'agree'"),
    "type label": (lambda b: b["actor_types"][0].update(label="Human"),
                   "actor type 'person' is labelled 'Person' in the project and 'Human'"),
    "category parent": (lambda b: b["categories"][1].update(parent="politics"),
                        "category 'security-military' is under 'security' in the project"),
    "too deep": (lambda b: b["categories"].extend(
        {"key": f"deep{i}", "label": f"Deep {i}", "parent": f"deep{i - 1}" if i else None}
        for i in range(9)), "nested 9 levels deep; categories nest at most 8 levels"),
}


@pytest.mark.parametrize("case", sorted(COLLISIONS))
def test_codebook_collisions_are_refused_before_anything_is_written(
        case, recs, project: Store, tmp_path: Path) -> None:
    change, expected = COLLISIONS[case]
    change(recs[0])
    message = refused(project, write(tmp_path / "clash.jsonl", recs), "clash.jsonl, line 1: ")
    assert expected in message


def test_set_codebook_thousands_deep_is_refused_quickly(recs, project: Store,
                                                        tmp_path: Path) -> None:
    recs[0]["categories"] += [{"key": f"c{i}", "label": f"C {i}",
                               "parent": f"c{i - 1}" if i else None} for i in range(5000)]
    start = time.perf_counter()
    message = refused(project, write(tmp_path / "deep.jsonl", recs), "line 1")
    assert time.perf_counter() - start < 5
    assert "at most 8 levels" in message and "4991 more" in message


# -- 3. FIFOs, devices, folders, sockets, standard input ---------------------------------

@pytest.mark.timeout(20)
@pytest.mark.parametrize("writer", [False, True])
def test_fifo_is_refused_without_blocking(writer: bool, recs, project: Store,
                                          tmp_path: Path) -> None:
    fifo = tmp_path / "set.jsonl"
    os.mkfifo(fifo)
    feeder = None
    if writer:
        data = "".join(json.dumps(r) + "\n" for r in recs).encode()

        def feed() -> None:
            try:
                fd = os.open(fifo, os.O_WRONLY)  # waits for a reader, if one ever comes
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
            except OSError:
                pass

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
    message = refused(project, fifo, "named pipe (FIFO)")
    assert "not a file" in message
    if feeder is not None:  # unblock the writer if it is still waiting
        try:
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        except OSError:
            pass
        feeder.join(5)
    # the project is not locked: an edit goes through at once
    project.annotations.add_mention(1, 36, 40, project.actors.by_name("NATO").id, "alice")


@pytest.mark.parametrize("what", ["device", "folder", "socket"])
def test_special_files_are_refused(what: str, project: Store, tmp_path: Path) -> None:
    if what == "device":
        path = Path("/dev/zero")
    elif what == "folder":
        path = tmp_path / "a-folder.jsonl"
        path.mkdir()
    else:
        path = tmp_path / "s.sock"
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
    try:
        message = refused(project, path, f"is a {what}")
    finally:
        if what == "socket":
            sock.close()
    assert "nothing was read" in message


@pytest.mark.timeout(30)
def test_cli_refuses_a_fifo_in_one_line(tmp_path: Path, capsys) -> None:
    proj = tmp_path / "p.stancemark"
    open_project(proj, create=True).close()
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    assert main(["merge", str(proj), str(fifo)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "named pipe (FIFO)" in err


def _run_cli(args: list[str], stdin: bytes) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "desktop"), str(ROOT)]))
    return subprocess.run([sys.executable, "-m", "stancemark", *args], input=stdin,
                          capture_output=True, env=env, timeout=120)


def test_merge_from_standard_input(recs, tmp_path: Path) -> None:
    proj = tmp_path / "p.stancemark"
    open_project(proj, create=True).close()
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs).encode()
    res = _run_cli(["merge", str(proj), "-"], data)
    assert res.returncode == 0, res.stderr
    assert b"Merged standard input: 4 article(s) added" in res.stderr
    with open_project(proj, read_only=True) as s:
        assert s.counts()["articles"] == 4
        invariants(s)
    # a bad line read from standard input is named like a file's
    bad = data + b'{"stancemark": 1, "kind": "article", "annotator": 7}\n'
    res = _run_cli(["merge", str(proj), "-"], bad)
    assert res.returncode == 1
    err = res.stderr.decode().strip()
    assert err.count("\n") == 0 and "standard input, line 7: " in err
    assert '"annotator" must be text or null, not 7' in err


def test_spooled_input_has_the_line_limit(monkeypatch) -> None:
    from stancemark.services import merge
    from stancemark.services.exchange import spooled_set

    monkeypatch.setattr(merge, "MAX_LINE_BYTES", 1000)
    with pytest.raises(ValidationError, match="standard input, line 2: longer than"):
        with spooled_set(io.BytesIO(b"{}\n" + b"x" * 5000 + b"\n")):
            pass


def test_merge_dash_from_a_terminal_is_refused(tmp_path: Path, monkeypatch, capsys) -> None:
    class Tty(io.BytesIO):
        def isatty(self) -> bool:
            return True

    proj = tmp_path / "p.stancemark"
    open_project(proj, create=True).close()
    monkeypatch.setattr(sys, "stdin", Tty())
    assert main(["merge", str(proj), "-"]) == 1
    assert "standard input, which is a terminal" in capsys.readouterr().err


# -- 4. hostile JSON ------------------------------------------------------------------------

def _put(recs: list, dotted: str, value) -> list:
    """Set ``line.key.key…`` (list indexes allowed) to ``value``."""
    line, *keys = dotted.split(".")
    node = recs[int(line)]
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node[k]
    last = keys[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return recs


SURROGATE = "\ud800"
BIG = 2**63

HOSTILE_VALUES = {
    # (dotted path, value, expected in message)
    "surrogate in text": ("3.article.text", "Вучић " + SURROGATE, "lone surrogate"),
    "surrogate in title": ("3.article.title", SURROGATE, "lone surrogate"),
    "surrogate in annotator": ("3.annotator", "al" + SURROGATE, "lone surrogate"),
    "surrogate in actor name": ("3.actors.0.name", SURROGATE + "x", "lone surrogate"),
    "surrogate in alias": ("3.actors.1.aliases", ["Vucic" + SURROGATE], "lone surrogate"),
    "surrogate in note": ("3.claims.0.note", SURROGATE, "lone surrogate"),
    "surrogate in sentiment key": ("3.sentiment.actors", {SURROGATE: 1}, "lone surrogate"),
    "surrogate in codebook label": ("0.scale.0.label", SURROGATE, "lone surrogate"),
    "surrogate in category key": ("0.categories.0.key", "x" + SURROGATE, "lone surrogate"),
    "stance 2**63": ("3.claims.0.stance", BIG, "not on the scale"),
    "sentiment 2**64": ("3.sentiment.article", 2**64, "not on the scale"),
    "portrayal -2**63-1": ("3.sentiment.actors", {"a1": -BIG - 1}, "not on the scale"),
    "offset 2**63": ("3.mentions.0.end", BIG, "outside the article text"),
    "scale value 2**63": ("0.scale.0.value", BIG, "outside -1000…+1000"),
    "float stance": ("3.claims.0.stance", -1.0, "must be a whole number or null, not the "
                                               "fraction -1.0"),
    "float offset": ("3.mentions.0.start", 0.0, "must be a whole number"),
    "float scale value": ("0.scale.0.value", -2.0, "'value' must be an integer"),
    "bool sentiment": ("3.sentiment.article", True, "not true"),
    "annotator number": ("3.annotator", 5, '"annotator" must be text or null, not 5'),
    "article a list": ("3.article", [], '"article" must be an object'),
    "title a number": ("3.article.title", 7, '"article.title" must be text or null'),
    "actors an object": ("3.actors", {}, '"actors" must be a list'),
    "alias a number": ("3.actors.1.aliases", [3], "alias of actor"),
    "mention a string": ("3.mentions.0", "m", "mention 1 must be an object"),
    "claims null": ("3.claims", None, '"claims" must be a list'),
    "sentiment a list": ("3.sentiment", [1], '"sentiment" must be an object'),
    "portrayals a list": ("3.sentiment.actors", [1], '"sentiment.actors" must be an object'),
    "status a list": ("3.article.status", ["done"], '"article.status" must be one of'),
    "stancemark true": ("3.stancemark", True, '"stancemark" must be 1'),
    "kind nested": ("3.kind", [[["x"]]], '"kind" must be "codebook" or "article", not a list'),
    "NUL in a name": ("3.actors.0.name", "Ser\x00bia", "NUL character"),
    "blank annotator": ("3.annotator", "  ", '"annotator" must not be empty'),
    "codebook shortcut number": ("0.actor_types.0.shortcut", 5, "shortcut must be a short"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_VALUES))
def test_hostile_values_are_refused_by_line(case, recs, project: Store,
                                            tmp_path: Path) -> None:
    dotted, value, expected = HOSTILE_VALUES[case]
    path = write(tmp_path / "bad.jsonl", _put(recs, dotted, value))
    line = int(dotted.split(".")[0]) + 1
    message = refused(project, path, f"bad.jsonl, line {line}: ")
    assert expected in message


RAW_LINES = {
    "100,000 [": ("[" * 100_000, "nested too deeply"),
    "100,000 { in a field": ('{"stancemark": 1, "kind": "article", "article": '
                             + '{"a": ' * 100_000, "nested too deeply"),
    "5,000-digit number": ('{"stancemark": 1, "kind": "article", "annotator": "x", '
                           '"article": {"text": "x", "uid": ' + "9" * 5000 + "}}",
                           "a number far too long"),
    "surrogate escape": ('{"stancemark": 1, "kind": "article", "annotator": "\\udfff"}',
                         "lone surrogate"),
    "NaN": ('{"stancemark": 1, "kind": "article", "annotator": "x", "sentiment": '
            '{"article": NaN}, "article": {"text": "x", "uid": "y"}}', ""),
}


@pytest.mark.parametrize("case", sorted(RAW_LINES))
def test_hostile_raw_lines(case, recs, project: Store, tmp_path: Path) -> None:
    raw, expected = RAW_LINES[case]
    path = write(tmp_path / "raw.jsonl", recs[:2], raw + "\n")
    message = refused(project, path, "raw.jsonl, line 3: ")
    assert expected in message


def test_cli_prints_one_line_for_deep_json(tmp_path: Path, capsys) -> None:
    proj = tmp_path / "p.stancemark"
    open_project(proj, create=True).close()
    path = tmp_path / "deep.jsonl"
    path.write_text("[" * 100_000 + "\n")
    assert main(["merge", str(proj), str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "deep.jsonl, line 1: JSON nested too deeply" in err


# -- 5. hostile file systems ------------------------------------------------------------------

def _mount_tmpfs(where: Path, size: str = "1m") -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    where.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount tmpfs here: {res.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path):
    mnt = tmp_path / "small"
    _mount_tmpfs(mnt)
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


@pytest.fixture(scope="module")
def big_set(tmp_path_factory) -> Path:
    """A set of some 800 KB: more than a nearly full 1 MiB disk can take."""
    src = build_hostile_project()
    for i in range(300):
        src.articles.add(ArticleDraft(text=f"Filler article {i}. " + "Words and words. " * 120))
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    export_project(src, "jsonl", path)
    src.close()
    return path


def _fill(disk: Path, leave: int) -> None:
    vfs = os.statvfs(disk)
    free = vfs.f_bavail * vfs.f_frsize
    (disk / "filler").write_bytes(b"\0" * max(0, free - leave))


def _no_leftovers(folder: Path) -> None:
    names = sorted(p.name for p in folder.iterdir())
    assert not [n for n in names if "before-merge" in n or n.endswith(".tmp")], names


@pytest.mark.parametrize(("leave", "expected"), [
    (60_000, "Cannot keep a copy of the project before the merge: the disk is full"),
    (400_000, "is full"),  # room for the copy, not for the merge: the copy goes again
])
def test_full_disk(leave: int, expected: str, small_disk: Path, big_set: Path, recs,
                   tmp_path: Path) -> None:
    proj = small_disk / "p.stancemark"
    with open_project(proj, create=True) as s:
        s.articles.add(ArticleDraft(text="Kurti said no.", title="No"))
    _fill(small_disk, leave)
    with open_project(proj) as s:
        before = snapshot(s)
        with pytest.raises(StancemarkError) as info:
            merge_set(s, big_set)
        assert expected in str(info.value) and "\n" not in str(info.value)
        assert snapshot(s) == before
    _no_leftovers(small_disk)
    (small_disk / "filler").unlink()
    with open_project(proj) as s:  # still sound, and a merge now goes through
        assert s.integrity_ok()
        report = merge_set(s, write(tmp_path / "small.jsonl", recs))
        assert report.backup is not None and report.backup.stat().st_size > 0
        invariants(s)


def test_full_disk_cli_one_line(small_disk: Path, big_set: Path, capsys) -> None:
    proj = small_disk / "p.stancemark"
    open_project(proj, create=True).close()
    _fill(small_disk, 60_000)
    assert main(["merge", str(proj), str(big_set)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "disk is full" in err
    _no_leftovers(small_disk)


def test_read_only_mount(small_disk: Path, big_set: Path, capsys) -> None:
    proj = small_disk / "p.stancemark"
    with open_project(proj, create=True) as s:
        s.articles.add(ArticleDraft(text="Kurti said no.", title="No"))
        before = snapshot(s)
    res = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], capture_output=True)
    if res.returncode != 0:
        pytest.skip("cannot remount read-only here")
    assert main(["merge", str(proj), str(big_set)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "read-only" in err and "nothing can be merged" in err
    with open_project(proj, read_only=True) as s:
        assert snapshot(s) == before
    _no_leftovers(small_disk)


def test_unwritable_folder(tmp_path: Path, big_set: Path) -> None:
    """As another user: the project file may be written, its folder may not."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run as another user")
    folder = tmp_path / "locked"
    folder.mkdir()
    proj = folder / "p.stancemark"
    with open_project(proj, create=True) as s:
        s.articles.add(ArticleDraft(text="Kurti said no.", title="No"))
        before = snapshot(s)
    for p in folder.iterdir():
        p.chmod(0o666)
    folder.chmod(0o755)
    for parent in [tmp_path, *tmp_path.parents]:  # let the other user reach the files
        parent.chmod(parent.stat().st_mode | stat.S_IXOTH)
    readable = tmp_path / "set.jsonl"
    shutil.copy(big_set, readable)
    readable.chmod(0o644)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "desktop"), str(ROOT)]),
               HOME=str(tmp_path))
    res = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                          sys.executable, "-m", "stancemark", "merge", str(proj),
                          str(readable)], capture_output=True, env=env, timeout=120)
    err = res.stderr.decode().strip()
    if "Permission denied" in err and "python" in err.lower():
        pytest.skip("the other user cannot run this Python")
    assert res.returncode == 1, err
    assert err.count("\n") == 0 and "not writable" in err, err
    with open_project(proj, read_only=True) as s:
        assert snapshot(s) == before
    _no_leftovers(folder)


def test_backup_is_renamed_into_place_complete(tmp_path: Path, recs, monkeypatch) -> None:
    """While SQLite writes the copy it has a hidden temporary name, never the .bak one."""
    from stancemark.store import project as project_module

    seen: list[str] = []
    real = project_module.copy_project

    def spy(store, dest):
        seen.append(Path(dest).name)
        real(store, dest)

    monkeypatch.setattr(project_module, "copy_project", spy)
    with open_project(tmp_path / "p.stancemark", create=True) as s:
        report = merge_set(s, write(tmp_path / "set.jsonl", recs))
        first = report.backup
        second = merge_set(s, write(tmp_path / "set.jsonl", recs)).backup
    assert all(n.startswith(".p.stancemark.before-merge-") and n.endswith(".tmp") for n in seen)
    assert first is not None and second is not None and first != second  # one per merge
    assert first.exists() and second.exists()
    _no_leftovers_but(tmp_path, {first.name, second.name})


def _no_leftovers_but(folder: Path, keep: set[str]) -> None:
    names = {p.name for p in folder.iterdir()}
    assert not [n for n in names - keep if "before-merge" in n or n.endswith(".tmp")]


# -- 8. fuzz: mutated exports --------------------------------------------------------------

MUTATIONS = ("truncate", "retype", "huge", "surrogate", "nest", "offsets", "unknown_id",
             "duplicate_line", "drop_key", "float", "shuffle_ids")
_TYPES = [None, True, 0, -1, 2**63, 2**64 + 7, 1.5, "", "x", "\ud800", [], {}, [[[]]]]


def _paths(node, prefix=()):
    """Every (container, key) inside a record, iteratively."""
    out = []
    stack = [(node, prefix)]
    while stack:
        cur, _ = stack.pop()
        items = cur.items() if isinstance(cur, dict) else enumerate(cur)
        for k, v in list(items):
            out.append((cur, k))
            if isinstance(v, (dict, list)):
                stack.append((v, ()))
    return out


@st.composite
def mutated_sets(draw, base: list[dict]) -> str:
    recs = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(MUTATIONS))
        i = draw(st.integers(0, len(recs) - 1))
        spots = _paths(recs[i])
        cont, key = spots[draw(st.integers(0, len(spots) - 1))]
        if kind == "retype":
            cont[key] = draw(st.sampled_from(_TYPES))
        elif kind == "huge":
            cont[key] = draw(st.sampled_from([2**63, -(2**63) - 1, 10**30, 2**200]))
        elif kind == "surrogate":
            cont[key] = draw(st.sampled_from(["\ud800", "a\udfffb", "\udbff"]))
        elif kind == "nest":
            cont[key] = json.loads("[" * 50 + "]" * 50)
        elif kind == "offsets" and recs[i].get("mentions"):
            m = recs[i]["mentions"][0]
            m["start"] = m.get("start", 0) + draw(st.integers(-3, 3)) if isinstance(
                m.get("start"), int) else 0
        elif kind == "unknown_id" and recs[i].get("claims"):
            recs[i]["claims"][0]["claimant"] = draw(st.sampled_from(["zz", "a0", "a99"]))
        elif kind == "duplicate_line":
            recs.append(copy.deepcopy(recs[i]))
        elif kind == "drop_key" and isinstance(cont, dict):
            del cont[key]
        elif kind == "float" and isinstance(cont.get(key) if isinstance(cont, dict)
                                            else cont[key], int):
            cont[key] = float(cont[key])
        elif kind == "shuffle_ids" and recs[i].get("actors"):
            acts = recs[i]["actors"]
            acts[0]["affiliation"] = acts[-1]["id"]
            acts[-1]["affiliation"] = acts[0]["id"]
    ascii_only = draw(st.booleans())  # \ud800 escapes, or raw surrogates (not UTF-8 then)
    text = "".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in recs)
    if draw(st.booleans()) and draw(st.integers(0, 4)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    if draw(st.integers(0, 9)) == 0:
        text += "[" * 20_000 + "\n"
    return text


def test_fuzz_mutated_sets(exported, tmp_path: Path) -> None:
    """Any mutated set merges soundly or is refused cleanly; never any other exception."""
    base = build_hostile_project()
    seed = tmp_path / "seed.stancemark"
    from stancemark.store.project import copy_project

    copy_project(base, seed)
    base.close()
    outcome = {"merged": 0, "refused": 0}

    @settings(max_examples=250, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(mutated_sets(exported))
    def run(text: str) -> None:
        path = tmp_path / "fuzz.jsonl"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        target = memory_project()
        try:
            with open_project(seed, read_only=True) as seeded:
                seeded.conn.backup(target.conn)
            before = snapshot(target)
            try:
                merge_set(target, path)
            except StancemarkError as exc:
                assert "\n" not in str(exc)
                assert snapshot(target) == before
                outcome["refused"] += 1
            else:
                outcome["merged"] += 1
            invariants(target)
        finally:
            target.close()

    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    print(f"fuzz: {outcome} in {elapsed:.1f}s")
    assert outcome["refused"] > 0 and outcome["merged"] > 0
    assert set(TABLES)  # the snapshot covers every table the merge writes
