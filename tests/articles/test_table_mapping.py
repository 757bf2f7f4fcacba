"""The column mapping of CSV / JSON Lines files, as the import window previews and uses it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from stancemark.articles import ColumnMap, preview_file, read_items
from stancemark.articles.tabular import mapping_problem, preview_rows

# a scraper's export: nothing is called "date", and one row has a date in words
UNUSUAL = (
    "story_id;Headline;pub;Outlet;byline;story;link\n"
    "101;Harbour ferry fares rise again;2024-03-05 08:30;Coastal Courier;Mira Lund;"
    '"The island ferry company raised its fares.\n\nCommuters objected.";https://example.org/f\n'
    "\n"
    "102;Council delays library vote;05.03.2024;Town Gazette;;"
    "The council postponed its vote on the library.;https://example.org/l\n"
    "103;Storm warning;next tuesday;Coastal Courier;Jon Ek;Gales are due on Thursday.;\n"
    "104;An empty story;2024-03-07;Town Gazette;Ana Ruiz;;https://example.org/e\n"
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_preview_rows_follow_the_chosen_columns(tmp_path: Path) -> None:
    preview = preview_file(write(tmp_path, "scraped.csv", UNUSUAL))
    assert preview.mapping == {"title": "Headline", "text": "story", "url": "link",
                               "source": "Outlet", "author": "byline"}
    assert (preview.total, preview.total_exact) == (4, True)
    guessed = preview_rows(preview, preview.mapping)
    assert [r.number for r in guessed] == [1, 2, 3, 4]  # the blank line is not a row
    assert [r.published for r in guessed] == [None] * 4
    assert guessed[0].text == "The island ferry company raised its fares. Commuters objected."
    assert guessed[3].problem == "no text" and guessed[0].problem is None

    rows = preview_rows(preview, {**preview.mapping, "date": "pub", "author": None})
    assert [r.published for r in rows] == [datetime(2024, 3, 5, 8, 30), datetime(2024, 3, 5),
                                           None, datetime(2024, 3, 7)]
    assert rows[2].warning is not None and "not understood: 'next tuesday'" in rows[2].warning
    assert [r.author for r in rows] == [None] * 4  # "(none)" is not guessed back
    assert [r.title for r in rows][:2] == ["Harbour ferry fares rise again",
                                           "Council delays library vote"]


def test_the_import_gives_what_the_preview_showed(tmp_path: Path) -> None:
    path = write(tmp_path, "scraped.csv", UNUSUAL)
    choice = {"title": "Headline", "text": "story", "date": "pub", "url": None,
              "source": "Outlet", "author": "byline"}
    shown = preview_rows(preview_file(path), choice)
    items = list(read_items(path, columns=ColumnMap.from_choice(choice)))
    assert [i.item for i in items] == [r.number for r in shown]
    for item, row in zip(items, shown, strict=True):
        if row.problem:
            assert item.draft is None and item.status == "empty"
            continue
        assert item.draft is not None
        assert (item.draft.title, item.draft.published, item.draft.source, item.draft.author) \
            == (row.title, row.published, row.source, row.author)
        assert item.draft.url is None  # "(none)": the link column is kept in meta instead
    first = items[0].draft
    assert first is not None and first.meta["link"] == "https://example.org/f"


def test_mapping_problems_say_what_to_do() -> None:
    columns = ["Headline", "story"]
    assert mapping_problem({"title": "Headline", "text": "story"}, columns) is None
    no_text = mapping_problem({"title": "Headline", "text": None}, columns)
    assert no_text is not None and no_text.startswith("Choose the column that holds the "
                                                      "article text")
    gone = mapping_problem({"text": "body"}, columns)
    assert gone is not None and "no column 'body'" in gone


def test_rows_are_counted_within_a_budget(tmp_path: Path) -> None:
    rows = "".join(f"T{i},Text of row {i}.\n" for i in range(2000))
    path = write(tmp_path, "many.csv", "title,text\n" + rows)
    whole = preview_file(path)
    assert (whole.total, whole.total_exact, len(whole.rows)) == (2000, True, 20)
    part = preview_file(path, count_chars=4000)
    assert not part.total_exact and 20 < part.total < 2000


def test_jsonl_preview_keeps_types_and_marks_broken_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl",
                 '{"headline": "Dam opens", "content": "The dam opened today.", '
                 '"ts": 1709632800, "writers": ["A. Berg", "C. Dahl"]}\n'
                 "{not json\n"
                 '{"headline": "No body here", "ts": "soon"}\n')
    preview = preview_file(path)
    assert preview.columns == ["headline", "content", "ts", "writers"]
    assert preview.failed.keys() == {2}
    choice = {"title": "headline", "text": "content", "date": "ts", "author": "writers"}
    first, broken, empty = preview_rows(preview, choice)
    assert first.published == datetime(2024, 3, 5, 10, 0) and first.author == "A. Berg, C. Dahl"
    assert broken.problem is not None and "not JSON" in broken.problem
    assert empty.problem == "no text" and empty.warning is not None


def test_jsonl_named_field_missing_from_a_line_does_not_stop_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl",
                 '{"headline": "One", "body": "The first line has another name."}\n'
                 '{"headline": "Two", "content": "Second text.", "writer": "B. Lund"}\n'
                 '{"headline": "Three"}\n'
                 '{"headline": "Four", "content": "Fourth text."}\n')
    items = list(read_items(path, columns=ColumnMap.from_choice(
        {"title": "headline", "text": "content", "author": "writer"})))
    assert [(i.item, i.status or "ok") for i in items] == [(1, "empty"), (2, "ok"),
                                                            (3, "empty"), (4, "ok")]
    assert items[1].draft is not None and items[1].draft.author == "B. Lund"
    assert "'content'" in items[2].message


def test_a_skipped_field_is_not_guessed(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "title,text,author\nT,Some text.,Someone\n")
    (item,) = read_items(path, columns=ColumnMap.from_choice({"text": "text", "author": None}))
    assert item.draft is not None and item.draft.author is None
    assert item.draft.meta["author"] == "Someone"


def test_seconds_since_1970_written_as_digits_are_dates(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", "text,date\nSome text.,1709632800\nMore text.,"
                 "1709632800000\n")
    assert [i.draft.published for i in read_items(path) if i.draft] == \
        [datetime(2024, 3, 5, 10, 0)] * 2


def test_a_misspelt_jsonl_text_field_is_one_error_for_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "feed.jsonl", "".join(
        f'{{"headline": "T{i}", "content": "Text {i}."}}\n' for i in range(50)))
    (item,) = read_items(path, columns=ColumnMap.parse("text=contnet"))
    assert item.status == "unreadable" and "field 'contnet' for the text" in item.message
