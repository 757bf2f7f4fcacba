"""Hostile codebook files in, and ``codebook export`` never writing where it must not.

Import: every bad file gets one clear line and the project stays as it was.
Export: an existing output is refused unless ``--force``, and ``--force`` only
replaces an earlier codebook export (never a foreign file, the project file, a
folder or a device); the new file is complete and has the umask's permissions.
Category trees are capped at ``MAX_CATEGORY_DEPTH`` levels everywhere a codebook
is validated. Ends with a bounded fuzz run over mutated codebook files.
"""

from __future__ import annotations

import copy
import json
import os
import stat
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stancemark.cli import main
from stancemark.core.codebook import MAX_CATEGORY_DEPTH, Codebook, default_codebook
from stancemark.core.errors import StancemarkError, ValidationError
from stancemark.services.codebook_io import (
    CodebookFileError,
    codebook_document,
    export_codebook,
    import_codebook,
    plan_codebook,
    read_codebook,
)
from stancemark.store import Store, memory_project, open_project
from tests.safety.test_hostile_inputs import snapshot


@pytest.fixture
def project(tmp_path: Path) -> Store:
    s = open_project(tmp_path / "p.stancemark", create=True)
    yield s
    s.close()


def doc() -> dict:
    return codebook_document(default_codebook())


def import_refused(store: Store, path: Path) -> str:
    before = snapshot(store)
    with pytest.raises(StancemarkError) as info:
        import_codebook(store, path).apply(store)
    message = str(info.value)
    assert "\n" not in message and len(message) < 900, message
    assert snapshot(store) == before
    return message


def chain(n: int) -> list[dict]:
    return [{"key": f"c{i}", "label": f"Level {i + 1}", "parent": f"c{i - 1}" if i else None}
            for i in range(n)]


# -- 6. hostile JSON on import --------------------------------------------------------------

RAW = {
    "100,000 [": ("[" * 100_000, "nested too deeply"),
    "100,000 { inside": ('{"stancemark": 1, "kind": "codebook", "actor_types": '
                         + '{"a":' * 100_000, "nested too deeply"),
    "5,000-digit value": ('{"stancemark": 1, "kind": "codebook", "actor_types": [], '
                          '"categories": [], "scale": [{"value": ' + "7" * 5000
                          + ', "label": "x"}]}', "a number far too long"),
}


@pytest.mark.parametrize("case", sorted(RAW))
def test_hostile_raw_codebooks(case, project: Store, tmp_path: Path) -> None:
    raw, expected = RAW[case]
    path = tmp_path / "book.json"
    path.write_text(raw)
    assert expected in import_refused(project, path)


def _set(d: dict, where: str, value) -> dict:
    kind, index, key = where.split(".")
    d[kind][int(index)][key] = value
    return d


VALUES = {
    "surrogate in a label": ("scale.0.label", "\ud800", "scale[0]: 'label' holds a lone "
                                                       "surrogate"),
    "surrogate in a key": ("categories.0.key", "a\udfff", "categories[0]: 'key' holds a lone"),
    "surrogate in a description": ("categories.1.description", "\udbff",
                                   "'description' must be a string (of text)"),
    "surrogate in a shortcut": ("actor_types.0.shortcut", "\ud800", "shortcut must be"),
    "value 2**63": ("scale.0.value", 2**63, "outside -1000…+1000"),
    "value -2**64": ("scale.0.value", -(2**64), "outside -1000…+1000"),
    "value 10**40": ("scale.0.value", 10**40, "a number of 41 digits"),
    "float value": ("scale.0.value", 1.5, "'value' must be an integer"),
    "bool value": ("scale.0.value", True, "'value' must be an integer"),
    "label a list": ("actor_types.0.label", ["x"], "'label' must be a non-empty string"),
    "parent a number": ("categories.1.parent", 3, "'parent' must be a category key or null"),
    "shortcut used twice": ("actor_types.1.shortcut", "p", "actor type organisation has "
                                                          "shortcut 'p', which actor type "
                                                          "person already uses"),
}


@pytest.mark.parametrize("case", sorted(VALUES))
def test_hostile_values(case, project: Store, tmp_path: Path) -> None:
    where, value, expected = VALUES[case]
    path = tmp_path / "book.json"
    path.write_text(json.dumps(_set(doc(), where, value)))  # ASCII: \ud800 as an escape
    assert expected in import_refused(project, path)


def test_cli_import_one_line(tmp_path: Path, capsys) -> None:
    proj = tmp_path / "p.stancemark"
    open_project(proj, create=True).close()
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000)
    assert main(["codebook", "import", str(proj), str(path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "nested too deeply" in err


@pytest.mark.timeout(20)
def test_import_from_a_fifo_does_not_block(project: Store, tmp_path: Path) -> None:
    fifo = tmp_path / "book.json"
    os.mkfifo(fifo)
    assert "named pipe (FIFO)" in import_refused(project, fifo)
    assert "is a folder" in import_refused(project, tmp_path)


# -- 7. category depth ------------------------------------------------------------------------

def test_depth_cap_is_a_named_constant() -> None:
    assert MAX_CATEGORY_DEPTH == 8
    ok = {"actor_types": [], "categories": chain(MAX_CATEGORY_DEPTH), "scale": [
        {"value": 0, "label": "neutral"}]}
    Codebook.from_dict(ok)
    deep = dict(ok, categories=chain(MAX_CATEGORY_DEPTH + 1))
    with pytest.raises(ValidationError, match="'c8' is nested 9 levels deep; categories nest "
                                              "at most 8 levels"):
        Codebook.from_dict(deep)


def test_thousands_deep_import_is_refused_quickly(project: Store, tmp_path: Path) -> None:
    d = doc()
    d["categories"] += chain(20_000)
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(d))
    start = time.perf_counter()
    message = import_refused(project, path)
    assert time.perf_counter() - start < 3
    assert "(and 19991 more categories below the cap)" in message


def test_parent_cycles_are_refused(project: Store, tmp_path: Path) -> None:
    d = doc()
    d["categories"] += [{"key": "a", "label": "A", "parent": "b"},
                        {"key": "b", "label": "B", "parent": "a"},
                        {"key": "self", "label": "Self", "parent": "self"}]
    path = tmp_path / "cycle.json"
    path.write_text(json.dumps(d))
    message = import_refused(project, path)
    assert "'a' is part of a parent cycle" in message and "'self' is part" in message


def test_the_codebook_dialogs_service_refuses_deep_trees(project: Store) -> None:
    book = default_codebook()
    deep = Codebook.from_dict({**book.to_dict(), "categories": []})
    deep.categories = Codebook.from_dict({"scale": [{"value": 0, "label": "n"}],
                                          "categories": chain(8)}).categories
    deep.categories[0].parent = "c7"  # now a cycle through all eight
    with pytest.raises(ValidationError, match="parent cycle"):
        plan_codebook(project, deep)
    deep.categories[0].parent = None
    plan_codebook(project, deep)  # eight levels are fine
    deep.categories.append(type(deep.categories[0])("c8", "Nine", "c7"))
    with pytest.raises(ValidationError, match="at most 8 levels"):
        plan_codebook(project, deep)


def test_category_path_of_an_old_deep_codebook_is_iterative() -> None:
    d = {"scale": [{"value": 0, "label": "n"}], "categories": chain(5000)}
    book = Codebook([], [], [])
    book.categories = [type(default_codebook().categories[0])(c["key"], c["label"],
                                                              c["parent"]) for c in
                       d["categories"]]
    depths = book.category_depths()
    assert depths["c4999"] == 5000  # no RecursionError, linear
    assert book.category_path("c3").count("›") == 3


# -- 6. export --------------------------------------------------------------------------------

def test_export_refuses_an_existing_file_without_force(project: Store, tmp_path: Path,
                                                       capsys) -> None:
    out = tmp_path / "book.json"
    assert main(["codebook", "export", str(project.path), str(out)]) == 0
    first = out.read_bytes()
    assert main(["codebook", "export", str(project.path), str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "already exists" in err and "--force" in err
    assert main(["codebook", "export", str(project.path), str(out), "--force"]) == 0
    assert out.read_bytes() == first
    assert read_codebook(out) == project.codebook.load()


@pytest.mark.parametrize("what", ["foreign file", "project file", "folder", "/dev/null",
                                  "/dev/full", "dangling link"])
@pytest.mark.parametrize("force", [False, True])
def test_export_never_replaces(what: str, force: bool, project: Store, tmp_path: Path,
                               capsys) -> None:
    if what == "foreign file":
        out = tmp_path / "notes.json"
        out.write_text('{"my": "notes"}')
    elif what == "project file":
        out = project.path
    elif what == "folder":
        out = tmp_path / "folder.json"
        out.mkdir()
    elif what == "dangling link":
        out = tmp_path / "link.json"
        out.symlink_to(tmp_path / "nowhere" / "x.json")
    else:
        out = Path(what)
        if not stat.S_ISCHR(out.stat().st_mode):  # /dev is shared with other test runs
            pytest.skip(f"{what} is not a device on this machine")
    before = out.read_bytes() if out.is_file() else None
    args = ["codebook", "export", str(project.path), str(out)] + (["--force"] if force else [])
    assert main(args) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0, err
    if what in ("/dev/null", "/dev/full"):
        assert "is a device, not a file" in err
    elif what == "folder":
        assert "is a folder, not a file" in err
    elif what == "project file":
        assert "is the project file itself" in err
    elif what == "dangling link":
        assert "link to a file that does not exist" in err
    elif force:
        assert "is not a codebook Stancemark exported" in err
    else:
        assert "already exists" in err
    if before is not None:
        assert out.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    if what.startswith("/dev/"):
        assert stat.S_ISCHR(out.stat().st_mode)  # still the device


def test_export_has_umask_permissions_and_no_leftovers(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "book.json"
        export_codebook(default_codebook(), out)
        assert out.stat().st_mode & 0o777 == 0o644
        export_codebook(default_codebook(), out, force=True)
        assert out.stat().st_mode & 0o777 == 0o644
        os.umask(0o027)
        export_codebook(default_codebook(), out, force=True)
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.json"]


def test_export_into_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CodebookFileError, match="does not exist"):
        export_codebook(default_codebook(), tmp_path / "nope" / "book.json")


def test_export_to_a_full_disk_leaves_the_old_file(tmp_path: Path) -> None:
    from tests.safety.test_merge_hostile import _fill, _mount_tmpfs

    disk = tmp_path / "small"
    _mount_tmpfs(disk, "64k")
    import subprocess

    try:
        out = disk / "book.json"
        export_codebook(default_codebook(), out)
        old = out.read_bytes()
        big = default_codebook()
        big.categories += [type(big.categories[0])(f"k{i}", "x" * 200) for i in range(400)]
        _fill(disk, 0)
        with pytest.raises(CodebookFileError) as info:
            export_codebook(big, out, force=True)
        assert "No space left" in str(info.value) and "nothing was changed" in str(info.value)
        assert out.read_bytes() == old
        assert sorted(p.name for p in disk.iterdir()) == ["book.json", "filler"]
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


# -- 8. fuzz: mutated codebook files ------------------------------------------------------------

_ODD = [None, True, 0, -1, 2**63, -(2**64), 10**20, 1.5, float("inf"), "", " ", "\ud800",
        "x\udfff", "UPPER KEY", "#zzzzzz", [], {}, [[[[]]]], "a" * 30]


@st.composite
def mutated_books(draw) -> str:
    d = doc()
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["actor_types", "categories", "scale"]))
        items = d[kind]
        if not isinstance(items, list) or not items:
            d[kind] = draw(st.sampled_from(_ODD))
            continue
        op = draw(st.sampled_from(["retype", "drop", "dup", "parent", "deep", "swap_kind"]))
        i = draw(st.integers(0, len(items) - 1))
        item = items[i]
        if op == "retype" and isinstance(item, dict):
            key = draw(st.sampled_from(sorted(item) + ["extra"]))
            item[key] = draw(st.sampled_from(_ODD))
        elif op == "drop" and isinstance(item, dict) and item:
            del item[draw(st.sampled_from(sorted(item)))]
        elif op == "dup":
            items.append(copy.deepcopy(item))
        elif op == "parent" and kind == "categories":
            item["parent"] = draw(st.sampled_from([c.get("key") for c in items
                                                   if isinstance(c, dict)] + ["zz"]))
        elif op == "deep" and kind == "categories":
            items += chain(draw(st.integers(1, 40)))
        elif op == "swap_kind":
            d[kind] = draw(st.sampled_from(_ODD))
    text = json.dumps(d, allow_nan=True)
    cut = draw(st.integers(0, 9))
    if cut == 0:
        text = text[: draw(st.integers(0, len(text)))]
    elif cut == 1:
        text = "[" * 5000 + text
    return text


def test_fuzz_mutated_codebooks(tmp_path: Path) -> None:
    """Every mutated codebook is imported soundly or refused with a StancemarkError."""
    outcome = {"imported": 0, "refused": 0}

    @settings(max_examples=300, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(mutated_books())
    def run(text: str) -> None:
        path = tmp_path / "book.json"
        path.write_text(text, encoding="utf-8")
        store = memory_project()
        try:
            before = snapshot(store)
            try:
                edit = import_codebook(store, path)
                edit.apply(store)
            except StancemarkError as exc:
                assert "\n" not in str(exc)
                assert snapshot(store) == before
                outcome["refused"] += 1
            else:
                book = store.codebook.load()
                assert book.problems() == []
                assert all(-1000 <= p.value <= 1000 for p in book.scale)
                outcome["imported"] += 1
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            store.close()

    start = time.perf_counter()
    run()
    print(f"codebook fuzz: {outcome} in {time.perf_counter() - start:.1f}s")
    assert outcome["refused"] > 0 and outcome["imported"] > 0
