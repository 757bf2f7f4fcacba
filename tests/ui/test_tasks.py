"""The window's one long-job slot: one job at a time, unlocked before the outcome is told."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from stancemark.core.progress import CancelFlag, ProgressCallback
from stancemark.ui.tasks import JobSlot, TaskRunner


def _answer(_progress: ProgressCallback, _cancel: CancelFlag) -> int:
    return 42


def test_job_slot_is_busy_while_a_job_runs_and_free_before_its_outcome(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    slot = JobSlot(parent)
    events: list[object] = []
    slot.busy_changed.connect(lambda busy: events.append(("busy", busy)))
    runner = TaskRunner(_answer, parent, title="Test", label="Testing…")
    runner.finished.connect(lambda result: events.append(("finished", result, slot.busy)))
    with qtbot.waitSignal(runner.finished, timeout=10_000):
        assert slot.start(runner, "import")
        assert slot.busy and slot.what == "import"
        second = TaskRunner(_answer, parent, title="Test", label="Testing…")
        assert not slot.start(second, "merge")  # one job at a time
    assert events == [("busy", True), ("busy", False), ("finished", 42, False)]
    assert not slot.busy
