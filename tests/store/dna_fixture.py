"""A small DNA 3 file written with plain SQL, as DNA itself would fill it.

Documents carry CRLF line ends and an emoji (two UTF-16 units), so offsets
must be converted; statements use DNA's default statement type (ids 1–4) and
one of the NPF type; entities carry Type/Alias/Notes attributes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from stancemark.store.dna import DnaFile, write_dna

DOC1 = ("Minister Ana Horvat 🙂 said the border must stay open.\r\n"
        "Union leader Ivo Kos rejected it.\r\nThe Green Party backs open borders.")
DOC2 = "Ivo Kos wants higher wages.\r\nAna Horvat said wages must not rise."
DATE1, DATE2 = 1_704_067_200, 1_704_153_600  # 2024-01-01 and 2024-01-02, 00:00 UTC


def u16(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    """UTF-16 (start, stop) of the ``nth`` occurrence of ``piece`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    before = len(text[:start].encode("utf-16-le")) // 2
    return before, before + len(piece.encode("utf-16-le")) // 2


# (doc, piece, person, organization, concept, agreement)
STATEMENTS = [
    (1, "the border must stay open", "Ana Horvat", "Government", "open borders", 1),
    (1, "Union leader Ivo Kos rejected it", "Ivo Kos", "Union", "open borders", 0),
    (1, "The Green Party backs open borders", "", "Green Party", "open borders", 1),
    (2, "Ivo Kos wants higher wages", "Ivo Kos", "Union", "wages", 1),
    (2, "wages must not rise", "Ana Horvat", "Government", "wages", 0),
]


def make_dna(path: Path) -> Path:
    write_dna(path, DnaFile())
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO CODERS (ID, Name, Password) VALUES (2, 'Mira', 'x')")
        conn.executemany(
            "INSERT INTO DOCUMENTS (ID, Title, Text, Coder, Author, Source, Section, Notes, Type,"
            " Date) VALUES (?, ?, ?, 2, ?, ?, ?, '', '', ?)",
            [(1, "Border row", DOC1, "R. Writer", "Daily", "Politics", DATE1),
             (2, "Wage talks", DOC2, "", "Weekly", "", DATE2)])
        entities: dict[tuple[int, str], int] = {}

        def entity(var: int, value: str) -> int:
            if (var, value) not in entities:
                cur = conn.execute("INSERT INTO ENTITIES (VariableId, Value) VALUES (?, ?)",
                                   (var, value))
                entities[(var, value)] = int(cur.lastrowid or 0)
            return entities[(var, value)]

        for var, value in ((1, ""), (2, ""), (3, "")):
            entity(var, value)
        parent = entity(3, "migration")
        for doc, piece, person, org, concept, agree in STATEMENTS:
            text = DOC1 if doc == 1 else DOC2
            start, stop = u16(text, piece)
            sid = int(conn.execute(
                "INSERT INTO STATEMENTS (StatementTypeId, DocumentId, Start, Stop, Coder) "
                "VALUES (1, ?, ?, ?, 2)", (doc, start, stop)).lastrowid or 0)
            for var, value in ((1, person), (2, org), (3, concept)):
                conn.execute("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) "
                             "VALUES (?, ?, ?)", (sid, var, entity(var, value)))
            conn.execute("INSERT INTO DATABOOLEAN (StatementId, VariableId, Value) "
                         "VALUES (?, 4, ?)", (sid, agree))
        conn.execute("UPDATE ENTITIES SET ChildOf = ? WHERE VariableId = 3 AND Value = ?",
                     (parent, "open borders"))
        attrs = dict(conn.execute("SELECT AttributeVariable || VariableId, ID "
                                  "FROM ATTRIBUTEVARIABLES"))
        conn.executemany(
            "INSERT INTO ATTRIBUTEVALUES (EntityId, AttributeVariableId, AttributeValue) "
            "VALUES (?, ?, ?)",
            [(entities[(1, "Ana Horvat")], attrs["Alias1"], "A. Horvat"),
             (entities[(1, "Ana Horvat")], attrs["Notes1"], "Minister since 2022"),
             (entities[(2, "Union")], attrs["Type2"], "Trade union"),
             (entities[(2, "Government")], attrs["Type2"], "Government")])
        # one NPF story element: kept as a note
        start, stop = u16(DOC2, "Ivo Kos")
        sid = int(conn.execute(
            "INSERT INTO STATEMENTS (StatementTypeId, DocumentId, Start, Stop, Coder) "
            "VALUES (2, 2, ?, ?, 2)", (start, stop)).lastrowid or 0)
        conn.execute("INSERT INTO DATASHORTTEXT (StatementId, VariableId, Entity) "
                     "VALUES (?, 9, ?)", (sid, entity(9, "workers")))
    conn.close()
    return path
