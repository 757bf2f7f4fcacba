"""resources/ is found by one function from a checkout and from an installed wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from stancemark.core.resources import resources_dir

ROOT = Path(__file__).resolve().parents[1]


def test_checkout_resolves_to_top_level_resources() -> None:
    found = resources_dir()
    assert found.resolve() == (ROOT / "resources").resolve()
    assert any(found.joinpath("samples").glob("*.txt"))


@pytest.mark.slow
def test_wheel_carries_resources_and_resolves_them(tmp_path: Path) -> None:
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                    "-q", "-w", str(wheel_dir), str(ROOT)], check=True)
    [wheel] = list(wheel_dir.glob("stancemark-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    samples = [n for n in names if n.startswith("stancemark/_resources/samples/")]
    assert samples, "the wheel has no bundled sample articles"
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    # a fresh interpreter that sees only the unpacked wheel (not the checkout)
    code = ("import sys; sys.path = [p for p in sys.path if 'desktop' not in p];"
            f"sys.path.insert(0, {str(target)!r});"
            "from stancemark.core.resources import resources_dir; import stancemark;"
            "print(stancemark.__file__); print(resources_dir())")
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path).stdout.splitlines()
    assert out[0].startswith(str(target))
    assert Path(out[1]) == target / "stancemark" / "_resources"
    assert any((Path(out[1]) / "samples").glob("*.txt"))
