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


def test_a_job_held_for_another_writer_starts_when_it_ends_or_cancels_at_once(qtbot) -> None:
    from PySide6.QtCore import QObject, Signal

    class Writer(QObject):
        ended = Signal()

    parent = QWidget()
    qtbot.addWidget(parent)
    writer, writing = Writer(parent), [True]
    slot = JobSlot(parent)
    slot.wait_for(lambda: writing[0], writer.ended)
    ran: list[int] = []

    def job(_progress: ProgressCallback, _cancel: CancelFlag) -> int:
        ran.append(1)
        return 7

    runner = TaskRunner(job, parent, title="Test", label="Testing…")
    assert slot.start(runner, "import")
    assert slot.busy and slot.waiting
    qtbot.wait(100)
    assert ran == []  # held while the other writer works
    with qtbot.waitSignal(runner.finished, timeout=10_000) as done:
        writing[0] = False
        writer.ended.emit()
    assert done.args == [7] and ran == [1] and not slot.busy
    # a held job cancelled before it starts ends at once, as cancelled, having run nothing
    writing[0] = True
    held = TaskRunner(job, parent, title="Test", label="Testing…")
    assert slot.start(held, "merge")
    with qtbot.waitSignal(held.cancelled, timeout=1_000):
        slot.cancel()
    assert not slot.busy and not slot.waiting and ran == [1]
    writer.ended.emit()  # the writer ending later starts nothing
    qtbot.wait(100)
    assert ran == [1]
