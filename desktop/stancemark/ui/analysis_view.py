"""The Analysis window: the study's charts and its actor network, drawn from the project.

A filter bar (dates, coder, outlet, category, actor type) restricts both tabs.
Charts are the same SVG the HTML report embeds (``services.report``), shown with
Qt's SVG renderer and saved as SVG, PNG or the CSV of the numbers drawn. The
network view places the most active actors on a circle, sized by their claims,
with congruence and conflict ties in two colours; a slider steps through time
windows (the same actors, in place, so a reader sees ties come and go), and
clicking an actor lists the claims that count for it there. Everything is
recomputed when the session reports a change of claims, actors or sentiment.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QDate, QRectF, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QPainter,
    QPen,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtSvg import QSvgGenerator, QSvgRenderer
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGraphicsEllipseItem,
    QGraphicsScene,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSlider,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from stancemark.core.categories import CategoryTree
from stancemark.core.changes import Change
from stancemark.core.errors import StancemarkError
from stancemark.core.filters import StudyFilter
from stancemark.services.report import (
    Chart,
    chart_csv,
    chart_svg,
    expand_filter,
    project_charts,
)
from stancemark.store.statistics import filter_choices
from stancemark.ui.session import ProjectSession

#: How many of the most active actors the network view draws.
NETWORK_NODES = 40
CONGRUENCE, CONFLICT = QColor("#2e86c1"), QColor("#c0392b")
#: The network view's time windows: label and length in days (0: the whole period).
WINDOWS = (("whole period", 0), ("30-day windows", 30), ("quarters (91 days)", 91),
           ("years (365 days)", 365))
_ANY_DATE = QDate(1000, 1, 1)  # a date edit at its minimum shows "any"


class FilterBar(QWidget):
    """Dates, coder, outlet, category and actor type; ``changed`` sends the filter."""

    changed = Signal(object)  # StudyFilter

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.date_from = self._date_edit("from")
        self.date_to = self._date_edit("to")
        self.coder, self.outlet = QComboBox(self), QComboBox(self)
        self.category, self.actor_type = QComboBox(self), QComboBox(self)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for place, (text, widget) in enumerate((
                ("&From", self.date_from), ("&Coder", self.coder),
                ("Cate&gory", self.category), ("&To", self.date_to),
                ("&Outlet", self.outlet), ("Actor t&ype", self.actor_type))):
            label = QLabel(text, self)
            label.setBuddy(widget)
            row, column = divmod(place, 3)
            grid.addWidget(label, row, 2 * column)
            grid.addWidget(widget, row, 2 * column + 1)
        for column in (3, 5):
            grid.setColumnStretch(column, 1)
        self.reset = QPushButton("&Reset", self)
        self.reset.setToolTip("Count everything again")
        self.reset.clicked.connect(self.clear)
        grid.addWidget(self.reset, 0, 6)
        self.fill()
        for combo in (self.coder, self.outlet, self.category, self.actor_type):
            combo.currentIndexChanged.connect(self._emit)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(self._emit)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setObjectName(f"filter-{name}")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(_ANY_DATE)
        edit.setSpecialValueText("any")
        edit.setDate(_ANY_DATE)
        return edit

    def fill(self) -> None:
        """(Re)load the choices from the project, keeping what is chosen where it still exists."""
        store = self.session.store
        choices = filter_choices(store)
        tree = CategoryTree(store.codebook.load())
        categories = [("  " * depth + cat.label, cat.key) for cat, depth in tree.walk()]
        for combo, everyone, items in (
                (self.coder, "every coder", [(n, n) for n in choices["annotators"]]),
                (self.outlet, "every outlet", [(n, n) for n in choices["sources"]]),
                (self.category, "every category", categories),
                (self.actor_type, "every type", [(n, n) for n in choices["actor_types"]])):
            kept = combo.currentData()
            with QSignalBlocker(combo):
                combo.clear()
                combo.addItem(everyone, None)
                for text, key in items:
                    combo.addItem(text, key)
                combo.setCurrentIndex(max(combo.findData(kept), 0) if kept else 0)

    def clear(self) -> None:
        for edit in (self.date_from, self.date_to):
            with QSignalBlocker(edit):
                edit.setDate(_ANY_DATE)
        for combo in (self.coder, self.outlet, self.category, self.actor_type):
            with QSignalBlocker(combo):
                combo.setCurrentIndex(0)
        self._emit()

    def value(self) -> StudyFilter:
        def day(edit: QDateEdit) -> str | None:
            return None if edit.date() == _ANY_DATE else edit.date().toString("yyyy-MM-dd")

        def one(combo: QComboBox) -> tuple[str, ...] | None:
            key = combo.currentData()
            return None if key is None else (str(key),)

        return StudyFilter(day(self.date_from), day(self.date_to), one(self.coder),
                           one(self.outlet), one(self.category), one(self.actor_type))

    def _emit(self, *_args: object) -> None:
        self.changed.emit(self.value())


def _save_told(tab: ChartsTab | NetworkTab, kind: str) -> None:
    """A Save button: save, and say in a box (not a traceback) why a save failed."""
    try:
        tab.save(kind)
    except (OSError, StancemarkError) as exc:
        text = str(exc) if isinstance(exc, StancemarkError) else (
            f"Cannot write {exc.filename or 'the file'}: {exc.strerror or exc}.")
        QMessageBox.warning(tab, f"Save {kind.upper()}", text)


class ChartsTab(QWidget):
    """One chart at a time, chosen from a list; saved as SVG, PNG or CSV. The
    sentiment towards any rated actor is charted on demand."""

    def __init__(self, session: ProjectSession | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.charts: dict[str, Chart] = {}
        self.study_filter: StudyFilter | None = None
        self.choice = QComboBox(self)
        self.choice.setObjectName("chart-choice")
        self.actor = QComboBox(self)
        self.actor.setToolTip("Chart the sentiment towards this actor over time")
        self.actor.setMinimumContentsLength(18)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.svg = QSvgWidget(self)
        scroll = QScrollArea(self)
        scroll.setWidget(self.svg)  # drawn at its own size: an SVG stretched is unreadable
        scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        row = QHBoxLayout()
        row.addWidget(self.choice, 1)
        towards = QLabel("Sentiment to&wards", self)
        towards.setBuddy(self.actor)
        row.addWidget(towards)
        row.addWidget(self.actor)
        self.buttons = {}
        for name, text in (("svg", "Save S&VG…"), ("png", "Save &PNG…"),
                           ("csv", "Save C&SV…")):
            button = QPushButton(text, self)
            button.clicked.connect(lambda _c=False, n=name: _save_told(self, n))
            row.addWidget(button)
            self.buttons[name] = button
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.note)
        layout.addWidget(scroll, 1)
        self.choice.currentIndexChanged.connect(self._on_choice_changed)
        self.actor.activated.connect(self._on_actor_chosen)

    def set_charts(self, charts: dict[str, Chart],
                   study_filter: StudyFilter | None = None) -> None:
        key = self.choice.currentData()
        self.charts = dict(charts)
        self.study_filter = study_filter
        self.note.setText(f"Counting only: {study_filter.describe()}" if study_filter else "")
        self.note.setVisible(study_filter is not None)
        self._fill_actors()
        chosen = self.actor.currentData()
        if chosen is not None and self.session is not None:  # the actor charted on demand
            from stancemark.services.report import actor_sentiment_chart

            extra, towards = actor_sentiment_chart(self.session.store, int(chosen),
                                                   study_filter)
            self.charts.setdefault(extra, towards)
        with QSignalBlocker(self.choice):
            self.choice.clear()
            for k, chart in self.charts.items():
                self.choice.addItem(chart.title, k)
            index = max(self.choice.findData(key), 0)
            self.choice.setCurrentIndex(index)
        self._on_choice_changed(index)

    def current(self) -> tuple[str, Chart] | None:
        key = self.choice.currentData()
        return (key, self.charts[key]) if key in self.charts else None

    def _on_choice_changed(self, _index: int) -> None:
        chosen = self.current()
        svg = chart_svg(chosen[1]) if chosen else ""
        self.svg.load(QByteArray(svg.encode("utf-8")))
        self.svg.setFixedSize(self.svg.renderer().defaultSize())

    def _fill_actors(self) -> None:
        if self.session is None:
            self.actor.setEnabled(False)
            return
        from stancemark.services.report import rated_actors

        kept = self.actor.currentData()
        with QSignalBlocker(self.actor):
            self.actor.clear()
            self.actor.addItem("choose an actor…", None)
            for actor_id, name, n in rated_actors(self.session.store, self.study_filter):
                self.actor.addItem(f"{name} ({n})", actor_id)
            self.actor.setCurrentIndex(max(self.actor.findData(kept), 0) if kept else 0)
        self.actor.setEnabled(self.actor.count() > 1)

    def _on_actor_chosen(self, _index: int) -> None:
        from stancemark.services.report import actor_sentiment_chart

        actor_id = self.actor.currentData()
        if actor_id is None or self.session is None:
            return
        key, chart = actor_sentiment_chart(self.session.store, int(actor_id), self.study_filter)
        if key not in self.charts:
            self.charts[key] = chart
            self.choice.addItem(chart.title, key)
        self.charts[key] = chart
        at = self.choice.findData(key)
        if at == self.choice.currentIndex():
            self._on_choice_changed(at)
        self.choice.setCurrentIndex(at)

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
    """Actors on a circle; congruence and conflict ties; time windows on a slider;
    click an actor for the claims that count for it."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.study_filter: StudyFilter | None = None
        self.scene = QGraphicsScene(self)
        self.view = QGraphicsView(self.scene, self)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        for off in (self.view.setHorizontalScrollBarPolicy, self.view.setVerticalScrollBarPolicy):
            off(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # the drawing is fitted to the view
        self.claims = QListWidget(self)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        self.windows = QComboBox(self)
        for text, days in WINDOWS:
            self.windows.addItem(text, days)
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setPageStep(1)
        self.slider.setEnabled(False)
        self.window_label = QLabel(self)
        self.window_label.setMinimumWidth(self.fontMetrics().horizontalAdvance(
            "12 of 120: 2024-01-10 – 2024-02-08 · 100,000 claims"))
        time_row = QHBoxLayout()
        label = QLabel("T&ime:", self)
        label.setBuddy(self.windows)
        time_row.addWidget(label)
        time_row.addWidget(self.windows)
        time_row.addWidget(self.slider, 1)
        time_row.addWidget(self.window_label)
        for name, text in (("svg", "S&VG…"), ("png", "&PNG…"), ("csv", "C&SV…")):
            button = QPushButton(text, self)
            button.setToolTip(f"Save the network drawn as {name.upper()}")
            button.clicked.connect(lambda _c=False, n=name: _save_told(self, n))
            time_row.addWidget(button)
        split = QSplitter(self)
        split.addWidget(self.view)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.caption)
        side_layout.addWidget(self.claims, 1)
        split.addWidget(side)
        split.setSizes([600, 260])
        layout = QVBoxLayout(self)
        layout.addLayout(time_row)
        layout.addWidget(split, 1)
        self.nodes: dict[str, QGraphicsEllipseItem] = {}
        self._data: Any = None  # the claims as read, until the project changes
        self._opts: Any = None
        self._shown: list[str] = []  # node ids drawn, fixed across windows
        #: congruence and conflict networks, one per window (computed when first shown)
        self._frames: list[Sequence[Any]] = []
        self.drawn: list[list[object]] = []  # the ties drawn, as the CSV lists them
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)
        self.windows.currentIndexChanged.connect(lambda _i: self.rebuild(self.study_filter))
        self.slider.valueChanged.connect(self._draw)

    def forget(self) -> None:
        """The project changed: read the claims again on the next rebuild."""
        self._data = None

    def rebuild(self, study_filter: StudyFilter | None = None) -> None:
        from stancemark.analysis.networks import Windows, ties_among_most_active
        from stancemark.services.networks import compute, network_input, options_for

        self.study_filter = study_filter
        store = self.session.store
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self._data is None:
                self._data = network_input(store)
            f = expand_filter(store, study_filter)
            whole, frames = [], []
            days = int(self.windows.currentData() or 0)
            for kind in ("congruence", "conflict"):
                self._opts = options_for(store, f, type=kind)
                whole.append(compute(store, self._opts, data=self._data)[0])
                if days:
                    frames.append(compute(store, self._opts, Windows(days), data=self._data))
        except StancemarkError as exc:
            self._frames, self._shown = [], []
            self.scene.clear()
            self.nodes = {}
            self.claims.clear()
            self.slider.setEnabled(False)
            self.window_label.clear()
            self.caption.setText(f"No network here: {exc.message}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        active, _ties = ties_among_most_active(whole[0], NETWORK_NODES)
        self._shown = [n.id for n in active]
        self._total = len(whole[0].rows)
        self._frames = frames if frames else [[whole[0]], [whole[1]]]
        with QSignalBlocker(self.slider):
            self.slider.setRange(0, self._count() - 1)
            self.slider.setValue(0)
        self.slider.setEnabled(self._count() > 1)
        self._draw()

    def _count(self) -> int:
        return len(self._frames[0]) if self._frames else 0

    def _draw(self, *_args: object) -> None:
        from stancemark.analysis.networks import ties_among

        self.scene.clear()
        self.nodes = {}
        self.claims.clear()
        self.drawn = []
        if not self._frames:
            return
        index = self.slider.value()
        congruence, conflict = self._frames[0][index], self._frames[1][index]
        nodes, agree = ties_among(congruence, self._shown)
        _same, oppose = ties_among(conflict, self._shown)
        claims = {n.id: n.claims for n in nodes}
        most = max(claims.values(), default=1) or 1
        places = {}
        for i, node_id in enumerate(self._shown):
            angle = 2 * math.pi * i / max(len(self._shown), 1)
            places[node_id] = (220.0 * math.cos(angle), 220.0 * math.sin(angle))
        start = congruence.start.isoformat() if congruence.start else ""
        end = congruence.end.isoformat() if congruence.end else ""
        for ties, colour, kind in ((agree, CONGRUENCE, "congruence"),
                                   (oppose, CONFLICT, "conflict")):
            strongest = max((abs(v) for *_n, v in ties), default=1) or 1
            for a, b, v in ties:
                self.drawn.append([a.label, b.label, kind, v, start, end])
                (x1, y1), (x2, y2) = places[a.id], places[b.id]
                pen = QPen(colour, 0.5 + 4 * abs(v) / strongest)
                line = self.scene.addLine(x1, y1, x2, y2, pen)
                line.setZValue(-1)
                line.setToolTip(f"{a.label} – {b.label}: {v:g}")
        labels = {n.id: n.label for n in congruence.rows}
        for node_id in self._shown:
            x, y = places[node_id]
            count = claims.get(node_id, 0)
            size = 10 + 30 * math.sqrt(count / most)
            fill = QColor("#f2f2f2") if count else QColor("#ffffff")
            item = self.scene.addEllipse(QRectF(x - size / 2, y - size / 2, size, size),
                                         QPen(QColor("#000000" if count else "#bbbbbb"), 0.5),
                                         QBrush(fill))
            item.setFlag(QGraphicsEllipseItem.GraphicsItemFlag.ItemIsSelectable)
            name = labels.get(node_id, node_id)
            item.setToolTip(f"{name}: {count} claim(s)")
            item.setData(0, node_id)
            label = self.scene.addText(name)
            label.setDefaultTextColor(QColor("#222222" if count else "#999999"))
            label.setPos(x + size / 2, y - 10)
            self.nodes[node_id] = item
        where = ""
        if self._count() > 1:
            end = congruence.end.fromordinal(congruence.end.toordinal() - 1) \
                if congruence.end else None
            self.window_label.setText(f"{index + 1} of {self._count()}: "
                                      f"{congruence.start} – {end} · {congruence.claims:,} "
                                      "claims")
            where = " in this window"
        else:
            self.window_label.setText(f"{congruence.claims:,} claims")
        what = self.study_filter.describe() if self.study_filter else ""
        self.caption.setText(
            f"The {len(self._shown)} most active actors ({self._total} in all)"
            f"{'; ' + what if what else ''}. Blue: congruence, red: conflict, thicker is "
            f"stronger{where}. Click an actor for its claims.")
        self._fit()

    def save(self, kind: str, path: str | None = None) -> Path | None:
        """Save the network drawn as SVG, PNG or the CSV of its ties (``path``: no dialog)."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, f"Save network as {kind.upper()}",
                                                  f"network.{kind}", f"*.{kind}")
            if not path:
                return None
        target = Path(path)
        if kind == "csv":
            buf = io.StringIO()
            out = csv.writer(buf, lineterminator="\n")
            out.writerow(["actor", "actor", "tie", "weight", "from", "until (exclusive)"])
            out.writerows(self.drawn)
            target.write_text(buf.getvalue(), encoding="utf-8")
            return target
        rect = self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        if kind == "svg":
            generator = QSvgGenerator()
            generator.setFileName(str(target))
            generator.setSize(rect.size().toSize())
            generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
            generator.setTitle("Stancemark network")
            painter = QPainter()
            if not painter.begin(generator):
                raise StancemarkError(f"Cannot write {target}.",
                                      "Check that the folder exists and can be written.")
            self.scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
            painter.end()
            return target
        image = QImage((rect.size() * 2).toSize(), QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.scene.render(painter, QRectF(image.rect()), rect)
        painter.end()
        if not image.save(str(target)):
            raise StancemarkError(f"Cannot write {target}.", "Check the folder.")
        return target

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
        from stancemark.analysis.networks import counted_claims

        selected = [i for i in self.scene.selectedItems() if i.data(0)]
        self.claims.clear()
        if not selected or self._data is None or not self._frames:
            return
        net = self._frames[0][self.slider.value()]
        ids = counted_claims(self._data, self._opts, str(selected[0].data(0)),
                             net.start if self._count() > 1 else None,
                             net.end if self._count() > 1 else None)
        for claim in self.session.store.annotations.claims_by_ids(ids):
            self.claims.addItem(f"“{claim.text[:80]}” ({claim.annotator})")
        if len(ids) > self.claims.count():
            self.claims.addItem(f"… and {len(ids) - self.claims.count()} more")


class AnalysisDialog(QDialog):
    """Charts and the network of the open project, filtered; follows every change.

    Edits are gathered for a moment and counted once (an analyst tagging with the
    window open pays one recount per pause, not one per key), and the network,
    the dearer half, is recomputed only while its tab is shown.
    """

    #: how long edits are gathered before the charts are counted again
    SETTLE_MS = 400

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Analysis")
        self.resize(1000, 680)
        self.filters = FilterBar(session, self)
        self.tabs = QTabWidget(self)
        self.charts = ChartsTab(session, self)
        self.network = NetworkTab(session, self)
        self.tabs.addTab(self.charts, "Charts")
        self.tabs.addTab(self.network, "Network")
        close = QPushButton("Close", self)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(self.SETTLE_MS)
        self._settle.timeout.connect(self.refresh)
        self._network_stale = True
        session.changed.connect(self._on_session_changed)
        self.filters.changed.connect(lambda _f: self.refresh())
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.refresh()

    def _filter(self) -> StudyFilter | None:
        f = self.filters.value()
        return None if f.empty else f

    def refresh(self) -> None:
        """Count the charts again now, and the network if it is shown."""
        self._settle.stop()
        chosen = self._filter()
        charts = project_charts(self.session.store, with_networks=False, with_agreement=False,
                                study_filter=chosen)
        self.charts.set_charts(charts.charts, chosen)
        self._network_stale = True
        if self.tabs.currentWidget() is self.network:
            self._rebuild_network()

    def _rebuild_network(self) -> None:
        self._network_stale = False
        self.network.rebuild(self._filter())

    def _on_tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.network and self._network_stale:
            self._rebuild_network()

    @property
    def pending(self) -> bool:
        """Edits are waiting to be counted (tests wait for this to end)."""
        return self._settle.isActive()

    def _on_session_changed(self, change: Change) -> None:
        if change.kinds & {"claims", "actors", "sentiment", "codebook", "articles", "status"}:
            self.network.forget()
            if change.kinds & {"actors", "codebook", "articles"}:
                self.filters.fill()
            self._settle.start()
