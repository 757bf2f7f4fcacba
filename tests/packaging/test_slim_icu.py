"""The trimmed ICU data still serves what Qt asks ICU for (collation, case mapping)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "packaging"))
from slim_icu import slim_icudata, tools_missing  # noqa: E402

CHECK = r"""
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QCollator, QLocale
from PySide6.QtWidgets import QApplication
app = QApplication([])
words = ["Zoran", "Čeda", "Ana", "Ćirić", "Đorđe"]
coll = QCollator(QLocale("sr_Latn"))
print(sorted(words, key=lambda w: [coll.compare(w, o) for o in words].count(1)))
print(QLocale("tr").toUpper("istanbul"), QLocale("de").toUpper("straße"))
print(sorted(words, key=QCollator(QLocale("de")).sortKey))
"""


@pytest.mark.slow
def test_trimmed_library_keeps_what_qt_uses(tmp_path: Path) -> None:
    if tools_missing():
        pytest.skip(f"needs {', '.join(tools_missing())} (apt-get install icu-devtools)")
    import PySide6

    [original] = list((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    slim = slim_icudata(original, tmp_path)
    assert slim is not None
    assert slim.stat().st_size < original.stat().st_size / 2

    def run(preload: Path | None) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ)
        if preload is not None:
            env["LD_PRELOAD"] = str(preload)  # same soname: it stands in for Qt's copy
        return subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                              env=env, check=True)

    full, trimmed = run(None), run(slim)
    assert trimmed.stdout == full.stdout
    assert "Could not create collator" not in trimmed.stderr
    assert "İSTANBUL STRASSE" in trimmed.stdout
