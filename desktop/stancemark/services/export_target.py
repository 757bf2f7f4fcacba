"""Where an export may be written, and what ``--force`` may replace.

This is the one place that decides it; the command line and the window's export
dialog both go through :func:`check_target` (``export_project`` calls it before
writing and once more just before the final rename).

An output that does not exist yet is always fine. An existing one is replaced
only with ``force`` and only if it is a previous Stancemark export of the same
shape as the new one:

==========  ==================================================================
shape       recognised as a Stancemark export when
==========  ==================================================================
file        a regular file that is empty, or whose start is one of ours:
            a Stancemark JSONL set (first line a JSON object with
            ``"stancemark"`` and ``"kind"``), a doccano line (first line a
            JSON object with ``"text"`` and ``"article_uid"``), CoNLL
            (``-DOCSTART-`` or the former ``# Stancemark CoNLL`` first) and
            its ``.documents.jsonl`` side file (first line a JSON object
            with ``"conll_document"`` and ``"article_uid"``), GraphML with a
            ``stancemark-`` graph id, or a ``.qdpx`` zip holding only ``project.qde`` (``origin=
            "Stancemark"``) and ``sources/*.txt``
folder      a real folder that is empty or holds only the files one
            multi-file format writes, all regular files: csv
            (``claims/mentions/sentiment/actors.csv``, each starting with
            its header), Label Studio (``tasks.json``, ``config.xml``), XMI
            (``TypeSystem.xml``, ``<uid>[-annotator].xmi``), brat
            (``annotation.conf`` and annotator folders of
            ``article-<id>.txt/.ann``)
zip         a regular file that is a zip whose members all sit in the one
            folder ``<name without .zip>/`` and follow one of the folder
            layouts above (names only)
==========  ==================================================================

Never replaced, with or without ``force``: the open project (compared by
device and inode, so hard links, symbolic links and other spellings of its
path are caught; a folder holding it counts too), a symbolic link, a device,
FIFO, socket or anything else that is not a regular file or folder, and
anything not recognised above.

Temporary files and folders are named ``.NAME.sm-<pid>-<host>-<token>.tmp``
(``.old`` while an old folder steps aside), so the next export to the same
output can tell its own leftovers from a running export's: a leftover whose
writer process (same host, that pid) is gone is removed, and an ``.old`` one
whose output is missing is put back, since it is the previous export.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import stat
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from stancemark.core.errors import StancemarkError

#: Kinds of output (see ``services.exchange.output_kind``).
FILE, FOLDER, ZIP = "file", "folder", "zip"

_HEAD_BYTES = 64 * 1024
_CSV_FILES = ("claims.csv", "mentions.csv", "sentiment.csv", "actors.csv")
# annotator parts are exchange.common.safe_name's output: any script, no separators
_XMI_NAME = re.compile(r"[0-9a-f]{12}(-[^/\\\x00-\x1f.][^/\\\x00-\x1f]*)?\.xmi")
_BRAT_FOLDER = re.compile(r"[^/\\\x00-\x1f.][^/\\\x00-\x1f]*")
_BRAT_FILE = re.compile(r"article-[0-9]+\.(txt|ann)")
_NAME_KEEP = 100  # characters of the output name kept in temporary names


# -- refusals -------------------------------------------------------------------

class TargetError(StancemarkError):
    """The output path cannot be written or replaced."""


def _describe_mode(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a file"
    return "a special file"


def _project_ids(project: Path | None) -> set[tuple[int, int]]:
    if project is None:
        return set()
    try:
        st = os.stat(project)
    except OSError:
        return set()
    return {(st.st_dev, st.st_ino)}


def check_folder(folder: Path) -> None:
    """Refuse, with the reason, an output folder that is missing or cannot be written in."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        raise TargetError(f"The folder {folder} does not exist.",
                          "Create it first or choose another place.") from None
    except PermissionError:
        raise TargetError(f"The folder {folder} cannot be reached: permission denied.",
                          "Choose a folder you may open, or ask for access.") from None
    except OSError as exc:
        raise TargetError(f"The folder {folder} cannot be reached: {exc.strerror or exc}.",
                          "Choose another place.") from None
    if not stat.S_ISDIR(st.st_mode):
        raise TargetError(f"{folder} is not a folder.", "Choose another place.")
    effective = os.access in os.supports_effective_ids  # set-uid tools: the user who runs us
    if not os.access(folder, os.W_OK | os.X_OK, effective_ids=effective):
        raise TargetError(f"You may not write in the folder {folder}.",
                          "Choose a folder you may write to.")


def check_target(out: Path, kind: str, project: Path | None, *, force: bool) -> bool:
    """Check that an export may be written to ``out``; True when it exists and will go.

    Raises :class:`TargetError` naming the reason otherwise (see the module
    docstring for the rules).
    """
    return check_replaceable(out, force=force, ours=lambda p: recognised(p, kind),
                             project=project, folder=kind == FOLDER,
                             ours_is=f"a Stancemark export of this kind ({kind})",
                             writer="an export")


def check_replaceable(out: Path, *, force: bool, ours: Callable[[Path], bool],
                      project: Path | None = None, folder: bool = False,
                      ours_is: str = "an earlier output of this command",
                      writer: str = "this command") -> bool:
    """The one rule for any command's output; True when ``out`` exists and may go.

    An existing ``out`` is replaced only with ``force`` and only when ``ours(out)``
    says it is ``ours_is`` (a folder only when ``folder``); never the open project
    (by device and inode, through links too), a link, a device or anything else.
    """
    check_folder(out.parent)
    try:
        st = os.lstat(out)
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise TargetError(f"Cannot look at {out}: {exc.strerror or exc}.",
                          "Choose another name.") from None
    ids = _project_ids(project)
    if (st.st_dev, st.st_ino) in ids or (stat.S_ISLNK(st.st_mode) and _stat_ids(out) & ids):
        raise TargetError(f"{out} is the open project.", "Choose another name.")
    if stat.S_ISLNK(st.st_mode) or not (stat.S_ISDIR(st.st_mode) if folder
                                        else stat.S_ISREG(st.st_mode)):
        if not folder and stat.S_ISDIR(st.st_mode):
            raise TargetError(f"{out} is a folder; {writer} writes one file.",
                              "Give a file name.")
        raise TargetError(f"{out} is {_describe_mode(st.st_mode)}; {writer} never replaces "
                          "it.", "Choose another name.")
    try:
        theirs = not ours(out)
    except (OSError, ValueError):
        theirs = True
    if theirs:
        raise TargetError(f"{out} already exists and is not {ours_is}; it is never replaced.",
                          "Choose another name, or move it away first.")
    if not force:
        raise TargetError(f"{out} already exists.",
                          "Choose another name, or overwrite it (--force).")
    if folder and _holds(out, ids):
        raise TargetError(f"The folder {out} holds the open project.", "Choose another name.")
    return True


def _stat_ids(path: Path) -> set[tuple[int, int]]:
    try:
        st = os.stat(path)
    except OSError:
        return set()
    return {(st.st_dev, st.st_ino)}


def _holds(folder: Path, ids: set[tuple[int, int]]) -> bool:
    if not ids:
        return False
    for root, dirs, files in os.walk(folder):
        for name in (*dirs, *files):
            try:
                st = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            if (st.st_dev, st.st_ino) in ids:
                return True
    return False


# -- recognising our own exports --------------------------------------------------

def recognised(out: Path, kind: str) -> bool:
    """Whether ``out`` is a previous Stancemark export of shape ``kind``."""
    try:
        if kind == FOLDER:
            return _folder_is_ours(out)
        head = _head(out)
        if not head:
            return kind == FILE
        if kind == ZIP:
            return _zip_is_ours(out, out.stem)
        return any(test(out, head) for test in _FILE_TESTS)
    except (OSError, ValueError, zipfile.BadZipFile, RecursionError):
        return False


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(_HEAD_BYTES)


def _first_json(head: bytes) -> dict[str, object] | None:
    line = head.split(b"\n", 1)[0]
    try:
        value = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _is_jsonl(path: Path, head: bytes) -> bool:
    obj = _first_json(head)
    return obj is not None and "stancemark" in obj and "kind" in obj


def _is_doccano(path: Path, head: bytes) -> bool:
    obj = _first_json(head)
    return obj is not None and "text" in obj and "article_uid" in obj


def _is_conll(path: Path, head: bytes) -> bool:
    return head.startswith((b"# Stancemark CoNLL", b"-DOCSTART-"))


def _is_conll_documents(path: Path, head: bytes) -> bool:
    obj = _first_json(head)
    return obj is not None and "conll_document" in obj and "article_uid" in obj


def _is_graphml(path: Path, head: bytes) -> bool:
    return head.startswith(b"<?xml") and b"<graphml" in head and b'<graph id="stancemark-' in head


def _is_qdpx(path: Path, head: bytes) -> bool:
    if not head.startswith(b"PK"):
        return False
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        if "project.qde" not in names:
            return False
        if any(n != "project.qde" and not (n.startswith("sources/") and n.endswith(".txt")
                                           and "/" not in n[8:]) for n in names):
            return False
        with zf.open("project.qde") as fh:
            return b'origin="Stancemark"' in fh.read(4096)


def _is_inception(path: Path, head: bytes) -> bool:
    if not head.startswith(b"PK"):
        return False
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        if "exportedproject-stancemark.json" not in names:
            return False
        if any(n != "exportedproject-stancemark.json"
               and not (n.startswith("source/") and n.endswith(".xmi") and "/" not in n[7:])
               for n in names):
            return False
        with zf.open("exportedproject-stancemark.json") as fh:
            return b'"application_name": "Stancemark"' in fh.read()


_FILE_TESTS: tuple[Callable[[Path, bytes], bool], ...] = (
    _is_jsonl, _is_doccano, _is_conll, _is_conll_documents, _is_graphml, _is_qdpx,
    _is_inception)


def _layout_ok(files: list[PurePosixPath]) -> bool:
    """Whether relative file paths are exactly what one multi-file format writes."""
    if not files:
        return True
    top = {p.name for p in files if len(p.parts) == 1}
    nested = [p for p in files if len(p.parts) > 1]
    if not nested:
        if top <= set(_CSV_FILES):
            return True
        if top <= {"tasks.json", "config.xml"}:
            return True
        if all(n == "TypeSystem.xml" or _XMI_NAME.fullmatch(n) for n in top):
            return True
    if top <= {"annotation.conf"}:
        return all(len(p.parts) == 2 and _BRAT_FOLDER.fullmatch(p.parts[0])
                   and _BRAT_FILE.fullmatch(p.parts[1]) for p in nested)
    return False


_TOP_NAMES = frozenset({*_CSV_FILES, "tasks.json", "config.xml", "TypeSystem.xml",
                        "annotation.conf"})


def _folder_is_ours(folder: Path) -> bool:
    files: list[PurePosixPath] = []
    for root, dirs, names in os.walk(folder):
        nested = root != str(folder)
        if nested and (dirs or os.path.dirname(root) != str(folder)):
            return False  # brat has one level of annotator folders, nothing deeper
        for name in dirs:
            if not stat.S_ISDIR(os.lstat(os.path.join(root, name)).st_mode) \
                    or not _BRAT_FOLDER.fullmatch(name):
                return False
        for name in names:
            path = os.path.join(root, name)
            if nested and not _BRAT_FILE.fullmatch(name):
                return False
            if not nested and name not in _TOP_NAMES and not _XMI_NAME.fullmatch(name):
                return False
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return False
            files.append(PurePosixPath(os.path.relpath(path, folder).replace(os.sep, "/")))
    if not _layout_ok(files):
        return False
    # csv tables must start with their own header, so a thesis named claims.csv survives
    for p in files:
        if p.name in _CSV_FILES and len(p.parts) == 1:
            head = _head(folder / p.name)[:200].decode("utf-8-sig", "replace")
            if not head.startswith(("article_uid,", "name,type,")):
                return False
    return True


def _zip_is_ours(path: Path, stem: str) -> bool:
    with zipfile.ZipFile(path) as zf:
        files: list[PurePosixPath] = []
        for info in zf.infolist():
            if info.is_dir():
                continue
            p = PurePosixPath(info.filename)
            if len(p.parts) < 2 or p.parts[0] != stem or ".." in p.parts:
                return False
            files.append(PurePosixPath(*p.parts[1:]))
    return _layout_ok(files)


# -- temporary names and stale leftovers ---------------------------------------------

def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname())[:40] or "host"


def _stem(out: Path) -> str:
    return f".{out.name[:_NAME_KEEP]}.sm-"


def temp_path(out: Path, suffix: str = "tmp") -> Path:
    """A fresh name beside ``out`` that records this process (see the module docstring)."""
    token = secrets.token_hex(4)
    return out.with_name(f"{_stem(out)}{os.getpid()}-{_host()}-{token}.{suffix}")


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine; when unsure, True (keep its files)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, belongs to someone else
    return True


def _windows_pid_alive(pid: int) -> bool:
    try:
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            # ERROR_INVALID_PARAMETER: no such process
            return ctypes.get_last_error() != 87  # type: ignore[attr-defined]
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(handle)
    except Exception:  # noqa: BLE001 - any doubt keeps the files
        return True


def _remove_tree(path: Path) -> None:
    try:
        st = os.lstat(path)
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            os.unlink(path)
        except OSError:
            pass


def clean_stale(out: Path) -> list[Path]:
    """Remove the leftovers of exports to ``out`` whose process died; returns what went."""
    stem = _stem(out)
    pattern = re.compile(re.escape(stem) + r"([0-9]+)-([A-Za-z0-9_]+)-[0-9a-f]+\.(tmp|old)")
    host = _host()
    gone: list[Path] = []
    try:
        names = [n for n in os.listdir(out.parent) if n.startswith(stem)]
    except OSError:
        return gone
    for name in sorted(names, key=lambda n: not n.endswith(".old")):
        match = pattern.fullmatch(name)
        if not match or match.group(2) != host or _pid_alive(int(match.group(1))):
            continue
        path = out.parent / name
        if match.group(3) == "old" and not os.path.lexists(out):
            # killed between moving the old export aside and moving the new one in
            try:
                os.replace(path, out)
                continue
            except OSError:
                pass
        _remove_tree(path)
        gone.append(path)
    return gone


# -- outputs of other commands (reports, agreement, networks, DNA files) ------------------

def starts_with(test: Callable[[bytes], bool]) -> Callable[[Path], bool]:
    """An ``ours`` test for :func:`check_replaceable` that reads the file's first bytes."""
    return lambda path: test(_head(path))


def write_text_output(out: str | Path, text: str, *, force: bool,
                      ours: Callable[[bytes], bool], project: Path | None = None) -> Path:
    """Write ``text`` to ``out`` under the export rules (:func:`check_replaceable`, on the
    file's first bytes), through a temporary file beside it (umask permissions)."""
    path = Path(out).expanduser().absolute()
    check_replaceable(path, force=force, ours=starts_with(ours), project=project)
    tmp = temp_path(path)
    try:
        with open(tmp, "x", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TargetError(f"Cannot write {path}: {exc.strerror or exc}.",
                          "Check the folder and the free space.") from None
    return path
