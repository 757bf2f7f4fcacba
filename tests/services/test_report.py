"""Charts and the HTML report: the numbers are right, the files are whole and self-contained,
and a real browser renders the report."""

from __future__ import annotations

import csv
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from stancemark.cli import main
from stancemark.core.models import ArticleDraft
from stancemark.services.report import chart_csv, chart_svg, project_charts, render_report
from stancemark.store import open_project

TEXT = ("Irena Balaš said the port must open. Pavel Ruden rejected the demand.\n"
        "Mira Hollen warned of a strike.")


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """Two coders on two dated articles of two outlets, with claims, stances, sentiments."""
    path = tmp_path / "study.stancemark"
    with open_project(path, create=True) as s:
        a1 = s.articles.add(ArticleDraft(text=TEXT, title="Port", source="Valmora Post",
                                         published=datetime(2023, 3, 4, 10)))
        a2 = s.articles.add(ArticleDraft(text=TEXT + " ", title="Port 2", source="Dorvik Daily",
                                         published=datetime(2023, 5, 20, 8)))
        balas = s.actors.add("Irena Balaš", "person")
        ruden = s.actors.add("Pavel Ruden", "person")
        said = TEXT.index("the port must open")
        rejected = TEXT.index("rejected the demand")
        for coder in ("alice", "bojan"):
            s.annotations.add_claim(a1, said, said + 18, coder, claimant_id=balas,
                                    category="economy", stance=2)
            s.annotations.add_claim(a1, rejected, rejected + 19, coder, claimant_id=ruden,
                                    category="economy", stance=-2 if coder == "alice" else -1)
            s.annotations.set_sentiment(a1, None, coder, -1)
            s.annotations.set_sentiment(a2, None, coder, 1)
            s.annotations.set_sentiment(a1, balas, coder, 2)
        s.annotations.add_claim(a2, said, said + 18, "alice", claimant_id=balas,
                                category="diplomacy", stance=1)
    return path


def test_chart_numbers_are_the_projects(study: Path) -> None:
    with open_project(study, read_only=True) as s:
        charts = project_charts(s).charts
    per_actor = charts["claims-per-actor"]
    assert list(zip(per_actor.labels, per_actor.values, strict=True)) == [
        ("Irena Balaš", 3), ("Pavel Ruden", 2)]
    assert dict(zip(charts["claims-per-outlet"].labels, charts["claims-per-outlet"].values,
                    strict=True)) == {"Valmora Post": 4, "Dorvik Daily": 1}
    month = charts["claims-per-month"]
    assert month.labels == ["2023-03", "2023-04", "2023-05"]  # the empty month is shown
    assert month.values == [4, 0, 1]
    stance = charts["stance-by-category"]
    assert stance.labels[0] == "Economy"
    row = dict(zip(stance.stacks, stance.values[0], strict=True))
    assert (row["+2"], row["-2"], row["-1"], row["0"]) == (2, 1, 1, 0)
    sentiment = charts["article-sentiment-over-time"]
    assert sentiment.labels == ["2023-03", "2023-05"] and sentiment.values == [-1, 1]
    assert sentiment.bounds == (-2, 2)  # the scale, not what happens to occur
    assert charts["sentiment-towards-irena-balaš"].values == [2]
    coverage = charts["coder-coverage"]
    assert dict(zip(coverage.labels, coverage.values, strict=True)) == {
        "alice": [2, 0], "bojan": [2, 0]}


def test_every_chart_is_svg_with_a_csv_of_the_numbers_drawn(study: Path) -> None:
    with open_project(study, read_only=True) as s:
        charts = project_charts(s, with_networks=False, with_agreement=False).charts
    for chart in charts.values():
        svg = ET.fromstring(chart_svg(chart))
        assert svg.tag.endswith("svg")
        rows = list(csv.reader(chart_csv(chart).splitlines()))
        assert rows[1:] == [[str(x) for x in r] for r in chart.rows()[1:]]
        drawn = "".join(svg.itertext())
        for label in chart.labels:
            assert label[:30] in drawn  # every label is drawn (tooltips carry full names)


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in ("src", "href")]


def test_report_is_one_self_contained_file(study: Path) -> None:
    with open_project(study, read_only=True) as s:
        html = render_report(s)
    refs = _Refs()
    refs.feed(html)
    assert "script" not in refs.tags and refs.urls == []  # nothing to run, nothing to fetch
    assert refs.tags.count("svg") == 8  # one per chart (one actor has sentiments)
    assert "Strongest conflict ties among the 40 most active actors" in html
    assert "Agreement between coders" in html and "alpha_ordinal_stance" in html


def test_cli_report_refuses_to_overwrite_and_writes_charts(study: Path, tmp_path: Path,
                                                           capsys) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(study), "-o", str(out)]) == 0
    first = out.read_text(encoding="utf-8")
    assert main(["report", str(study), "-o", str(out)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == first
    assert main(["report", str(study), "-o", str(out), "--force"]) == 0  # our own: replaced
    thesis = tmp_path / "thesis.html"
    thesis.write_text("<!DOCTYPE html><p>my thesis</p>")
    assert main(["report", str(study), "-o", str(thesis), "--force"]) == 1
    assert "never replaced" in capsys.readouterr().err
    assert thesis.read_text() == "<!DOCTYPE html><p>my thesis</p>"
    charts = tmp_path / "charts"
    assert main(["report", str(study), "--charts", str(charts)]) == 0
    names = sorted(p.name for p in charts.iterdir())
    assert "claims-per-actor.svg" in names and "claims-per-actor.csv" in names
    assert len(names) == 16


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium (make test "
                    "installs it)")
def test_a_real_browser_renders_the_report(study: Path, tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / "report.html"
    assert main(["report", str(study), "-o", str(out)]) == 0
    shot = tmp_path / "shot.png"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", f"--user-data-dir={tmp_path / 'ud'}",
                    f"--screenshot={shot}", "--window-size=800,1600", out.as_uri()],
                   capture_output=True, timeout=120, check=False)
    image = QImage(str(shot))
    assert not image.isNull() and image.width() == 800
    # the first bar of "Claims per actor" is drawn in the bar colour somewhere on the page
    bar = {image.pixelColor(x, y).name() for x in range(0, 800, 4) for y in range(0, 1600, 4)}
    assert "#4e79a7" in bar
