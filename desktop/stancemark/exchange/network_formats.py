"""Discourse networks out: labelled CSV matrix, plain GraphML, UCINET DL and GEXF.

Each writer takes :class:`~stancemark.analysis.networks.Network` objects and a
text stream; the service writes them to a temporary file and renames it into
place. Rows are asked for one at a time, so a 5,000-actor matrix is never held
whole.

- **CSV**: a labelled matrix, the first row and first column are node names
  (UTF-8 with BOM for Excel; a name that a spreadsheet would run as a formula is
  neutralised with a leading ``'``).
- **GraphML**: plain GraphML that Gephi, networkx, igraph and visone read:
  every attribute declared with a type, undirected, one edge per non-zero cell
  (one-mode: each pair once), two-mode nodes with ``bipartite`` 0/1.
- **DL**: UCINET's ``fullmatrix`` with quoted labels (``nr``/``nc`` for two-mode).
- **GEXF 1.3**: for Gephi; several time windows become one dynamic graph whose
  nodes and edges live in the windows where they occur, with the edge weight as
  a dynamic attribute (moving windows are shown from their start to the next
  window's start, so the slices do not overlap).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TextIO
from xml.sax.saxutils import quoteattr

from stancemark.analysis.networks import Network, Node
from stancemark.exchange.common import xml_text
from stancemark.exchange.csv_export import neutralise

FORMATS = ("csv", "graphml", "gexf", "dl")
SUFFIXES = {"csv": ".csv", "graphml": ".graphml", "gexf": ".gexf", "dl": ".dl"}
CSV_ENCODING = "utf-8-sig"


def node_labels(nodes: Sequence[Node]) -> list[str]:
    """Labels, made unique: a second "Security" category becomes "Security (c:security-2)"."""
    seen = Counter(n.label for n in nodes)
    return [n.label if seen[n.label] == 1 else f"{n.label} ({n.id})" for n in nodes]


def _num(value: float, integer: bool) -> str:
    return str(int(value)) if integer else repr(float(value))


# -- CSV ----------------------------------------------------------------------

def _nonzero(row: Sequence[float]) -> int:
    return len(row) - row.count(0)  # type: ignore[attr-defined]


def _ties(net: Network, nonzero_cells: int) -> int:
    return nonzero_cells // 2 if net.one_mode else nonzero_cells


def write_csv(net: Network, out: TextIO) -> int:
    """The labelled matrix: header row of column names, then one row per node.

    Returns the number of ties (non-zero cells; one-mode: pairs), as every writer does.
    """
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["", *(neutralise(x) for x in node_labels(net.cols))])
    cells = 0
    for i, label in enumerate(node_labels(net.rows)):
        row = net.row(i)
        cells += _nonzero(row)
        # numbers need no quoting: only the label goes through the csv module
        out.write(_csv_cell(neutralise(label)) + ",")
        out.write(",".join(map(str, row)) + "\n")
    return _ties(net, cells)


def _csv_cell(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


# -- UCINET DL -----------------------------------------------------------------

def _dl_label(label: str) -> str:
    return '"' + " ".join(label.replace('"', "'").split()) + '"'


def write_dl(net: Network, out: TextIO) -> int:
    """UCINET DL, full matrix with quoted labels."""
    if net.one_mode:
        out.write(f"dl n={len(net.rows)}\nformat = fullmatrix\nlabels:\n")
        out.writelines(_dl_label(x) + "\n" for x in node_labels(net.rows))
    else:
        out.write(f"dl nr={len(net.rows)}, nc={len(net.cols)}\nformat = fullmatrix\n"
                  "row labels:\n")
        out.writelines(_dl_label(x) + "\n" for x in node_labels(net.rows))
        out.write("column labels:\n")
        out.writelines(_dl_label(x) + "\n" for x in node_labels(net.cols))
    out.write("data:\n")
    cells = 0
    for i in range(len(net.rows)):
        row = net.row(i)
        cells += _nonzero(row)
        out.write(" ".join(_num(v, net.integer) for v in row) + "\n")
    return _ties(net, cells)


# -- GraphML ------------------------------------------------------------------

_NODE_KEYS = (("label", "string"), ("kind", "string"), ("type", "string"),
              ("claims", "int"), ("bipartite", "int"))


def _attr(value: str) -> str:
    return quoteattr(xml_text(value))


def _text(value: str) -> str:
    return xml_text(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _graph_settings(net: Network) -> list[tuple[str, str]]:
    o = net.options
    items = [("network", net.type), ("nodes", "actor × category" if not net.one_mode
                                     else o.nodes), ("qualifier", o.qualifier),
             ("normalize", o.normalize), ("level", o.level), ("role", o.role),
             ("duplicates", o.duplicates), ("claims", str(net.claims))]
    if net.start:
        items.append(("start", net.start.isoformat()))
    if net.end:
        items.append(("end", (net.end - timedelta(days=1)).isoformat()))
    return items


def write_graphml(net: Network, out: TextIO) -> int:
    """Plain, typed GraphML of one network."""
    wtype = "int" if net.integer else "double"
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
              'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n')
    settings = _graph_settings(net)
    for name, _value in settings:
        out.write(f'  <key id="g_{name}" for="graph" attr.name="{name}" attr.type="string"/>\n')
    for name, typ in _NODE_KEYS:
        out.write(f'  <key id="n_{name}" for="node" attr.name="{name}" attr.type="{typ}"/>\n')
    out.write(f'  <key id="e_weight" for="edge" attr.name="weight" attr.type="{wtype}"/>\n')
    out.write('  <graph id="G" edgedefault="undirected">\n')
    for name, value in settings:
        out.write(f'    <data key="g_{name}">{_text(value)}</data>\n')
    nodes = list(net.rows) if net.one_mode else [*net.rows, *net.cols]
    labels = node_labels(nodes)
    for n, label in zip(nodes, labels, strict=True):
        out.write(f"    <node id={_attr(n.id)}>"
                  f'<data key="n_label">{_text(label)}</data>'
                  f'<data key="n_kind">{n.kind}</data>'
                  + (f'<data key="n_type">{_text(n.type)}</data>' if n.type else "")
                  + f'<data key="n_claims">{n.claims}</data>'
                  + ("" if net.one_mode else
                     f'<data key="n_bipartite">{0 if n.kind == "actor" else 1}</data>')
                  + "</node>\n")
    rows, cols = net.rows, net.cols
    ties = 0
    for k, (i, j, v) in enumerate(net.edges()):
        out.write(f'    <edge id="e{k}" source={_attr(rows[i].id)} target={_attr(cols[j].id)}>'
                  f'<data key="e_weight">{_num(v, net.integer)}</data></edge>\n')
        ties = k + 1
    out.write("  </graph>\n</graphml>\n")
    return ties


# -- GEXF ---------------------------------------------------------------------

def _day(d: date) -> str:
    return d.isoformat()


def write_gexf(nets: Sequence[Network], out: TextIO, *, dynamic: bool | None = None) -> int:
    """GEXF 1.3: one network static; time windows (``dynamic``) as one dynamic graph."""
    if dynamic is None:
        dynamic = len(nets) > 1
    first = nets[0]
    integer = all(n.integer for n in nets)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
              '<gexf xmlns="http://gexf.net/1.3" '
              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
              'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" '
              'version="1.3">\n')
    settings = ", ".join(f"{k}={v}" for k, v in _graph_settings(first)
                         if k not in ("claims", "start", "end"))
    out.write(f"  <meta><creator>Stancemark</creator><description>{_text(settings)}"
              "</description></meta>\n")
    if dynamic:
        out.write('  <graph defaultedgetype="undirected" mode="dynamic" timeformat="date">\n')
    else:
        out.write('  <graph defaultedgetype="undirected" mode="static">\n')
    out.write('    <attributes class="node" mode="static">\n'
              '      <attribute id="kind" title="kind" type="string"/>\n'
              '      <attribute id="type" title="type" type="string"/>\n'
              + ("" if dynamic else
                 '      <attribute id="claims" title="claims" type="integer"/>\n')
              + '      <attribute id="bipartite" title="bipartite" type="integer"/>\n'
              "    </attributes>\n")
    if dynamic:
        out.write('    <attributes class="node" mode="dynamic">\n'
                  '      <attribute id="claims" title="claims" type="integer"/>\n'
                  "    </attributes>\n")
        out.write('    <attributes class="edge" mode="dynamic">\n'
                  # Gephi takes a dynamic edge attribute "weight" as the edge weight,
                  # which it keeps as a double
                  '      <attribute id="weight" title="Weight" type="double"/>\n'
                  "    </attributes>\n")
    # slices: window i shown from its start to the next window's start (closed days)
    slices: list[tuple[str, str]] = []
    for k, n in enumerate(nets):
        start = n.start or date.min
        stop = nets[k + 1].start if k + 1 < len(nets) and nets[k + 1].start else n.end
        stop = stop or start + timedelta(days=1)
        slices.append((_day(start), _day(max(start, stop - timedelta(days=1)))))
    # nodes: the union over windows, each with the windows it is in
    nodes: dict[str, Node] = {}
    present: dict[str, list[tuple[int, int]]] = {}  # node -> [(window, claims)]
    for k, n in enumerate(nets):
        for node in (n.rows if n.one_mode else [*n.rows, *n.cols]):
            nodes.setdefault(node.id, node)
            windows = present.setdefault(node.id, [])
            if not windows or windows[-1][0] != k:
                windows.append((k, node.claims))
    ordered = list(nodes.values())
    labels = node_labels(ordered)
    out.write("    <nodes>\n")
    for node, label in zip(ordered, labels, strict=True):
        out.write(f"      <node id={_attr(node.id)} label={_attr(label)}>")
        out.write(f'<attvalues><attvalue for="kind" value="{node.kind}"/>'
                  + (f'<attvalue for="type" value={_attr(node.type)}/>' if node.type else "")
                  + ("".join(f'<attvalue for="claims" value="{c}" start="{slices[k][0]}" '
                             f'end="{slices[k][1]}"/>' for k, c in present[node.id])
                     if dynamic else f'<attvalue for="claims" value="{node.claims}"/>')
                  + ("" if first.one_mode else
                     f'<attvalue for="bipartite" value="{0 if node.kind == "actor" else 1}"/>')
                  + "</attvalues>")
        if dynamic:
            out.write("<spells>" + "".join(
                f'<spell start="{slices[k][0]}" end="{slices[k][1]}"/>'
                for k, _c in present[node.id]) + "</spells>")
        out.write("</node>\n")
    out.write("    </nodes>\n    <edges>\n")
    ties = 0
    if not dynamic:
        for k, (i, j, v) in enumerate(first.edges()):
            out.write(f'      <edge id="{k}" source={_attr(first.rows[i].id)} '
                      f'target={_attr(first.cols[j].id)} weight="{_num(v, integer)}"/>\n')
            ties = k + 1
    else:
        edges: dict[tuple[str, str], list[tuple[int, float]]] = {}
        for k, n in enumerate(nets):
            for i, j, v in n.edges():
                edges.setdefault((n.rows[i].id, n.cols[j].id), []).append((k, v))
        for e, ((src, dst), values) in enumerate(edges.items()):
            out.write(f'      <edge id="{e}" source={_attr(src)} target={_attr(dst)}>'
                      "<attvalues>" + "".join(
                          f'<attvalue for="weight" value="{_num(v, integer)}" '
                          f'start="{slices[k][0]}" end="{slices[k][1]}"/>' for k, v in values)
                      + "</attvalues><spells>" + "".join(
                          f'<spell start="{slices[k][0]}" end="{slices[k][1]}"/>'
                          for k, _v in values) + "</spells></edge>\n")
            ties += len(values)
    out.write("    </edges>\n  </graph>\n</gexf>\n")
    return ties
