"""--force on the outputs of report, agreement, network and DNA export: the export rule.

An existing output is replaced only when it is an earlier output of the same command:
never somebody's file or folder, a link, a device or the open project.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.services.demo import create_demo_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "demo.stancemark"
    create_demo_project(path).close()
    return path


COMMANDS = {
    "report": lambda p, o: ["report", str(p), "-o", str(o)],
    "network": lambda p, o: ["network", str(p), "--type", "affiliation", "-f", "csv",
                             "-o", str(o)],
    "dna": lambda p, o: ["dna", "export", str(p), str(o)],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_force_replaces_our_own_output_and_never_a_foreign_file(command: str, project: Path,
                                                                tmp_path: Path,
                                                                capsys) -> None:
    args = COMMANDS[command]
    ours = tmp_path / "ours.out"
    assert main(args(project, ours)) == 0
    assert main([*args(project, ours), "--force"]) == 0  # an earlier output: replaced
    thesis = tmp_path / "thesis.out"
    thesis.write_text("my thesis, chapter 3")
    assert main([*args(project, thesis), "--force"]) == 1
    assert thesis.read_text() == "my thesis, chapter 3"
    assert main([*args(project, project), "--force"]) == 1  # the project itself
    link = tmp_path / "link.out"
    link.symlink_to(ours)
    assert main([*args(project, link), "--force"]) == 1
    assert link.is_symlink()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "never replaced" in err


def test_network_windows_never_replace_a_foreign_folder(project: Path, tmp_path: Path) -> None:
    folder = tmp_path / "windows"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep")
    assert main(["network", str(project), "--type", "affiliation", "--window", "30",
                 "-f", "csv", "-o", str(folder), "--force"]) == 1
    assert (folder / "notes.txt").read_text() == "keep"


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/dev/full").is_char_device(),
                    reason="needs root and /dev/full to show a device is never replaced")
def test_a_device_is_never_replaced(project: Path) -> None:
    for command in sorted(COMMANDS):
        assert main([*COMMANDS[command](project, Path("/dev/full")), "--force"]) == 1
    assert Path("/dev/full").is_char_device()
