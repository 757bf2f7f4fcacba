"""Batch files in an import: one outcome per article, duplicates, progress and cancel per item."""

from __future__ import annotations

import json
from pathlib import Path

from stancemark.core.progress import CancelFlag, ProgressEvent
from stancemark.services.importing import import_paths
from tests.articles.batches import nexis_paragraphs, story
from tests.articles.builders import make_docx


def test_bundle_gives_one_outcome_per_item_and_keeps_metadata(store, tmp_path: Path,
                                                              monkeypatch) -> None:
    import stancemark.services.importing as importing

    monkeypatch.setattr(importing, "ITEM_PROGRESS_INTERVAL", 0.0)
    (tmp_path / "nexis.docx").write_bytes(make_docx(nexis_paragraphs(6, broken={4})))
    events: list[ProgressEvent] = []
    report = import_paths(store, [tmp_path], progress=events.append)
    assert [(o.item, o.status) for o in report.outcomes] == [
        (4, "unreadable"), (1, "imported"), (2, "imported"), (3, "imported"),
        (5, "imported"), (6, "imported")]
    assert "item 4 of 6" in report.outcomes[0].message
    assert events[-1].done == 1 and events[-1].total == 1
    assert any("#3" in e.message for e in events)
    article = store.articles.get(report.outcomes[1].article_id)
    assert article.title == story(1)[0]
    assert article.source == "The Coastal Courier"
    assert "Load-Date" not in article.text
    meta = json.loads(store.conn.execute("SELECT meta FROM articles WHERE id = ?",
                                         (article.id,)).fetchone()[0])
    assert meta["section"] == "LOCAL NEWS; Pg. 4" and meta["item"] == 1
    again = import_paths(store, [tmp_path / "nexis.docx"])
    assert again.count("duplicate") == 5 and again.imported == 0


def test_cancel_inside_a_batch_keeps_the_items_read(store, tmp_path: Path,
                                                    monkeypatch) -> None:
    import stancemark.services.importing as importing

    monkeypatch.setattr(importing, "ITEM_PROGRESS_INTERVAL", 0.0)
    (tmp_path / "n.docx").write_bytes(make_docx(nexis_paragraphs(20)))
    flag = CancelFlag()

    def progress(event: ProgressEvent) -> None:
        if event.message.endswith("#5"):
            flag.cancel()

    report = import_paths(store, [tmp_path / "n.docx"], progress=progress, cancel=flag)
    assert report.cancelled
    # item 5 was read when the cancel came (during its progress report): it is kept
    assert report.imported == 5
    assert store.counts()["articles"] == 5


def test_csv_rows_and_map(store, tmp_path: Path) -> None:
    from stancemark.articles import ColumnMap

    (tmp_path / "rows.csv").write_text("h,b\nOne,First text.\nTwo,Second text.\nThree,\n",
                                       encoding="utf-8")
    report = import_paths(store, [tmp_path / "rows.csv"],
                          columns=ColumnMap.parse("title=h,text=b"))
    assert sorted((o.item, o.status, o.title) for o in report.outcomes) == [
        (1, "imported", "One"), (2, "imported", "Two"), (3, "empty", "Three")]


def test_parallel_readers_give_the_same_items(tmp_path: Path, store) -> None:
    (tmp_path / "n.docx").write_bytes(make_docx(nexis_paragraphs(3)))
    (tmp_path / "rows.csv").write_text("title,text\nR1,Row one.\nR2,Row two.\n", "utf-8")
    for i in range(3):
        (tmp_path / f"t{i}.txt").write_text(f"Title {i}\n\nText number {i} of the batch.",
                                            encoding="utf-8")
    import stancemark.services.importing as importing

    old = importing.PARALLEL_MIN_FILES
    importing.PARALLEL_MIN_FILES = 2
    try:
        report = import_paths(store, [tmp_path, tmp_path / "rows.csv"], workers=2)
    finally:
        importing.PARALLEL_MIN_FILES = old
    assert report.imported == 8
    assert [o.item for o in report.outcomes][:3] == [1, 2, 3]
    assert [o.title for o in report.outcomes][-2:] == ["R1", "R2"]


def test_import_items_takes_items_from_any_reader(store) -> None:
    """The entry point a feed or URL reader will use: same outcomes, duplicates, progress."""
    from stancemark.articles import ReadItem
    from stancemark.core.models import ArticleDraft
    from stancemark.services.importing import import_items

    def feed():
        yield ReadItem(ArticleDraft(text="First entry text."), item=1, title="One")
        yield ReadItem(None, "empty", "entry 2 has no text.", 2)
        yield ReadItem(ArticleDraft(text="First entry text."), item=3)

    events: list[ProgressEvent] = []
    report = import_items(store, [("https://example.org/feed.xml", feed())],
                          progress=events.append)
    assert sorted((o.item, o.status) for o in report.outcomes) == [
        (1, "imported"), (2, "empty"), (3, "duplicate")]
    assert report.outcomes[0].path == "https://example.org/feed.xml"
    assert events[-1].done == 1 and events[-1].total is None


def test_cli_bar_shows_items_of_a_single_large_file() -> None:
    import io

    from stancemark.cli import ProgressBar

    out = io.StringIO()
    bar = ProgressBar(out, items=True)
    bar(ProgressEvent(0, 1, "rows.csv #1200"))
    bar(ProgressEvent(1, 1, "rows.csv"))
    bar.close()
    assert "rows.csv #1200" in out.getvalue()
    quiet = io.StringIO()
    plain = ProgressBar(quiet, items=True)
    plain(ProgressEvent(1, 3, "a.txt"))
    assert quiet.getvalue() == ""


def test_hostile_files_in_a_batch_get_outcomes_and_the_rest_imports(store, tmp_path) -> None:
    import io
    import zipfile

    from tests.articles.builders import make_pdf

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("word/document.xml", "w") as f:
            for _ in range(80):
                f.write(b" " * (1 << 20))
    (tmp_path / "a-bomb.docx").write_bytes(buf.getvalue())
    (tmp_path / "b-scan.pdf").write_bytes(make_pdf([[]], image_only=True))
    (tmp_path / "c-cut.docx").write_bytes(make_docx(["Text."])[:200])
    (tmp_path / "d-good.docx").write_bytes(make_docx([("Title", "Holm ferry"),
                                                       "The ferry stops in January."]))
    report = import_paths(store, [tmp_path])
    by_name = {Path(o.path).name: o for o in report.outcomes}
    assert by_name["a-bomb.docx"].status == "too_large"
    assert by_name["b-scan.pdf"].status == "empty"
    assert "OCR it first" in by_name["b-scan.pdf"].message
    assert by_name["c-cut.docx"].status == "unreadable"
    assert by_name["d-good.docx"].status == "imported"
    assert by_name["d-good.docx"].title == "Holm ferry"


def test_each_table_file_gets_its_own_columns(store, tmp_path: Path) -> None:
    from stancemark.articles import ColumnMap

    (tmp_path / "a.csv").write_text("h,b,author\nOne,First text.,Ana\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("x,y\nTwo,Second text.\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("title,text,author\nThree,Third text.,Cy\n", "utf-8")
    report = import_paths(
        store, [tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"],
        table_columns={tmp_path / "a.csv": ColumnMap.from_choice({"title": "h", "text": "b",
                                                                   "author": None}),
                       tmp_path / "b.csv": ColumnMap.parse("title=x,text=y")})
    assert report.imported == 3
    got = {a.title: (a.text, a.author) for a in map(store.articles.get, store.articles.ids())}
    assert got == {"One": ("First text.", None), "Two": ("Second text.", None),
                   "Three": ("Third text.", "Cy")}
