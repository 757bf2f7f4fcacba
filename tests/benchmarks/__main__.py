"""Run the benchmarks and print one table: ``python -m tests.benchmarks [NAME ...]``.

Every ``bench_*.py`` module here has ``main() -> list[dict]``; each dict is one
row with at least ``benchmark``, ``metric``, ``value`` and ``unit``, and where
an issue sets one, ``target`` and ``ok``.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def discover() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)])
                  if m.name.startswith("bench_"))


def format_value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if value < 100 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def print_table(rows: list[dict]) -> None:
    cols = ["benchmark", "metric", "value", "unit", "target", "ok"]
    table = [[format_value(r.get(c, "")) if c != "ok" else
              ("" if "ok" not in r else ("yes" if r["ok"] else "NO")) for c in cols]
             for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in table)) for i, c in enumerate(cols)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
    print(line)
    print("  ".join("-" * w for w in widths))
    for row in table:
        print("  ".join(v.rjust(w) if i == 2 else v.ljust(w)
                        for i, (v, w) in enumerate(zip(row, widths, strict=True))))


def main(argv: list[str]) -> int:
    names = [a if a.startswith("bench_") else f"bench_{a}" for a in argv] or discover()
    rows: list[dict] = []
    for name in names:
        start = time.perf_counter()
        print(f"== {name}", file=sys.stderr, flush=True)
        module = importlib.import_module(f"tests.benchmarks.{name}")
        rows.extend(module.main())
        print(f"   {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    print()
    print_table(rows)
    return 0 if all(r.get("ok", True) for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
