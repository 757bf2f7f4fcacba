"""A full disk: a clear error, nothing saved lost, the project still opens and checks clean.

Needs a small filesystem of its own: a tmpfs mount when run as root (CI is);
skipped otherwise.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from stancemark.core.errors import ProjectError
from stancemark.core.models import ArticleDraft
from stancemark.store import open_project


@pytest.fixture
def small_disk(tmp_path: Path):
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    mnt = tmp_path / "small"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt)],
                         capture_output=True, text=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount tmpfs here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_disk_full_loses_nothing_saved(small_disk: Path) -> None:
    project = small_disk / "p.stancemark"
    saved = 0
    error = None
    with open_project(project, create=True) as s:
        for i in range(10_000):
            try:
                s.articles.add(ArticleDraft(text=f"Article {i}. " + "Kurti said no. " * 300))
            except ProjectError as exc:
                error = exc
                break
            saved += 1
        assert error is not None, "the disk never filled up"
        assert "disk" in str(error) and "full" in str(error)
        assert "nothing saved was lost" in str(error)
        # the session stays usable for reading
        assert s.counts()["articles"] == saved
    # make room, reopen: everything confirmed is there and the file checks clean
    for leftover in small_disk.glob("*.bak"):
        leftover.unlink()
    with open_project(project, read_only=True) as s:
        assert s.integrity_ok()
        assert s.counts()["articles"] == saved
