"""Build the standalone Stancemark executable with PyInstaller (``make build``).

    python packaging/build.py [--onefile | --onedir | --both] [--dist DIR] [--work DIR]

The one-file build is ``DIST/stancemark`` (``stancemark.exe`` on Windows,
``Stancemark.app`` on macOS); the one-folder build is ``DIST/stancemark/``. When both
are asked for, the one-file build goes to ``DIST/onefile/`` and the folder to
``DIST/onedir/``. Prints each result's size and the build time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "stancemark.spec"
NAME = "stancemark"


def size_of(path: Path) -> int:
    """Bytes of a file, or of everything under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def artifact(dist: Path, onefile: bool) -> Path:
    """Where the build of one kind ends up in ``dist``."""
    if sys.platform == "darwin":
        return dist / "Stancemark.app"
    if onefile:
        return dist / (NAME + (".exe" if sys.platform == "win32" else ""))
    return dist / NAME


def build(onefile: bool, dist: Path, work: Path, *, quiet: bool = False) -> tuple[Path, float]:
    """Run PyInstaller once; return the built artifact and the seconds it took."""
    dist.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
           "--distpath", str(dist), "--workpath", str(work),
           "--log-level", "WARN", str(SPEC), "--", "--onefile" if onefile else "--onedir"]
    env = dict(os.environ)
    env.setdefault("PYTHONHASHSEED", "0")  # reproducible archives
    # A private cache: `--clean` in a concurrent build (a test, a benchmark) would
    # otherwise empty the shared ~/.cache/pyinstaller under this one.
    env.setdefault("PYINSTALLER_CONFIG_DIR", str(work / "pyinstaller-cache"))
    started = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, env=env,
                            stdout=subprocess.PIPE if quiet else None,
                            stderr=subprocess.STDOUT if quiet else None, text=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        if quiet and result.stdout:
            sys.stderr.write(result.stdout[-8000:])
        raise SystemExit(f"build: PyInstaller failed (exit {result.returncode}).")
    return artifact(dist, onefile), seconds


def ensure_icu_tools() -> None:
    """Install icu-devtools (for trimming Qt's ICU data) when missing and we may (root, apt)."""
    sys.path.insert(0, str(ROOT / "packaging"))
    from slim_icu import tools_missing

    if not tools_missing() or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return
    print("build: installing icu-devtools to trim Qt's ICU data", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "icu-devtools", "binutils", "gcc"]):
        if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            print("build: could not install icu-devtools; the full ICU data is bundled")
            return


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description=__doc__.splitlines()[0])
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument("--onefile", action="store_true", help="one executable file (default)")
    kind.add_argument("--onedir", action="store_true", help="one folder")
    kind.add_argument("--both", action="store_true", help="both, in DIST/onefile and DIST/onedir")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder")
    parser.add_argument("--work", type=Path, default=None,
                        help="PyInstaller's work folder (default: build/ beside DIST)")
    parser.add_argument("--quiet", action="store_true", help="show PyInstaller's log on error only")
    args = parser.parse_args(argv)
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        print("build: PyInstaller is not installed; run: pip install -e '.[test]'",
              file=sys.stderr)
        return 2
    if sys.platform.startswith("linux"):
        ensure_icu_tools()
    kinds = [True, False] if args.both else [not args.onedir]
    dist = args.dist.resolve()
    work = (args.work or dist.parent / "build").resolve()
    for onefile in kinds:
        target = dist / ("onefile" if onefile else "onedir") if args.both else dist
        out, seconds = build(onefile, target, work / ("onefile" if onefile else "onedir"),
                             quiet=args.quiet)
        label = "one-file" if onefile else "one-folder"
        print(f"{label}: {out} {size_of(out) / 1e6:.1f} MB, built in {seconds:.0f} s")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
