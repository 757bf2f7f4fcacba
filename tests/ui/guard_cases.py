"""UI tests that leave work running on purpose: the guard in conftest.py must fail them.

Not collected by the suite itself (no ``test_`` file name); test_thread_guard.py runs
this file in a pytest of its own and checks the failures.
"""

import time

from PySide6.QtCore import QRunnable, QThread, QThreadPool, QTimer

_kept = []


def test_leaves_a_timer(qtbot) -> None:
    timer = QTimer()
    timer.start(1000)
    _kept.append(timer)


class _Slow(QRunnable):
    def run(self) -> None:
        time.sleep(0.3)


def test_leaves_a_pool_task(qtbot) -> None:
    QThreadPool.globalInstance().start(_Slow())


class _Sleeper(QThread):
    def run(self) -> None:
        self.msleep(300)


def test_leaves_a_thread(qtbot) -> None:
    thread = _Sleeper()
    thread.start()
    _kept.append(thread)


def test_stops_what_it_starts(qtbot) -> None:
    timer = QTimer()
    timer.start(1000)
    timer.stop()
