"""Discourse Network Analyzer (DNA 3) project files: read one, write one.

A DNA 3 project is one SQLite file whose schema is made by ``Sql.createTables()``
in DNA's Java source: documents, coders, statement types with typed variables,
statements (spans in a document, Start/Stop in Java string positions, that is
UTF-16 units) whose values sit in one table per data type, entities (the values
of short-text variables, nestable by ``ChildOf``) with attributes.

:func:`read_dna` returns the file as plain data and refuses, before anything is
used, a file that is not SQLite, not DNA, a DNA 2 file, or one whose references
are broken. :func:`write_dna` builds a new file with DNA's own tables and
initial rows (admin coder, settings, its three statement types) plus what it is
given. Mapping to and from a Stancemark project is the service's work.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from stancemark.core.errors import ValidationError

#: DNA version written to the SETTINGS table of exported files (the 3.0.11 schema).
DNA_VERSION = "3.0.11.5"
DNA_DATE = "2025-02-05"
DATA_TYPES = ("boolean", "integer", "short text", "long text")
#: Password of every coder in an exported file (DNA asks for it when opening).
EXPORT_PASSWORD = "stancemark"

_SQLITE_MAGIC = b"SQLite format 3\x00"
_REQUIRED = ("SETTINGS", "CODERS", "DOCUMENTS", "STATEMENTTYPES", "VARIABLES", "STATEMENTS",
             "DATABOOLEAN", "DATAINTEGER", "DATASHORTTEXT", "DATALONGTEXT", "ENTITIES",
             "ATTRIBUTEVARIABLES", "ATTRIBUTEVALUES")


@dataclass(slots=True)
class DnaDocument:
    id: int
    title: str
    text: str
    coder: int | None
    author: str = ""
    source: str = ""
    section: str = ""
    notes: str = ""
    type: str = ""
    date: int = 0  # seconds since 1970-01-01 UTC


@dataclass(slots=True)
class DnaVariable:
    id: int
    name: str
    data_type: str
    statement_type: int


@dataclass(slots=True)
class DnaEntity:
    id: int
    variable: int
    value: str
    child_of: int | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class DnaStatement:
    """A statement; ``values`` maps a variable id to an entity id (short text), an
    int (boolean, integer) or a string (long text)."""

    id: int
    statement_type: int
    document: int
    start: int
    stop: int
    coder: int
    values: dict[int, int | str] = field(default_factory=dict)


@dataclass
class DnaFile:
    """A DNA 3 project as plain data."""

    version: str = DNA_VERSION
    #: SETTINGS rows besides version and date (an export keeps the scale in one)
    settings: dict[str, str] = field(default_factory=dict)
    coders: dict[int, str] = field(default_factory=dict)
    documents: list[DnaDocument] = field(default_factory=list)
    statement_types: dict[int, str] = field(default_factory=dict)
    variables: dict[int, DnaVariable] = field(default_factory=dict)
    entities: dict[int, DnaEntity] = field(default_factory=dict)
    statements: list[DnaStatement] = field(default_factory=list)

    def variables_of(self, statement_type: int) -> dict[str, DnaVariable]:
        return {v.name: v for v in self.variables.values() if v.statement_type == statement_type}


# -- reading ------------------------------------------------------------------

def _not_dna(path: Path, why: str) -> ValidationError:
    return ValidationError(f"{path} is not a DNA 3 file: {why}.",
                           "Choose a .dna file saved by DNA 3 (Discourse Network Analyzer).")


def read_dna(path: str | Path) -> DnaFile:
    """Read a DNA 3 file (read-only) and check its references; raise ValidationError if bad."""
    p = Path(path)
    try:
        with open(p, "rb") as fp:
            head = fp.read(16)
    except OSError as exc:
        raise ValidationError(f"Cannot read {p}: {exc.strerror or exc}.",
                              "Check the file name and permissions.") from None
    if head != _SQLITE_MAGIC:
        raise _not_dna(p, "it is not an SQLite database (DNA 1 and 2 XML files are not read)")
    try:
        conn = sqlite3.connect(f"{p.absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _not_dna(p, str(exc)) from None
    try:
        return _read(conn, p)
    except sqlite3.DatabaseError as exc:
        raise _not_dna(p, f"SQLite says {exc}") from None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection, p: Path) -> DnaFile:
    tables = {r[0].upper() for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    version_row = None
    if "SETTINGS" in tables:
        version_row = conn.execute(
            "SELECT Value FROM SETTINGS WHERE Property = 'version'").fetchone()
    version = str(version_row[0]) if version_row else ""
    if version.startswith(("1", "2")) or (tables and "STATEMENTTYPES" not in tables
                                          and "STATEMENTS" in tables):
        raise ValidationError(
            f"{p} is a DNA {version or '2'} file; only DNA 3 files are read.",
            "Open it in DNA 3, which converts it, save it, and import that file.")
    missing = [t for t in _REQUIRED if t not in tables]
    if missing:
        raise _not_dna(p, f"it has no {', '.join(missing)} table")
    f = DnaFile(version=version)
    f.settings = {str(k): str(v) for k, v in conn.execute("SELECT Property, Value FROM SETTINGS")
                  if k not in ("version", "date")}
    f.coders = {int(i): str(n) for i, n in conn.execute("SELECT ID, Name FROM CODERS")}
    f.documents = [DnaDocument(int(r[0]), r[1] or "", r[2] or "", r[3], r[4] or "", r[5] or "",
                               r[6] or "", r[7] or "", r[8] or "", int(r[9] or 0))
                   for r in conn.execute(
                       "SELECT ID, Title, Text, Coder, Author, Source, Section, Notes, Type, "
                       "Date FROM DOCUMENTS ORDER BY ID")]
    f.statement_types = {int(i): str(label) for i, label in conn.execute(
        "SELECT ID, Label FROM STATEMENTTYPES")}
    f.variables = {int(r[0]): DnaVariable(int(r[0]), str(r[1]), str(r[2]), int(r[3] or 0))
                   for r in conn.execute(
                       "SELECT ID, Variable, DataType, StatementTypeId FROM VARIABLES")}
    f.entities = {int(r[0]): DnaEntity(int(r[0]), int(r[1]), r[2] or "", r[3])
                  for r in conn.execute("SELECT ID, VariableId, Value, ChildOf FROM ENTITIES")}
    attr_names = {int(i): str(n) for i, n in conn.execute(
        "SELECT ID, AttributeVariable FROM ATTRIBUTEVARIABLES")}
    problems: list[str] = []
    for entity, attr, value in conn.execute(
            "SELECT EntityId, AttributeVariableId, AttributeValue FROM ATTRIBUTEVALUES"):
        if entity in f.entities and attr in attr_names:
            f.entities[entity].attributes[attr_names[attr]] = value or ""
    statements: dict[int, DnaStatement] = {}
    for r in conn.execute("SELECT ID, StatementTypeId, DocumentId, Start, Stop, Coder "
                          "FROM STATEMENTS ORDER BY ID"):
        statements[int(r[0])] = DnaStatement(int(r[0]), r[1], r[2], int(r[3]), int(r[4]), r[5])
    for table, column in (("DATASHORTTEXT", "Entity"), ("DATABOOLEAN", "Value"),
                          ("DATAINTEGER", "Value"), ("DATALONGTEXT", "Value")):
        for sid, var, value in conn.execute(
                f"SELECT StatementId, VariableId, {column} FROM {table}"):
            st = statements.get(sid)
            if st is None:
                problems.append(f"{table} refers to statement {sid}, which does not exist")
                continue
            if var not in f.variables:
                problems.append(f"statement {sid} has a value for variable {var}, "
                                "which does not exist")
                continue
            if table == "DATASHORTTEXT" and value not in f.entities:
                problems.append(f"statement {sid} refers to entity {value}, which does not exist")
                continue
            st.values[var] = value if value is not None else ""
    f.statements = list(statements.values())
    _check_references(f, problems)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ValidationError(f"{p} has broken references: {'; '.join(problems[:3])}{more}.",
                              "Nothing was imported. Repair the file in DNA 3 and try again.")
    return f


def _check_references(f: DnaFile, problems: list[str]) -> None:
    docs = {d.id: d for d in f.documents}
    for e in f.entities.values():
        if e.variable not in f.variables:
            problems.append(f"entity {e.id} belongs to variable {e.variable}, which does not "
                            "exist")
        if e.child_of is not None and e.child_of not in f.entities:
            problems.append(f"entity {e.id} is the child of entity {e.child_of}, which does "
                            "not exist")
    for v in f.variables.values():
        if v.statement_type not in f.statement_types:
            problems.append(f"variable {v.name!r} belongs to statement type {v.statement_type},"
                            " which does not exist")
    for s in f.statements:
        if s.statement_type not in f.statement_types:
            problems.append(f"statement {s.id} has statement type {s.statement_type}, which "
                            "does not exist")
        if s.coder not in f.coders:
            problems.append(f"statement {s.id} was made by coder {s.coder}, who does not exist")
        doc = docs.get(s.document)
        if doc is None:
            problems.append(f"statement {s.id} is in document {s.document}, which does not "
                            "exist")
        elif not 0 <= s.start < s.stop <= len(doc.text.encode("utf-16-le")) // 2:
            problems.append(f"statement {s.id} spans {s.start}–{s.stop}, outside its "
                            f"document {s.document}")


# -- writing ------------------------------------------------------------------

# DNA 3's SQLite tables, column for column and constraint for constraint.
_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS SETTINGS(Property TEXT PRIMARY KEY, Value TEXT NOT NULL);",
    "CREATE TABLE IF NOT EXISTS CODERS(ID INTEGER NOT NULL PRIMARY KEY, "
    "Name TEXT NOT NULL CHECK (LENGTH(Name) < 191), "
    + "".join(f"{c} INTEGER NOT NULL DEFAULT 0 CHECK ({c} BETWEEN 0 AND 255), "
              for c in ("Red", "Green", "Blue"))
    + "Refresh INTEGER NOT NULL CHECK (Refresh BETWEEN 0 AND 9999) DEFAULT 0, "
    "FontSize INTEGER NOT NULL CHECK (FontSize BETWEEN 1 AND 99) DEFAULT 14, "
    "Password TEXT NOT NULL CHECK (LENGTH(Password) < 191), "
    "PopupWidth INTEGER CHECK (PopupWidth BETWEEN 100 AND 9999) DEFAULT 300, "
    "ColorByCoder INTEGER NOT NULL CHECK (ColorByCoder BETWEEN 0 AND 1) DEFAULT 0, "
    "PopupDecoration INTEGER NOT NULL CHECK (PopupDecoration BETWEEN 0 AND 1) DEFAULT 0, "
    "PopupAutoComplete INTEGER NOT NULL CHECK (PopupAutoComplete BETWEEN 0 AND 1) DEFAULT 1, "
    + ", ".join(f"Permission{p} INTEGER NOT NULL CHECK (Permission{p} BETWEEN 0 AND 1) DEFAULT 1"
                for p in ("AddDocuments", "EditDocuments", "DeleteDocuments", "ImportDocuments",
                          "AddStatements", "EditStatements", "DeleteStatements",
                          "EditAttributes", "EditRegex", "EditStatementTypes", "EditCoders",
                          "EditCoderRelations", "ViewOthersDocuments", "EditOthersDocuments",
                          "ViewOthersStatements", "EditOthersStatements"))
    + ");",
    "CREATE TABLE IF NOT EXISTS DOCUMENTS(ID INTEGER NOT NULL PRIMARY KEY, "
    "Title TEXT NOT NULL CHECK (LENGTH(Title) < 191), Text TEXT NOT NULL, Coder INTEGER, "
    + "".join(f"{c} TEXT NOT NULL DEFAULT '' CHECK (LENGTH({c}) < 191), "
              for c in ("Author", "Source", "Section"))
    + "Notes TEXT NOT NULL DEFAULT '', Type TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Type) < 191), "
    "Date INTEGER NOT NULL, FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS STATEMENTTYPES(ID INTEGER NOT NULL PRIMARY KEY, "
    "Label TEXT NOT NULL CHECK (LENGTH(Label) < 191), "
    + ", ".join(f"{c} INTEGER NOT NULL DEFAULT 0 CHECK ({c} BETWEEN 0 AND 255)"
                for c in ("Red", "Green", "Blue")) + ");",
    "CREATE TABLE IF NOT EXISTS VARIABLES(ID INTEGER NOT NULL PRIMARY KEY, "
    "Variable TEXT NOT NULL CHECK (LENGTH(Variable) < 191), "
    "DataType TEXT NOT NULL CHECK (DataType = 'boolean' OR DataType = 'integer' OR "
    "DataType = 'long text' OR DataType = 'short text') DEFAULT 'short text', "
    "StatementTypeId INTEGER, "
    "FOREIGN KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, "
    "UNIQUE (Variable, StatementTypeId));",
    "CREATE TABLE IF NOT EXISTS VARIABLELINKS(ID INTEGER NOT NULL PRIMARY KEY, "
    "SourceVariableId INTEGER, TargetVariableId INTEGER, "
    "CHECK (TargetVariableId != SourceVariableId), "
    "FOREIGN KEY(SourceVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(TargetVariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS REGEXES(Label TEXT PRIMARY KEY CHECK (LENGTH(Label) < 191), "
    + ", ".join(f"{c} INTEGER NOT NULL DEFAULT 0 CHECK ({c} BETWEEN 0 AND 255)"
                for c in ("Red", "Green", "Blue")) + ");",
    "CREATE TABLE IF NOT EXISTS CODERRELATIONS(ID INTEGER NOT NULL PRIMARY KEY, "
    "Coder INTEGER CHECK(Coder > 0), OtherCoder INTEGER CHECK(OtherCoder > 0), "
    + "".join(f"{c} INTEGER NOT NULL DEFAULT 1 CHECK({c} BETWEEN 0 AND 1), "
              for c in ("viewStatements", "editStatements", "viewDocuments", "editDocuments"))
    + "CHECK (Coder != OtherCoder), "
    "FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(OtherCoder) REFERENCES CODERS(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS STATEMENTS(ID INTEGER NOT NULL PRIMARY KEY, "
    "StatementTypeId INTEGER, DocumentId INTEGER, Start INTEGER NOT NULL CHECK(Start >= 0), "
    "Stop INTEGER NOT NULL CHECK(Stop >= 0), Coder INTEGER, CHECK (Start < Stop), "
    "FOREIGN KEY(StatementTypeId) REFERENCES STATEMENTTYPES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(Coder) REFERENCES CODERS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(DocumentId) REFERENCES DOCUMENTS(ID) ON DELETE CASCADE);",
    *(f"CREATE TABLE IF NOT EXISTS {table}(ID INTEGER PRIMARY KEY NOT NULL, "
      f"StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, {value}, "
      "FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
      "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
      "UNIQUE (StatementId, VariableId));"
      for table, value in (("DATABOOLEAN", "Value INTEGER NOT NULL DEFAULT 1"),
                           ("DATAINTEGER", "Value INTEGER NOT NULL DEFAULT 0"))),
    "CREATE TABLE IF NOT EXISTS ENTITIES(ID INTEGER PRIMARY KEY NOT NULL, "
    "VariableId INTEGER NOT NULL, Value TEXT NOT NULL DEFAULT '' CHECK (LENGTH(Value) < 191), "
    + "".join(f"{c} INTEGER CHECK ({c} BETWEEN 0 AND 255), " for c in ("Red", "Green", "Blue"))
    + "ChildOf INTEGER CHECK(ChildOf > 0), UNIQUE (VariableId, Value), "
    "FOREIGN KEY(ChildOf) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS DATASHORTTEXT(ID INTEGER PRIMARY KEY NOT NULL, "
    "StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, Entity INTEGER NOT NULL, "
    "FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(Entity) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
    "UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS DATALONGTEXT(ID INTEGER PRIMARY KEY NOT NULL, "
    "StatementId INTEGER NOT NULL, VariableId INTEGER NOT NULL, Value TEXT DEFAULT '', "
    "FOREIGN KEY(StatementId) REFERENCES STATEMENTS(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE, "
    "UNIQUE (StatementId, VariableId));",
    "CREATE TABLE IF NOT EXISTS ATTRIBUTEVARIABLES(ID INTEGER PRIMARY KEY NOT NULL, "
    "VariableId INTEGER NOT NULL, "
    "AttributeVariable TEXT NOT NULL CHECK (LENGTH(AttributeVariable) < 191), "
    "UNIQUE(VariableId, AttributeVariable), "
    "FOREIGN KEY(VariableId) REFERENCES VARIABLES(ID) ON DELETE CASCADE);",
    "CREATE TABLE IF NOT EXISTS ATTRIBUTEVALUES(ID INTEGER PRIMARY KEY NOT NULL, "
    "EntityId INTEGER NOT NULL, AttributeVariableId INTEGER NOT NULL, "
    "AttributeValue TEXT NOT NULL DEFAULT '' CHECK (LENGTH(AttributeValue) < 191), "
    "UNIQUE (EntityId, AttributeVariableId), "
    "FOREIGN KEY(EntityId) REFERENCES ENTITIES(ID) ON DELETE CASCADE, "
    "FOREIGN KEY(AttributeVariableId) REFERENCES ATTRIBUTEVARIABLES(ID) ON DELETE CASCADE);",
]

#: DNA's initial statement types: (id, label, colour) and (variable id, name, type, type id).
DEFAULT_TYPES = [(1, "DNA Statement", (239, 208, 51)), (2, "NPF Story Element", (100, 200, 190)),
                 (3, "Annotation", (211, 211, 211))]
DEFAULT_VARIABLES = [(1, "person", "short text", 1), (2, "organization", "short text", 1),
                     (3, "concept", "short text", 1), (4, "agreement", "boolean", 1),
                     (5, "narrator", "short text", 2), (6, "victim", "short text", 2),
                     (7, "villain", "short text", 2), (8, "plot", "short text", 2),
                     (9, "hero", "short text", 2), (10, "policy solution", "short text", 2),
                     (11, "note", "long text", 3)]
ENTITY_ATTRIBUTES = ("Type", "Alias", "Notes")
#: Attributes of the short-text variables an export adds (DNA's three, and the affiliation).
EXTRA_ATTRIBUTES = (*ENTITY_ATTRIBUTES, "Affiliation")


def password_hash(password: str, salt: bytes | None = None) -> str:
    """A password digest as DNA checks it (jasypt's StrongPasswordEncryptor: a 16-byte salt,
    SHA-256 of salt + UTF-8 text, hashed again 99,999 times, salt and digest in base64)."""
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.sha256(salt + unicodedata.normalize("NFC", password).encode()).digest()
    for _ in range(99_999):
        digest = hashlib.sha256(digest).digest()
    return base64.b64encode(salt + digest).decode("ascii")


def written_by_stancemark(path: Path) -> bool:
    """True if ``path`` is a DNA file this program exported (its SETTINGS name our scale)."""
    try:
        with path.open("rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                return False
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except (OSError, sqlite3.Error):
        return False
    try:
        row = conn.execute("SELECT 1 FROM SETTINGS WHERE Property = 'stancemark scale'"
                           ).fetchone()
        return row is not None
    except sqlite3.Error:
        return False
    finally:
        conn.close()


def write_dna(path: str | Path, content: DnaFile) -> None:
    """Create the DNA 3 file ``path`` (must not exist) holding ``content``.

    ``content`` holds the coders (id 1 is DNA's Admin; made if absent), documents,
    statement types, variables, entities and statements to add to DNA's initial
    ones; ids are written as given.
    """
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        with conn:
            for sql in _SCHEMA:
                conn.execute(sql)
            secret = password_hash(EXPORT_PASSWORD)
            coders = {1: "Admin", **content.coders}
            conn.execute(
                "INSERT INTO CODERS (ID, Name, Red, Green, Blue, Password, "
                "PermissionEditStatementTypes, PermissionEditCoders, "
                "PermissionEditOthersDocuments, PermissionEditOthersStatements) "
                "VALUES (1, ?, 255, 255, 0, ?, 1, 1, 1, 1)", (coders[1][:190], secret))
            # other coders as DNA adds them: default permissions, and a relation (view and
            # edit) from each coder to each other one
            conn.executemany(
                "INSERT INTO CODERS (ID, Name, Red, Green, Blue, Password) "
                "VALUES (?, ?, 70, 130, 180, ?)",
                [(cid, name[:190], secret) for cid, name in coders.items() if cid != 1])
            conn.executemany("INSERT INTO CODERRELATIONS (Coder, OtherCoder) VALUES (?, ?)",
                             [(a, b) for a in coders for b in coders if a != b])
            conn.executemany("INSERT INTO SETTINGS (Property, Value) VALUES (?, ?)",
                             [("version", DNA_VERSION), ("date", DNA_DATE),
                              *((k, v) for k, v in content.settings.items()
                                if k not in ("version", "date"))])
            conn.executemany(
                "INSERT INTO STATEMENTTYPES (ID, Label, Red, Green, Blue) VALUES (?, ?, ?, ?, ?)",
                [(i, label, *rgb) for i, label, rgb in DEFAULT_TYPES])
            conn.executemany(
                "INSERT INTO VARIABLES (ID, Variable, DataType, StatementTypeId) "
                "VALUES (?, ?, ?, ?)", DEFAULT_VARIABLES)
            conn.executemany(
                "INSERT INTO ATTRIBUTEVARIABLES (VariableId, AttributeVariable) VALUES (?, ?)",
                [(v, a) for a in ENTITY_ATTRIBUTES for v in (1, 2, 3)])
            _write_content(conn, content)
    finally:
        conn.close()


def _write_content(conn: sqlite3.Connection, f: DnaFile) -> None:
    known_types = {i for i, _l, _c in DEFAULT_TYPES}
    conn.executemany(
        "INSERT INTO STATEMENTTYPES (ID, Label, Red, Green, Blue) VALUES (?, ?, 90, 160, 220)",
        [(i, label) for i, label in f.statement_types.items() if i not in known_types])
    known_vars = {v[0] for v in DEFAULT_VARIABLES}
    new_vars = [v for v in f.variables.values() if v.id not in known_vars]
    conn.executemany(
        "INSERT INTO VARIABLES (ID, Variable, DataType, StatementTypeId) VALUES (?, ?, ?, ?)",
        [(v.id, v.name, v.data_type, v.statement_type) for v in new_vars])
    conn.executemany(
        "INSERT INTO ATTRIBUTEVARIABLES (VariableId, AttributeVariable) VALUES (?, ?)",
        [(v.id, a) for a in EXTRA_ATTRIBUTES for v in new_vars if v.data_type == "short text"])
    attr_ids = {(int(v), str(a)): int(i) for i, v, a in conn.execute(
        "SELECT ID, VariableId, AttributeVariable FROM ATTRIBUTEVARIABLES")}
    conn.executemany(
        "INSERT INTO DOCUMENTS (ID, Title, Text, Coder, Author, Source, Section, Notes, Type, "
        "Date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(d.id, d.title[:190], d.text, d.coder, d.author[:190], d.source[:190],
          d.section[:190], d.notes, d.type[:190], d.date) for d in f.documents])
    # parents before children (ChildOf is a foreign key)
    order = sorted(f.entities.values(), key=lambda e: (e.child_of is not None, e.id))
    # as DNA makes them: a colour, and a value (maybe empty) for every attribute variable
    conn.executemany(
        "INSERT INTO ENTITIES (ID, VariableId, Value, Red, Green, Blue, ChildOf) "
        "VALUES (?, ?, ?, 0, 0, 0, ?)",
        [(e.id, e.variable, e.value, e.child_of) for e in order])
    attrs_of: dict[int, list[tuple[str, int]]] = {}
    for (var, name), aid in attr_ids.items():
        attrs_of.setdefault(var, []).append((name, aid))
    conn.executemany(
        "INSERT INTO ATTRIBUTEVALUES (EntityId, AttributeVariableId, AttributeValue) "
        "VALUES (?, ?, ?)",
        [(e.id, aid, e.attributes.get(name, "")[:190]) for e in f.entities.values()
         for name, aid in attrs_of.get(e.variable, [])])
    conn.executemany(
        "INSERT INTO STATEMENTS (ID, StatementTypeId, DocumentId, Start, Stop, Coder) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(s.id, s.statement_type, s.document, s.start, s.stop, s.coder) for s in f.statements])
    tables = {"short text": ("DATASHORTTEXT", "Entity"), "boolean": ("DATABOOLEAN", "Value"),
              "integer": ("DATAINTEGER", "Value"), "long text": ("DATALONGTEXT", "Value")}
    for dtype, (table, column) in tables.items():
        conn.executemany(
            f"INSERT INTO {table} (StatementId, VariableId, {column}) VALUES (?, ?, ?)",
            [(s.id, var, value) for s in f.statements for var, value in s.values.items()
             if f.variables[var].data_type == dtype])
