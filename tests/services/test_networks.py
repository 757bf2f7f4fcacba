"""Network files from a project: formats read back by networkx, windows, refusals, the CLI."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import networkx as nx
import pytest

from stancemark.analysis.networks import NetworkOptions, Windows
from stancemark.cli import main
from stancemark.core.errors import StancemarkError, ValidationError
from stancemark.core.models import ArticleDraft
from stancemark.services.networks import compute, export_networks
from stancemark.store import Store, open_project

TEXT = "Ana said yes. Ivo said no. Eva said yes. =Cmd said yes."


def fill(store: Store) -> None:
    """Three articles a week apart; Ana and Eva agree on security, Ivo opposes."""
    from datetime import datetime

    ids = []
    for n in range(3):
        aid = store.articles.add(ArticleDraft(f"{TEXT} ({n})", title=f"a{n}",
                                              published=datetime(2024, 1, 1 + 7 * n)))
        assert aid is not None
        ids.append(aid)
    party = store.actors.add("Party", "party")
    ana = store.actors.add("Ana", "person", affiliation_id=party)
    ivo = store.actors.add("Ivo", "person")
    eva = store.actors.add("Eva", "person", affiliation_id=party)
    cmd = store.actors.add("=Cmd", "person")
    for aid in ids:
        for who, piece, stance in ((ana, "Ana said yes", 2), (ivo, "Ivo said no", -2),
                                   (eva, "Eva said yes", 1), (cmd, "=Cmd said yes", 1)):
            start = TEXT.index(piece)
            store.annotations.add_claim(aid, start, start + len(piece), "alice",
                                        claimant_id=who, category="security", stance=stance)


@pytest.fixture
def filled(store: Store) -> Store:
    fill(store)
    return store


def test_csv_is_a_labelled_matrix(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "n.csv"
    s = export_networks(filled, NetworkOptions(type="cooccurrence"), "csv", out)
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["", "'=Cmd", "Ana", "Eva", "Ivo"]
    assert rows[2] == ["Ana", "9", "0", "9", "9"]
    assert (s.nodes, s.edges, s.claims) == (4, 6, 12)


def test_graphml_opens_in_networkx_with_typed_attributes(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "n.graphml"
    export_networks(filled, NetworkOptions(type="congruence"), "graphml", out)
    g = nx.read_graphml(out)
    assert not g.is_directed()
    ana, eva, ivo = (next(n for n, d in g.nodes(data=True) if d["label"] == x)
                     for x in ("Ana", "Eva", "Ivo"))
    # 3 × 3 pairs of claims; +2 and +1 are 1 − 1/4 alike, +2 and −2 not at all
    assert g.edges[ana, eva]["weight"] == pytest.approx(9 * 0.75)
    assert not g.has_edge(ana, ivo)
    assert g.nodes[ana]["claims"] == 3 and isinstance(g.nodes[ana]["claims"], int)
    assert g.graph["network"] == "congruence"


def test_two_mode_graphml_is_bipartite(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "a.graphml"
    export_networks(filled, NetworkOptions(type="affiliation", level="affiliation"), "graphml",
                    out)
    g = nx.read_graphml(out)
    parts = {d["label"]: d["bipartite"] for _n, d in g.nodes(data=True)}
    assert parts == {"Party": 0, "Ivo": 0, "=Cmd": 0, "Security": 1}
    party = next(n for n, d in g.nodes(data=True) if d["label"] == "Party")
    assert g.edges[party, "c:security"]["weight"] == 6


def test_gexf_static_and_dynamic(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "n.gexf"
    export_networks(filled, NetworkOptions(type="cooccurrence"), "gexf", out)
    g = nx.read_gexf(out)
    assert g.number_of_edges() == 6
    dyn = tmp_path / "d.gexf"
    s = export_networks(filled, NetworkOptions(type="cooccurrence"), "gexf", dyn,
                        Windows(7))
    assert s.networks == 3
    text = dyn.read_text()
    assert 'mode="dynamic"' in text and 'start="2024-01-08" end="2024-01-14"' in text
    g = nx.read_gexf(dyn)
    assert g.number_of_nodes() == 4


def test_dl_for_ucinet(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "n.dl"
    export_networks(filled, NetworkOptions(type="affiliation"), "dl", out)
    lines = out.read_text().splitlines()
    assert lines[:3] == ["dl nr=4, nc=1", "format = fullmatrix", "row labels:"]
    assert lines[-4:] == ["3", "3", "3", "3"]


def test_windows_in_a_folder_and_force(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "win"
    export_networks(filled, NetworkOptions(type="affiliation"), "csv", out, Windows(14, 7))
    assert sorted(p.name for p in out.iterdir()) == [
        "window-001_2024-01-01_2024-01-15.csv", "window-002_2024-01-08_2024-01-22.csv",
        "window-003_2024-01-15_2024-01-29.csv"]
    with pytest.raises(StancemarkError, match="already exists"):
        export_networks(filled, NetworkOptions(type="affiliation"), "csv", out, Windows(14))
    export_networks(filled, NetworkOptions(type="affiliation"), "csv", out, Windows(14),
                    force=True)
    assert len(list(out.iterdir())) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_refusals_leave_no_file(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    with pytest.raises(ValidationError):
        export_networks(filled, NetworkOptions(type="cooccurrence", normalize="activity"),
                        "csv", out)
    with pytest.raises(ValidationError, match="No claims by 'bob'"):
        export_networks(filled, NetworkOptions(type="cooccurrence",
                                               annotators=frozenset({"bob"})),
                        "csv", out, Windows(7))
    with pytest.raises(ValidationError, match="No category 'securty'"):
        export_networks(filled, NetworkOptions(type="cooccurrence",
                                               categories=frozenset({"securty"})), "csv", out)
    with pytest.raises(ValidationError, match="No dated claims"):
        export_networks(filled, NetworkOptions(type="cooccurrence",
                                               date_from=date(2030, 1, 1)),
                        "csv", out, Windows(7))
    assert list(tmp_path.iterdir()) == []


def test_compute_is_the_analysis_view_entry(filled: Store) -> None:
    nets = compute(filled, NetworkOptions(type="subtract", level="affiliation"))
    got = nets[0].labelled()
    # Party: Ana's three +2 and Eva's three +1; Ivo three −2. Nine pairs at distance 4
    # (1 − 2·4/4 = −1) and nine at distance 3 (1 − 2·3/4 = −0.5)
    assert got["Party"]["Ivo"] == pytest.approx(9 * -1 + 9 * -0.5)


def test_cli_network_and_one_line_errors(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.stancemark"
    with open_project(project, create=True) as s:
        fill(s)
    out = tmp_path / "n.graphml"
    args = ["network", str(project), "--type", "congruence", "--format", "graphml",
            "--output", str(out)]
    assert main(args) == 0
    assert "wrote network" in capsys.readouterr().err
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already exists" in err
    assert main([*args[:-1], str(tmp_path / "m.csv"), "--normalize", "prominence"]) == 1
    assert "affiliation networks" in capsys.readouterr().err


def test_cli_network_of_one_outlet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.stancemark"
    with open_project(project, create=True) as s:
        fill(s)
        first = s.articles.ids()[0]
        s.conn.execute("UPDATE articles SET source = 'North Ledger' WHERE id = ?", (first,))
        s.conn.commit()
    out = tmp_path / "n.csv"
    assert main(["network", str(project), "--type", "cooccurrence", "--format", "csv",
                 "--output", str(out), "--source", "North Ledger"]) == 0
    assert "4 claims" in capsys.readouterr().err  # one article's four claims, not twelve
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[2] == ["Ana", "1", "0", "1", "1"]
    assert main(["network", str(project), "--type", "cooccurrence", "--format", "csv",
                 "--output", str(tmp_path / "none.csv"), "--source", "Nowhere"]) == 0
    assert "0 claims" in capsys.readouterr().err


def test_cli_dna_import_refuses_a_bad_file_and_makes_no_project(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "x.dna"
    bad.write_text("not sqlite")
    project = tmp_path / "new.stancemark"
    assert main(["dna", "import", str(project), str(bad)]) == 1
    assert "not a DNA 3 file" in capsys.readouterr().err
    assert not project.exists()


def test_cli_dna_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.store.dna_fixture import make_dna

    dna = make_dna(tmp_path / "in.dna")
    project = tmp_path / "p.stancemark"
    assert main(["dna", "import", str(project), str(dna)]) == 0
    assert "6 claims added" in capsys.readouterr().err
    assert main(["dna", "export", str(project), str(tmp_path / "out.dna"),
                 "--dna-statements"]) == 0
    assert "6 'Stancemark claim' statements" in capsys.readouterr().err
