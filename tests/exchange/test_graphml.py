"""GraphML actor network read back with networkx and igraph, one-mode and two-mode."""

from __future__ import annotations

import pytest

from stancemark.core.errors import ValidationError
from tests.exchange.helpers4 import export

nx = pytest.importorskip("networkx")


def _by_label(g):
    return {d["label"]: n for n, d in g.nodes(data=True)}


def test_graphml_one_mode(hostile_project, tmp_path):
    path = export(hostile_project, "graphml", tmp_path / "net.graphml", network="one-mode")
    g = nx.read_graphml(path, force_multigraph=True)
    assert g.is_directed() and g.is_multigraph()
    assert g.number_of_nodes() == 7  # every actor of the sets, Serbia via affiliation
    ids = _by_label(g)
    vucic, kurti, serbia = ids["Aleksandar Vučić"], ids["Albin Kurti"], ids["Serbia"]
    renee, ministry = ids["=Renée Dubois"], ids["Ministère de l'Intérieur"]
    assert sorted((u, v) for u, v in g.edges()) == sorted([(kurti, vucic), (renee, ministry)])
    [e] = g.get_edge_data(kurti, vucic).values()
    assert e["stance"] == -1 and e["stance_label"] == "-1 negative"
    assert e["category"] == "security-police" and e["category_path"] == "Security › Policing"
    assert e["annotator"] == "alice" and e["text"] == "Вучић “lives in the past”"
    v = g.nodes[vucic]
    assert (v["type"], v["affiliation"], v["aliases"]) == ("person", "Serbia", "Vucic; Вучић")
    assert (v["mentions"], v["claims_made"], v["claims_targeted"]) == (1, 1, 1)
    assert v["sentiment_mean"] == -1.0 and v["sentiment_count"] == 1
    assert g.nodes[serbia]["mentions"] == 1
    ana = g.nodes[ids["Ana Petrović"]]
    assert ana["mentions"] == 3  # alice twice, bob once
    assert "bipartite" not in ana


def test_graphml_two_mode(hostile_project, tmp_path):
    path = export(hostile_project, "graphml", tmp_path / "net.graphml", network="two-mode")
    g = nx.read_graphml(path, force_multigraph=True)
    actors = {n for n, d in g.nodes(data=True) if d["bipartite"] == 0}
    cats = {n for n, d in g.nodes(data=True) if d["bipartite"] == 1}
    assert len(actors) == 7 and len(cats) == 5
    assert nx.is_bipartite(g.to_undirected())
    # claimant roles and target roles stay apart: by direction and by the role attribute
    for u, v, d in g.edges(data=True):
        if d["role"] == "claimant":
            assert u in actors and v in cats
        else:
            assert d["role"] == "target" and u in cats and v in actors
        assert d["weight"] == 1.0
    roles = sorted(d["role"] for _, _, d in g.edges(data=True))
    assert roles == ["claimant"] * 6 + ["target"] * 3
    ana = _by_label(g)["Ana Petrović"]
    assert {d["role"] for _, _, d in g.in_edges(ana, data=True)} == {"target"}
    ids = _by_label(g)
    assert g.nodes[ids["Security › Military deployment"]]["parent"] == "security"
    assert g.has_edge(ids["NATO"], ids["Security › Military deployment"])


def test_graphml_parallel_edges_and_bad_mode(tmp_path):
    from stancemark.core.models import ArticleDraft
    from stancemark.store import memory_project

    s = memory_project()
    text = "A 😀 blamed B. A blamed B again."
    aid = s.articles.add(ArticleDraft(text=text, title="t\x07"))
    a, b = s.actors.add("A <&> \"x\"", "person"), s.actors.add("B", "person")
    s.annotations.add_claim(aid, 0, 14, "alice", claimant_id=a, target_id=b, stance=-2)
    s.annotations.add_claim(aid, 15, len(text), "alice", claimant_id=a, target_id=b, stance=-1)
    g = nx.read_graphml(export(s, "graphml", tmp_path / "n.graphml"))
    assert isinstance(g, nx.MultiDiGraph)
    ids = _by_label(g)
    assert sorted(d["stance"] for d in g.get_edge_data(ids['A <&> "x"'], ids["B"]).values()) \
        == [-2, -1]
    with pytest.raises(ValidationError):
        export(s, "graphml", tmp_path / "x.graphml", network="three-mode")
    s.close()


def test_graphml_through_the_export_service(hostile_project, tmp_path):
    from stancemark.services.exchange import export_project

    export_project(hostile_project, "graphml", tmp_path / "net.graphml",
                   options={"network": "two-mode"})
    g = nx.read_graphml(tmp_path / "net.graphml")
    assert g.number_of_nodes() == 12 and g.number_of_edges() == 9


@pytest.mark.parametrize("mode", ["one-mode", "two-mode"])
def test_graphml_reads_in_igraph(hostile_project, tmp_path, mode):
    """igraph's GraphML reader (its C core, the one R and Python share) takes both graphs."""
    ig = pytest.importorskip("igraph")
    path = export(hostile_project, "graphml", tmp_path / "net.graphml", network=mode)
    g = ig.Graph.Read_GraphML(str(path))
    assert g.is_directed()
    assert "Ana Petrović" in g.vs["label"]
    assert set(g.es.attributes()) >= {"weight", "stance", "annotator", "article"}
    if mode == "two-mode":
        roles = {(g.vs[e.source]["kind"], e["role"], g.vs[e.target]["kind"]) for e in g.es}
        assert roles == {("actor", "claimant", "category"), ("category", "target", "actor")}
