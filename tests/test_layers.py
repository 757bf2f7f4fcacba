"""The design's layer rules: import contracts (import-linter), and Qt never loaded headless."""

from __future__ import annotations

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import stancemark

PACKAGE_DIR = Path(stancemark.__file__).parent


def non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="stancemark."):
        if info.name.startswith(("stancemark.ui", "stancemark._resources")):
            continue
        if info.name in ("stancemark.__main__", "stancemark.app"):
            continue  # entry points: they start the window on purpose
        names.append(info.name)
    return names


def test_importing_every_non_ui_module_leaves_qt_out() -> None:
    modules = non_ui_modules()
    assert "stancemark.store.project" in modules and "stancemark.articles" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print(','.join(leaked))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "", f"Qt imported by a non-ui module: {out.stdout}"


def test_import_contracts_hold() -> None:
    """The layers, Qt only in ui/, SQLite only in store/ (contracts in pyproject.toml)."""
    root = PACKAGE_DIR.parents[1]
    out = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command;"
                          "lint_imports_command()"], cwd=root, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(PACKAGE_DIR.parent)})
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout
