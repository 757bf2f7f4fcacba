"""GraphML actor network for Gephi, networkx and igraph, written as a stream.

Plain GraphML 1.0: typed ``<key>`` declarations, one directed ``<graph>``, no
yFiles or other extensions. Node ``label`` and edge ``weight`` (1.0 per claim)
use the names Gephi takes for a node's label and an edge's weight.

Option ``network``:

- ``"one-mode"`` (default): actor → actor, one directed edge per claim that
  has both a claimant and a target (claimant → target), with the claim's
  stance, category, annotator and article. Parallel edges are kept, not
  aggregated, so nothing is averaged away; networkx reads the file as a
  ``MultiDiGraph`` (Gephi merges parallel edges on import unless told not to,
  summing ``weight``).
- ``"two-mode"``: actors and categories. A claim gives an edge claimant →
  category (``role`` claimant) and an edge category → target (``role``
  target), so a claimant's role and a target's role stay apart both by
  direction (an actor's out-edges are claims made, its in-edges claims about
  it) and by the ``role`` attribute. Nodes carry ``bipartite`` 0 (actors) or
  1 (categories), as networkx's bipartite algorithms expect. Claims without a
  category have no category node and are left out.

Edges are written while the sets stream by; the nodes follow at the end with
per-actor counts (mentions, claims made, claims targeted, mean sentiment),
which is all that is held in memory. GraphML allows nodes after edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from stancemark.core.annotation_set import AnnotationSet
from stancemark.core.categories import CategoryTree
from stancemark.core.codebook import Codebook
from stancemark.core.models import Actor
from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.exchange.common import xml_text
from stancemark.exchange.registry import Exporter, ExportOption

NETWORK = ExportOption(
    name="network", label="&Network", help="which network the graph holds",
    choices=(("one-mode", "One-mode: actor → actor (claimant to target)"),
             ("two-mode", "Two-mode: claimant → category → target")),
    default="one-mode")
MODES = NETWORK.values

# (id, for, name, type)
_KEYS = [
    ("n_label", "node", "label", "string"),
    ("n_kind", "node", "kind", "string"),
    ("n_type", "node", "type", "string"),
    ("n_affiliation", "node", "affiliation", "string"),
    ("n_aliases", "node", "aliases", "string"),
    ("n_mentions", "node", "mentions", "int"),
    ("n_claims_made", "node", "claims_made", "int"),
    ("n_claims_targeted", "node", "claims_targeted", "int"),
    ("n_sentiment_mean", "node", "sentiment_mean", "double"),
    ("n_sentiment_count", "node", "sentiment_count", "int"),
    ("n_parent", "node", "parent", "string"),
    ("n_bipartite", "node", "bipartite", "int"),
    ("e_weight", "edge", "weight", "double"),
    ("e_role", "edge", "role", "string"),
    ("e_stance", "edge", "stance", "int"),
    ("e_stance_label", "edge", "stance_label", "string"),
    ("e_category", "edge", "category", "string"),
    ("e_category_path", "edge", "category_path", "string"),
    ("e_annotator", "edge", "annotator", "string"),
    ("e_article", "edge", "article", "string"),
    ("e_article_title", "edge", "article_title", "string"),
    ("e_text", "edge", "text", "string"),
]


@dataclass(slots=True)
class _ActorStats:
    actor: Actor
    mentions: int = 0
    claims_made: int = 0
    claims_targeted: int = 0
    sentiments: list[int] = field(default_factory=list)


def actor_node_id(actor_id: int) -> str:
    return f"a{actor_id}"


def category_node_id(key: str) -> str:
    return f"k:{key}"


def _data(out: IO[str], key: str, value: object) -> None:
    if value is None or value == "":
        return
    if isinstance(value, float):
        text = repr(value)
    else:
        text = escape(xml_text(str(value)))
    out.write(f'<data key="{key}">{text}</data>')


def write_graphml(sets: Iterable[AnnotationSet], dest: Path, options: Mapping[str, Any],
                  codebook: Codebook, progress: ProgressCallback, cancel: CancelFlag) -> None:
    """Write the actor network of ``sets`` to the file ``dest``."""
    mode = NETWORK.check(options.get("network"), "graphml")
    two_mode = mode == "two-mode"
    stats: dict[int, _ActorStats] = {}
    categories: set[str] = set()
    tree = CategoryTree(codebook)

    with dest.open("w", encoding="utf-8", newline="\n") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                  '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
                  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                  'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
                  'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
        for key_id, target, name, kind in _KEYS:
            out.write(f'<key id="{key_id}" for="{target}" attr.name="{name}" '
                      f'attr.type="{kind}"/>\n')
        out.write(f'<graph id={quoteattr("stancemark-" + mode)} edgedefault="directed">\n')

        def edge(eid: str, source: str, target: str, s: AnnotationSet, c: Any,
                 role: str | None) -> None:
            out.write(f"<edge id={quoteattr(eid)} source={quoteattr(source)} "
                      f"target={quoteattr(target)}>")
            out.write('<data key="e_weight">1.0</data>')
            _data(out, "e_role", role)
            _data(out, "e_stance", c.stance)
            _data(out, "e_stance_label",
                  codebook.scale_label(c.stance) if c.stance is not None else None)
            _data(out, "e_category", c.category)
            _data(out, "e_category_path",
                  tree.path(c.category) if c.category else None)
            _data(out, "e_annotator", s.annotator)
            _data(out, "e_article", s.article.uid)
            _data(out, "e_article_title", s.article.title)
            _data(out, "e_text", c.text)
            out.write("</edge>\n")

        for s in sets:
            for actor_id, actor in s.actors.items():
                stats.setdefault(actor_id, _ActorStats(actor))
            for m in s.mentions:
                if m.actor_id in stats:
                    stats[m.actor_id].mentions += 1
            for actor_id, value in s.actor_sentiments.items():
                if actor_id in stats:
                    stats[actor_id].sentiments.append(value)
            for c in s.claims:
                if c.claimant_id in stats:
                    stats[c.claimant_id].claims_made += 1
                if c.target_id in stats:
                    stats[c.target_id].claims_targeted += 1
                if not two_mode:
                    if c.claimant_id is not None and c.target_id is not None:
                        edge(f"c{c.id}", actor_node_id(c.claimant_id),
                             actor_node_id(c.target_id), s, c, None)
                    continue
                if c.category is None:
                    continue
                categories.add(c.category)
                node = category_node_id(c.category)
                if c.claimant_id is not None:
                    edge(f"c{c.id}-claimant", actor_node_id(c.claimant_id), node, s, c,
                         "claimant")
                if c.target_id is not None:
                    edge(f"c{c.id}-target", node, actor_node_id(c.target_id), s, c, "target")

        cancel.check()
        for actor_id, st in stats.items():
            a = st.actor
            out.write(f"<node id={quoteattr(actor_node_id(actor_id))}>")
            _data(out, "n_label", a.name)
            _data(out, "n_kind", "actor")
            _data(out, "n_type", a.type)
            affiliation = stats.get(a.affiliation_id) if a.affiliation_id is not None else None
            _data(out, "n_affiliation", affiliation.actor.name if affiliation else None)
            _data(out, "n_aliases", "; ".join(a.aliases))
            _data(out, "n_mentions", st.mentions)
            _data(out, "n_claims_made", st.claims_made)
            _data(out, "n_claims_targeted", st.claims_targeted)
            if st.sentiments:
                _data(out, "n_sentiment_mean", sum(st.sentiments) / len(st.sentiments))
                _data(out, "n_sentiment_count", len(st.sentiments))
            if two_mode:
                _data(out, "n_bipartite", 0)
            out.write("</node>\n")
        for key in sorted(categories):
            cat = tree.by_key.get(key)
            out.write(f"<node id={quoteattr(category_node_id(key))}>")
            _data(out, "n_label", tree.path(key))
            _data(out, "n_kind", "category")
            _data(out, "n_type", key)
            _data(out, "n_parent", cat.parent if cat else None)
            _data(out, "n_bipartite", 1)
            out.write("</node>\n")
        out.write("</graph>\n</graphml>\n")


EXPORTER = Exporter(
    name="graphml",
    description="GraphML actor network for Gephi, networkx and igraph (one-mode actor → "
                "actor, or two-mode claimant → category → target)",
    title="GraphML network",
    options=(NETWORK,),
    multi_file=False,
    suffix=".graphml",
    write=write_graphml,
)
