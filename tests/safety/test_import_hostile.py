"""Import against a hostile file system (issue 15): every file one outcome, never a traceback.

Odd file names (undecodable bytes, line breaks, terminal codes), folders that cannot
be listed or entered, trees deeper than Python's recursion limit, link loops, pages
nested past the HTML parser's limits, encodings without a byte-order mark, stray
control characters, articles too large for the window, and a seeded fuzz over names
and contents. Each file gets exactly one outcome, the batch goes on, and whatever is
stored has LF line ends, no BOM and no control characters.
"""

from __future__ import annotations

import codecs
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stancemark import cli
from stancemark.articles import read_bytes
from stancemark.articles.reader import MAX_PARAGRAPH_BYTES, MAX_TEXT_BYTES, ReadFailure
from stancemark.core.text import printable
from stancemark.services.importing import ImportReport, import_paths
from stancemark.store import Store

ARTICLE = ("Council approves the harbour budget\n\n"
           "The city council approved the harbour budget on Tuesday after a long debate.\n\n"
           "The opposition said the plan would cost more than the mayor admitted.\n")
RUSSIAN = ("Министр отверг обвинения оппозиции\n\n"
           "Министр иностранных дел заявил, что переговоры «зашли в тупик», "
           "а оппозиция назвала это заявление безответственным.\n")
OUTCOMES = {"imported", "duplicate", "empty", "binary", "too_large", "unreadable"}


def make_file(folder: Path, name: bytes, content: bytes) -> Path:
    """Create a file whose name is the raw bytes ``name`` (not necessarily UTF-8)."""
    raw = os.path.join(os.fsencode(folder), name)
    fd = os.open(raw, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
    try:
        os.write(fd, content)
    finally:
        os.close(fd)
    return Path(os.fsdecode(raw))


def stored_texts(store: Store) -> list[str]:
    return [store.articles.get(i).text for i in store.articles.ids()]


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2029]")


def assert_clean(store: Store) -> None:
    """What was stored is what the window shows: LF only, no BOM, no control characters."""
    for text in stored_texts(store):
        assert "\r" not in text and "\ufeff" not in text
        assert not CONTROL.search(text), CONTROL.findall(text)[:5]


def one_outcome_each(report: ImportReport, files: list[Path]) -> dict[str, object]:
    got = [o.path for o in report.outcomes]
    assert sorted(got) == sorted(str(f) for f in files)
    assert {o.status for o in report.outcomes} <= OUTCOMES
    for o in report.outcomes:
        if o.status != "imported":
            assert o.message and printable(o.message) == o.message, o
    return {o.path: o for o in report.outcomes}


# -- 1. file names with undecodable bytes ----------------------------------------

def test_undecodable_file_names_are_imported_and_shown_escaped(store: Store,
                                                               tmp_path: Path) -> None:
    good = make_file(tmp_path, b"good.txt", ARTICLE.encode())
    bad = make_file(tmp_path, b"bad\xff.txt", ARTICLE.replace("harbour", "airport").encode())
    broken = make_file(tmp_path, b"noise\xc3.txt", bytes(range(256)) * 8)
    report = import_paths(store, [tmp_path])
    by_path = one_outcome_each(report, [good, bad, broken])
    assert by_path[str(bad)].status == "imported"
    assert by_path[str(good)].status == "imported"
    assert by_path[str(broken)].status == "binary"
    assert "noise\\xc3.txt" in by_path[str(broken)].message
    article = store.articles.get(by_path[str(bad)].article_id)
    assert article.source_path is not None and article.source_path.endswith("bad\\xff.txt")
    assert "airport" in article.text


# -- 2. folders that cannot be listed or entered ------------------------------------

def run_cli(argv: list[str], *, as_nobody: bool) -> tuple[int, str]:
    """``cli.main(argv)`` as (exit code, stderr); as user nobody in a forked child if asked.

    Root reads through permission bits, so the folders' modes only matter to another
    user. The child is forked (not a new interpreter, which nobody may not be allowed
    to start) and drops its privileges before importing.
    """
    import io
    import json

    def run() -> tuple[int, str]:
        err = io.StringIO()
        saved, sys.stderr = sys.stderr, err
        try:
            code = cli.main(argv)
        finally:
            sys.stderr = saved
        return code, err.getvalue()

    if not as_nobody:
        return run()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            code, err = run()
            with os.fdopen(write_end, "w") as out:
                json.dump([code, err], out)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        payload = pipe.read()
    _, wait_status = os.waitpid(pid, 0)
    if not payload:
        pytest.skip(f"the import could not run as nobody (wait status {wait_status})")
    code, err = json.loads(payload)
    return code, err


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can reach (pytest's own is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="stancemark-perm-"))
    folder.chmod(0o777)
    yield folder
    for root, dirs, _files in os.walk(folder):
        for d in dirs:
            os.chmod(os.path.join(root, d), 0o755)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_unlistable_and_unsearchable_folders_get_an_outcome(shared_tmp: Path) -> None:
    batch = shared_tmp / "batch"
    batch.mkdir()
    (batch / "a-first.txt").write_text(ARTICLE, encoding="utf-8")
    (batch / "z-last.txt").write_text(RUSSIAN, encoding="utf-8")
    locked = batch / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(ARTICLE, encoding="utf-8")
    no_entry = batch / "no-entry"
    no_entry.mkdir()
    (no_entry / "unreachable.txt").write_text(ARTICLE, encoding="utf-8")
    for p in (batch, batch / "a-first.txt", batch / "z-last.txt"):
        p.chmod(0o777 if p.is_dir() else 0o644)
    secret = batch / "m-secret.txt"
    secret.write_text(ARTICLE, encoding="utf-8")
    secret.chmod(0o000)       # cannot be read
    locked.chmod(0o000)       # cannot be listed
    no_entry.chmod(0o644)     # listed, but its files cannot be reached (no x)
    project = shared_tmp / "p.stancemark"
    code, err = run_cli(["import", str(project), str(batch)],
                        as_nobody=hasattr(os, "geteuid") and os.geteuid() == 0)
    lines = err.strip().splitlines()
    assert "Traceback" not in err
    assert code == 0, err
    locked_line = [ln for ln in lines if "locked" in ln]
    assert len(locked_line) == 1 and locked_line[0].startswith("unreadable"), lines
    assert "cannot be listed" in locked_line[0] and "permission denied" in locked_line[0]
    assert "is a folder, not a file" not in err
    entry_line = [ln for ln in lines if "unreachable.txt" in ln]
    assert len(entry_line) == 1 and entry_line[0].startswith("unreadable"), lines
    assert "permission denied" in entry_line[0]
    secret_line = [ln for ln in lines if "m-secret.txt" in ln]
    assert len(secret_line) == 1 and secret_line[0].startswith("unreadable"), lines
    assert "cannot be read: permission denied" in secret_line[0]
    assert "2 imported, 3 unreadable" in lines[-1]


# -- 3. deep trees and link loops ----------------------------------------------

def test_tree_1100_folders_deep_with_a_link_loop(store: Store, tmp_path: Path) -> None:
    deep = tmp_path / "tree"
    here = str(deep)
    os.mkdir(here)
    for _ in range(1100):  # one level at a time: Path.mkdir(parents=True) recurses
        here += "/d"
        os.mkdir(here)
    here = Path(here)
    bottom = here / "bottom.txt"
    bottom.write_text(ARTICLE, encoding="utf-8")
    top = deep / "top.txt"
    top.write_text(RUSSIAN, encoding="utf-8")
    # a loop: tree/d/up -> tree (its parent's parent); and a second way into tree/d
    (deep / "d" / "up").symlink_to(deep, target_is_directory=True)
    (deep / "z-again").symlink_to(deep / "d", target_is_directory=True)
    try:
        report = import_paths(store, [deep])
        by_path = one_outcome_each(report, [bottom, top])
        assert {o.status for o in by_path.values()} == {"imported"}
    finally:
        # bottom up, one level at a time: shutil.rmtree (pytest's clean-up) recurses
        for link in (deep / "d" / "up", deep / "z-again"):
            link.unlink()
        for path in (bottom, top):
            path.unlink()
        level = str(here)
        while len(level) > len(str(deep)):
            os.rmdir(level)
            level = os.path.dirname(level)


# -- 4. HTML past the parser's limits ---------------------------------------------

def nested_page(depth: int) -> bytes:
    body = ("<div>" * depth + "<p>The council met on Tuesday &amp; approved the harbour "
            "budget after a long debate in the chamber.</p><p>Second paragraph.</p>"
            + "</div>" * depth)
    return (f"<html><head><title>Deep page</title><script>var s = '<p>SCRIPT</p>';</script>"
            f"</head><body>{body}</body></html>").encode()


@pytest.mark.parametrize("depth", [260, 1100, 3000])
def test_deeply_nested_html_keeps_its_text(depth: int) -> None:
    draft = read_bytes(nested_page(depth), name="deep.html")
    assert draft.title == "Deep page"
    assert "approved the harbour budget" in draft.text
    assert "& approved" in draft.text and "Second paragraph." in draft.text
    assert "SCRIPT" not in draft.text


def test_html_paragraph_over_libxml2s_text_limit_says_why() -> None:
    # a text node over 10 MB: libxml2 drops it silently without huge_tree
    words = "The long paragraph goes on and on. " * (10_600_000 // 35)
    page = f"<html><head><title>Big</title></head><body><p>{words}</p></body></html>"
    with pytest.raises(ReadFailure) as info:
        read_bytes(page.encode(), name="big.html")
    assert info.value.status == "too_large"
    assert "10 MB" in info.value.message and "split" in (info.value.hint or "").lower()


# -- 5. encodings without a BOM, control characters -------------------------------

@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", [ARTICLE, RUSSIAN], ids=["english", "russian"])
def test_utf16_without_bom(text: str, codec: str) -> None:
    draft = read_bytes(text.replace("\n", "\r\n").encode(codec), name="a.txt")
    assert draft.encoding == codec
    assert draft.text == text.strip()


def test_utf16_cut_short_and_utf32_without_bom() -> None:
    assert read_bytes(RUSSIAN.encode("utf-16-le")[:-1], name="a.txt").text == RUSSIAN.strip()
    draft = read_bytes(ARTICLE.encode("utf-32-le"), name="a.txt")
    assert draft.encoding == "utf-32-le" and draft.text == ARTICLE.strip()


def test_stray_control_characters_are_text_and_removed() -> None:
    coloured = ("Council approves the harbour budget\x07\n\n"
                "\x1b[1;31mThe city council\x1b[0m approved the harbour budget on Tuesday.\x07\n"
                "The opposition\x0bobjected.\x0cIt was late.\n")
    for codec in ("utf-8", "cp1252"):
        draft = read_bytes(coloured.encode(codec), name="log.txt")
        assert draft.title == "Council approves the harbour budget"
        assert "The city council approved the harbour budget on Tuesday." in draft.text
        assert "The opposition\nobjected.\nIt was late." in draft.text
        assert "[1;31m" not in draft.text and "\x07" not in draft.text


def test_nul_padding_after_a_crash_is_not_binary() -> None:
    assert read_bytes(ARTICLE.encode() + b"\0" * 4096, name="a.txt").text == ARTICLE.strip()


def test_a_stray_nul_in_utf8_text_is_text() -> None:
    data = ARTICLE.replace("budget on", "budget\0 on").encode()
    assert read_bytes(data, name="a.txt").text == ARTICLE.strip()


@pytest.mark.parametrize(("data", "kind"), [
    (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n" * 20, "PDF"),
    (b"PK\x03\x04" + ARTICLE.encode() * 3, "zip"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
])
def test_common_binary_files_are_named(data: bytes, kind: str) -> None:
    with pytest.raises(ReadFailure) as info:
        read_bytes(data, name="a.txt")
    assert info.value.status == "binary" and kind in info.value.message


def test_neither_text_nor_binary_says_unknown_encoding() -> None:
    # UTF-16 by its NUL bytes, but with lone surrogates: no encoding reads it
    data = "Harbour budget approved by the council ".encode("utf-16-le") + b"\x3d\xd8" * 3 \
        + "and more words".encode("utf-16-le")
    with pytest.raises(ReadFailure) as info:
        read_bytes(data, name="odd.txt")
    assert info.value.status == "unreadable"
    assert "Unknown encoding" in info.value.message


# -- 6. names that would steer the terminal ------------------------------------------

def test_cli_escapes_file_names_in_every_line(tmp_path: Path, capsys) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    make_file(batch, b"evil\n\x1b[2Jname.txt", b"\x00\x01\x02binary" * 40)
    make_file(batch, b"ok \x1b]0;title\x07 \xfe.txt", ARTICLE.encode())
    make_file(batch, b"rtl\xe2\x80\xaefdp.txt", b"")
    project = tmp_path / "odd\nproject\x1b[0m.stancemark"
    assert cli.main(["import", "-v", str(project), str(batch)]) == 0
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert len(lines) == 4, lines  # three files and the summary, one line each
    assert any(ln.startswith("binary") and "evil\\n\\x1b[2Jname.txt" in ln for ln in lines)
    assert any(ln.startswith("imported") and "ok \\x1b]0;title\\x07 \\xfe.txt" in ln
               for ln in lines)
    assert any(ln.startswith("empty") and "rtl\\u202efdp.txt" in ln for ln in lines)
    assert lines[-1].endswith("into " + printable(str(project)) + ".")


def test_printable_helper() -> None:
    assert printable("Vučić 😀 a.txt") == "Vučić 😀 a.txt"
    assert printable(os.fsdecode(b"a\xff\nb\x1b\x7f")) == "a\\xff\\nb\\x1b\\x7f"
    assert printable(b"x\x85\xe2\x80\xa8") == "x\\x85\\u2028"
    assert printable("C:\\Users\\me") == "C:\\Users\\me"
    printable(os.fsdecode(bytes(range(1, 256)))).encode("utf-8")  # always encodable


# -- 7. articles too large for the window ----------------------------------------------

def test_article_over_the_cap_is_too_large_with_the_reason(store: Store,
                                                          tmp_path: Path) -> None:
    paragraph = "The council debated the harbour budget for hours. " * 20 + "\n\n"
    big = tmp_path / "big.txt"
    big.write_text("Big file\n\n" + paragraph * (MAX_TEXT_BYTES // len(paragraph) + 100),
                   encoding="utf-8")
    line = tmp_path / "one-line.txt"
    line.write_text("One line\n\n" + "word " * (MAX_PARAGRAPH_BYTES // 5 + 10), encoding="utf-8")
    fits = tmp_path / "fits.txt"
    fits.write_text("Fits\n\n" + "word " * (MAX_PARAGRAPH_BYTES // 5 - 10), encoding="utf-8")
    report = import_paths(store, [big, line, fits])
    by_path = one_outcome_each(report, [big, line, fits])
    assert by_path[str(fits)].status == "imported"
    for path, words in ((big, "10 MB"), (line, "1 MB")):
        outcome = by_path[str(path)]
        assert outcome.status == "too_large"
        assert words in outcome.message and "split" in outcome.message.lower()
    assert "paragraph" in by_path[str(line)].message


# -- 8. a seeded fuzz over names and contents -----------------------------------------

NAME_BYTES = (b"abcxyzABC019 -_()\xc3\xa9\xd0\xb6\xf0\x9f\x98\x80"
              b"\n\r\t\x1b[]\x07\x7f\xff\xfe\xc3\x80\xe2\x80\xae\x01\x9b")
WORDS = ["harbour", "budget", "council", "Министр", "переговоры", "Vučić", "café", "😀",
         "Ελλάδα", "approved", "said", "the", "on", "Tuesday"]


def fuzz_name(rng: random.Random, used: set[bytes]) -> bytes:
    while True:
        suffix = rng.choice([b".txt", b".html", b""])
        size = rng.choice([rng.randint(1, 20), rng.randint(100, 255 - len(suffix))])
        name = bytes(rng.choice(NAME_BYTES) for _ in range(size))[:255 - len(suffix)] + suffix
        stem = name[:len(name) - len(suffix)]
        if b"/" in name or b"." in stem or name.startswith(b".") or name in used:
            continue
        used.add(name)
        return name


def fuzz_text(rng: random.Random) -> str:
    lines = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30)))
             for _ in range(rng.randint(0, 12))]
    sep = rng.choice(["\n", "\r\n", "\r", "\n\n", "\u2029", "\x0b"])
    text = sep.join(lines)
    for _ in range(rng.randint(0, 3)):
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(["\x07", "\x1b[31m", "\x1b[0m", "\x00", "\ufeff",
                                       "\x85", "\x9b", "\x08"]) + text[at:]
    if rng.random() < 0.2:
        text = f"<html><head><title>{lines[0] if lines else ''}</title></head><body><p>" \
               + text.replace("\n", "</p><p>") + "</p></body></html>"
    return text


def fuzz_content(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.08:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 3000)))
    if roll < 0.12:
        return b""
    text = fuzz_text(rng)
    codec = rng.choice(["utf-8", "utf-8", "cp1252", "cp1251", "utf-16-le", "utf-16-be",
                        "utf-32-le", "utf-16", "utf-8-sig"])
    data = text.encode(codec, errors="replace")
    if rng.random() < 0.2:
        data = rng.choice([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
                           codecs.BOM_UTF32_LE]) + data
    if data and rng.random() < 0.25:
        data = data[:rng.randint(0, len(data))]  # cut short, maybe inside a character
    if data and rng.random() < 0.15:
        at = rng.randint(0, len(data))
        data = data[:at] + bytes(rng.choice(b"\x00\x01\x07\x1b\x7f\xc3\xe2\xff\xfe")
                                 for _ in range(rng.randint(1, 4))) + data[at:]
    return data


@pytest.mark.parametrize("seed", [15, 1515])
def test_fuzz_names_and_contents(seed: int, store: Store, tmp_path: Path) -> None:
    rng = random.Random(seed)
    folder = tmp_path / "fuzz"
    folder.mkdir()
    used: set[bytes] = set()
    files = [make_file(folder, fuzz_name(rng, used), fuzz_content(rng)) for _ in range(120)]
    start = time.perf_counter()
    report = import_paths(store, [folder], workers=0)
    assert time.perf_counter() - start < 10
    one_outcome_each(report, files)
    assert not report.cancelled
    assert report.imported > 20  # most are text
    assert_clean(store)
    for i in store.articles.ids():
        source = store.articles.get(i).source_path
        assert source is not None and printable(source) == source
