"""The import batch: progress for every file, cancel between files, outcomes per file."""

from __future__ import annotations

from pathlib import Path

from stancemark.core.progress import CancelFlag, ProgressEvent
from stancemark.services.importing import import_paths


def make_files(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        p = folder / f"a{i:03d}.txt"
        p.write_text(f"Headline number {i}\n\n" + f"Body sentence {i} about the talks. " * 20,
                     encoding="utf-8")
        paths.append(p)
    return paths


def test_progress_reports_every_file(store, tmp_path: Path) -> None:
    make_files(tmp_path, 12)
    events: list[ProgressEvent] = []
    report = import_paths(store, [tmp_path], progress=events.append, batch_size=5)
    assert report.imported == 12
    assert [e.done for e in events] == list(range(1, 13))
    assert all(e.total == 12 for e in events)
    assert events[-1].message == "a011.txt"
    assert store.counts()["articles"] == 12


def test_cancel_stops_between_files_and_keeps_what_was_read(store, tmp_path: Path) -> None:
    make_files(tmp_path, 30)
    flag = CancelFlag()

    def progress(event: ProgressEvent) -> None:
        if event.done == 10:
            flag.cancel()

    report = import_paths(store, [tmp_path], progress=progress, cancel=flag, batch_size=4)
    assert report.cancelled
    assert report.imported == 10
    assert store.counts()["articles"] == 10
    assert "(cancelled)" in report.summary()
    # importing again finishes the job and skips what is there
    again = import_paths(store, [tmp_path])
    assert (again.imported, again.count("duplicate")) == (20, 10)


def test_parallel_reading_gives_the_same_outcomes_in_order(tmp_path: Path) -> None:
    from stancemark.services.importing import PARALLEL_MIN_FILES
    from stancemark.store import memory_project

    folder = tmp_path / "in"
    folder.mkdir()
    paths = make_files(folder, PARALLEL_MIN_FILES + 20)
    (folder / "a100.txt").write_bytes(b"")  # one bad file among them
    results = []
    for workers in (0, 2):
        store = memory_project()
        events: list[ProgressEvent] = []
        report = import_paths(store, [folder], progress=events.append, workers=workers)
        results.append(([(o.path, o.status) for o in report.outcomes],
                         [store.articles.get(i).text for i in store.articles.ids()],
                         [e.message for e in events]))
        store.close()
    serial, parallel = results
    assert parallel == serial
    assert len(serial[1]) == len(paths) - 1
    assert ("a100.txt" in serial[2][100]) and any(s == "empty" for _, s in serial[0])


def test_parallel_import_cancels(store, tmp_path: Path) -> None:
    from stancemark.services.importing import PARALLEL_MIN_FILES

    make_files(tmp_path, PARALLEL_MIN_FILES + 50)
    flag = CancelFlag()

    def progress(event: ProgressEvent) -> None:
        if event.done == 30:
            flag.cancel()

    report = import_paths(store, [tmp_path], progress=progress, cancel=flag, workers=2)
    assert report.cancelled and report.imported == 30
    assert store.counts()["articles"] == 30


def test_an_import_says_what_it_changed_like_an_edit(store, tmp_path: Path) -> None:
    from stancemark.core.changes import ChangeKind
    from stancemark.services.session import Session

    make_files(tmp_path, 3)
    session = Session(store, "alice")
    heard = []
    session.subscribe(heard.append)
    report = import_paths(store, [tmp_path])
    session.record(report.change)
    assert heard == [report.change]
    assert heard[0].kinds == {ChangeKind.ARTICLES}
    assert heard[0].articles == set(store.articles.ids())
    again = import_paths(store, [tmp_path])  # all duplicates: nothing changed
    assert again.change.empty


def test_readers_take_small_files_in_large_chunks_and_large_files_a_few_at_a_time(
        tmp_path) -> None:
    from stancemark.services.importing import _chunk_size

    small = [tmp_path / f"s{i}.txt" for i in range(60)]
    for p in small:
        p.write_text("A short article.\n", encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * (5 * 1024 * 1024))
    assert _chunk_size(small) == 64
    assert _chunk_size([big, *small[:3]]) == 4  # what a chunk holds waits in memory
    assert _chunk_size([tmp_path / "gone.txt"]) == 64  # a file that vanished: read says so
