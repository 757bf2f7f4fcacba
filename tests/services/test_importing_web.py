"""Importing web pages and feeds: outcomes per address beside files, duplicates, cancel, CLI."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from stancemark.articles.web import WebPolicy
from stancemark.cli import main
from stancemark.core.progress import CancelFlag, ProgressEvent
from stancemark.services.importing import import_sources
from stancemark.store import Store, open_project
from tests.webserver import Reply, Site, page

FAST = WebPolicy(delay=0.0, backoff=0.01, timeout=3.0)
MILL = ["The old paper mill on the Sorn will become a school for trades, the county said.",
        "Planner Hedda Voss expects the first students in the autumn of next year.",
        "Neighbours asked for a footpath along the river as part of the works."]
MARKET = ["Stallholders at the Saturday market will pay lower fees from April.",
          "The town treasurer, Ruben Olt, called it a small price for a busy square."]

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Sorn Valley Post</title>
<item><title>Mill to become a school</title><link>{base}/mill</link>
  <pubDate>Mon, 02 Mar 2026 06:00:00 GMT</pubDate>
  <author>desk@sorn.example (Ada Lind)</author></item>
<item><title>Market fees cut</title><link>{base}/market</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Sorn Valley Notes</title>
<entry><title>The mill</title><link href="{base}/mill"/>
  <updated>2026-03-02T07:00:00Z</updated></entry>
</feed>"""


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as s:
        s.routes["/mill"] = Reply(body=page("Mill to become a school", MILL,
                                            author="Hedda Voss",
                                            published="2026-03-02T08:00:00+01:00",
                                            site_name="Sorn Valley Post"))
        s.routes["/market"] = Reply(body=page("Market fees cut", MARKET))
        s.routes["/feed"] = Reply(body=RSS.format(base=s.base).encode(),
                                  content_type="application/rss+xml")
        s.routes["/atom"] = Reply(body=ATOM.format(base=s.base).encode(),
                                  content_type="application/atom+xml")
        yield s


def statuses(report) -> list[str]:
    return [o.status for o in report.outcomes]


def test_a_page_becomes_an_article_with_its_metadata_and_exact_text(store: Store,
                                                                     site: Site) -> None:
    report = import_sources(store, [site.url("/mill")], web=FAST)
    assert statuses(report) == ["imported"]
    article = store.articles.get(report.outcomes[0].article_id)
    assert article.text == "Mill to become a school\n\n" + "\n\n".join(MILL)
    assert article.title == "Mill to become a school"
    assert article.author == "Hedda Voss"
    assert article.source == "Sorn Valley Post"
    assert article.url == site.url("/mill")
    assert article.published is not None and article.published.startswith("2026-03-02T08:00")


def test_an_rss_feed_imports_the_page_of_each_entry(store: Store, site: Site) -> None:
    events: list[ProgressEvent] = []
    report = import_sources(store, [site.url("/feed")], web=FAST, progress=events.append)
    assert statuses(report) == ["imported", "imported"]
    assert [o.item for o in report.outcomes] == [1, 2]
    assert all(o.path == site.url("/feed") for o in report.outcomes)
    market = store.articles.get(report.outcomes[1].article_id)
    assert market.text.endswith(MARKET[-1])
    assert market.source == "Sorn Valley Post"  # from the feed: the page names none
    assert market.title == "Market fees cut"
    assert events[-1].done == events[-1].total == 1


def test_an_atom_feed_and_a_page_it_shares_with_an_rss_feed(store: Store, site: Site) -> None:
    report = import_sources(store, [site.url("/atom"), site.url("/feed")], web=FAST)
    got = [(o.path.rsplit("/", 1)[1], o.item, o.status) for o in report.outcomes]
    assert sorted(got) == [("atom", 1, "imported"), ("feed", 1, "duplicate"),
                           ("feed", 2, "imported")]
    duplicate = next(o for o in report.outcomes if o.status == "duplicate")
    assert "earlier in this batch" in duplicate.message
    assert site.count("/mill") == 1


def test_an_address_already_in_the_project_is_not_fetched_again(tmp_path: Path,
                                                                site: Site) -> None:
    path = tmp_path / "p.stancemark"
    with open_project(path, create=True) as store:
        first = import_sources(store, [site.url("/mill")], web=FAST)
    hits = len(site.hits)
    with open_project(path) as store:
        again = import_sources(store, [site.url("/mill"), site.url("/feed")], web=FAST)
        assert store.counts()["articles"] == 2
    assert sorted(statuses(again)) == ["duplicate", "duplicate", "imported"]
    assert (f"already in the project (article {first.outcomes[0].article_id}); not fetched "
            "again") in again.outcomes[0].message
    assert site.count("/mill") == 1
    assert [h.path for h in site.hits[hits:]] == ["/robots.txt", "/feed", "/market"]


def test_one_bad_address_does_not_stop_the_batch(store: Store, site: Site,
                                                 tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Ferry strike ends\n\nThe ferry crews went back to work this morning.\n",
                    encoding="utf-8")
    site.routes["/robots.txt"] = Reply(body=b"User-agent: *\nDisallow: /private\n",
                                       content_type="text/plain")
    site.routes["/broken"] = Reply(500, b"no")
    inputs = [site.url("/missing"), "ftp://example.org/x", site.url("/private/a"),
              site.url("/broken"), "http://[::1/", str(note), site.url("/mill")]
    report = import_sources(store, inputs, web=FAST)
    got = {(o.path, o.status) for o in report.outcomes}
    assert got == {(site.url("/missing"), "unreachable"), ("ftp://example.org/x", "refused"),
                   ("http://[::1/", "unreadable"),
                   (site.url("/private/a"), "refused"), (site.url("/broken"), "unreachable"),
                   (str(note), "imported"), (site.url("/mill"), "imported")}
    by_path = {o.path: o.message for o in report.outcomes}
    assert "refused by robots.txt" in by_path[site.url("/private/a")]
    assert "after 3 retries" in by_path[site.url("/broken")]
    assert report.summary() == "2 imported, 1 unreadable, 2 refused, 2 unreachable"


def test_cancel_stops_a_feed_between_entries_and_keeps_what_was_fetched(store: Store,
                                                                        site: Site) -> None:
    flag = CancelFlag()
    site.routes["/market"] = Reply(body=page("Market fees cut", MARKET), delay=0.3)

    def progress(event: ProgressEvent) -> None:
        if event.message.endswith("#1"):
            flag.cancel()

    report = import_sources(store, [site.url("/feed"), site.url("/mill")], web=FAST,
                            cancel=flag, progress=progress)
    assert report.cancelled
    assert statuses(report) == ["imported"]
    assert store.counts()["articles"] == 1
    assert site.count("/market") == 0


def test_the_command_line_mixes_files_and_addresses(tmp_path: Path, site: Site,
                                                    capsys) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Ferry strike ends\n\nThe ferry crews went back to work this morning.\n",
                    encoding="utf-8")
    project = tmp_path / "p.stancemark"
    code = main(["import", str(project), str(note), site.url("/feed"), site.url("/nothing"),
                 "--delay", "0", "--user-agent", "Stancemark-test/1"])
    err = capsys.readouterr().err
    assert code == 0
    assert "3 imported, 1 unreachable" in err
    assert f"unreachable {site.url('/nothing')}: {site.url('/nothing')} answered 404" in err
    assert {h.headers["user-agent"] for h in site.hits} == {"Stancemark-test/1"}
    assert main(["import", str(project), site.url("/mill"), "--delay", "0"]) == 1
    assert "duplicate" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["import", str(project), site.url("/mill"), "--delay", "-1"])


def test_ctrl_c_stops_an_import_cleanly(tmp_path: Path, site: Site) -> None:
    site.routes["/market"] = Reply(body=page("Market fees cut", MARKET), delay=1.0)
    project = tmp_path / "p.stancemark"
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "stancemark", "import", str(project), site.url("/feed"),
         "--delay", "0"], stderr=subprocess.PIPE, text=True,
        env={"PYTHONPATH": f"{root / 'desktop'}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    deadline = time.monotonic() + 30
    while site.count("/market") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(2)  # SIGINT, as Ctrl+C sends
    _out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopping after the current page" in err
    assert "2 imported (cancelled)" in err or "1 imported (cancelled)" in err
    with open_project(project, read_only=True) as s:
        assert s.counts()["articles"] >= 1


def test_the_same_text_at_another_address_is_a_duplicate(store: Store, site: Site) -> None:
    site.routes["/mill-copy"] = site.routes["/mill"]
    report = import_sources(store, [site.url("/mill"), site.url("/mill-copy")], web=FAST)
    assert sorted(statuses(report)) == ["duplicate", "imported"]
    duplicate = next(o for o in report.outcomes if o.status == "duplicate")
    assert duplicate.path == site.url("/mill-copy")
    assert duplicate.message == "Same text as an article already in the project; skipped."


def test_a_page_in_the_charset_its_server_names(store: Store, site: Site) -> None:
    text = ("Совет утвердил новый мост через реку. Мэр сказала, что работы начнутся весной "
            "и закончатся к осени следующего года.")
    site.routes["/ru"] = Reply(body=f"<html><body><article><h1>Новый мост</h1><p>{text}</p>"
                               "</article></body></html>".encode("cp1251"),
                               content_type="text/html; charset=windows-1251")
    site.routes["/ru.txt"] = Reply(body=f"Новый мост\n\n{text} Текстом.\n".encode("cp1251"),
                                   content_type="text/plain; charset=windows-1251")
    report = import_sources(store, [site.url("/ru"), site.url("/ru.txt")], web=FAST)
    assert statuses(report) == ["imported", "imported"]
    html, plain = (store.articles.get(o.article_id) for o in report.outcomes)
    assert html.text == f"Новый мост\n\n{text}"
    assert plain.title == "Новый мост" and plain.text.endswith("Текстом.")
