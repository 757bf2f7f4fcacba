"""Opening, creating, checking and migrating a project file; transactions.

Refusals happen before anything is written: a file that is not SQLite, not a
Stancemark project, corrupt, from a newer version, or held by another writer.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from stancemark.core.errors import (
    CorruptProjectError,
    NewerVersionError,
    NotAProjectError,
    ProjectError,
    ProjectLockedError,
    ReadOnlyProjectError,
)
from stancemark.store.lock import WriterLock
from stancemark.store.schema import APPLICATION_ID, CURRENT_VERSION, MIGRATIONS

SQLITE_MAGIC = b"SQLite format 3\x00"

#: Files up to this size get the whole ``PRAGMA quick_check`` before they open
#: (it reads every page: ~0.15 s here at the ~450 MB/s measured). A bigger file gets
#: a fast check of its header, schema and small tables at once and the whole check
#: on a background thread; nothing is written to it until that check has passed.
FULL_CHECK_MAX_BYTES = 64 * 2**20
_SMALL_TABLES = ("sqlite_schema", "meta", "annotators", "actor_types", "categories", "scale")


class IntegrityCheck:
    """``PRAGMA quick_check`` of a big project on its own read-only connection and thread.

    ``state`` is ``"checking"``, then ``"ok"``, ``"failed"`` (``detail`` says why) or
    ``"cancelled"`` (the project was closed first). Listeners are called once, on the
    checking thread, with the check when it ends; the UI hands that to its own thread.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.state = "checking"
        self.detail = ""
        self._done = threading.Event()
        self._conn: sqlite3.Connection | None = None
        self._guard = threading.Lock()
        self._listeners: list[Any] = []
        self._thread = threading.Thread(target=self._run, name="stancemark-quick-check",
                                        daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        try:
            with self._guard:
                if self.state == "cancelled":
                    return
                self._conn = _open_read_only(self.path)
            rows = self._conn.execute("PRAGMA quick_check").fetchall()
            if rows == [("ok",)]:
                self.state = "ok"
            else:
                self.state, self.detail = "failed", "; ".join(str(r[0]) for r in rows[:3])
        except sqlite3.DatabaseError as exc:
            if self.state != "cancelled":
                self.state, self.detail = "failed", str(exc)
        finally:
            with self._guard:
                if self._conn is not None:
                    self._conn.close()
                    self._conn = None
                self._done.set()
                listeners, self._listeners = self._listeners, []
            for listener in listeners:
                listener(self)

    def add_listener(self, listener: Any) -> None:
        """Call ``listener(check)`` when the check ends (at once if it has)."""
        with self._guard:
            if not self._done.is_set():
                self._listeners.append(listener)
                return
        listener(self)

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def cancel(self) -> None:
        """Stop a running check (closing the project); waits for the thread to end."""
        with self._guard:
            if not self._done.is_set():
                self.state = "cancelled"
                if self._conn is not None:
                    self._conn.interrupt()
        if self._thread.is_alive():
            self._thread.join()

    def error(self) -> CorruptProjectError:
        return CorruptProjectError(
            f"{self.path} is damaged: SQLite's check failed ({self.detail}).",
            "Restore it from a backup (or a .bak copy beside it); it was not changed.")


def now() -> str:
    """Timestamp stored on every annotation: UTC, ISO 8601, milliseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class Store:
    """An open project: one SQLite connection plus the repositories over it.

    Writes go through :meth:`write`, which is one ``BEGIN IMMEDIATE`` …
    ``COMMIT`` (nested calls join the outer transaction).
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path | None,
        *,
        read_only: bool = False,
        lock: WriterLock | None = None,
        read_only_reason: str | None = None,
    ) -> None:
        from stancemark.store.actors import ActorRepo
        from stancemark.store.annotations import AnnotationRepo
        from stancemark.store.articles import ArticleRepo
        from stancemark.store.codebook import CodebookRepo

        self.conn = conn
        self.db = sqlite_utils.Database(conn)
        self.path = path
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._lock = lock
        self._depth = 0
        #: The background integrity check of a big file (None: checked fully on open).
        self.integrity_check: IntegrityCheck | None = None
        self._thread_lock = threading.RLock()
        self.articles = ArticleRepo(self)
        self.actors = ActorRepo(self)
        self.annotations = AnnotationRepo(self)
        self.codebook = CodebookRepo(self)

    # -- transactions -------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: everything inside commits together or not at all."""
        if self.read_only:
            raise ReadOnlyProjectError(
                "This project is open read-only" +
                (f" ({self.read_only_reason})." if self.read_only_reason else "."),
                "Close the other window or fix the file permissions, then reopen it.",
            )
        check = self.integrity_check
        if check is not None and check.state != "ok":
            # Nothing is written to a file before it passed the check (a first edit in the
            # seconds after opening a big project waits for it).
            check.wait()
            if check.state != "ok":
                raise check.error()
        with self._thread_lock:
            outer = self._depth == 0
            if outer:
                self._run("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield self.conn
            except BaseException as exc:
                self._depth -= 1
                if outer:
                    self._rollback()
                if isinstance(exc, sqlite3.OperationalError) and outer:
                    raise _storage_error(exc, self.path) from exc
                raise
            else:
                self._depth -= 1
                if outer:
                    try:
                        self._run("COMMIT")
                    except ProjectError:
                        self._rollback()
                        raise

    def _run(self, sql: str) -> None:
        try:
            self.conn.execute(sql)
        except sqlite3.OperationalError as exc:
            raise _storage_error(exc, self.path) from exc

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass  # SQLite already rolled back (e.g. after SQLITE_FULL)

    def annotator_id(self, name: str) -> int:
        """Id of annotator ``name``, created if new."""
        row = self.conn.execute("SELECT id FROM annotators WHERE name = ?", (name,)).fetchone()
        if row:
            return int(row[0])
        with self.write() as conn:
            cur = conn.execute(
                "INSERT INTO annotators(name, created_at) VALUES (?, ?)", (name, now())
            )
            return int(cur.lastrowid or 0)

    def annotators(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM annotators ORDER BY name")]

    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def counts(self) -> dict[str, int]:
        tables = ("articles", "actors", "mentions", "claims", "article_sentiments",
                  "actor_sentiments", "annotators")
        return {
            t: int(self.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables
        }

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    @property
    def integrity(self) -> str:
        """``"ok"``, ``"checking"`` (a big file's background check) or ``"failed"``."""
        check = self.integrity_check
        if check is None or check.state == "ok":
            return "ok"
        return "failed" if check.state == "failed" else "checking"

    def close(self) -> None:
        check = self.integrity_check
        if check is not None:
            check.cancel()
        try:
            if not self.read_only and (check is None or check.state == "ok"):
                # Fold the WAL back so the project is one self-contained file again.
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass
        self.conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _storage_error(exc: sqlite3.OperationalError, path: Path | None) -> ProjectError:
    """A clear message for the storage failures a user can act on."""
    text = str(exc).lower()
    name = str(path) if path else "the project"
    if "full" in text:
        return ProjectError(f"The disk holding {name} is full: the last change was not saved.",
                            "Free some space, then repeat the change; nothing saved was lost.")
    if "locked" in text or "busy" in text:
        return ProjectError(f"{name} is busy in another program: the last change was not saved.",
                            "Try again in a moment.")
    if "readonly" in text or "read-only" in text:
        return ProjectError(f"{name} cannot be written any more: the last change was not saved.",
                            "Check the file and folder permissions, then reopen the project.")
    if "disk i/o" in text:
        return ProjectError(f"Writing {name} failed (disk I/O error): the last change was not "
                            "saved.", "Check the disk, then reopen the project.")
    return ProjectError(f"Saving to {name} failed ({exc}).", "Try again; nothing saved was lost.")


# -- opening ------------------------------------------------------------------

def _connect(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                           timeout=5.0)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except IsADirectoryError:
        raise NotAProjectError(f"{path} is a folder, not a project file.",
                               "Choose a .stancemark file.") from None
    except OSError as exc:
        raise ProjectError(f"Cannot read {path}: {exc.strerror}.",
                           "Check that the file exists and you may read it.") from None
    if head != SQLITE_MAGIC:
        raise NotAProjectError(
            f"{path} is not a Stancemark project (it is not an SQLite database).",
            "Open a .stancemark file, or give a new file name to create a project.",
        )


def _migrate(conn: sqlite3.Connection, path: Path | None, version: int) -> None:
    if path is not None and version > 0:
        backup = path.with_name(f"{path.name}.v{version}.bak")
        dest = sqlite3.connect(backup)
        try:
            conn.backup(dest)
        finally:
            dest.close()
    conn.execute("BEGIN IMMEDIATE")
    try:
        for i in range(version, CURRENT_VERSION):
            for statement in _split_sql(MIGRATIONS[i]):
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _split_sql(script: str) -> Iterator[str]:
    """Split a migration into statements (executescript would commit on its own)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--"):
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


def _seed(store: Store) -> None:
    from stancemark.core.codebook import default_codebook

    with store.write() as conn:
        store.codebook.save(default_codebook())
        conn.execute("INSERT INTO meta(key, value) VALUES ('created_at', ?)", (now(),))


def _header_truncated(path: Path) -> bool:
    """True if the header's page count says the file is longer than it is (a cut copy)."""
    with path.open("rb") as f:
        head = f.read(100)
    page = int.from_bytes(head[16:18], "big")
    page = 65536 if page == 1 else page
    pages = int.from_bytes(head[28:32], "big")
    valid = head[24:28] == head[92:96]  # the page count is trustworthy only then
    return valid and pages * page > path.stat().st_size


def _inspect(conn: sqlite3.Connection, path: Path | None, *, quick: bool = True,
             partial: bool = False) -> int:
    """Return the file's schema version, refusing files we must not touch.

    ``partial`` checks only the header, the schema and the small tables (a big file's
    whole check then runs in an :class:`IntegrityCheck`).
    """
    name = str(path) if path else "the project"
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if partial:
            check = [("ok",)]
            if path is not None and _header_truncated(path):
                check = [("the file is shorter than its header says: truncated",)]
            for table in _SMALL_TABLES:
                if check != [("ok",)]:
                    break
                if table == "sqlite_schema" or conn.execute(
                        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?",
                        (table,)).fetchone():
                    check = conn.execute(f"PRAGMA quick_check('{table}')").fetchall()
        else:
            check = conn.execute(
                "PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise CorruptProjectError(
            f"{name} is damaged and cannot be opened ({exc}).",
            "Restore it from a backup (or a .bak copy beside it).",
        ) from None
    if check != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in check[:3])
        raise CorruptProjectError(
            f"{name} is damaged: SQLite's check failed ({detail}).",
            "Restore it from a backup (or a .bak copy beside it); it was not changed.",
        )
    if app_id not in (0, APPLICATION_ID):
        raise NotAProjectError(f"{name} is an SQLite database of another program, not a "
                               "Stancemark project.", "Open a .stancemark file.")
    if app_id == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if tables:
            raise NotAProjectError(f"{name} is an SQLite database but not a Stancemark "
                                   "project.", "Open a .stancemark file.")
    if version > CURRENT_VERSION:
        raise NewerVersionError(
            f"{name} was saved by a newer Stancemark (schema {version}; this one reads up to "
            f"{CURRENT_VERSION}).",
            "Update Stancemark to open it; the file was not changed.",
        )
    return int(version)


def open_project(
    path: str | Path, *, create: bool = False, read_only: bool = False
) -> Store:
    """Open (or with ``create`` make) the project at ``path``.

    Raises a :class:`ProjectError` subclass with a clear message for every
    refusal; the file is not written to in any refusal case. If another
    Stancemark holds the project, :class:`ProjectLockedError` suggests
    ``read_only=True``.
    """
    path = Path(path).expanduser().absolute()
    exists = path.exists()
    if not exists and not create:
        raise ProjectError(f"There is no project at {path}.",
                           "Check the path, or create a new project there.")
    if exists:
        if path.is_dir():
            raise NotAProjectError(f"{path} is a folder, not a project file.",
                                   "Choose a .stancemark file.")
        if path.stat().st_size > 0:
            _check_header(path)
        elif not create:
            raise NotAProjectError(f"{path} is an empty file, not a project.",
                                   "Create a new project instead.")
    elif not path.parent.exists():
        raise ProjectError(f"The folder {path.parent} does not exist.",
                           "Create it first or choose another place.")

    reason: str | None = None
    if not read_only:

        if exists and not os.access(path, os.W_OK):
            read_only, reason = True, "the file is not writable"
        elif not os.access(path.parent, os.W_OK):
            if not exists:
                raise ProjectError(f"Cannot create a project in {path.parent}: the folder is "
                                   "not writable.", "Choose a folder you may write to.")
            read_only, reason = True, "its folder is not writable"

    if read_only:
        if not exists:
            raise ProjectError(f"There is no project at {path}.", "Check the path.")
        conn = _open_read_only(path)
        big = _is_big(path)
        try:
            version = _inspect(conn, path, partial=big)
            if version < CURRENT_VERSION:
                raise ProjectError(
                    f"{path} uses an older schema (version {version}) and must be upgraded "
                    "before it can be read.", "Open it once for writing to upgrade it.")
        except BaseException:
            conn.close()
            raise
        store = Store(conn, path, read_only=True, read_only_reason=reason or "opened read-only")
        if big:
            store.integrity_check = IntegrityCheck(path)
            store.integrity_check.start()
        return store

    lock = WriterLock(path)
    try:
        got = lock.acquire()
    except OSError as exc:
        raise ProjectError(f"Cannot lock {path}: {exc.strerror}.",
                           "Check the folder's permissions.") from None
    if not got:
        raise ProjectLockedError(
            f"{path} is open for writing in another Stancemark window.",
            "Close it there, or open this project read-only.",
        )
    try:
        conn = _connect(path.as_uri() + "?mode=rwc")
        try:
            big = exists and _is_big(path)
            version = _inspect(conn, path, partial=big)
            if big and (version < CURRENT_VERSION or
                        conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal"):
                # opening will write (a migration, the switch to WAL): check it all first
                big = False
                _inspect(conn, path)
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit the UI showed as done survives a power cut too, not only a crash.
            conn.execute("PRAGMA synchronous = FULL")
            store = Store(conn, path, lock=lock)
            if big:
                store.integrity_check = IntegrityCheck(path)
                store.integrity_check.start()
            if version < CURRENT_VERSION:
                _migrate(conn, path, version)
                if version == 0:
                    _seed(store)
            return store
        except BaseException:
            conn.close()
            raise
    except BaseException:
        lock.release()
        raise


def _is_big(path: Path) -> bool:
    wal = path.with_name(path.name + "-wal")
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return size > FULL_CHECK_MAX_BYTES


def _open_read_only(path: Path) -> sqlite3.Connection:
    """Read-only connection; falls back to ``immutable`` when the WAL index can't be made."""
    try:
        conn = _connect(path.as_uri() + "?mode=ro")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return conn
    except sqlite3.OperationalError:
        conn = _connect(path.as_uri() + "?mode=ro&immutable=1")
        return conn


def memory_project() -> Store:
    """A fresh in-memory project (tests, scratch work)."""
    conn = _connect("file::memory:")
    _migrate(conn, None, 0)
    store = Store(conn, None)
    _seed(store)
    return store


def copy_project(store: Store, dest: Path) -> None:
    """Write a consistent copy of the project to ``dest`` (used before a merge)."""
    target = sqlite3.connect(dest)
    try:
        store.conn.backup(target)
    finally:
        target.close()


__all__ = ["IntegrityCheck", "Store", "copy_project", "memory_project", "now", "open_project"]
