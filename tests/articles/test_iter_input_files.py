"""Collecting the files of an import from files and folders."""

from pathlib import Path

from stancemark.articles import iter_input_files


def test_nested_folders_sorted_hidden_skipped(tmp_path):
    root = tmp_path / "batch"
    for rel in [
        "b.txt",
        "a10.txt",
        "a2.txt",
        "sub/z.html",
        "sub/deeper/one.txt",
        ".hidden.txt",
        ".git/config",
        "sub/.cache/x.txt",
    ]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    got = [p.relative_to(root).as_posix() for p in iter_input_files([root])]
    assert got == ["a2.txt", "a10.txt", "b.txt", "sub/deeper/one.txt", "sub/z.html"]


def test_files_as_given_and_missing_paths_yielded(tmp_path):
    f = tmp_path / ".explicit.txt"
    f.write_text("x", encoding="utf-8")
    missing = tmp_path / "gone.txt"
    folder = tmp_path / "dir"
    folder.mkdir()
    (folder / "in.txt").write_text("x", encoding="utf-8")
    got = list(iter_input_files([str(missing), f, folder]))
    assert got == [missing, f, folder / "in.txt"]
    assert all(isinstance(p, Path) for p in got)


def test_empty_folder_yields_nothing(tmp_path):
    assert list(iter_input_files([tmp_path])) == []


def test_folder_walk_takes_article_files_only(tmp_path):
    from stancemark.articles import iter_input_files

    for name in ("a.txt", "b.HTML", "c", "README.md", "meta.json", "photo.jpg"):
        (tmp_path / name).write_text("x")
    got = [p.name for p in iter_input_files([tmp_path])]
    assert got == ["a.txt", "b.HTML", "c"]
    # a file named explicitly is always tried
    assert [p.name for p in iter_input_files([tmp_path / "README.md"])] == ["README.md"]
