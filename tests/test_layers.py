"""The design's layer rules, checked: no Qt outside ui/, no SQL writes outside store/."""

from __future__ import annotations

import pkgutil
import re
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


_SQL_WRITE = re.compile(r"""["'](?:\s*)(INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|"""
                        r"""CREATE\s+(TABLE|INDEX)|DROP\s+TABLE|ALTER\s+TABLE)""", re.I)


def test_only_store_writes_sql() -> None:
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        rel = path.relative_to(PACKAGE_DIR)
        if rel.parts[0] == "store":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _SQL_WRITE.search(line):
                offenders.append(f"{rel}:{n}: {line.strip()}")
    assert offenders == []


def test_core_imports_nothing_of_ours_but_core() -> None:
    for path in (PACKAGE_DIR / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        others = re.findall(r"^\s*(?:from|import) stancemark\.(\w+)", text, re.M)
        assert set(others) <= {"core"}, f"{path.name} imports {others}"
