"""Reading and writing DNA 3 files: refusals, and DNA's own tables and initial rows."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from stancemark.core.errors import ValidationError
from stancemark.store.dna import password_hash, read_dna
from tests.store.dna_fixture import DOC1, make_dna


def test_reads_documents_statements_entities(tmp_path: Path) -> None:
    dna = read_dna(make_dna(tmp_path / "a.dna"))
    assert [d.title for d in dna.documents] == ["Border row", "Wage talks"]
    assert dna.documents[0].text == DOC1
    assert dna.coders == {1: "Admin", 2: "Mira"}
    assert len(dna.statements) == 6
    assert dna.statement_types[1] == "DNA Statement"
    ana = next(e for e in dna.entities.values() if e.value == "Ana Horvat")
    assert ana.attributes == {"Alias": "A. Horvat", "Notes": "Minister since 2022"}


def test_refuses_a_file_that_is_not_sqlite(tmp_path: Path) -> None:
    bad = tmp_path / "old.dna"
    bad.write_text("<?xml version='1.0'?><dna/>")
    with pytest.raises(ValidationError, match="not a DNA 3 file"):
        read_dna(bad)


def test_refuses_sqlite_that_is_not_dna(tmp_path: Path) -> None:
    other = tmp_path / "other.dna"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.close()
    with pytest.raises(ValidationError, match="no SETTINGS"):
        read_dna(other)


def test_refuses_a_dna2_file(tmp_path: Path) -> None:
    path = make_dna(tmp_path / "v2.dna")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE SETTINGS SET Value = '2.0 beta 25' WHERE Property = 'version'")
    with pytest.raises(ValidationError, match="DNA 2.0 beta 25 file"):
        read_dna(path)


@pytest.mark.parametrize("sql, words", [
    ("UPDATE STATEMENTS SET DocumentId = 99 WHERE ID = 1", "document 99"),
    ("UPDATE STATEMENTS SET Coder = 7 WHERE ID = 1", "coder 7"),
    ("UPDATE STATEMENTS SET Stop = 100000 WHERE ID = 1", "outside its document"),
    ("UPDATE DATASHORTTEXT SET Entity = 999 WHERE ID = 1", "entity 999"),
])
def test_refuses_broken_references(tmp_path: Path, sql: str, words: str) -> None:
    path = make_dna(tmp_path / "broken.dna")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    with conn:
        conn.execute(sql)
    conn.close()
    with pytest.raises(ValidationError, match="broken references") as err:
        read_dna(path)
    assert words in err.value.message


def test_password_hash_is_salted_sha256_digest() -> None:
    import base64
    import hashlib

    value = base64.b64decode(password_hash("pw", salt=b"s" * 16))
    assert value[:16] == b"s" * 16 and len(value) == 48
    d = hashlib.sha256(b"s" * 16 + b"pw").digest()
    for _ in range(99_999):
        d = hashlib.sha256(d).digest()
    assert value[16:] == d
