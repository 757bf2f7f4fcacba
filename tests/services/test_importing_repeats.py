"""Importing a folder of one site's scraped pages drops the site's repeated furniture."""

from __future__ import annotations

import shutil
from pathlib import Path

from stancemark.services.importing import import_paths
from tests.articles import cleaner_eval as ce


def copy_site(site: str, to: Path) -> list[ce.Page]:
    pages = [p for p in ce.load("dev") if p.site == site]
    to.mkdir(parents=True)
    for p in pages:
        shutil.copy(p.path, to / p.path.name)
    return pages


def test_folder_of_one_site_loses_its_repeated_lines(store, tmp_path: Path) -> None:
    # the French paper's subscription pitch reads like a sentence: only the batch sees it
    pages = copy_site("courrier-littoral", tmp_path / "courrier")
    pitch = next(t for label, t in pages[0].labels if t.startswith("Article réservé"))
    report = import_paths(store, [tmp_path / "courrier"], workers=0)
    assert report.imported == len(pages)
    for aid in store.articles.ids():
        article = store.articles.get(aid)
        assert pitch not in article.text
        assert pitch in store.articles.raw(aid)  # the file as read is kept
    titles = {store.articles.get(aid).title for aid in store.articles.ids()}
    assert titles == {next(t for label, t in p.labels if label == "content") for p in pages}


def test_one_file_alone_keeps_the_line(store, tmp_path: Path) -> None:
    pages = copy_site("courrier-littoral", tmp_path / "courrier")
    pitch = next(t for label, t in pages[0].labels if t.startswith("Article réservé"))
    import_paths(store, [tmp_path / "courrier" / pages[0].path.name], workers=0)
    (aid,) = store.articles.ids()
    assert pitch in store.articles.get(aid).text


def test_two_sites_in_two_folders_are_cleaned_apart(store, tmp_path: Path) -> None:
    copy_site("agencia-meridiana", tmp_path / "wire")
    copy_site("talbote", tmp_path / "talbote")
    report = import_paths(store, [tmp_path], workers=0)
    assert report.imported == 9
    texts = [store.articles.get(aid).text for aid in store.articles.ids()]
    assert not any("Nuestros estándares" in t for t in texts)
    assert all("Impressum" not in t for t in texts)


def test_a_file_imported_again_in_another_batch_is_still_a_duplicate(store,
                                                                     tmp_path: Path) -> None:
    # three pages first, then the folder with its fourth: a line repeated in 3 of 3 files
    # is dropped the first time but not in 3 of 4, so one page cleans differently, and is
    # still the same file as read
    pages = [p for p in ce.load("dev") if p.site == "agencia-meridiana"]
    assert len(pages) == 4
    folder = tmp_path / "agencia"
    folder.mkdir()
    for p in pages[:3]:
        shutil.copy(p.path, folder / p.path.name)
    assert import_paths(store, [folder], workers=0).imported == 3
    shutil.copy(pages[3].path, folder / pages[3].path.name)
    again = import_paths(store, [folder], workers=0)
    assert (again.imported, again.count("duplicate")) == (1, 3)
    assert store.articles.count() == 4
    # a changed file at the same path is a new article
    (folder / pages[0].path.name).write_text(pages[0].path.read_text(encoding="utf-8")
                                             + "\nA correction was added on Friday.\n",
                                             encoding="utf-8")
    assert import_paths(store, [folder], workers=0).imported == 1
