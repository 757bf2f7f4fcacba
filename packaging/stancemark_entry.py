"""Entry point of the standalone executable: the ``stancemark`` command, with a clear
message instead of a traceback when a system library that Qt needs is missing."""

from __future__ import annotations

import sys


def _main() -> int:
    from stancemark.cli import main

    try:
        return main()
    except ImportError as exc:
        from stancemark.selftest import describe_import_error

        print(f"Stancemark: {describe_import_error(exc)}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    raise SystemExit(_main())
