"""The app in a real X window: started by the README's command, driven by real keys and clicks.

Offscreen tests never load the xcb platform plugin, never meet a window manager and
never see where the desktop puts focus. Here an X server (Xvfb) and a window
manager (openbox) run on a display of their own; xdotool sends key presses and
mouse clicks as the X server delivers them to any program. The analyst answers the
first-run question, tags an actor and a claim, closes the window, and the project
file holds both.

``make test`` installs Xvfb, openbox and xdotool (packaging/system-deps.sh --test);
without them the test is skipped.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
TOOLS = ("Xvfb", "openbox", "xdotool", "make")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 desktop test"),
    pytest.mark.skipif(any(shutil.which(t) is None for t in TOOLS),
                       reason="needs Xvfb, openbox and xdotool (make test installs them)"),
]


class Desktop:
    """An X display with a window manager, and xdotool to act on it."""

    def __init__(self, display: str, env: dict[str, str]) -> None:
        self.display = display
        self.env = env

    def xdotool(self, *args: str, timeout: float = 30) -> str:
        out = subprocess.run(["xdotool", *args], env=self.env, capture_output=True,
                             text=True, timeout=timeout)
        return out.stdout.strip()

    def wait_window(self, name: str, timeout: float = 60) -> str:
        """The id of a visible window whose title matches ``name`` (a regex)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ids = self.xdotool("search", "--onlyvisible", "--name", name).split()
            if ids:
                return ids[-1]
            time.sleep(0.2)
        raise AssertionError(f"no window named {name!r} appeared")

    def key(self, *keys: str) -> None:
        for k in keys:
            self.xdotool("key", "--clearmodifiers", k)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.xdotool("type", "--delay", "30", text)
        time.sleep(0.2)

    def geometry(self, window: str) -> tuple[int, int, int, int]:
        values = {}
        for line in self.xdotool("getwindowgeometry", "--shell", window).splitlines():
            k, _, v = line.partition("=")
            values[k] = int(v)
        return values["X"], values["Y"], values["WIDTH"], values["HEIGHT"]

    @contextlib.contextmanager
    def app(self, project: Path, annotator: str = "alice") -> Iterator[subprocess.Popen]:
        """The app started by the README's command (``make run ARGS=PROJECT``), the first-run
        question answered with ``annotator``, its window shown; killed if still running
        after the block. :meth:`quit` closes it by keys."""
        app = subprocess.Popen(["make", "-s", "-C", str(ROOT), "run", f"ARGS={project}"],
                               env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
        try:
            self.wait_window("^Stancemark$")  # first run: the annotator's name, asked once
            self.key("ctrl+a")
            self.type(annotator)
            self.key("Return")
            self.wait_window(re.escape(project.name))
            yield app
        finally:
            if app.poll() is None:
                os.killpg(app.pid, signal.SIGKILL)

    def quit(self, app: subprocess.Popen) -> None:
        """Ctrl+Q, and the app ends with exit code 0."""
        self.key("ctrl+q")
        code = app.wait(30)
        assert code == 0, app.stdout.read().decode() if app.stdout else ""

    def click(self, x: int, y: int) -> None:
        self.xdotool("mousemove", "--sync", str(x), str(y))
        self.xdotool("click", "1")
        time.sleep(0.2)


@pytest.fixture
def desktop(tmp_path: Path) -> Iterator[Desktop]:
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24",
                             "-nolisten", "tcp"], pass_fds=(write,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as f:
        number = f.readline().strip()
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env.update(DISPLAY=f":{number}", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"), XDG_CACHE_HOME=str(home / ".cache"))
    wm = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    try:
        yield Desktop(f":{number}", env)
    finally:
        for proc in (wm, xvfb):
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def counts(project: Path) -> tuple[int, int]:
    con = sqlite3.connect(f"file:{project}?mode=ro", uri=True)
    try:
        return (con.execute("SELECT count(*) FROM mentions").fetchone()[0],
                con.execute("SELECT count(*) FROM claims").fetchone()[0])
    finally:
        con.close()


def test_tag_an_actor_and_a_claim_with_real_keys_and_clicks(desktop: Desktop,
                                                           tmp_path: Path) -> None:
    project = tmp_path / "study.stancemark"
    article = tmp_path / "article.txt"
    article.write_text("Valmora accuses Ostria\n\nIrena Balaš said the blockade must end "
                       "before the harvest. Nobody else spoke.\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "stancemark", "import", str(project), str(article)],
                   check=True, env=desktop.env, capture_output=True)
    with desktop.app(project) as app:
        window = desktop.wait_window("study.stancemark")
        x, y, w, h = desktop.geometry(window)
        # a real click into the article text (the middle of the window), then keys only
        desktop.click(x + int(w * 0.45), y + int(h * 0.6))
        desktop.key("ctrl+Home", "Down", "Down", "ctrl+shift+Right", "ctrl+shift+Right")
        desktop.key("a")  # tag the selection ("Irena Balaš") as an actor
        desktop.key("Return")  # "+ New actor" is the only row
        desktop.key("p")  # of type person
        desktop.key("End", "shift+Home")  # the whole paragraph
        desktop.key("c")  # as a claim
        deadline = time.monotonic() + 30
        while counts(project) != (1, 1) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert counts(project) == (1, 1)
        desktop.quit(app)
    con = sqlite3.connect(project)
    mention = con.execute("SELECT m.text, a.name, a.type, n.name FROM mentions m "
                          "JOIN actors a ON a.id = m.actor_id "
                          "JOIN annotators n ON n.id = m.annotator_id").fetchone()
    claim = con.execute("SELECT text, claimant_id IS NOT NULL FROM claims").fetchone()
    con.close()
    assert mention == ("Irena Balaš", "Irena Balaš", "person", "alice")
    assert claim[0].startswith("Irena Balaš said") and claim[1] == 1
