"""The agreement window: reliability between chosen coders, and the units they disagree on.

The figures are ``services.agreement.project_agreement`` (computed on a worker: with
many coders it takes seconds); the disagreements list the units that differ most;
double-clicking one opens the article with each coder's spans side by side.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from stancemark.ui.article_view import ArticleTextEdit
from stancemark.ui.session import ProjectSession
from stancemark.ui.tasks import TaskRunner

MEASURES = ("alpha_u", "f1_exact", "f1_overlap", "alpha_nominal_actor",
            "alpha_nominal_category", "alpha_nominal_claimant", "alpha_nominal_target",
            "alpha_ordinal_stance", "alpha_interval_stance", "alpha_ordinal", "alpha_interval",
            "kappa")
LAYERS = ("mentions", "claims", "article_sentiment", "actor_sentiment")
SPAN = QColor("#f6c26b")


def _version(value: Any) -> str:
    """One coder's version of a unit, as words ("actor Irena Balaš, stance -1")."""
    if value is None:
        return "nothing marked"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items() if v is not None) or "—"
    return str(value)


def _fmt(value: Any) -> str:
    return "–" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


class SideBySideDialog(QDialog):
    """One article, one column per coder, each with that coder's spans of a layer marked."""

    def __init__(self, session: ProjectSession, article_id: int, coders: list[str],
                 layer: str, focus: tuple[int, int] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        article = session.store.articles.get(article_id)
        self.setWindowTitle(f"{article.title or 'Article'} — {layer} by coder")
        self.resize(min(420 * len(coders), 1300), 600)
        self.columns: dict[str, ArticleTextEdit] = {}
        row = QHBoxLayout(self)
        for coder in coders:
            box = QVBoxLayout()
            box.addWidget(QLabel(f"<b>{coder}</b>"))
            text = ArticleTextEdit(self)  # the one place that converts to Qt's positions
            text.set_article_text(article.text)
            text.setPlainText(article.text)
            if layer == "mentions":
                spans = [(m.start, m.end) for m in session.store.annotations.mentions(
                    article_id, coder)]
            else:
                spans = [(c.start, c.end) for c in session.store.annotations.claims(
                    article_id, coder)]
            selections = []
            for start, end in spans:
                sel = QTextEdit.ExtraSelection()
                cursor = text.textCursor()
                cursor.setPosition(text.to_view(start))
                cursor.setPosition(text.to_view(end), QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = cursor  # type: ignore[attr-defined]
                fmt = QTextCharFormat()
                fmt.setBackground(SPAN)
                sel.format = fmt  # type: ignore[attr-defined]
                selections.append(sel)
            text.setExtraSelections(selections)
            if focus is not None:
                text.move_cursor_to(focus[0])
                text.centerCursor()
            box.addWidget(text, 1)
            row.addLayout(box)
            self.columns[coder] = text


class AgreementDialog(QDialog):
    """Choose coders, compute, read the figures and open the disagreements."""

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.report: dict[str, Any] | None = None
        self.setWindowTitle("Agreement between coders")
        self.resize(980, 640)
        self.coders = QListWidget(self)
        for name in session.store.annotators():
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.coders.addItem(item)
        self.compute_button = QPushButton("&Compute", self)
        self.compute_button.clicked.connect(self.compute)
        self.status = QLabel("Choose at least two coders, then Compute.", self)
        self.status.setWordWrap(True)
        self.overall = QTableWidget(self)
        self.pairs = QTableWidget(self)
        self.units = QListWidget(self)
        self.units.itemActivated.connect(self._on_units_item_activated)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(QLabel("Coders"))
        left_layout.addWidget(self.coders, 1)
        left_layout.addWidget(self.compute_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel("Over all chosen coders"))
        right_layout.addWidget(self.overall, 2)
        right_layout.addWidget(QLabel("Per pair"))
        right_layout.addWidget(self.pairs, 2)
        right_layout.addWidget(QLabel("Units they disagree on most (double-click: side by side)"))
        right_layout.addWidget(self.units, 2)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([220, 760])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)  # full width: the figures' context is read here
        self._runner: TaskRunner | None = None

    def chosen(self) -> list[str]:
        return [self.coders.item(i).text() for i in range(self.coders.count())
                if self.coders.item(i).checkState() == Qt.CheckState.Checked]

    def compute(self) -> None:
        coders = self.chosen()
        if len(coders) < 2:
            self.status.setText("Choose at least two coders.")
            return
        from stancemark.services.agreement import project_agreement

        store = self.session.store
        self.compute_button.setEnabled(False)
        self.status.setText("Computing…")
        runner = TaskRunner(lambda progress, cancel: project_agreement(
            store, coders, None, None, progress, cancel).as_dict(), self, title="Agreement",
            label="Comparing the coders…")
        runner.finished.connect(self.show_report)
        runner.failed.connect(self._on_runner_failed)
        runner.ended.connect(lambda: self.compute_button.setEnabled(True))
        self._runner = runner
        runner.start()

    def _on_runner_failed(self, message: str) -> None:
        self.status.setText(message)

    def show_report(self, report: dict[str, Any]) -> None:
        self.report = report
        layers = report.get("layers", {})
        self.status.setText(f"{len(report.get('annotators', []))} coders, "
                            f"{report.get('articles', 0)} articles. Intervals and observed/"
                            "expected disagreement: stancemark agreement -f json.")
        shown = [m for m in MEASURES if any(m in (layers.get(la) or {}).get("overall", {})
                                            for la in LAYERS)]
        self.overall.setColumnCount(len(shown) + 1)
        self.overall.setHorizontalHeaderLabels(["layer", *shown])
        self.overall.setRowCount(len(LAYERS))
        for r, layer in enumerate(LAYERS):
            overall = (layers.get(layer) or {}).get("overall", {})
            self.overall.setItem(r, 0, QTableWidgetItem(layer.replace("_", " ")))
            for c, m in enumerate(shown, 1):
                self.overall.setItem(r, c, QTableWidgetItem(_fmt(overall.get(m))))
        pairs = [(layer, p) for layer in LAYERS
                 for p in (layers.get(layer) or {}).get("pairs", [])]
        self.pairs.setColumnCount(len(shown) + 3)
        self.pairs.setHorizontalHeaderLabels(["layer", "a", "b", *shown])
        self.pairs.setRowCount(len(pairs))
        for r, (layer, p) in enumerate(pairs):
            for c, v in enumerate([layer.replace("_", " "), p.get("a"), p.get("b")]):
                self.pairs.setItem(r, c, QTableWidgetItem(str(v)))
            for c, m in enumerate(shown, 3):
                self.pairs.setItem(r, c, QTableWidgetItem(_fmt(p.get(m))))
        for table in (self.overall, self.pairs):  # a few rows: sizing to contents is cheap
            table.resizeColumnsToContents()
            table.resizeRowsToContents()
        self.units.clear()
        for unit in report.get("most_disagreed_units", []):
            values = "; ".join(f"{coder}: {_version(v)}"
                               for coder, v in (unit.get("values") or {}).items())
            text = (unit.get("text") or "")[:60]
            item = QListWidgetItem(f"{unit['layer'].replace('_', ' ')} · article "
                                   f"{unit['article']} · “{text}” · {values}")
            item.setData(Qt.ItemDataRole.UserRole, unit)
            self.units.addItem(item)

    def _on_units_item_activated(self, item: QListWidgetItem) -> SideBySideDialog | None:
        unit = item.data(Qt.ItemDataRole.UserRole)
        if not unit or unit["layer"] not in ("mentions", "claims"):
            return None
        coders = [c for c in (unit.get("values") or {})] or self.chosen()
        focus = (unit["start"], unit["end"]) if unit.get("start") is not None else None
        dialog = SideBySideDialog(self.session, unit["article"], coders, unit["layer"], focus,
                                  self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.side_by_side = dialog
        return dialog
