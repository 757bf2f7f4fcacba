"""Fixtures for driving the real annotation window on an in-memory project."""

from __future__ import annotations

import pytest

from stancemark.core.models import ArticleDraft
from stancemark.store import Store

ARTICLE_ONE = (
    "Kurti meets Vučić in Brussels\n"
    "Albin Kurti said on Monday that the police will stay in the north. "
    "Aleksandar Vučić answered that Belgrade would never accept it.\n"
    "The European Union urged both sides to return to talks."
)
ARTICLE_TWO = (
    "Talks resume\n"
    "Josep Borrell announced that the dialogue would resume next week in Brussels."
)
ARTICLE_THREE = "A quiet day\nNothing happened in the capital today."


@pytest.fixture
def project(store: Store) -> Store:
    store.articles.add_many([
        ArticleDraft(ARTICLE_ONE, title="Kurti meets Vučić", source="Balkan Daily",
                     published=None),
        ArticleDraft(ARTICLE_TWO, title="Talks resume", source="EU Observer"),
        ArticleDraft(ARTICLE_THREE, title="A quiet day", source="Local News"),
    ])
    return store


@pytest.fixture
def make_window(qtbot):
    """Open a real MainWindow on a store (annotator "alice"), shown and exposed."""
    from stancemark.ui.main_window import MainWindow

    made = []

    def make(store: Store, annotator: str = "alice"):
        win = MainWindow(store, annotator)
        win.persist_state = False
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        qtbot.waitUntil(win.isActiveWindow)  # window shortcuts fire only in the active window
        made.append(win)
        return win

    yield make
    for win in made:
        win.close()


@pytest.fixture
def window(make_window, project: Store):
    return make_window(project)


@pytest.fixture(autouse=True)
def _no_dangling_qt_work(monkeypatch):
    """Fail a UI test that leaves a QThread, a thread-pool task or a QTimer running.

    Work left running outlives the window it reports to (a timer firing into a deleted
    panel, a task writing to a closed project). Threads, pools and timers started
    during the test are tracked; after the test's widgets are closed and deleted,
    anything still running fails the test (and is stopped, so the next test starts
    clean). Single-shot timers (``QTimer.singleShot``) are left alone: they fire once.
    """
    import shiboken6
    from PySide6.QtCore import QCoreApplication, QEvent, QThread, QThreadPool, QTimer

    started: dict[str, list] = {"thread": [], "pool": [], "timer": []}

    def tracking(cls, kind):
        original = cls.start

        def start(self, *args, **kwargs):
            started[kind].append(self)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(cls, "start", start)

    tracking(QThread, "thread")
    tracking(QThreadPool, "pool")
    tracking(QTimer, "timer")
    yield
    # widgets closed by the test fixtures are deleted only when the event loop runs
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    left = []
    for thread in started["thread"]:
        if shiboken6.isValid(thread) and thread.isRunning():
            left.append(f"QThread {thread.objectName() or thread!r}")
            thread.quit()
            thread.wait(5000)
    for pool in {id(p): p for p in started["pool"]}.values():
        if shiboken6.isValid(pool) and pool.activeThreadCount():
            left.append(f"{pool.activeThreadCount()} task(s) in {pool!r}")
            pool.waitForDone(10000)
    for timer in started["timer"]:
        if shiboken6.isValid(timer) and timer.isActive():
            parent = timer.parent()
            owner = type(parent).__name__ if parent is not None else "no parent"
            left.append(f"QTimer every {timer.interval()} ms (owner: {owner})")
            timer.stop()
    assert not left, "left running after the test: " + "; ".join(left)
