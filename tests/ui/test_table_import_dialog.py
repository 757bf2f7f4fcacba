"""Importing CSV / JSON Lines files in the window: the column mapping and its preview first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtWidgets import QApplication

from stancemark.store import Store
from stancemark.ui.table_import_dialog import SETTINGS_GROUP, PreviewModel, TableImportDialog

# an export with headers no default knows for the date ("pub") and the author ("reporter")
UNUSUAL = (
    "story_id;Headline;pub;Outlet;reporter;story\n"
    "101;Harbour ferry fares rise again;2024-03-05 08:30;Coastal Courier;Mira Lund;"
    '"The island ferry company raised its fares.\n\nCommuters objected."\n'
    "102;Council delays library vote;05.03.2024;Town Gazette;Ola Berg;"
    "The council postponed its vote on the library.\n"
    "103;Storm warning;next tuesday;Coastal Courier;Jon Ek;Gales are due on Thursday.\n"
    "104;An empty story;2024-03-07;Town Gazette;Ana Ruiz;\n"
)


@pytest.fixture(autouse=True)
def _no_remembered_mappings():
    """Each test starts without mappings remembered by another (QSettings outlives a test)."""
    from stancemark.ui.qt_app import settings

    settings().remove(SETTINGS_GROUP)
    yield
    settings().remove(SETTINGS_GROUP)


def column(name: str) -> int:
    return PreviewModel.HEADERS.index(name)


def cells(dialog: TableImportDialog, name: str) -> list[str]:
    return [dialog.model.cell(r, column(name)) for r in range(dialog.model.rowCount())]


def open_dialog(qtbot, window, paths: list[Path]) -> TableImportDialog:
    with qtbot.waitSignal(window.project_files.table_dialog_shown, timeout=5000) as shown:
        window.import_paths(paths)
    dialog = shown.args[0]
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow)  # keys go to the active window
    return dialog


def articles_by_title(store: Store) -> dict:
    return {a.title: a for a in map(store.articles.get, store.articles.ids())}


def test_csv_mapping_preview_updates_and_the_import_uses_it(qtbot, window, project: Store,
                                                             tmp_path: Path) -> None:
    path = tmp_path / "scraped.csv"
    path.write_text(UNUSUAL, encoding="utf-8")
    dialog = open_dialog(qtbot, window, [path])
    assert dialog.choice() == {"title": "Headline", "text": "story", "date": None,
                               "url": None, "source": "Outlet", "author": None}
    assert "4 rows" in dialog.findChild(type(dialog.status_label), "tableImportIntro").text()
    assert cells(dialog, "Title")[:2] == ["Harbour ferry fares rise again",
                                          "Council delays library vote"]
    assert cells(dialog, "Date") == ["", "", "", ""]
    assert cells(dialog, "Note")[3] == "Skipped: no text"
    assert "1 would be skipped" in dialog.status_label.text()
    assert QApplication.focusWidget() is dialog.combos["title"]

    # the analyst picks the date and author columns: the preview follows at once
    dialog.combos["date"].setCurrentIndex(dialog.combos["date"].findText("pub"))
    dialog.set_column("author", "reporter")
    assert cells(dialog, "Date") == ["2024-03-05 08:30", "2024-03-05", "", "2024-03-07"]
    assert cells(dialog, "Author")[:2] == ["Mira Lund", "Ola Berg"]
    assert "not understood: 'next tuesday'" in cells(dialog, "Note")[2]
    assert cells(dialog, "Text")[0].startswith("The island ferry company raised its fares.")
    dialog.grab().save(str(tmp_path / "table_import.png"))

    before = project.articles.count()
    with qtbot.waitSignal(window.import_finished, timeout=20_000) as done:
        qtbot.keyClick(dialog.combos["author"], Qt.Key.Key_Return)  # Enter imports
    report = done.args[0]
    assert (report.imported, project.articles.count()) == (3, before + 3)
    assert [o.status for o in report.outcomes if o.status != "imported"] == ["empty"]
    got = articles_by_title(project)
    ferry = got["Harbour ferry fares rise again"]
    assert (ferry.source, ferry.author) == ("Coastal Courier", "Mira Lund")
    assert ferry.published == "2024-03-05T08:30:00"
    assert ferry.text == "The island ferry company raised its fares.\n\nCommuters objected."
    council = got["Council delays library vote"]
    assert council.published == "2024-03-05T00:00:00"
    assert got["Storm warning"].published is None
    assert window.article_list.model.total() == before + 3

    # the same columns next time: the choice made now is the default
    again = tmp_path / "more.csv"
    again.write_text(UNUSUAL.replace("Harbour", "Bay"), encoding="utf-8")
    second = open_dialog(qtbot, window, [again])
    assert second.choice()["date"] == "pub" and second.choice()["author"] == "reporter"
    qtbot.keyClick(second, Qt.Key.Key_Escape)
    assert window.project_files.table_dialog is None


def test_jsonl_with_its_own_field_names(qtbot, window, project: Store, tmp_path: Path) -> None:
    path = tmp_path / "feed.ndjson"
    lines = [
        {"headline": "Dam opens", "content": "The new dam opened on Tuesday.",
         "ts": 1709632800, "outlet": "River Post", "writers": ["A. Berg", "C. Dahl"],
         "permalink": "https://example.org/dam"},
        {"headline": "Bridge closes", "content": "The old bridge closed for repairs.",
         "ts": 1709719200, "outlet": "River Post"},
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    dialog = open_dialog(qtbot, window, [path])
    assert dialog.choice() == {"title": "headline", "text": "content", "date": None,
                               "url": "permalink", "source": "outlet", "author": None}
    assert "JSON Lines" in dialog.windowTitle() or "JSON Lines" in \
        dialog.findChild(type(dialog.status_label), "tableImportIntro").text()
    dialog.set_column("date", "ts")
    dialog.set_column("author", "writers")
    assert cells(dialog, "Date") == ["2024-03-05 10:00", "2024-03-06 10:00"]
    assert cells(dialog, "Author") == ["A. Berg, C. Dahl", ""]
    with qtbot.waitSignal(window.import_finished, timeout=20_000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    dam = articles_by_title(project)["Dam opens"]
    assert (dam.author, dam.source, dam.url) == ("A. Berg, C. Dahl", "River Post",
                                                 "https://example.org/dam")
    assert dam.published == "2024-03-05T10:00:00"
    assert articles_by_title(project)["Bridge closes"].author is None


def test_bad_mapping_is_refused_and_escape_imports_nothing(qtbot, window, project: Store,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "scraped.csv"
    path.write_text(UNUSUAL, encoding="utf-8")
    dialog = open_dialog(qtbot, window, [path])
    dialog.set_column("text", None)
    assert not dialog.import_button.isEnabled()
    assert dialog.status_label.text().startswith("Choose the column that holds the article text")
    assert set(cells(dialog, "Note")) == {"Skipped: no text column chosen"}
    qtbot.keyClick(dialog.combos["title"], Qt.Key.Key_Return)  # Enter does not import
    assert dialog.isVisible()

    dialog.set_column("text", "story")  # a usable choice again: the error line goes
    assert dialog.import_button.isEnabled()
    assert dialog.status_label.text().startswith("Showing all 4 rows")
    dialog.set_column("text", None)

    before = project.articles.count()
    qtbot.keyClick(dialog.combos["title"], Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert project.articles.count() == before
    assert window.last_message.startswith("Import cancelled")
    assert not window.jobs.busy and window.centralWidget().isEnabled()


def test_tab_goes_through_the_fields_then_the_preview_and_buttons(qtbot, window,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "scraped.csv"
    path.write_text(UNUSUAL, encoding="utf-8")
    dialog = open_dialog(qtbot, window, [path])
    order = [QApplication.focusWidget()]
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [*dialog.combos.values(), dialog.table, dialog.import_button,
                     dialog.cancel_button]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_tables_with_the_same_columns_share_one_dialog(qtbot, window, project: Store,
                                                       tmp_path: Path) -> None:
    a, b = tmp_path / "week1.csv", tmp_path / "week2.csv"
    a.write_text("Headline;story\nMonday;Text of Monday.\n", encoding="utf-8")
    b.write_text("story;Headline\nText of Tuesday.;Tuesday\n", encoding="utf-8")
    other = tmp_path / "other.csv"
    other.write_text("h,body_html_free\nWednesday,Text of Wednesday.\n", encoding="utf-8")
    note = tmp_path / "note.txt"
    note.write_text("A plain article\n\nIt is imported with the tables.\n", encoding="utf-8")
    first = open_dialog(qtbot, window, [a, b, other, note])
    assert first.files == [a, b]
    assert "1 more file" in first.findChild(type(first.status_label), "tableImportIntro").text()
    with qtbot.waitSignal(window.project_files.table_dialog_shown, timeout=5000) as shown:
        qtbot.keyClick(first.combos["title"], Qt.Key.Key_Return)
    second = shown.args[0]
    assert second.files == [other]
    assert second.problem() is not None  # no text column could be guessed
    second.set_column("title", "h")
    second.set_column("text", "body_html_free")
    with qtbot.waitSignal(window.import_finished, timeout=20_000) as done:
        qtbot.keyClick(second.combos["text"], Qt.Key.Key_Return)
    assert done.args[0].imported == 4
    got = articles_by_title(project)
    assert got["Tuesday"].text == "Text of Tuesday."
    assert got["Wednesday"].text == "Text of Wednesday."
    assert "A plain article" in got


def test_a_dropped_table_shows_the_mapping_first(qtbot, window, project: Store,
                                                 tmp_path: Path) -> None:
    path = tmp_path / "dropped.tsv"
    path.write_text("Headline\tstory\nDropped row\tThe text of a dropped row.\n", "utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with qtbot.waitSignal(window.project_files.table_dialog_shown, timeout=5000) as shown:
        assert window.project_files.dropped(mime)
    dialog = shown.args[0]
    assert not window.jobs.busy  # nothing runs until the analyst confirms
    with qtbot.waitSignal(window.import_finished, timeout=20_000):
        dialog.accept()
    assert articles_by_title(project)["Dropped row"].text == "The text of a dropped row."


def test_a_long_file_says_at_least_and_an_empty_text_column_warns(qtbot,
                                                                   tmp_path: Path) -> None:
    from PySide6.QtCore import QSettings

    from stancemark.articles import preview_file

    path = tmp_path / "long.csv"
    path.write_text("Headline,story,notes\n"
                    + "".join(f"Title {i},Text {i}.,\n" for i in range(3000)), "utf-8")
    preview = preview_file(path, count_chars=5000)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = TableImportDialog([path], preview, settings=settings)
    qtbot.addWidget(dialog)
    intro = dialog.findChild(type(dialog.status_label), "tableImportIntro").text()
    assert f"at least {preview.total:,} rows" in intro and preview.total < 3000
    dialog.set_column("text", "notes")
    assert dialog.import_button.isEnabled()  # allowed (later rows may have text), but:
    assert dialog.status_label.text() == ("None of the first 20 rows has text in “notes”; "
                                          "is it the article text?")
