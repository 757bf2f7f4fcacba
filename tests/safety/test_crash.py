"""Kill -9 a process annotating as fast as it can; every edit it reported committed survives.

A child opens the project and adds mentions, claims and sentiments through the
same services the window uses, printing each id after its commit. The parent
kills it with SIGKILL at a random moment, then checks the file: integrity, it
opens, and it holds every annotation the child reported.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stancemark.core.models import ArticleDraft
from stancemark.store import open_project

TRIALS = 50

CHILD = r"""
import sys
from stancemark.services.annotation import AnnotationService
from stancemark.services.edits import perform
from stancemark.store import open_project

store = open_project(sys.argv[1])
svc = AnnotationService(store, "crash-child")
text = store.articles.get(1).text
actor = store.actors.by_name("Albin Kurti").id


def report(line):
    # one write per line: a kill may still cut it, and the parent ignores a cut line
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


report("ready")
# mention k gets its own (start, end): the same mention twice would be refused, and a
# restarted child goes on from the mentions already stored
k = store.counts()["mentions"]
i = 0
room = len(text) - 30
while True:
    kind = i % 3
    if kind == 0:
        start = k % room
        change = perform(store, svc.tag_actor(1, start, start + 5 + (k // room) % 25, actor))
        k += 1
        report(f"mention {change.focus[1]}")
    elif kind == 1:
        start = (i * 7) % room
        change = perform(store, svc.add_claim(1, start, start + 15, stance=(i % 5) - 2))
        report(f"claim {change.focus[1]}")
    else:
        perform(store, svc.set_article_sentiment(1, (i % 5) - 2))
        report(f"sentiment {(i % 5) - 2}")
    i += 1
"""


@pytest.mark.slow
def test_sigkill_never_loses_a_reported_commit(tmp_path: Path) -> None:
    project = tmp_path / "crash.stancemark"
    with open_project(project, create=True) as s:
        s.articles.add(ArticleDraft(text="Albin Kurti said the talks would continue. " * 40))
        s.actors.add("Albin Kurti", "person")
    rng = random.Random(1234)
    reported_mentions: set[int] = set()
    reported_claims: set[int] = set()
    losses = 0
    for trial in range(TRIALS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(project)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stdout is not None
        first = child.stdout.readline().strip()
        assert first == "ready", child.stderr.read() if child.stderr else first
        time.sleep(rng.uniform(0.005, 0.15))
        os.kill(child.pid, signal.SIGKILL)
        out, _ = child.communicate(timeout=10)
        assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
        last_sentiment = None
        for line in out.splitlines():
            kind, _, value = line.partition(" ")
            if kind == "mention":
                reported_mentions.add(int(value))
            elif kind == "claim":
                reported_claims.add(int(value))
            elif kind == "sentiment":
                last_sentiment = int(value)
        with open_project(project) as s:
            assert s.integrity_ok(), f"trial {trial}: integrity check failed"
            mentions = {m.id for m in s.annotations.mentions(1)}
            claims = {c.id for c in s.annotations.claims(1)}
            missing = (reported_mentions - mentions) | (reported_claims - claims)
            losses += len(missing)
            assert not missing, f"trial {trial}: lost {sorted(missing)}"
            if last_sentiment is not None:
                # the last reported value, or a later one committed before the kill
                assert s.annotations.sentiment(1, None, "crash-child") is not None
    assert losses == 0
    assert len(reported_mentions) + len(reported_claims) > TRIALS  # the child really worked
