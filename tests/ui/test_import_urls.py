"""File › Import from URL or Feed… in the real window, against a site on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from stancemark.articles.web import WebPolicy
from stancemark.store import Store
from stancemark.ui.import_urls_dialog import ImportUrlsDialog, addresses, read_lines
from tests.webserver import Reply, Site, page

STORY = ["The county library will open on Sundays from May, the council decided.",
         "Librarian Mira Holt said volunteers had offered to cover the extra hours."]
FEED = """<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>County Bulletin</title>
<entry><title>Library opens on Sundays</title><link href="{base}/library"/>
<author><name>Mira Holt</name></author><updated>2026-04-01T10:00:00Z</updated></entry>
<entry><title>Withdrawn notice</title><link href="{base}/withdrawn"/></entry>
</feed>"""


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as s:
        s.routes["/library"] = Reply(body=page("Library opens on Sundays", STORY))
        s.routes["/feed"] = Reply(body=FEED.format(base=s.base).encode(),
                                  content_type="application/atom+xml")
        s.routes["/withdrawn"] = Reply(410)
        yield s


def test_addresses_are_read_one_a_line() -> None:
    text = "  https://a.example/x \n\n# a note\nb.example/feed\nhttps://a.example/x\nnot a url\n"
    assert addresses(text) == ["https://a.example/x", "https://b.example/feed"]
    assert read_lines(text)[1] == ["not a url"]


def test_a_line_that_is_no_web_address_is_never_read_as_a_file(qtbot, window, tmp_path) -> None:
    window.window_actions["import_urls"].trigger()
    dialog = window.project_files.url_dialog
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.box, "https://a.example/x")
    qtbot.keyClick(dialog.box, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.box, "localhost:8000/feed")
    assert not dialog.import_button.isEnabled()
    assert dialog.count_label.text().startswith("Not a web address: localhost:8000/feed")
    dialog.box.setPlainText(f"https://a.example/x\n{tmp_path}")
    assert not dialog.import_button.isEnabled()
    dialog.box.setPlainText("http://localhost:8000/feed")
    assert dialog.import_button.isEnabled()
    dialog.reject()


def test_import_from_a_feed_through_the_dialog(qtbot, window, project: Store,
                                               site: Site) -> None:
    window.project_files.web_policy = WebPolicy(delay=0.0, backoff=0.01, timeout=5.0)
    before = project.articles.count()
    window.window_actions["import_urls"].trigger()
    dialog = window.project_files.url_dialog
    assert isinstance(dialog, ImportUrlsDialog)
    qtbot.waitExposed(dialog)
    assert not dialog.import_button.isEnabled()
    qtbot.keyClicks(dialog.box, site.url("/feed"))
    assert dialog.import_button.isEnabled()
    assert dialog.count_label.text() == "1 address"
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert sorted((o.item, o.status) for o in report.outcomes) == [(1, "imported"),
                                                                   (2, "unreachable")]
    article = project.articles.get(next(o.article_id for o in report.outcomes if o.article_id))
    assert article.text == "Library opens on Sundays\n\n" + "\n\n".join(STORY)
    assert article.author == "Mira Holt" and article.source == "County Bulletin"
    assert article.url == site.url("/library")
    # the list shows it, the window is usable again, the notice names what failed and why
    assert window.article_list.model.total() == before + 1
    assert window.centralWidget().isEnabled()
    assert "Import finished: 1 imported, 1 unreachable." in window.notice.text
    details = window.notice.label.toolTip()
    assert f"unreachable: {site.url('/feed')} #2 — item 2: {site.url('/withdrawn')} " \
           "answered 410" in details
    assert window.project_files.url_dialog is None


def test_cancel_stops_fetching_and_keeps_what_came(qtbot, window, project: Store,
                                                   site: Site) -> None:
    # the site asks for 2 s between requests: Cancel must not wait for them
    site.routes["/robots.txt"] = Reply(body=b"User-agent: *\nCrawl-delay: 2\n",
                                       content_type="text/plain")
    window.project_files.web_policy = WebPolicy(delay=0.0, backoff=0.01, timeout=5.0)
    window.window_actions["import_urls"].trigger()
    dialog = window.project_files.url_dialog
    dialog.box.setPlainText(f"{site.url('/library')}\n{site.url('/feed')}\n")
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        dialog.import_button.click()
        runner = window.project_files.jobs.runner
        # the first address is done (its progress reached the window): cancel while the
        # import waits its turn for the second
        qtbot.waitUntil(lambda: runner.dialog.labelText().startswith("Importing 1 of 2"),
                        timeout=10_000)
        window.project_files.jobs.cancel()
    report = blocker.args[0]
    assert report.cancelled
    assert [o.status for o in report.outcomes] == ["imported"]
    assert site.count("/feed") == 0
    assert "(cancelled)" in window.notice.text
    assert window.centralWidget().isEnabled()
