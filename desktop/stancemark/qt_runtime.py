"""Which system libraries Qt's platform plugin needs, and which of them are missing.

Qt aborts the whole process (no exception to catch) when the platform plugin it
picked cannot be loaded, and its message names the wrong library. So before the
window starts, the plugin Qt will use (xcb on X11, wayland on a Wayland session) is
read as an ELF file: its ``DT_NEEDED`` entries, and those of the Qt libraries it
pulls in, are the libraries to load; each one outside Qt's own folder is tried with
the system's loader. Nothing here imports Qt.

The same reading gives the list of Debian packages the desktop needs
(``packaging/system-deps.sh``; ``tests/packaging/test_system_deps.py`` keeps the two
in step).
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import struct
import sys
from pathlib import Path

_DT_NEEDED = 1
_SHT_DYNAMIC = 6

#: Debian package names that the soname rule below does not give.
_PACKAGE_EXCEPTIONS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libgio-2.0.so.0": "libglib2.0-0",
    "libgmodule-2.0.so.0": "libglib2.0-0",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libz.so.1": "zlib1g",
}
#: Provided by the C library itself (always there).
_LIBC = ("libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so", "ld-linux")


def needed(path: Path) -> list[str]:
    """The ``DT_NEEDED`` sonames of a 64-bit little-endian ELF file ([] for anything else)."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        return []
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
                for i in range(shnum)]
    names: list[str] = []
    for _name, kind, _flags, _addr, offset, size, link, _info, _align, entsize in sections:
        if kind != _SHT_DYNAMIC:
            continue
        strtab = sections[link][4]
        for pos in range(offset, offset + size, entsize or 16):
            tag, value = struct.unpack_from("<qQ", data, pos)
            if tag == 0:
                break
            if tag == _DT_NEEDED:
                end = data.index(b"\0", strtab + value)
                names.append(data[strtab + value:end].decode())
    return names


def qt_folder() -> Path | None:
    """PySide6's ``Qt`` folder (plugins and libraries), found without importing Qt."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "Qt"
    return folder if folder.is_dir() else None


def chosen_platform(env: dict[str, str] | None = None) -> str | None:
    """The platform plugin Qt will try first here (None: not a Linux desktop)."""
    env = dict(os.environ) if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    forced = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if forced:
        return forced
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    if env.get("DISPLAY"):
        return "xcb"
    return None


def plugin_libraries(platform: str, qt: Path | None = None) -> list[str]:
    """Every system library the platform plugin needs, directly or through Qt's own."""
    qt = qt or qt_folder()
    if qt is None:
        return []
    plugin = qt / "plugins" / "platforms" / f"libq{platform}.so"
    if not plugin.exists():
        return []
    own = {p.name for p in (qt / "lib").glob("*.so*")}
    seen: set[str] = set()
    system: list[str] = []
    todo = [plugin]
    while todo:
        for name in needed(todo.pop()):
            if name in seen:
                continue
            seen.add(name)
            if name in own:
                todo.append(qt / "lib" / name)
            elif not name.startswith(_LIBC):
                system.append(name)
    return system


def missing_libraries(names: list[str]) -> list[str]:
    """The libraries among ``names`` that the system's loader cannot find."""
    missing = []
    for name in names:
        try:
            ctypes.CDLL(name)
        except OSError:
            missing.append(name)
    return missing


def debian_package(soname: str) -> str:
    """The Debian package that ships ``soname`` (by Debian's library naming rule)."""
    if soname in _PACKAGE_EXCEPTIONS:
        return _PACKAGE_EXCEPTIONS[soname]
    stem, _, version = soname.partition(".so")
    version = version.lstrip(".").split(".")[0]
    name = stem.lower()
    return f"{name}-{version}" if name[-1:].isdigit() else f"{name}{version}"


def check_platform(env: dict[str, str] | None = None, qt: Path | None = None) -> str | None:
    """A one-line message naming what the chosen platform plugin lacks, or None if all is there."""
    platform = chosen_platform(env)
    if platform in (None, "offscreen", "minimal"):
        return None
    missing = missing_libraries(plugin_libraries(platform, qt))
    if not missing:
        return None
    packages = " ".join(sorted({debian_package(m) for m in missing}))
    several = len(missing) > 1
    return (f"Qt's {platform} platform cannot start: the system "
            f"{'libraries' if several else 'library'} {', '.join(missing)} "
            f"{'are' if several else 'is'} missing. Install {'them' if several else 'it'}, "
            f"e.g. `sudo apt-get install {packages}` (or `make system-deps` in a checkout).")


__all__ = ["check_platform", "chosen_platform", "debian_package", "missing_libraries",
           "needed", "plugin_libraries", "qt_folder"]


if __name__ == "__main__":  # the Debian packages of every platform plugin, one line
    print(" ".join(sorted({debian_package(lib) for p in ("xcb", "wayland")
                           for lib in plugin_libraries(p)} - {"libgcc-s1", "libstdc++6"})))
