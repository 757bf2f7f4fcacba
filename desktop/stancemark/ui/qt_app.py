"""QApplication set-up and the choice of project at start."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from stancemark import APP_NAME, __version__
from stancemark.core.errors import ProjectLockedError, StancemarkError
from stancemark.store import Store, open_project


def default_demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "demo.stancemark"


def settings() -> QSettings:
    return QSettings(APP_NAME, APP_NAME)


def open_store(path: Path | None, read_only: bool) -> Store:
    """The project to show: the one given, else the last one, else the demo project."""
    from stancemark.services.demo import create_demo_project

    if path is None:
        last = settings().value("recent/last", "", str)
        if last and Path(last).exists():
            path = Path(last)
    if path is None:
        return create_demo_project(default_demo_path())
    try:
        return open_project(path, create=not path.exists(), read_only=read_only)
    except ProjectLockedError:
        return open_project(path, read_only=True)


def _report_shown(app: QApplication) -> None:
    """Startup benchmark hook: print seconds since the process started, then quit.

    The start is ``STANCEMARK_T0`` (epoch seconds, set by whoever spawned us, so a
    one-file build's unpacking counts) or else the kernel's process start time.
    """
    t0 = os.environ.get("STANCEMARK_T0")
    if t0:
        elapsed = time.time() - float(t0)
    else:
        try:
            ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
            uptime = float(Path("/proc/uptime").read_text().split()[0])
            elapsed = uptime - ticks / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            elapsed = time.process_time()
    print(f"shown {elapsed:.3f}", flush=True)
    app.quit()


def launch(project: Path | None, *, read_only: bool = False,
           screenshot: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    from stancemark.ui.fonts import ensure_font

    ensure_font(app)
    from stancemark.ui.main_window import MainWindow

    try:
        store = open_store(project, read_only)
    except StancemarkError as exc:
        if screenshot is not None:
            print(f"{APP_NAME}: error: {exc}", file=sys.stderr)
            return 1
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    window = MainWindow(store)
    window.show()
    if os.environ.get("STANCEMARK_STARTUP_PROBE") == "1":
        QTimer.singleShot(0, lambda: _report_shown(app))
    if screenshot is not None:
        window.resize(1400, 860)

        def shoot() -> None:
            window.grab().save(str(screenshot))
            app.quit()

        QTimer.singleShot(200, shoot)
    code = app.exec()
    store.close()
    return int(code)
