"""Opening, creating, checking and migrating a project file; transactions.

Refusals happen before anything is written: a file that is not SQLite, not a
Stancemark project, corrupt, from a newer version, or held by another writer.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

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
from stancemark.store.schema_check import (
    SchemaDiff,
    compare,
    matching_version,
    repair,
    split_sql,
)

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
        except (sqlite3.DatabaseError, ProjectError) as exc:
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
            _restore_hint(self.path))


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
        self.path = path
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self._lock = lock
        self._depth = 0
        #: The background integrity check of a big file (None: checked fully on open).
        self.integrity_check: IntegrityCheck | None = None
        #: What opening repaired (lost triggers or indexes, a version number set by hand).
        self.repairs: list[str] = []
        #: A temporary copy read instead of the file (a journal in a read-only folder).
        self._copy: Path | None = None
        #: A second connection of a writing Store (see :func:`open_alongside`): closing it
        #: leaves the file, its lock and its integrity check to the first.
        self.alongside = False
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
        if self.alongside:
            self.conn.close()
            return
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
        _remove_copy(self._copy)
        self._copy = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _storage_error(exc: sqlite3.OperationalError, path: Path | None, *,
                   what: str | None = None) -> ProjectError:
    """A clear message for the storage failures a user can act on.

    ``what`` names the work that failed when it was not saving an edit (then nothing
    is said about "the last change").
    """
    text = str(exc).lower()
    name = str(path) if path else "the project"
    failed = f"{what} failed" if what else "the last change was not saved"
    if "full" in text:
        return ProjectError(f"The disk holding {name} is full: {failed}.",
                            "Free some space, then try again; nothing saved was lost.")
    if "locked" in text or "busy" in text:
        return ProjectError(f"{name} is busy in another program: {failed}.",
                            "Try again in a moment.")
    if "readonly" in text or "read-only" in text:
        return ProjectError(f"{name} cannot be written: {failed}.",
                            "Check the file and folder permissions, then reopen the project.")
    if "disk i/o" in text:
        return ProjectError(f"Writing {name} failed (disk I/O error): {failed}.",
                            "Check the disk, then reopen the project.")
    if what:
        return ProjectError(f"{what} failed for {name} ({exc}).",
                            "Check the disk and the folder; nothing saved was lost.")
    return ProjectError(f"Saving to {name} failed ({exc}).", "Try again; nothing saved was lost.")


# -- opening ------------------------------------------------------------------

#: How much of a project (file and journal) a read-only open may copy to a temporary
#: folder when the journal can only be read there (a read-only folder without ``-shm``).
READ_ONLY_COPY_MAX_BYTES = 512 * 2**20


def _connect(uri: str) -> sqlite3.Connection:
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                           timeout=5.0)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def journal_paths(path: Path) -> tuple[Path, Path]:
    """The ``-wal`` and ``-shm`` files SQLite keeps beside ``path``."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _has_journal(path: Path) -> bool:
    """True if a ``-wal`` beside ``path`` holds changes not yet in the file itself."""
    try:
        return journal_paths(path)[0].stat().st_size > 0
    except OSError:
        return False


def _restore_hint(path: Path) -> str:
    return (f"Nothing was changed. To go back to a backup, run `stancemark restore {path} "
            "BACKUP` (a .bak copy beside it, for example).")


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


def write_atomically(conn: sqlite3.Connection, dest: Path) -> None:
    """Copy the database of ``conn`` (journal included) to ``dest``, all or nothing.

    The copy is written under a temporary name beside ``dest`` and renamed when
    complete, so a kill or a full disk never leaves a partial or empty backup.
    """
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        target = sqlite3.connect(tmp)
        try:
            conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except sqlite3.OperationalError as exc:
        _unlink_copy(tmp)
        raise _storage_error(exc, dest, what=f"Writing the copy {dest.name}") from None
    except OSError as exc:
        _unlink_copy(tmp)
        raise ProjectError(f"Writing the copy {dest} failed: {exc.strerror}.",
                           "Free some space or check the folder's permissions; "
                           "nothing was changed.") from None
    except BaseException:
        _unlink_copy(tmp)
        raise


def _unlink_copy(tmp: Path) -> None:
    """Remove an unfinished copy with its journal (a copy cut short can leave one)."""
    for path in (tmp, *journal_paths(tmp)):
        _unlink_quietly(path)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _migrate(conn: sqlite3.Connection, path: Path | None, version: int) -> None:
    if path is not None and version > 0:
        write_atomically(conn, path.with_name(f"{path.name}.v{version}.bak"))
    try:
        conn.execute("BEGIN IMMEDIATE")
        for i in range(version, CURRENT_VERSION):
            for statement in split_sql(MIGRATIONS[i]):
                conn.execute(statement)
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        _rollback_quietly(conn)
        what = "Creating the project" if version == 0 else "Upgrading the project"
        raise _storage_error(exc, path, what=what) from None
    except BaseException:
        _rollback_quietly(conn)
        raise


def _rollback_quietly(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # SQLite rolled back on its own (a full disk does that)


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
    hint = _restore_hint(path) if path else "Restore it from a backup."
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
        raise CorruptProjectError(f"{name} is damaged and cannot be opened ({exc}).",
                                  hint) from None
    if check != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in check[:3])
        raise CorruptProjectError(f"{name} is damaged: SQLite's check failed ({detail}).", hint)
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


@dataclass
class _Plan:
    """What opening a checked file must do before it is used: fix a number, repair, migrate."""

    version: int
    true_version: int
    diff: SchemaDiff | None


def _check_schema(conn: sqlite3.Connection, path: Path | None, version: int) -> _Plan:
    """Check the file's tables, indexes and triggers against its schema version.

    A version number changed by hand is read from the schema itself; derived objects
    that are missing (search index, counts, triggers) are repaired on a writable open;
    a missing table of the user's data refuses the file.
    """
    name = str(path) if path else "the project"
    if version == 0 and app_id_of(conn) == 0:
        return _Plan(0, 0, None)  # a new, empty file
    diff = compare(conn, version) if 0 < version <= CURRENT_VERSION else None
    if diff is not None and diff.exact:
        return _Plan(version, version, None)
    true_version = matching_version(conn)
    if true_version is not None:
        return _Plan(version, true_version, None)
    if diff is not None and not diff.fatal:
        return _Plan(version, version, None if diff.ok else diff)
    if diff is None:
        raise CorruptProjectError(
            f"{name} has an invalid schema version ({version}) and its tables match no "
            "version of Stancemark.", _restore_hint(path) if path else "")
    raise CorruptProjectError(
        f"{name} is damaged: parts of its data are gone ({diff.describe()}).",
        _restore_hint(path) if path else "")


def app_id_of(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def _apply_plan(store: Store, plan: _Plan) -> None:
    """Fix a tampered version number and repair derived objects, in one transaction."""
    if plan.true_version != plan.version:
        with store.write() as conn:
            conn.execute(f"PRAGMA user_version = {plan.true_version}")
        store.repairs.append(
            f"its schema version said {plan.version} but its tables are those of version "
            f"{plan.true_version}: the number was set right")
    if plan.diff is not None:
        with store.write() as conn:
            store.repairs.extend(repair(conn, plan.diff))


def _stray_journal_error(path: Path, exc: ProjectError) -> ProjectError:
    """If the file alone is sound but not with its ``-wal``, say that the journal is stray."""
    try:
        conn = _connect(path.as_uri() + "?mode=ro&immutable=1")
    except sqlite3.Error:
        return exc
    try:
        _inspect(conn, path)
    except ProjectError:
        return exc
    finally:
        conn.close()
    wal = journal_paths(path)[0]
    why = exc.message.rstrip(".")
    return CorruptProjectError(
        f"{path} cannot be opened with the journal file beside it ({wal.name}): together "
        f"they fail the checks ({why}), while the project file alone is sound. The "
        "journal belongs to another database or to another state of this one (as when a "
        "backup is copied over a project).",
        f"Nothing was changed. Run `stancemark restore {path} --set-journal-aside` to keep "
        f"the journal under another name and open the file alone, or `stancemark restore "
        f"{path} BACKUP` to go back to a backup.")


def _kind_of(mode: int) -> str | None:
    """A word for a file that is not a regular file or folder (None for a regular one)."""
    for test, word in ((stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
                       (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return word
    return None


def resolve_project_path(path: str | Path) -> Path:
    """The real path of a project: ``~`` expanded, absolute, symbolic links followed.

    Links are followed so that the writer lock and SQLite's journal name the same file
    whichever name it was opened by.
    """
    raw = Path(path).expanduser().absolute()
    try:
        return Path(os.path.realpath(raw, strict=False))
    except (OSError, RuntimeError) as exc:
        raise ProjectError(f"{raw} cannot be followed to a file ({exc}).",
                           "Check the symbolic links in the path.") from None


def open_project(
    path: str | Path, *, create: bool = False, read_only: bool = False
) -> Store:
    """Open (or with ``create`` make) the project at ``path``.

    Raises a :class:`ProjectError` subclass with a clear message for every
    refusal; the file (and its journal) is not written to in any refusal case: it is
    checked through a read-only connection before a writing one is opened. If another
    Stancemark holds the project, :class:`ProjectLockedError` suggests ``read_only=True``.
    """
    path = resolve_project_path(path)
    try:
        st: os.stat_result | None = path.stat()
    except FileNotFoundError:
        st = None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ProjectError(f"{path} is a symbolic link that leads back to itself.",
                               "Point it at a project file, or choose another path.") from None
        raise ProjectError(f"Cannot reach {path}: {exc.strerror}.",
                           "Check the path and the folders' permissions.") from None
    exists = st is not None
    if st is None and not create:
        raise ProjectError(f"There is no project at {path}.",
                           "Check the path, or create a new project there.")
    reason: str | None = None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise NotAProjectError(f"{path} is a folder, not a project file.",
                                   "Choose a .stancemark file.")
        kind = _kind_of(st.st_mode)
        if kind is not None:
            raise NotAProjectError(f"{path} is {kind}, not a project file.",
                                   "Choose a .stancemark file.")
        if st.st_size > 0:
            _check_header(path)
        elif not create:
            raise NotAProjectError(f"{path} is an empty file, not a project.",
                                   "Create a new project instead.")
        if st.st_nlink > 1 and not read_only:
            # SQLite keeps one journal per name: writes through two names lose work.
            read_only, reason = True, (
                f"the file has {st.st_nlink} names (hard links), and writing through two "
                "of them would lose work; make a real copy (cp) to edit it")
    elif not path.parent.is_dir():
        raise ProjectError(f"The folder {path.parent} does not exist.",
                           "Create it first or choose another place.")

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
        return _open_for_reading(path, reason)

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
    created = not exists
    try:
        return _open_for_writing(path, lock, fresh=created or st is None or st.st_size == 0)
    except BaseException:
        lock.release()
        if created:
            # A project that could not be made (a full disk) leaves nothing behind.
            for leftover in (path, *journal_paths(path), lock.path):
                _unlink_quietly(leftover)
        raise


def open_alongside(store: Store) -> Store:
    """A second connection to the project ``store`` has open for writing, for a worker thread.

    Team sync runs on one while the analyst goes on editing through the first: SQLite
    serialises the two connections' transactions, so neither waits for the other's
    reads, and each edit still commits on its own. The writer lock and the integrity check
    stay the first one's. A project in memory has no second connection: ``store`` itself
    is returned (and must not be closed by the caller).
    """
    if store.path is None or store.read_only:
        return store
    try:
        conn = _connect(store.path.as_uri() + "?mode=rw")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as exc:
        raise ProjectError(f"Cannot open {store.path} a second time ({exc}).",
                           "Check the file and its folder.") from None
    twin = Store(conn, store.path)
    twin.alongside = True
    twin.integrity_check = store.integrity_check
    return twin


def _open_for_writing(path: Path, lock: WriterLock, *, fresh: bool) -> Store:
    big = not fresh and _is_big(path) and not _has_journal(path)
    plan = _Plan(0, 0, None)
    if not fresh:
        # Check through a read-only connection first: a writing one would fold a stray
        # journal into the file when it closes, even after refusing it.
        probe = _open_read_only(path)
        try:
            try:
                version = _inspect(probe, path, partial=big)
            except ProjectError as exc:
                raise (_stray_journal_error(path, exc) if _has_journal(path) else exc) from None
            plan = _check_schema(probe, path, version)
            if big and (plan.true_version < CURRENT_VERSION or plan.diff is not None or
                        probe.execute("PRAGMA journal_mode").fetchone()[0] != "wal"):
                # opening will write (a migration, a repair, the switch to WAL): check it all
                big = False
                _inspect(probe, path)
        finally:
            probe.close()
    try:
        conn = _connect(path.as_uri() + "?mode=rwc")
    except sqlite3.Error as exc:
        raise ProjectError(f"Cannot open {path} for writing ({exc}).",
                           "Check the file and its folder.") from None
    try:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a commit the UI showed as done survives a power cut too, not only a crash.
            conn.execute("PRAGMA synchronous = FULL")
        except sqlite3.OperationalError as exc:
            raise _storage_error(exc, path, what="Opening the project") from None
        store = Store(conn, path, lock=lock)
        if big:
            store.integrity_check = IntegrityCheck(path)
            store.integrity_check.start()
        if plan.true_version != plan.version or plan.diff is not None:
            _apply_plan(store, plan)
        if plan.true_version < CURRENT_VERSION:
            _migrate(conn, path, plan.true_version)
            if plan.true_version == 0:
                _seed(store)
        return store
    except BaseException:
        conn.close()
        raise


def _open_for_reading(path: Path, reason: str | None) -> Store:
    big = _is_big(path) and not _has_journal(path)
    conn, copy = _open_read_only_whole(path)
    try:
        version = _inspect(conn, copy or path, partial=big)
        if version < CURRENT_VERSION:
            raise ProjectError(
                f"{path} uses an older schema (version {version}) and must be upgraded "
                "before it can be read.", "Open it once for writing to upgrade it.")
        plan = _check_schema(conn, path, version)
        if plan.true_version != CURRENT_VERSION:
            raise ProjectError(
                f"{path} has a schema version changed by hand (it says {version}, its tables "
                f"are those of version {plan.true_version}).",
                "Open it once for writing: Stancemark sets the number right.")
    except ProjectError as exc:
        conn.close()
        _remove_copy(copy)
        raise (_stray_journal_error(path, exc) if _has_journal(path) else exc) from None
    except BaseException:
        conn.close()
        _remove_copy(copy)
        raise
    reason = reason or "opened read-only"
    if copy is not None:
        reason += "; its unsaved journal is read from a temporary copy"
    if plan.diff is not None:
        reason += (f"; its search index or counts may be out of date ({plan.diff.describe()})"
                   ": open it once for writing to repair them")
    store = Store(conn, path, read_only=True, read_only_reason=reason)
    store._copy = copy
    if big:
        store.integrity_check = IntegrityCheck(path)
        store.integrity_check.start()
    return store


def _is_big(path: Path) -> bool:
    wal = journal_paths(path)[0]
    size = path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    return size > FULL_CHECK_MAX_BYTES


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that sees the journal too (raises if it cannot be made)."""
    try:
        conn = _connect(path.as_uri() + "?mode=ro")
    except sqlite3.Error as exc:
        raise ProjectError(f"Cannot open {path} ({exc}).", "Check the file.") from None
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "malformed" in str(exc) or "not a database" in str(exc):
            raise CorruptProjectError(f"{path} is damaged and cannot be opened ({exc}).",
                                      _restore_hint(path)) from None
        raise ProjectError(f"Cannot read {path} ({exc}).",
                           "Check the file and its folder's permissions.") from None
    return conn


def _open_read_only_whole(path: Path) -> tuple[sqlite3.Connection, Path | None]:
    """A read-only connection that never ignores the journal.

    In a read-only folder without a ``-shm`` file SQLite can't open the journal in
    place. With no journal the file is read as it is (``immutable``); with one, the file
    and its journal are copied to a temporary folder and read there, if not too big.
    Returns the connection and the copy's path (None when reading in place).
    """
    try:
        return _open_read_only(path), None
    except CorruptProjectError:
        raise
    except ProjectError as exc:
        if not _has_journal(path):
            try:
                return _connect(path.as_uri() + "?mode=ro&immutable=1"), None
            except sqlite3.Error:
                raise exc from None
        wal = journal_paths(path)[0]
        size = path.stat().st_size + wal.stat().st_size
        if size > READ_ONLY_COPY_MAX_BYTES:
            raise ProjectError(
                f"{path} has changes in its journal ({wal.name}) that cannot be read in this "
                f"read-only folder, and it is too big ({size / 2**20:.0f} MiB) to read from a "
                "copy.", "Copy the project together with its -wal file to a writable folder "
                "and open the copy.") from None
        folder = Path(tempfile.mkdtemp(prefix="stancemark-ro-"))
        copy = folder / path.name
        try:
            shutil.copyfile(path, copy)
            shutil.copyfile(wal, journal_paths(copy)[0])
            return _open_read_only(copy), copy
        except (OSError, ProjectError) as err:
            _remove_copy(copy)
            raise ProjectError(
                f"{path} has changes in its journal ({wal.name}) that cannot be read in this "
                f"read-only folder, and copying it to read them failed ({err}).",
                "Copy the project together with its -wal file to a writable folder and open "
                "the copy.") from None


def _remove_copy(copy: Path | None) -> None:
    if copy is not None:
        shutil.rmtree(copy.parent, ignore_errors=True)


def memory_project() -> Store:
    """A fresh in-memory project (tests, scratch work)."""
    conn = _connect("file::memory:")
    _migrate(conn, None, 0)
    store = Store(conn, None)
    _seed(store)
    return store


def copy_project(store: Store, dest: Path) -> None:
    """Write a consistent copy of the project to ``dest``, all or nothing (before a merge)."""
    write_atomically(store.conn, dest)


__all__ = ["IntegrityCheck", "Store", "copy_project", "journal_paths", "memory_project", "now",
           "open_project", "resolve_project_path", "write_atomically"]
