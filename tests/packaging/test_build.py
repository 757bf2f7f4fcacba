"""Build the one-file executable and run its self-test (slow; ``.ci/run`` runs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The target; the build is ~46 MB now that agreement needs no numpy (README, "Build").
BUDGET_MB = 60

pytest.importorskip("PyInstaller", reason="pip install -e '.[test]' brings PyInstaller")


@pytest.fixture(scope="module")
def onefile(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--onefile", "--quiet",
         "--dist", str(dist), "--work", str(dist.parent / "pyi-work")],
        capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    exe = dist / ("stancemark.exe" if sys.platform == "win32" else "stancemark")
    if sys.platform == "darwin":
        exe = dist / "Stancemark.app" / "Contents" / "MacOS" / "stancemark"
    assert exe.is_file()
    return exe


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"))
    return env


@pytest.mark.slow
def test_onefile_executable_passes_its_self_test(onefile, tmp_path):
    result = subprocess.run([str(onefile), "--self-test"], env=_env(tmp_path), cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    from stancemark.selftest import STEPS

    lines = [line for line in result.stdout.splitlines() if line.startswith("[")]
    assert [line.split(" (")[0] for line in lines] == [f"[ok] {name}" for name, _ in STEPS], \
        result.stdout
    assert "(executable," in result.stdout


@pytest.mark.slow
def test_onefile_executable_is_within_budget_and_knows_its_version(onefile, tmp_path):
    import tomllib

    size_mb = onefile.stat().st_size / 1e6
    assert size_mb <= BUDGET_MB, f"one-file build is {size_mb:.1f} MB (budget {BUDGET_MB} MB)"
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    result = subprocess.run([str(onefile), "--version"], env=_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.strip() == f"Stancemark {version}"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("unshare") is None,
                    reason="needs Linux mount namespaces")
def test_a_missing_system_library_is_named(onefile, tmp_path):
    """Hide libEGL (an empty file mounted over it, in a private mount namespace)."""
    egl = next((p for p in (Path("/usr/lib/x86_64-linux-gnu/libEGL.so.1"),
                            Path("/usr/lib64/libEGL.so.1"), Path("/usr/lib/libEGL.so.1"))
                if p.exists()), None)
    if egl is None:
        pytest.skip("no libEGL.so.1 here to hide")
    empty = tmp_path / "empty.so"
    empty.write_bytes(b"")
    script = f"mount --bind {empty} {egl} && exec {onefile}"
    result = subprocess.run(["unshare", "-m", "sh", "-c", script], env=_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    if "mount" in result.stderr and result.returncode != 3:
        pytest.skip(f"cannot make a mount namespace here: {result.stderr.strip()}")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "libEGL.so.1 is missing" in result.stderr and "libegl1" in result.stderr
