"""Find the ``resources/`` folder: in a PyInstaller bundle, an installed wheel, or a checkout.

The wheel ships the top-level ``resources/`` as the data package
``stancemark._resources`` (see ``setup.py``); a bundle carries it as
``resources/`` beside the unpacked code; a source checkout has it two levels
above the package. :func:`resources_dir` is the only place that knows this.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """The folder holding icons, the default codebook, sample articles and styles."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "resources"
    package = Path(__file__).resolve().parents[1]  # …/stancemark
    for candidate in (package / "_resources", package.parents[1] / "resources"):
        if (candidate / "samples").is_dir():
            return candidate
    raise FileNotFoundError(
        "Stancemark's resources folder is missing; reinstall Stancemark."
    )


def resource(*parts: str) -> Path:
    """Path of one resource file, e.g. ``resource("icons", "stancemark.svg")``."""
    return resources_dir().joinpath(*parts)
