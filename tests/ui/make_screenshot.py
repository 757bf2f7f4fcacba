"""Build the README screenshot: the sample articles, analysed as an analyst would, rendered.

``.venv/bin/python -m tests.ui.make_screenshot [docs/screenshot.png]`` makes a
project in a temporary folder, seeds it like the demo project (actors, claims and
sentiment on the grain port article, through the services the window uses), and runs
``stancemark --screenshot`` on it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def build(path: Path) -> None:
    from stancemark.services.demo import sample_files, seed_demo_annotations
    from stancemark.services.importing import import_paths
    from stancemark.store import open_project

    with open_project(path, create=True) as store:
        import_paths(store, sample_files())
        seed_demo_annotations(store, "maria")


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[0] if argv else "docs/screenshot.png").absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["HOME"] = tmp  # keep the real settings out of it
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        project = Path(tmp) / "analysis.stancemark"
        build(project)
        from stancemark.cli import main as cli_main

        return cli_main(["--screenshot", str(out), str(project)])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
