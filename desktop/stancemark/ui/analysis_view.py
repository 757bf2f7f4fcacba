"""The Analysis window: the study's charts and its actor network, drawn from the project.

Charts are the same SVG the HTML report embeds (``services.report``), shown with
Qt's SVG renderer and saved as SVG, PNG or the CSV of the numbers drawn. The
network view places the most active actors on a circle, sized by their claims,
with congruence and conflict ties in two colours; clicking an actor lists its
claims. Everything is recomputed when the session reports a change of claims,
actors or sentiment.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QPainter,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGraphicsEllipseItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.changes import Change
from stancemark.core.errors import StancemarkError
from stancemark.services.report import Chart, chart_csv, chart_svg, project_charts
from stancemark.ui.session import ProjectSession

#: How many of the most active actors the network view draws.
NETWORK_NODES = 40
CONGRUENCE, CONFLICT = QColor("#2e86c1"), QColor("#c0392b")


class ChartsTab(QWidget):
    """One chart at a time, chosen from a list; saved as SVG, PNG or CSV."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.charts: dict[str, Chart] = {}
        self.choice = QComboBox(self)
        self.svg = QSvgWidget(self)
        scroll = QScrollArea(self)
        scroll.setWidget(self.svg)  # drawn at its own size: an SVG stretched is unreadable
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.addWidget(self.choice, 1)
        self.buttons = {}
        for name, text in (("svg", "Save SVG…"), ("png", "Save PNG…"), ("csv", "Save CSV…")):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _c=False, n=name: self.save(n))
            row.addWidget(button)
            self.buttons[name] = button
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(scroll, 1)
        self.choice.currentIndexChanged.connect(self._on_choice_changed)

    def set_charts(self, charts: dict[str, Chart]) -> None:
        key = self.choice.currentData()
        self.charts = charts
        self.choice.blockSignals(True)
        self.choice.clear()
        for k, chart in charts.items():
            self.choice.addItem(chart.title, k)
        index = max(self.choice.findData(key), 0)
        self.choice.setCurrentIndex(index)
        self.choice.blockSignals(False)
        self._on_choice_changed(index)

    def current(self) -> tuple[str, Chart] | None:
        key = self.choice.currentData()
        return (key, self.charts[key]) if key in self.charts else None

    def _on_choice_changed(self, _index: int) -> None:
        chosen = self.current()
        svg = chart_svg(chosen[1]) if chosen else ""
        self.svg.load(QByteArray(svg.encode("utf-8")))
        self.svg.setFixedSize(self.svg.renderer().defaultSize())

    def save(self, kind: str, path: str | None = None) -> Path | None:
        """Save the chart shown (``path`` given: no dialog; tests and scripts)."""
        chosen = self.current()
        if chosen is None:
            return None
        key, chart = chosen
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, f"Save chart as {kind.upper()}",
                                                  f"{key}.{kind}", f"*.{kind}")
            if not path:
                return None
        target = Path(path)
        if kind == "csv":
            target.write_text(chart_csv(chart), encoding="utf-8")
        elif kind == "svg":
            target.write_text(chart_svg(chart), encoding="utf-8")
        else:
            renderer = QSvgRenderer(QByteArray(chart_svg(chart).encode("utf-8")))
            size = renderer.defaultSize() * 2  # twice the size: sharp in documents
            image = QImage(size, QImage.Format.Format_ARGB32)
            image.fill(Qt.GlobalColor.white)
            painter = QPainter(image)
            renderer.render(painter)
            painter.end()
            if not image.save(str(target)):
                raise StancemarkError(f"Cannot write {target}.", "Check the folder.")
        return target


class NetworkTab(QWidget):
    """Actors on a circle; congruence and conflict ties; click an actor for its claims."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.scene = QGraphicsScene(self)
        self.view = QGraphicsView(self.scene, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.claims = QListWidget(self)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        split = QSplitter(self)
        split.addWidget(self.view)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.caption)
        side_layout.addWidget(self.claims, 1)
        split.addWidget(side)
        split.setSizes([600, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.nodes: dict[str, QGraphicsEllipseItem] = {}
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)

    def rebuild(self) -> None:
        from stancemark.analysis.networks import NetworkOptions, ties_among_most_active
        from stancemark.services.networks import compute, network_input

        self.scene.clear()
        self.nodes = {}
        self.claims.clear()
        store = self.session.store
        try:
            data = network_input(store)
            congruence = compute(store, NetworkOptions(type="congruence"), data=data)[0]
            conflict = compute(store, NetworkOptions(type="conflict"), data=data)[0]
        except StancemarkError as exc:
            self.caption.setText(f"No network yet: {exc.message}")
            return
        active, agree = ties_among_most_active(congruence, NETWORK_NODES)
        _same, oppose = ties_among_most_active(conflict, NETWORK_NODES)
        shown = {n.id for n in active}
        most = max((n.claims for n in active), default=1) or 1
        places = {}
        for i, node in enumerate(active):
            angle = 2 * math.pi * i / max(len(active), 1)
            places[node.id] = (220.0 * math.cos(angle), 220.0 * math.sin(angle))
        for ties, colour in ((agree, CONGRUENCE), (oppose, CONFLICT)):
            ties = [t for t in ties if t[0].id in shown and t[1].id in shown]
            strongest = max((abs(v) for *_n, v in ties), default=1) or 1
            for a, b, v in ties:
                (x1, y1), (x2, y2) = places[a.id], places[b.id]
                pen = QPen(colour, 0.5 + 4 * abs(v) / strongest)
                line = self.scene.addLine(x1, y1, x2, y2, pen)
                line.setZValue(-1)
                line.setToolTip(f"{a.label} – {b.label}: {v:g}")
        for node in active:
            x, y = places[node.id]
            size = 10 + 30 * math.sqrt(node.claims / most)
            item = self.scene.addEllipse(QRectF(x - size / 2, y - size / 2, size, size),
                                         QPen(Qt.GlobalColor.black, 0.5),
                                         QBrush(QColor("#f2f2f2")))
            item.setFlag(QGraphicsEllipseItem.GraphicsItemFlag.ItemIsSelectable)
            item.setToolTip(f"{node.label}: {node.claims} claim(s)")
            item.setData(0, node.id)
            label = self.scene.addText(node.label)
            label.setPos(x + size / 2, y - 10)
            self.nodes[node.id] = item
        self.caption.setText(
            f"The {len(active)} most active actors ({len(congruence.rows)} in all); "
            "blue: congruence, red: conflict, thicker is stronger. Click an actor for its "
            "claims.")
        self._fit()

    def _fit(self) -> None:
        rect = self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.view.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._fit()  # the view has its real size only now

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def select_actor(self, node_id: str) -> None:
        item = self.nodes.get(node_id)
        if item is not None:
            self.scene.clearSelection()
            item.setSelected(True)

    def _on_scene_selection_changed(self) -> None:
        selected = [i for i in self.scene.selectedItems() if i.data(0)]
        self.claims.clear()
        if not selected:
            return
        node_id = str(selected[0].data(0))  # "a<actor id>"
        if not node_id[1:].isdigit():
            return
        actor_id = int(node_id[1:])
        for claim in self.session.store.annotations.claims_of_actor(actor_id):
            self.claims.addItem(f"“{claim.text[:80]}” ({claim.annotator})")


class AnalysisDialog(QDialog):
    """Charts and the network of the open project; follows every change."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Analysis")
        self.resize(900, 640)
        self.tabs = QTabWidget(self)
        self.charts = ChartsTab(self)
        self.network = NetworkTab(session, self)
        self.tabs.addTab(self.charts, "Charts")
        self.tabs.addTab(self.network, "Network")
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        session.changed.connect(self._on_session_changed)
        self.refresh()

    def refresh(self) -> None:
        charts = project_charts(self.session.store, with_networks=False, with_agreement=False)
        self.charts.set_charts(charts.charts)
        self.network.rebuild()

    def _on_session_changed(self, change: Change) -> None:
        if change.kinds & {"claims", "actors", "sentiment", "codebook", "articles", "status"}:
            self.refresh()
