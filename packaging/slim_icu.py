"""Trim the ICU data library that PySide6 ships on Linux (32 MB, a quarter of the bundle).

Qt loads ICU for collation, case mapping, text boundaries and legacy codecs. It
never asks ICU for what most of the data is: localised names of units,
currencies, time zones, languages and regions, transliterators, spelled-out
numbers, and some 180 legacy code pages. This rebuilds ``libicudata.so.NN``
without those items (32 MB → 12 MB), which makes the one-file build smaller and
quicker to unpack at every start.

Needs ICU's ``icupkg`` and ``genccode`` (Debian: ``icu-devtools``) and a C
compiler; without them the build keeps the full library and says so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

#: Item folders no Qt function reads (ICU locale display data and friends).
DROP_FOLDERS = ("unit/", "curr/", "zone/", "lang/", "region/", "translit/", "rbnf/")
#: Code-page tables kept (the rest go): the Western and Cyrillic ones a news text may use.
KEEP_CONVERTERS = re.compile(
    r"^(windows-125[0-8]|iso-8859_|ibm-5348|ibm-1250|ibm-1251|ibm-1252|ibm-91[2-5]_|ibm-819_)")


def tools_missing() -> list[str]:
    return [t for t in ("icupkg", "genccode", "gcc", "objcopy") if shutil.which(t) is None]


def _data_of(library: Path, symbol: str) -> bytes:
    """The bytes of the exported data symbol (the ICU common data package)."""
    out = subprocess.run(["nm", "-D", "-S", str(library)], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] == symbol:
            address, size = int(parts[0], 16), int(parts[1], 16)
            break
    else:
        raise ValueError(f"{library.name} exports no {symbol}")
    sections = subprocess.run(["readelf", "-S", "-W", str(library)], capture_output=True,
                              text=True, check=True).stdout
    for line in sections.splitlines():
        m = re.search(r"\.rodata\s+PROGBITS\s+([0-9a-f]+)\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            vaddr, offset = int(m.group(1), 16), int(m.group(2), 16)
            start = offset + (address - vaddr)
            return library.read_bytes()[start:start + size]
    raise ValueError(f"{library.name} has no .rodata section")


def slim_icudata(library: Path, workdir: Path) -> Path | None:
    """Write a trimmed copy of ``library`` (``libicudata.so.NN``) to ``workdir``.

    Returns its path, or None (with the reason printed) when it cannot be made;
    the caller then bundles the original.
    """
    missing = tools_missing()
    if missing:
        print(f"slim_icu: keeping the full ICU data ({', '.join(missing)} not found; "
              "apt-get install icu-devtools)")
        return None
    m = re.match(r"libicudata\.so\.(\d+)", library.name)
    if m is None:
        return None
    version = m.group(1)
    package = f"icudt{version}l"  # items inside are named "<package>/<item>"
    work = workdir / "icu"
    shutil.rmtree(work, ignore_errors=True)
    (work / "out").mkdir(parents=True)
    full = work / f"{package}.dat"
    full.write_bytes(_data_of(library, f"icudt{version}_dat"))
    items = subprocess.run(["icupkg", "-l", str(full)], capture_output=True, text=True,
                           check=True).stdout.split()
    drop = [i for i in items if i.startswith(DROP_FOLDERS)
            or (i.endswith(".cnv") and not KEEP_CONVERTERS.match(i))]
    (work / "drop.txt").write_text("\n".join(drop) + "\n", encoding="ascii")
    # the output must carry the package's own name: icupkg names the items after it
    slim = work / "out" / f"{package}.dat"
    subprocess.run(["icupkg", "-r", str(work / "drop.txt"), str(full), str(slim)], check=True,
                   capture_output=True)
    subprocess.run(["genccode", "-q", "-a", "gcc", "-e", f"icudt{version}", "-d",
                    str(work / "out"), str(slim)], check=True)
    target = work / library.name
    subprocess.run(["gcc", "-shared", "-nostdlib", f"-Wl,-soname,{library.name}", "-o",
                    str(target), str(work / "out" / f"{package}_dat.S")], check=True)
    print(f"slim_icu: {library.name} {library.stat().st_size / 2**20:.1f} MB -> "
          f"{target.stat().st_size / 2**20:.1f} MB ({len(drop)} of {len(items)} items dropped)")
    return target
