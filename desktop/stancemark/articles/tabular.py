"""Spreadsheets of articles: CSV (or TSV) and JSON Lines, as scrapers and Media Cloud-like
services export them. One row or line is one article.

Columns are matched to article fields by name (:data:`DEFAULT_COLUMNS`, case and
punctuation ignored); :class:`ColumnMap` says explicitly which column is which
(``stancemark import --map text=body,date=publish_date``). Columns that are not
mapped are kept in the article's ``meta``. Rows are read one at a time, so a large
file costs the memory of one row.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from stancemark.articles.dates import parse_dateline, parse_iso
from stancemark.articles.document import ReadItem, join_paragraphs, tidy
from stancemark.core.models import ArticleDraft

FIELDS = ("title", "text", "date", "url", "source", "author", "language", "subtitle")

#: Column names tried for each field, in order (compared without case, spaces or
#: punctuation, so "Publish Date" matches "publish_date").
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading", "hd", "name"),
    "text": ("text", "body", "content", "fulltext", "articletext", "article", "story",
             "maintext", "bodytext", "td"),
    "date": ("date", "publishdate", "published", "publicationdate", "pubdate", "publishedat",
             "datetime", "timestamp", "pd", "createdat"),
    "url": ("url", "link", "href", "articleurl", "permalink", "guid"),
    "source": ("source", "mediename", "medianame", "outlet", "publication", "publisher",
               "sourcename", "domain", "sn", "site", "newspaper"),
    "author": ("author", "authors", "byline", "by", "writer", "creator"),
    "language": ("language", "lang", "la"),
    "subtitle": ("subtitle", "lede", "lead", "summary", "description", "teaser"),
}
#: Longest CSV field read (the csv module's own default is 128 KB: too small for text).
MAX_FIELD = 16 * 1024 * 1024
#: Longest line read at all (characters); a longer one is skipped in pieces, so a
#: file with no line breaks costs this much memory, not its size.
MAX_LINE = 32 * 1024 * 1024
_NORM = re.compile(r"[\W_]+")
_EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?")


def _norm(name: str) -> str:
    return _NORM.sub("", name).casefold()


class MapError(ValueError):
    """A ``--map`` value that cannot be used; the message says why."""


@dataclass(slots=True)
class ColumnMap:
    """Which column holds which article field; unnamed fields are guessed by name.

    ``skipped`` fields take no column at all, not even a guessed one (the import
    window's "(none)").
    """

    columns: dict[str, str] = field(default_factory=dict)
    skipped: frozenset[str] = frozenset()

    @classmethod
    def from_choice(cls, choice: Mapping[str, str | None]) -> ColumnMap:
        """Field → column, or None for a field that takes no column."""
        return cls({k: c for k, c in choice.items() if c},
                   frozenset(k for k, c in choice.items() if not c))

    @classmethod
    def parse(cls, spec: str | None) -> ColumnMap:
        """Read ``"text=body,date=publish_date"`` (field=column, comma separated)."""
        columns: dict[str, str] = {}
        for part in (spec or "").split(","):
            if not part.strip():
                continue
            key, sep, column = part.partition("=")
            key = key.strip().lower()
            if not sep or not column.strip():
                raise MapError(f"{part.strip()!r} is not FIELD=COLUMN (for example "
                               "text=body).")
            if key not in FIELDS:
                raise MapError(f"{key!r} is not a field; use one of {', '.join(FIELDS)}.")
            columns[key] = column.strip()
        return cls(columns)

    def resolve(self, header: list[str], *, missing_ok: bool = False) -> dict[str, str]:
        """Field → column for ``header``; raises :class:`MapError` for a missing named column.

        With ``missing_ok`` a named column that is not in ``header`` is kept as named
        (a JSON Lines object may leave out a key that other lines have).
        """
        by_norm: dict[str, str] = {}
        for column in header:
            by_norm.setdefault(_norm(column), column)
        chosen: dict[str, str] = {}
        for key, column in self.columns.items():
            if column in header:
                chosen[key] = column
            elif _norm(column) in by_norm:
                chosen[key] = by_norm[_norm(column)]
            elif missing_ok:
                chosen[key] = column
            else:
                raise MapError(f"there is no column {column!r} for {key} (the columns are: "
                               f"{', '.join(header[:30])}).")
        taken = set(chosen.values())
        for key, names in DEFAULT_COLUMNS.items():
            if key in chosen or key in self.skipped:
                continue
            for name in names:
                found = by_norm.get(name)
                if found is not None and found not in taken:
                    chosen[key] = found
                    taken.add(found)
                    break
        return chosen


def _date(value: Any) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 0 < value < 1e11:  # seconds since 1970
            return _from_epoch(float(value))
        if 0 < value < 1e14:  # milliseconds
            return _from_epoch(value / 1000)
        return None
    text = str(value).strip()
    if _EPOCH.fullmatch(text):  # a CSV keeps seconds (or milliseconds) since 1970 as digits
        return _date(float(text))
    parsed = parse_iso(text) or parse_dateline(text)
    return parsed[0] if parsed else None


def _from_epoch(seconds: float) -> datetime | None:
    from datetime import UTC

    try:
        return datetime.fromtimestamp(seconds, UTC).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value if v not in (None, ""))
    if isinstance(value, dict):
        return str(value.get("name") or value.get("value") or "")
    return str(value)


def row_to_draft(row: Mapping[str, Any], chosen: dict[str, str], fmt: str) -> ArticleDraft:
    """One article from one row; unmapped columns go to ``meta``."""
    def get(key: str) -> str | None:
        column = chosen.get(key)
        value = tidy(_as_text(row.get(column))) if column else ""
        return value or None

    raw_text = _as_text(row.get(chosen["text"])) if "text" in chosen else ""
    paragraphs = [tidy(p) for p in re.split(r"\n\s*\n|\r\n\s*\r\n", raw_text)]
    if len(paragraphs) == 1:  # scrapers often keep one paragraph per line
        paragraphs = [tidy(p) for p in raw_text.splitlines()]
    used = set(chosen.values())
    meta = {}
    for column, value in row.items():
        if column is None or column in used or value in (None, "", [], {}):
            continue
        if isinstance(value, str):
            value = tidy(value)[:2000]
        if isinstance(value, str | int | float | bool | list | dict):
            meta[str(column)[:100]] = value
    date_column = chosen.get("date")
    return ArticleDraft(
        text=join_paragraphs(paragraphs), raw=raw_text, title=get("title"),
        subtitle=get("subtitle"), source=get("source"), url=get("url"), author=get("author"),
        published=_date(row.get(date_column)) if date_column else None,
        language=get("language"), fmt=fmt, meta=meta)


def _item(number: int, row: Mapping[str, Any], chosen: dict[str, str], fmt: str) -> ReadItem:
    try:
        draft = row_to_draft(row, chosen, fmt)
    except (ValueError, TypeError, KeyError) as exc:
        return ReadItem(None, "unreadable", f"row {number} could not be read: {exc}.", number)
    draft.meta["item"] = number
    if not draft.text.strip():
        return ReadItem(None, "empty", f"row {number} has no article text.", number,
                        title=draft.title)
    return ReadItem(draft, item=number, title=draft.title)


#: A row as read: the row (column → value) or the failure that stands for it.
_Record = tuple[int, Mapping[str, Any] | ReadItem]


def _csv_records(stream: io.TextIOBase
                 ) -> tuple[list[str] | None, Iterator[_Record], _Lines]:
    """The header of a CSV/TSV file and its rows, numbered as the import numbers them.

    Rows with nothing in them are passed over (and not counted); a row that cannot be
    read stands as a failure. The header is None for an empty file; a header that
    cannot be read raises :class:`MapError`.
    """
    csv.field_size_limit(MAX_FIELD)
    head = stream.read(64 * 1024)
    try:
        dialect: Any = csv.Sniffer().sniff(head.split("\n", 1)[0][:8192] or "x", ",;\t|")
    except csv.Error:
        dialect = csv.excel
    lines = _Lines(stream, head)
    reader = csv.reader(lines, dialect)
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        return None, iter(()), lines
    except csv.Error as exc:
        raise MapError(f"its first line (the column names) cannot be read ({exc}).") from exc

    def records() -> Iterator[_Record]:
        number = 0
        while True:
            reported = len(lines.too_long)
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                yield number, ReadItem(None, "unreadable",
                                       f"row {number} could not be read: {exc}.", number)
                continue
            if len(lines.too_long) > reported:
                number += 1
                yield number, _too_long(number, "row")
                continue
            if not any(v.strip() for v in values):
                continue
            number += 1
            yield number, dict(zip(header, values, strict=False))

    return header, records(), lines


def read_csv(stream: io.TextIOBase, columns: ColumnMap, *, fmt: str = "csv"
             ) -> Iterator[ReadItem]:
    """Articles of a CSV/TSV file, one :class:`ReadItem` per row; raises MapError up front."""
    header, records, _lines = _csv_records(stream)
    if header is None:
        return
    chosen = columns.resolve(header)
    if "text" not in chosen:
        raise MapError("no column holds the article text (looked for "
                       f"{', '.join(DEFAULT_COLUMNS['text'][:6])}…); name it with "
                       "--map text=COLUMN.")
    for number, row in records:
        yield row if isinstance(row, ReadItem) else _item(number, row, chosen, fmt)


class _Lines:
    """The lines of a text stream, each at most :data:`MAX_LINE` characters.

    A longer line is read past in pieces and given as an empty line; its number
    is added to ``too_long`` so the reader can report the row it belonged to.
    ``chars`` counts the characters given so far (to bound a row count by work).
    """

    def __init__(self, stream: io.TextIOBase, head: str = "", limit: int = MAX_LINE) -> None:
        self._stream = stream
        self._head = io.StringIO(head)
        self._limit = limit
        self.number = 0
        self.chars = 0
        self.too_long: list[int] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._head.readline(self._limit + 1)
        if not line.endswith("\n"):  # the head ends inside this line
            line += self._stream.readline(self._limit + 1 - len(line))
        if not line:
            raise StopIteration
        self.number += 1
        self.chars += len(line)
        if len(line) > self._limit and not line.endswith("\n"):
            while True:  # skip the rest of this line without holding it
                rest = self._stream.readline(1 << 20)
                self.chars += len(rest)
                if not rest or rest.endswith("\n"):
                    break
            self.too_long.append(self.number)
            return "\n"
        return line


def _too_long(number: int, what: str) -> ReadItem:
    return ReadItem(None, "too_large", f"{what} {number} is longer than "
                    f"{MAX_LINE // (1024 * 1024)} MB without a line break and was skipped.",
                    number)


def _jsonl_records(lines: _Lines) -> Iterator[_Record]:
    """The objects of a JSON Lines stream, numbered as the import numbers them (blank
    lines passed over); a line that is not a JSON object stands as a failure."""
    number = 0
    for line_no, line in enumerate(lines, start=1):
        if lines.too_long and lines.too_long[-1] == line_no:
            number += 1
            yield number, _too_long(number, "line")
            continue
        line = line.strip()
        if not line:
            continue
        number += 1
        try:
            row = json.loads(line)
        except ValueError as exc:
            yield number, ReadItem(None, "unreadable", f"line {line_no} is not JSON ({exc}).",
                                   number)
            continue
        if not isinstance(row, dict):
            yield number, ReadItem(None, "unreadable", f"line {line_no} is not a JSON object.",
                                   number)
            continue
        yield number, row


#: Objects read ahead to check that a field named for the text exists (the preview
#: offers the fields of as many, so a field chosen there always passes).
LOOKAHEAD = 20


def read_jsonl(stream: io.TextIOBase, columns: ColumnMap) -> Iterator[ReadItem]:
    """Articles of a JSON Lines file, one object per line; a bad line is reported alone.

    A field named in ``columns`` may be missing from some objects (it is then empty
    there), but a named text field that none of the first :data:`LOOKAHEAD`
    objects has is taken for a misspelt name: :class:`MapError`, once, for the
    file. Fields left to guessing are guessed again when an object lacks them.
    """
    records: Iterator[_Record] = _jsonl_records(_Lines(stream))
    named = columns.columns.get("text")
    if named is not None:
        ahead = list(itertools.islice(records, LOOKAHEAD))
        seen = [row for _n, row in ahead if not isinstance(row, ReadItem)]
        if seen and not any(_norm(named) in {_norm(str(k)) for k in row} for row in seen):
            raise MapError(f"no object has a field {named!r} for the text (the fields are: "
                           f"{', '.join(list(seen[0])[:30])}).")
        records = itertools.chain(ahead, records)
    chosen: dict[str, str] | None = None
    for number, row in records:
        if isinstance(row, ReadItem):
            yield row
            continue
        if chosen is None or any(column not in row for key, column in chosen.items()
                                 if key not in columns.columns):
            chosen = columns.resolve(list(row), missing_ok=True)
            if "text" not in chosen:
                yield ReadItem(None, "empty", f"item {number} has no text field; name it "
                               "with --map text=FIELD.", number)
                chosen = None
                continue
        if chosen["text"] not in row:
            yield ReadItem(None, "empty", f"item {number} has no {chosen['text']!r} field "
                           "(the article text).", number)
            continue
        yield _item(number, row, chosen, "jsonl")


@dataclass(slots=True)
class TablePreview:
    """The first rows of a CSV or JSON Lines file and how its columns would be used.

    Made for the import window's preview (which column is the text, the title…):
    ``mapping`` is field → column as :meth:`ColumnMap.resolve` chose it, ``rows``
    the first rows as read (text values cut to :data:`PREVIEW_CHARS`; JSON values
    keep their type), ``numbers`` their item numbers in the import, ``failed`` the
    item numbers among them that cannot be read at all (with the reason), and
    ``problem`` a sentence when the file cannot be imported as it stands (no text
    column, a ``--map`` column that does not exist). ``total`` counts the file's
    rows, exactly if ``total_exact``, else the rows found within the counting budget.
    """

    fmt: str
    columns: list[str]
    mapping: dict[str, str]
    rows: list[dict[str, Any]]
    problem: str | None = None
    numbers: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    total: int = 0
    total_exact: bool = True


PREVIEW_CHARS = 500
#: Rows are counted for the preview until this many characters have been read.
COUNT_CHARS = 8 * 1024 * 1024


def _cut(value: Any) -> Any:
    return value[:PREVIEW_CHARS] if isinstance(value, str) else value


def preview_table(stream: io.TextIOBase, fmt: str, columns: ColumnMap | None = None,
                  rows: int = 20, count_chars: int = COUNT_CHARS) -> TablePreview:
    """A :class:`TablePreview` of ``stream`` (opened as text, as ``read_items`` opens it).

    After the first ``rows`` rows the rest are counted until ``count_chars``
    characters of the file have been read.
    """
    columns = columns or ColumnMap()
    header: list[str] = []
    preview = TablePreview(fmt, header, {}, [])
    if fmt == "jsonl":
        lines = _Lines(stream)  # the import's line limit, so a row fails here as it would there
        records = _jsonl_records(lines)
    else:
        try:
            found, records, lines = _csv_records(stream)
        except MapError as exc:
            preview.problem = str(exc)
            return preview
        header.extend(found or [])
    number = 0
    for number, row in records:
        if number <= rows:
            preview.numbers.append(number)
            if isinstance(row, ReadItem):
                preview.failed[number] = row.message
                preview.rows.append({})
            else:
                if fmt == "jsonl":
                    header.extend(k for k in row if k not in header)
                preview.rows.append({k: _cut(v) for k, v in row.items() if k is not None})
        elif lines.chars > count_chars:
            preview.total_exact = False
            break
    preview.total = number
    try:
        preview.mapping = columns.resolve(header)
    except MapError as exc:
        preview.problem = str(exc)
    if preview.problem is None and "text" not in preview.mapping:
        preview.problem = "no column holds the article text; choose it."
    return preview


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row of a table as the import would make it into an article.

    ``problem`` says why the row would not be imported (no text, unreadable);
    ``warning`` what is lost although it is imported (a date not understood).
    """

    number: int
    title: str | None = None
    published: datetime | None = None
    source: str | None = None
    author: str | None = None
    url: str | None = None
    text: str = ""
    problem: str | None = None
    warning: str | None = None


#: Characters of an article's text shown in the preview.
PREVIEW_TEXT = 160


def mapping_problem(choice: Mapping[str, str | None], columns: list[str]) -> str | None:
    """Why field → column ``choice`` cannot be used to import a table with ``columns``."""
    for key, column in choice.items():
        if column and column not in columns:
            return f"There is no column {column!r} for {key}; choose one of the list."
    if not choice.get("text"):
        return "Choose the column that holds the article text: without it nothing is imported."
    return None


def preview_rows(preview: TablePreview, choice: Mapping[str, str | None]) -> list[PreviewRow]:
    """The first rows of ``preview`` as articles, with field → column ``choice``.

    Fields the choice leaves out are guessed as the import guesses them (a field set
    to None takes no column).
    """
    try:
        chosen = ColumnMap.from_choice(choice).resolve(preview.columns,
                                                      missing_ok=preview.fmt == "jsonl")
    except MapError:
        chosen = {k: c for k, c in choice.items() if c}
    out = []
    for number, row in zip(preview.numbers, preview.rows, strict=True):
        if number in preview.failed:
            out.append(PreviewRow(number, problem=preview.failed[number]))
            continue
        draft = row_to_draft(row, chosen, preview.fmt)
        text = " ".join(draft.text.split())
        problem = None if text else ("no text" if "text" in chosen
                                     else "no text column chosen")
        warning = None
        raw_date = row.get(chosen["date"]) if "date" in chosen else None
        if draft.published is None and raw_date not in (None, ""):
            warning = f"date not understood: {_as_text(raw_date)[:40]!r} (imported without one)"
        out.append(PreviewRow(number, draft.title, draft.published, draft.source,
                              draft.author, draft.url, text[:PREVIEW_TEXT], problem, warning))
    return out
