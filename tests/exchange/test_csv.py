"""CSV: four tables read back with the csv module; formulas neutralised; BOM for Excel."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from stancemark.exchange.csv_export import neutralise
from stancemark.services.exchange import export_project

DANGER = ("=", "+", "-", "@", "\t", "\r")


def _read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _tables(out: Path) -> dict[str, list[dict[str, str]]]:
    return {name: _read((out / f"{name}.csv").read_bytes())
            for name in ("claims", "mentions", "actors", "sentiment")}


def _unquote(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(DANGER) else value


def test_tables_read_back(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "tables"
    export_project(hostile_project, "csv", out)
    t = _tables(out)
    assert len(t["claims"]) == 7 and len(t["mentions"]) == 10 and len(t["sentiment"]) == 4
    texts = {a.uid: a.text for a in (hostile_project.articles.get(i)
                                     for i in hostile_project.articles.ids())}
    for row in t["claims"] + t["mentions"]:
        text = texts[row["article_uid"]]
        assert text[int(row["start"]):int(row["end"])] == _unquote(row["text"])
        assert row["article_source"] == "Test Wire"
    kurti = next(r for r in t["claims"] if r["claimant"] == "Albin Kurti")
    assert kurti["target"] == "Aleksandar Vučić" and kurti["stance"] == "-1"
    assert kurti["category_path"] == "Security › Policing"
    names = {r["name"] for r in t["actors"]}
    assert "'=Renée Dubois" in names and "Serbia" in names  # Serbia: affiliation of Vučić
    vucic = next(r for r in t["actors"] if r["name"] == "Aleksandar Vučić")
    assert vucic["affiliation"] == "Serbia" and vucic["aliases"] == "Vucic; Вучић"
    assert vucic["mentions"] == "1" and vucic["claims_as_claimant"] == "1"


def test_no_cell_can_run_as_a_formula(hostile_project, tmp_path: Path) -> None:
    out = tmp_path / "tables.zip"
    export_project(hostile_project, "csv", out)
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
        assert names == ["tables/actors.csv", "tables/claims.csv", "tables/mentions.csv",
                         "tables/sentiment.csv"]
        cells = [v for n in names for row in _read(zf.read(n)) for v in row.values()]
    numeric = {"-2", "-1"}
    assert all(not v.startswith(DANGER) for v in cells if v not in numeric)
    assert "'=HYPERLINK(\"http://x\")" in cells and "'+spans a line break" in cells
    assert "'=Renée Dubois" in cells


def test_neutralise() -> None:
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("\tx") == "'\tx" and neutralise("\rx") == "'\rx"
    assert neutralise("@SUM") == "'@SUM" and neutralise("-x") == "'-x"
    assert neutralise("a=b") == "a=b" and neutralise(-1) == -1 and neutralise(None) is None
