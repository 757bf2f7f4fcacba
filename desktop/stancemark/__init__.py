"""Stancemark: annotate actors, claims and sentiment in news articles."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("stancemark")
except _metadata.PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"

APP_NAME = "Stancemark"
PROJECT_SUFFIX = ".stancemark"
