"""QApplication set-up, the choice of project at start, recent projects and the screenshot mode.

``launch`` is what ``stancemark [PROJECT]`` runs: no project opens the last one
(or, on the very first run, a demo project in the user data folder); a project
held by another Stancemark opens read-only. ``--screenshot PATH`` renders the
window offscreen to a PNG and exits.
"""

from __future__ import annotations

import getpass
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from stancemark import APP_NAME, __version__
from stancemark.core.errors import ProjectLockedError, StancemarkError
from stancemark.store import Store, open_project

#: Set to make the app print ``shown <seconds>`` when the window first appears, then quit.
STARTUP_PROBE_ENV = "STANCEMARK_STARTUP_PROBE"
MAX_RECENT = 10
#: why a project opens read-only when another Stancemark is writing to it
HELD_ELSEWHERE = "another Stancemark window has it open for writing"
_windows: list = []  # open MainWindows (Qt would otherwise let them be collected)


def default_demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "demo.stancemark"


def settings() -> QSettings:
    """The one home of window state, recent files and the annotator name."""
    return QSettings(APP_NAME, APP_NAME)


def recent_projects() -> list[Path]:
    value = settings().value("recent/files", [])
    items: list[str] = [value] if isinstance(value, str) else \
        [str(v) for v in value] if isinstance(value, list) else []
    return [Path(p) for p in items if p and Path(p).exists()]


def remember_project(path: Path | None) -> None:
    if path is None:
        return
    s = settings()
    items = [str(path)] + [str(p) for p in recent_projects() if p != path]
    s.setValue("recent/files", items[:MAX_RECENT])
    s.setValue("recent/last", str(path))


def open_store(path: Path | None, read_only: bool) -> Store:
    """The project to show: the one given, else the last one, else the demo project."""
    from stancemark.services.demo import create_demo_project

    if path is None:
        last = str(settings().value("recent/last", "") or "")
        if last and Path(last).exists():
            path = Path(last)
    if path is None:
        return create_demo_project(default_demo_path())
    try:
        store = open_project(path, create=not path.exists(), read_only=read_only)
    except ProjectLockedError:
        store = open_project(path, read_only=True)
        store.read_only_reason = HELD_ELSEWHERE  # why, for the banner: not just "read-only"
        return store
    if read_only and store.read_only_reason in (None, "opened read-only"):
        store.read_only_reason = "you asked for it with --read-only"
    return store


def ask_annotator() -> str:
    """The annotator name: remembered, or asked once (default: the OS user name)."""
    s = settings()
    name = str(s.value("annotator", "") or "")
    if name:
        return name
    default = getpass.getuser()
    name, ok = QInputDialog.getText(
        None, APP_NAME, "Your name as annotator (stored with every annotation):", text=default)
    name = name.strip() if ok and name.strip() else default
    s.setValue("annotator", name)
    return name


def open_window(path: Path | None, *, read_only: bool = False,
                annotator: str | None = None):  # noqa: ANN201 - MainWindow, imported lazily
    """Open ``path`` in a new window (raises StancemarkError if it cannot be opened)."""
    from stancemark.ui.main_window import MainWindow

    store = open_store(path, read_only)
    window = MainWindow(store, annotator, owns_store=True)
    _windows.append(window)
    window.destroyed.connect(lambda _o=None, w=window: _windows.remove(w)
                             if w in _windows else None)
    remember_project(store.path)
    window.show()
    return window


def _style(app: QApplication) -> None:
    from stancemark.core.resources import resource

    app.setStyle("Fusion")
    try:
        qss = resource("styles", "stancemark.qss")
        if qss.is_file():
            app.setStyleSheet(qss.read_text(encoding="utf-8"))
        icon = resource("icons", "stancemark.svg")
        if icon.is_file():
            app.setWindowIcon(QIcon(str(icon)))
    except FileNotFoundError:
        pass


def make_app() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    _style(app)
    return app


def launch(project: Path | None, *, read_only: bool = False,
           screenshot: Path | None = None) -> int:
    started = time.perf_counter()
    app = make_app()
    from stancemark.ui.main_window import MainWindow

    try:
        store = open_store(project, read_only)
    except StancemarkError as exc:
        if screenshot is not None or os.environ.get(STARTUP_PROBE_ENV):
            print(f"{APP_NAME}: error: {exc}", file=sys.stderr)
            return 1
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    if screenshot is not None:
        return _screenshot(app, store, screenshot)
    annotator = "probe" if os.environ.get(STARTUP_PROBE_ENV) else ask_annotator()
    window = MainWindow(store, annotator, owns_store=True)
    _windows.append(window)
    remember_project(store.path)
    window.show()
    if os.environ.get(STARTUP_PROBE_ENV):
        def probe() -> None:
            print(f"shown {time.perf_counter() - started:.3f}", flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(0, probe)
    code = app.exec()
    return int(code)


def _screenshot(app: QApplication, store: Store, path: Path) -> int:
    from stancemark.ui.main_window import MainWindow

    # show the work of whoever annotated the project, unless an annotator is set here
    annotator = str(settings().value("annotator", "") or "") or \
        next(iter(store.annotators()), "demo")
    window = MainWindow(store, annotator, owns_store=True)
    window.persist_state = False
    window.resize(1440, 900)
    window.show()
    window.prepare_screenshot()
    window.suggestions.current()  # paint the suggestions now, not when the worker is done
    app.processEvents()
    ok = window.grab().save(str(path), "PNG")
    window.close()
    if not ok:
        print(f"{APP_NAME}: error: cannot write {path}.", file=sys.stderr)
        return 1
    return 0
