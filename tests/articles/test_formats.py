"""DOCX, ODT, RTF, PDF, Nexis and Factiva batches, CSV and JSON Lines: what each gives."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from stancemark.articles import ColumnMap, read_data, read_items
from stancemark.articles.formats import sniff
from tests.articles.batches import factiva_html, factiva_paragraphs, nexis_paragraphs, story
from tests.articles.builders import (
    make_docx,
    make_odt,
    make_pdf,
    make_rtf,
    pdf_page_lines,
)

BODY = ["The ferry to Holm Island will stop running in January, the operator said.",
        "Islanders say the winter crossing is their only way to reach the hospital."]


def only(items):
    assert len(items) == 1, items
    assert items[0].draft is not None, items[0].message
    return items[0].draft


def check_clean(text: str) -> None:
    assert "\r" not in text and "\ufeff" not in text
    assert all(ch in "\n\t" or ord(ch) >= 32 for ch in text)


# -- single documents ----------------------------------------------------------------

def test_docx_title_style_paragraphs_and_no_header() -> None:
    data = make_docx([("Title", "Ferry to Holm Island to stop"), *BODY,
                      "A line\nbroken by Shift+Enter"], author="R. Holm",
                     header="THE ISLAND NEWS  Page 1",
                     raw_body='<w:p><w:r><w:delText>deleted words</w:delText></w:r></w:p>')
    draft = only(read_data(data, name="x.docx"))
    assert draft.title == "Ferry to Holm Island to stop"
    assert draft.author == "R. Holm"
    assert draft.fmt == "docx"
    assert draft.text.split("\n\n")[:2] == BODY
    assert "ISLAND NEWS" not in draft.text and "deleted" not in draft.text
    assert "A line\n\nbroken by Shift+Enter" in draft.text
    check_clean(draft.text)


def test_docx_properties_title_not_repeated_in_text() -> None:
    draft = only(read_data(make_docx(["Holm ferry", *BODY], title="Holm ferry"), name="a"))
    assert draft.title == "Holm ferry"
    assert draft.text.startswith(BODY[0])


def test_docx_text_box_and_table_cells_become_paragraphs() -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    box = (f'<w:p {w}><w:r><w:t>Outer </w:t></w:r><w:r><w:txbxContent><w:p><w:r>'
           '<w:t>Boxed quote</w:t></w:r></w:p></w:txbxContent></w:r><w:r><w:t>words</w:t>'
           "</w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell one</w:t></w:r></w:p></w:tc>"
           "<w:tc><w:p><w:r><w:t>Cell two</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    draft = only(read_data(make_docx(BODY, raw_body=box), name="a.docx"))
    paragraphs = draft.text.split("\n\n")
    assert paragraphs[2:] == ["Boxed quote", "Outer words", "Cell one", "Cell two"]


def test_odt_heading_meta_and_no_footer() -> None:
    data = make_odt([("h", "Ferry to Holm Island to stop"), *BODY], author="R. Holm",
                    footer="Page 1")
    draft = only(read_data(data, name="story.odt"))
    assert draft.title == "Ferry to Holm Island to stop"
    assert draft.author == "R. Holm"
    assert draft.text.split("\n\n") == BODY
    assert draft.meta["created"] == "2024-03-02T09:15:00"


def test_rtf_unicode_escapes_info_title_and_no_header() -> None:
    paragraphs = ["Čapek’s ferry — “Holm” {island} 😀 naïve", *BODY]
    draft = only(read_data(make_rtf(paragraphs, title="Holm ferry", header="RUNNING HEAD"),
                           name="x.rtf"))
    assert draft.title == "Holm ferry"
    assert draft.text.split("\n\n") == paragraphs
    assert "RUNNING HEAD" not in draft.text and "Arial" not in draft.text
    draft.text.encode("utf-8")  # surrogate pairs were joined


_WORDS = ["harbour", "timetable", "ticket", "winter", "doctor", "school", "ferry", "bridge"]


def _page_text(page: int) -> list[str]:
    return [f"Page {page} paragraph {k}: the islanders met the operator about the "
            f"{_WORDS[(page + k) % 8]} and asked for an answer on the {_WORDS[(page * k) % 8]} "
            f"by {_WORDS[(page + 2 * k) % 8]} time." for k in range(6)]


def test_pdf_two_columns_read_column_by_column_without_furniture() -> None:
    pages = [pdf_page_lines(_page_text(n), columns=2, header="THE ISLAND NEWS",
                            footer=f"Page {n} of 3") for n in (1, 2, 3)]
    draft = only(read_data(make_pdf(pages, title="Holm ferry", author="R. Holm"),
                           name="x.pdf"))
    assert draft.title == "Holm ferry" and draft.author == "R. Holm"
    expected = [p for n in (1, 2, 3) for p in _page_text(n)]
    assert draft.text.split("\n\n") == expected
    assert "ISLAND NEWS" not in draft.text and "of 3" not in draft.text
    assert draft.meta["pages"] == 3


def test_pdf_hyphenated_line_ends_are_joined() -> None:
    lines = [(50, 700, "The operator will keep the sum-"), (50, 688, "mer timetable and add"),
             (50, 676, "a well-known evening crossing for Anglo-"),
             (50, 664, "French visitors and the isl\u00ad"), (50, 652, "anders."),
             (50, 616, "Second paragraph.")]
    draft = only(read_data(make_pdf([lines]), name="h.pdf"))
    assert draft.text == ("The operator will keep the summer timetable and add a well-known "
                          "evening crossing for Anglo-French visitors and the islanders."
                          "\n\nSecond paragraph.")


def test_scanned_pdf_is_a_clear_outcome_not_an_empty_article(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    path.write_bytes(make_pdf([[], []], image_only=True))
    (item,) = list(read_items(path))
    assert item.draft is None and item.status == "empty"
    assert "no text layer; OCR it first" in item.message


# -- database batches ------------------------------------------------------------------

def test_nexis_docx_bundle_splits_into_items_with_metadata() -> None:
    data = make_docx(nexis_paragraphs(5))
    items = read_data(data, name="Files (5).docx")
    assert [i.item for i in items] == [1, 2, 3, 4, 5]
    first = items[0].draft
    assert first is not None
    title, body = story(1)
    assert first.title == title
    assert first.source == "The Coastal Courier"
    assert first.published == datetime(2024, 3, 2)
    assert first.author == "Jo Fenwick 1"
    assert first.language == "en"
    assert first.meta["section"] == "LOCAL NEWS; Pg. 4"
    assert first.meta["length"] == 121
    assert first.meta["copyright"].startswith("Copyright 2024")
    assert first.meta["edition"] == "Late Edition"
    assert first.meta["item"] == 1
    assert first.text.split("\n\n") == body
    for word in ("Load-Date", "Copyright", "Byline", "Classification", "End of Document",
                 "Job Number"):
        assert word not in first.text


def test_nexis_bad_item_is_reported_and_others_go_on() -> None:
    items = read_data(make_docx(nexis_paragraphs(4, broken={2})), name="n.docx")
    assert [i.status or "ok" for i in items] == ["ok", "unreadable", "ok", "ok"]
    assert "item 2 of 4" in items[1].message
    assert items[2].draft is not None and items[2].draft.title == story(3)[0]


def test_nexis_layout_is_found_from_content_in_pdf_and_rtf() -> None:
    paragraphs = [p if isinstance(p, str) else p[1] for p in nexis_paragraphs(3, cover=False)]
    pages = [pdf_page_lines(paragraphs[k:k + 22], columns=1) for k in range(0, 66, 22)]
    pdf_items = read_data(make_pdf(pages), name="download")
    rtf_items = read_data(make_rtf(paragraphs), name="download")
    for items in (pdf_items, rtf_items):
        assert [i.draft.title for i in items if i.draft] == [story(k)[0] for k in (1, 2, 3)]
        assert items[0].draft.text.split("\n\n") == story(1)[1]


def test_factiva_rtf_batch() -> None:
    items = read_data(make_rtf(factiva_paragraphs(4, broken={3})), name="Factiva.rtf")
    assert [i.item for i in items] == [1, 2, 3, 4]
    assert items[2].draft is None and "item 3 of 4" in items[2].message
    draft = items[0].draft
    assert draft is not None
    assert draft.title == story(1)[0]
    assert draft.author == "Sam Okafor 1"
    assert draft.source == "Northern Ledger"
    assert draft.published == datetime(2024, 2, 2)
    assert draft.language == "en"
    assert draft.meta["length"] == 141
    assert draft.meta["accession"] == "NLEDG00020240201ek20001"
    assert draft.meta["copyright"] == "(c) 2024 Northern Ledger Group"
    assert draft.meta["section"] == "Regional"
    assert draft.text.split("\n\n") == story(1)[1]


def test_factiva_html_batch() -> None:
    items = read_data(factiva_html(3).encode(), name="Factiva-export.htm")
    assert [i.draft.title for i in items if i.draft] == [story(k)[0] for k in (1, 2, 3)]
    draft = items[1].draft
    assert draft is not None and draft.source == "Northern Ledger"
    assert draft.text.split("\n\n") == story(2)[1]
    assert draft.meta["length"] == 142


# -- spreadsheets ------------------------------------------------------------------------

def test_csv_default_columns_and_meta(tmp_path: Path) -> None:
    path = tmp_path / "scraped.csv"
    path.write_text("stories_id,Headline,Body,publish_date,URL,media_name\n"
                    '7,Holm ferry,"First para.\n\nSecond para.",2024-01-05 10:00:00,'
                    "https://example.org/a,Island News\n8,Empty row,,2024-01-06,,\n",
                    encoding="utf-8")
    items = list(read_items(path))
    draft = items[0].draft
    assert draft is not None
    assert (draft.title, draft.url, draft.source) == ("Holm ferry", "https://example.org/a",
                                                      "Island News")
    assert draft.published == datetime(2024, 1, 5, 10, 0)
    assert draft.text == "First para.\n\nSecond para."
    assert draft.meta["stories_id"] == "7"
    assert items[1].status == "empty" and items[1].item == 2


def test_map_names_columns_explicitly(tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    path.write_text("a\tb\tc\nHolm ferry\tThe text.\t05.01.2024\n", encoding="utf-8")
    columns = ColumnMap.parse("title=a, text=b, date=c")
    draft = only(list(read_items(path, columns=columns)))
    assert (draft.title, draft.text, draft.published) == ("Holm ferry", "The text.",
                                                          datetime(2024, 1, 5))
    (item,) = list(read_items(path, columns=ColumnMap.parse("text=body")))
    assert item.status == "unreadable" and "no column 'body'" in item.message


def test_jsonl_rows_and_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "mc.jsonl"
    path.write_text('{"title": "A", "text": "Alpha text.", "publish_date": 1704067200}\n'
                    "{broken\n"
                    '{"title": "C", "text": "Gamma text.", "authors": ["X", "Y"]}\n',
                    encoding="utf-8")
    items = list(read_items(path))
    assert [i.status or "ok" for i in items] == ["ok", "unreadable", "ok"]
    assert items[0].draft.published == datetime(2024, 1, 1)
    assert items[2].draft.author == "X, Y"


def test_formats_are_sniffed_from_content_not_names() -> None:
    assert sniff("notes.txt", make_pdf([[(50, 700, "x")]])[:8192]) == "pdf"
    assert sniff("a.pdf", make_docx(["x"])[:8192]) == "zip"
    assert sniff("a.doc", make_rtf(["x"])) == "rtf"


@pytest.mark.parametrize("spec", ["text", "body=text", "text="])
def test_bad_map_is_refused(spec: str) -> None:
    from stancemark.articles import MapError

    with pytest.raises(MapError):
        ColumnMap.parse(spec)


def test_factiva_html_display_layout() -> None:
    title, body = story(7)
    paragraphs = "".join(f'<p class="articleParagraph enarticleParagraph">{p}</p>' for p in body)
    page = ('<html><body><div class="article enArticle"><div id="hd">'
            f'<span class="enHeadline">{title}</span></div><div class="author">By Ana Ruiz</div>'
            "<div>512 words</div><div>9 February 2024</div><div>Northern Ledger</div>"
            "<div>NLEDG</div><div>English</div><div>(c) 2024 Northern Ledger Group</div>"
            f"{paragraphs}<p>Document NLEDG00020240209ek290000x</p></div></body></html>")
    draft = only(read_data(page.encode(), name="page.html"))
    assert (draft.title, draft.author, draft.source) == (title, "Ana Ruiz", "Northern Ledger")
    assert draft.published == datetime(2024, 2, 9)
    assert draft.language == "en"
    assert draft.meta["length"] == 512 and draft.meta["source_code"] == "NLEDG"
    assert draft.text.split("\n\n") == body


def test_cli_import_with_map(tmp_path: Path, capsys) -> None:
    from stancemark.cli import main

    rows = tmp_path / "rows.csv"
    rows.write_text("hl,copy\nHolm ferry,The text of the row.\n", encoding="utf-8")
    project = tmp_path / "p.stancemark"
    assert main(["import", str(project), str(rows), "--map", "title=hl,text=copy"]) == 0
    assert main(["import", str(project), str(rows), "--map", "colour=hl"]) == 2
    assert "--map: 'colour' is not a field" in capsys.readouterr().err
    assert main(["articles", str(project), "--json"]) == 0
    assert '"title": "Holm ferry"' in capsys.readouterr().out


def test_older_lexisnexis_text_download(tmp_path: Path) -> None:
    from tests.articles.batches import lexis_text

    for german in (False, True):
        path = tmp_path / f"download-{german}.txt"
        path.write_text(lexis_text(3, german=german), encoding="utf-8")
        items = list(read_items(path))
        assert [i.item for i in items] == [1, 2, 3], items
        draft = items[1].draft
        assert draft is not None
        title, body = story(2)
        assert (draft.title, draft.source, draft.author) == (title, "The Coastal Courier",
                                                             "Jo Fenwick")
        assert draft.published == datetime(2011, 3, 3)
        assert draft.meta["length"] == 202 and draft.meta["section"] == "NEWS; Pg. 7"
        assert draft.text.split("\n\n") == body
        assert draft.fmt == "text"


def test_end_of_document_at_the_end_of_a_line() -> None:
    paragraphs = [p if isinstance(p, str) else p[1] for p in nexis_paragraphs(2, cover=False)]
    joined: list[str] = []
    for p in paragraphs:
        if p == "End of Document" and joined:
            joined[-1] += " End of Document"
        else:
            joined.append(p)
    items = read_data(make_docx(joined), name="x.docx")
    assert [i.draft.title for i in items if i.draft] == [story(1)[0], story(2)[0]]


def test_plain_text_article_that_mentions_documents_stays_one_article() -> None:
    text = ("Harbour report\n\nThe clerk said 3 of 40 documents were missing.\n\n"
            "Length: the meeting ran for two hours.\n")
    items = read_data(text.encode(), name="a.txt")
    assert len(items) == 1 and items[0].draft is not None
    assert "documents were missing" in items[0].draft.text


def test_docx_text_box_written_twice_is_read_once() -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    box = "<w:txbxContent><w:p><w:r><w:t>Pull quote</w:t></w:r></w:p></w:txbxContent>"
    xml = (f"<w:p {w} {mc}><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">{box}"
           f"</mc:Choice><mc:Fallback>{box}</mc:Fallback></mc:AlternateContent></w:r>"
           "<w:r><w:t>Anchor paragraph.</w:t></w:r></w:p>")
    draft = only(read_data(make_docx(BODY, raw_body=xml), name="a.docx"))
    assert draft.text.split("\n\n")[2:] == ["Pull quote", "Anchor paragraph."]


def test_docx_runs_with_properties_read_like_plain_runs() -> None:
    paragraphs = [("Title", "Harbour levy vote"), *BODY]
    plain = only(read_data(make_docx(paragraphs), name="a.docx"))
    styled = only(read_data(make_docx(paragraphs, words_per_run=2), name="a.docx"))
    assert (styled.title, styled.text) == (plain.title, plain.text)


def test_factiva_text_paragraphs_that_begin_like_codes_stay_text() -> None:
    paragraphs = factiva_paragraphs(1)
    at = paragraphs.index("TD") + 1
    tricky = ["IN", "the harbour office, staff counted the boats.", "CO",
              "BY the evening the count was done."]
    paragraphs[at:at] = tricky
    draft = only(read_data(make_rtf(paragraphs), name="f.rtf"))
    assert draft.text.split("\n\n")[1:5] == tricky
    assert draft.meta["companies"] == "hrbau : Harbour Authority"


def test_factiva_with_code_and_value_on_one_line() -> None:
    lines = factiva_paragraphs(3)
    joined: list[str] = []
    pending = None
    for p in lines:
        if pending is not None:
            joined.append(f"{pending}\t{p}")
            pending = None
        elif p in ("HD", "BY", "WC", "PD", "SN", "SC", "SE", "LA", "CY", "CO", "NS", "RE", "AN"):
            pending = p
        else:
            joined.append(p)
    items = read_data(make_rtf(joined), name="inline.rtf")
    assert [i.draft.title for i in items if i.draft] == [story(k)[0] for k in (1, 2, 3)]
    assert items[0].draft.meta["accession"] == "NLEDG00020240201ek20001"
    assert items[0].draft.text.split("\n\n") == story(1)[1]


def test_folder_walk_takes_documents_but_not_word_lock_files(tmp_path: Path) -> None:
    from stancemark.articles import iter_input_files

    for name in ("a.docx", "~$a.docx", "b.pdf", "c.odt", "d.rtf", "rows.csv", "notes.json"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in iter_input_files([tmp_path])] == ["a.docx", "b.pdf", "c.odt",
                                                               "d.rtf"]


def test_preview_of_a_table_for_the_import_window(tmp_path: Path) -> None:
    from stancemark.articles import preview_file

    path = tmp_path / "scraped.csv"
    path.write_text("id;Headline;story\n" + "".join(f"{i};T{i};Text {i}\n" for i in range(30)),
                    encoding="utf-8")
    preview = preview_file(path, rows=5)
    assert preview.columns == ["id", "Headline", "story"]
    assert preview.mapping == {"title": "Headline", "text": "story"}
    assert len(preview.rows) == 5 and preview.rows[0]["story"] == "Text 0"
    assert preview.problem is None
    bad = preview_file(path, columns=ColumnMap.parse("text=body"))
    assert bad.problem is not None and "no column 'body'" in bad.problem
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"title": "A", "maintext": "x"}\n{"url": "u", "title": "B"}\n', "utf-8")
    p2 = preview_file(jsonl)
    assert p2.columns == ["title", "maintext", "url"] and p2.mapping["text"] == "maintext"


def _through_ghostscript(data: bytes, tmp_path: Path) -> bytes:
    """``data`` rewritten by Ghostscript's pdfwrite: compressed streams, embedded subset
    fonts with their own encodings, text shown in kerned arrays, as producers write it."""
    import shutil
    import subprocess

    gs = shutil.which("gs")
    if gs is None:
        pytest.skip("Ghostscript is not installed")
    src, out = tmp_path / "in.pdf", tmp_path / "out.pdf"
    src.write_bytes(data)
    subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                    "-dEmbedAllFonts=true", "-dSubsetFonts=true", f"-sOutputFile={out}",
                    str(src)], check=True, timeout=120)
    return out.read_bytes()


def test_pdf_as_a_real_producer_writes_it(tmp_path: Path) -> None:
    pages = [pdf_page_lines(_page_text(n), columns=2, header="THE ISLAND NEWS",
                            footer=f"Page {n} of 3") for n in (1, 2, 3)]
    data = _through_ghostscript(make_pdf(pages), tmp_path)
    draft = only(read_data(data, name="gs.pdf"))
    assert draft.text.split("\n\n") == [p for n in (1, 2, 3) for p in _page_text(n)]


def test_nexis_pdf_bundle_as_a_real_producer_writes_it(tmp_path: Path) -> None:
    paragraphs = [p if isinstance(p, str) else p[1] for p in nexis_paragraphs(4)]
    pages = [pdf_page_lines(paragraphs[k:k + 20], columns=1, footer=f"Page {k // 20 + 1}")
             for k in range(0, len(paragraphs), 20)]
    data = _through_ghostscript(make_pdf(pages), tmp_path)
    items = read_data(data, name="nexis.pdf")
    assert [i.draft.title for i in items if i.draft] == [story(k)[0] for k in (1, 2, 3, 4)]
    for k, item in enumerate(items, start=1):
        assert item.draft is not None and item.draft.text.split("\n\n") == story(k)[1]
        assert item.draft.source == "The Coastal Courier"


@pytest.mark.parametrize("title, author", [("Microsoft Word - levy draft 3.docx", "Windows User"),
                                           ("Untitled", "Microsoft Office User"),
                                           ("report.pdf", "admin")])
def test_placeholder_properties_are_not_title_or_author(title: str, author: str) -> None:
    draft = only(read_data(make_docx(BODY, title=title, author=author), name="x.docx"))
    assert draft.title is None and draft.author is None


def test_dates_keep_their_time_and_zone() -> None:
    paragraphs = nexis_paragraphs(1, cover=False)
    at = paragraphs.index("March 2, 2024 Friday")
    paragraphs[at] = "March 2, 2024 Friday 8:05 PM EST"
    draft = only(read_data(make_docx(paragraphs), name="n.docx"))
    assert draft.published == datetime(2024, 3, 2, 20, 5)
    assert draft.meta["timezone"] == "EST"
    lines = factiva_paragraphs(1)
    lines[lines.index("SN"):lines.index("SN")] = ["ET", "07:41"]
    draft = only(read_data(make_rtf(lines), name="f.rtf"))
    assert draft.published == datetime(2024, 2, 2, 7, 41)


def test_an_unexpected_error_in_one_item_spares_the_others(monkeypatch) -> None:
    from stancemark.articles import bundles

    real = bundles._nexis_item

    def flaky(lines, fmt, old_layout=False):
        if any(story(2)[0] in line for line in lines):
            raise AttributeError("a bug")
        return real(lines, fmt, old_layout)

    monkeypatch.setattr(bundles, "_nexis_item", flaky)
    items = read_data(make_docx(nexis_paragraphs(3, cover=False)), name="n.docx")
    assert [i.status or "ok" for i in items] == ["ok", "unreadable", "ok"]
    assert "unexpected AttributeError" in items[1].message


def test_odt_notes_deletions_spaces_and_tables() -> None:
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    raw = ('<text:p>Quoted<text:s text:c="3"/>words<text:note><text:note-body><text:p>A '
           "footnote.</text:p></text:note-body></text:note> end.</text:p>"
           "<text:tracked-changes><text:changed-region><text:deletion><text:p>Gone."
           "</text:p></text:deletion></text:changed-region></text:tracked-changes>"
           f'<table:table xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           f'xmlns:o="{office}"><table:table-row><table:table-cell><text:p>Cell A</text:p>'
           "</table:table-cell><table:table-cell><text:p>Cell B</text:p></table:table-cell>"
           "</table:table-row></table:table>")
    draft = only(read_data(make_odt(BODY, raw_body=raw), name="x.odt"))
    assert draft.text.split("\n\n")[2:] == ["Quoted words end.", "Cell A", "Cell B"]
