"""Hostile files into import, merge and codebook import.

Each one gets a clear error (or a clear per-file outcome), leaves the project
exactly as it was, and the project stays usable afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from stancemark.core.errors import StancemarkError
from stancemark.core.models import ArticleDraft
from stancemark.core.text import text_hash
from stancemark.services.importing import import_paths
from stancemark.store import Store, open_project

TABLES = ("articles", "article_raw", "actors", "actor_aliases", "mentions", "claims",
          "article_sentiments", "actor_sentiments", "actor_types", "categories", "scale")


def snapshot(store: Store) -> dict[str, list[tuple]]:
    return {t: store.conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}


@pytest.fixture
def project(tmp_path: Path) -> Store:
    s = open_project(tmp_path / "p.stancemark", create=True)
    aid = s.articles.add(ArticleDraft(text="Albin Kurti said the talks would go on.",
                                      title="Talks"))
    kurti = s.actors.add("Albin Kurti", "person")
    s.annotations.add_mention(aid, 0, 11, kurti, "alice")
    yield s
    s.close()


def still_usable(store: Store) -> None:
    kurti = store.actors.by_name("Albin Kurti")
    assert kurti is not None
    m = store.annotations.add_mention(1, 6, 11, kurti.id, "alice")
    assert m.text == "Kurti"
    assert store.integrity_ok()


# -- files to import ------------------------------------------------------------

def sparse_gigabyte(p: Path) -> None:
    with p.open("wb") as f:
        f.truncate(1024 ** 3)


IMPORT_CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (lambda p: p.write_bytes(b""), "empty"),
    "binary": (lambda p: p.write_bytes(bytes(range(256)) * 64), "binary"),
    "sparse-1GB": (sparse_gigabyte, "too_large"),
    "nul-bytes": (lambda p: p.write_bytes(b"Title\n\nBody \x00\x00 text\x00" * 50), "binary"),
    "invalid-utf8": (lambda p: p.write_bytes(b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc" * 200),
                     "unreadable"),
}


@pytest.mark.parametrize("case", sorted(IMPORT_CASES))
def test_hostile_article_files(case: str, project: Store, tmp_path: Path) -> None:
    make, expected = IMPORT_CASES[case]
    path = tmp_path / f"{case}.txt"
    make(path)
    before = snapshot(project)
    report = import_paths(project, [path])
    [outcome] = report.outcomes
    assert outcome.status in (expected, "unreadable", "binary", "empty"), outcome
    assert outcome.status != "imported"
    assert outcome.message  # says what is wrong
    assert snapshot(project) == before
    still_usable(project)


def test_html_with_scripts_frames_and_remote_images(project: Store, tmp_path: Path,
                                                     monkeypatch) -> None:
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the importer tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Harbour reopens</title>"
        "<script>document.write('INJECTED'); fetch('http://example.invalid/x')</script></head>"
        "<body onload=\"alert('ONLOAD')\"><iframe src=\"http://example.invalid/f\"></iframe>"
        "<img src=\"http://example.invalid/pixel.gif\">"
        "<article><h1>Harbour reopens</h1>"
        + "<p>The harbour reopened on Monday after a week of strikes, the port authority said."
          " Dock workers returned to the quays in the morning.</p>" * 6
        + "</article><script>var SECRET='SCRIPTTEXT';</script></body></html>",
        encoding="utf-8")
    report = import_paths(project, [page])
    assert report.imported == 1
    text = project.articles.get(report.outcomes[0].article_id).text
    assert "harbour reopened" in text
    for leaked in ("INJECTED", "ONLOAD", "SCRIPTTEXT", "example.invalid"):
        assert leaked not in text
    still_usable(project)


# -- annotation sets to merge ---------------------------------------------------

ARTICLE_TEXT = "Vučić 😀 said Kosovo would not be recognised."


def record(**over) -> dict:
    rec = {
        "stancemark": 1, "kind": "article", "annotator": "bob",
        "article": {"uid": text_hash(ARTICLE_TEXT), "title": "T", "text": ARTICLE_TEXT,
                    "status": "new"},
        "actors": [{"id": "a1", "name": "Aleksandar Vučić", "type": "person", "aliases": []}],
        "mentions": [{"id": "m1", "start": 0, "end": 5, "text": "Vučić", "actor": "a1"}],
        "claims": [],
        "sentiment": {"article": None, "actors": {}},
    }
    rec.update(over)
    return rec


def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def merge_cases(tmp: Path) -> dict[str, tuple[Path, str]]:
    good = record()
    cases: dict[str, tuple[Path, str]] = {}
    cases["empty"] = ((tmp / "empty.jsonl"), "")
    cases["empty"][0].write_bytes(b"")
    p = tmp / "binary.jsonl"
    p.write_bytes(bytes(range(256)) * 10)
    cases["binary"] = (p, "line 1")
    p = tmp / "nul.jsonl"
    p.write_bytes(b"\x00" * 1000)
    cases["nul-bytes"] = (p, "line 1")
    p = tmp / "sparse.jsonl"
    sparse_gigabyte(p)
    cases["sparse-1GB"] = (p, "")
    p = tmp / "invalid-utf8.jsonl"
    p.write_bytes(json.dumps(good).encode() + b"\n\xff\xfe broken\n")
    cases["invalid-utf8"] = (p, "line 2")
    p = tmp / "huge-line.jsonl"
    p.write_text('{"stancemark": 1, "kind": "article", "x": "' + "y" * (50 * 1024 ** 2) + '"\n')
    cases["50MB-line"] = (p, "line 1")
    cases["offsets-past-end"] = (write_jsonl(tmp / "past.jsonl", [good, record(mentions=[
        {"id": "m1", "start": 10, "end": 999, "text": "x", "actor": "a1"}])]), "line 2")
    cases["span-text-mismatch"] = (write_jsonl(tmp / "mismatch.jsonl", [record(mentions=[
        {"id": "m1", "start": 0, "end": 5, "text": "Vucic", "actor": "a1"}])]), "line 1")
    cases["unknown-actor-id"] = (write_jsonl(tmp / "unknown.jsonl", [record(mentions=[
        {"id": "m1", "start": 0, "end": 5, "text": "Vučić", "actor": "a9"}])]), "line 1")
    truncated = json.dumps(good, ensure_ascii=False)
    p = tmp / "truncated.jsonl"
    p.write_text(truncated + "\n" + truncated[: len(truncated) // 2], encoding="utf-8")
    cases["truncated"] = (p, "line 2")
    bad_uid = record()
    bad_uid["article"] = dict(bad_uid["article"], text=ARTICLE_TEXT + " (edited)")
    cases["text-not-matching-uid"] = (write_jsonl(tmp / "uid.jsonl", [bad_uid]), "line 1")
    crlf_text = "Kurti said:\r\nno."
    crlf = record(mentions=[])
    crlf["article"] = dict(crlf["article"], text=crlf_text, uid=text_hash(crlf_text))
    cases["crlf-text"] = (write_jsonl(tmp / "crlf.jsonl", [good, crlf]), "line 2")
    return cases


@pytest.mark.parametrize("case", ["empty", "binary", "nul-bytes", "sparse-1GB", "invalid-utf8",
                                  "50MB-line", "offsets-past-end", "span-text-mismatch",
                                  "unknown-actor-id", "truncated", "text-not-matching-uid",
                                  "crlf-text"])
def test_hostile_annotation_sets(case: str, project: Store, tmp_path: Path) -> None:
    from stancemark.services.exchange import merge_set

    path, where = merge_cases(tmp_path)[case]
    before = snapshot(project)
    with pytest.raises(StancemarkError) as info:
        merge_set(project, path)
    message = str(info.value)
    assert where in message
    assert "Traceback" not in message and len(message) < 600
    assert snapshot(project) == before
    assert not list(tmp_path.glob("p.stancemark.before-merge-*"))  # refused before any copy
    still_usable(project)


# -- codebooks to import --------------------------------------------------------

@pytest.mark.parametrize(("content", "expected"), [
    (b"", "is empty"),
    (bytes(range(256)) * 4, "UTF-8"),
    (b"\x00" * 100, ""),
    (b'{"stancemark": 1, "kind": "codebook", "actor_types": [', "line 1"),
    (b'{"stancemark": 1, "kind": "codebook", "actor_types": [], "categories": [],'
     b' "scale": []}', "scale"),
    (b'[1, 2, 3]', ""),
])
def test_hostile_codebooks(content: bytes, expected: str, project: Store,
                           tmp_path: Path) -> None:
    from stancemark.services.codebook_io import import_codebook

    path = tmp_path / "codebook.json"
    path.write_bytes(content)
    before = snapshot(project)
    with pytest.raises(StancemarkError) as info:
        import_codebook(project, path).apply(project)
    assert expected.lower() in str(info.value).lower()
    assert snapshot(project) == before
    still_usable(project)


def test_sparse_gigabyte_codebook_is_refused_quickly(project: Store, tmp_path: Path) -> None:
    from stancemark.services.codebook_io import import_codebook

    path = tmp_path / "big.json"
    sparse_gigabyte(path)
    before = snapshot(project)
    with pytest.raises(StancemarkError, match="too large to be a codebook"):
        import_codebook(project, path).apply(project)
    assert snapshot(project) == before
