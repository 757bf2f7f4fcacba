"""Fetching pages politely and within bounds, from a web site on 127.0.0.1 only."""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Iterator

import pytest

from stancemark.articles.feeds import looks_like_feed, parse_feed
from stancemark.articles.web import DEFAULT_USER_AGENT, Fetcher, FetchFailure, WebPolicy, is_url
from stancemark.articles.webpages import read_url
from stancemark.core.errors import Cancelled
from stancemark.core.progress import CancelFlag
from tests.webserver import Hit, Reply, Site, page

FAST = WebPolicy(delay=0.0, backoff=0.01, timeout=3.0)
STORY = ["The harbour board voted on Friday to close the eastern pier for repairs.",
         "Chair Odile Marsh said the work would take until the end of the summer.",
         "Fishing crews will moor at the northern quay in the meantime."]


@pytest.fixture
def site() -> Iterator[Site]:
    with Site() as s:
        yield s


def fetch(url: str, policy: WebPolicy = FAST):
    return Fetcher(policy).fetch(url)


def failure(url: str, policy: WebPolicy = FAST) -> FetchFailure:
    with pytest.raises(FetchFailure) as caught:
        fetch(url, policy)
    return caught.value


def test_a_page_is_fetched_with_our_user_agent_and_robots_first(site: Site) -> None:
    site.routes["/pier"] = Reply(body=page("Eastern pier to close", STORY))
    got = fetch(site.url("/pier"))
    assert got.content_type == "text/html"
    assert got.charset == "utf-8"
    assert b"northern quay" in got.body
    assert [h.path for h in site.hits] == ["/robots.txt", "/pier"]
    assert all(h.headers["user-agent"] == DEFAULT_USER_AGENT for h in site.hits)
    assert DEFAULT_USER_AGENT.startswith("Stancemark/")


def test_only_web_addresses_are_fetched(site: Site) -> None:
    for url in ("ftp://example.org/a.txt", "file:///etc/passwd", "gopher://127.0.0.1/x"):
        exc = failure(url)
        assert exc.status == "refused"
        assert "only http and https" in str(exc)
    assert site.hits == []
    assert is_url("https://a/b") and is_url(" HTTP://a") and not is_url("notes/a.txt")
    assert not is_url("C:\\news\\a.txt")


def test_redirects_are_followed_and_each_hop_checked(site: Site) -> None:
    site.routes["/old"] = Reply(301, headers={"Location": "/older"})
    site.routes["/older"] = Reply(302, headers={"Location": site.url("/new")})
    site.routes["/new"] = Reply(body=page("Moved story", STORY))
    got = fetch(site.url("/old"))
    assert got.url == site.url("/new")
    assert got.redirects == [site.url("/old"), site.url("/older")]

    for i in range(7):
        site.routes[f"/loop{i}"] = Reply(302, headers={"Location": f"/loop{i + 1}"})
    exc = failure(site.url("/loop0"))
    assert exc.status == "unreachable"
    assert "redirects more than 5 times" in str(exc)
    assert site.count("/loop5") == 1 and site.count("/loop6") == 0

    site.routes["/to-nowhere"] = Reply(302, headers={"Location": "http://[oops/"})
    exc = failure(site.url("/to-nowhere"))
    assert exc.status == "unreachable" and "redirects to a malformed address" in str(exc)

    site.routes["/to-file"] = Reply(302, headers={"Location": "file:///etc/passwd"})
    exc = failure(site.url("/to-file"))
    assert exc.status == "refused" and "a redirect from" in str(exc)

    site.routes["/robots.txt"] = Reply(body=b"User-agent: *\nDisallow: /private/\n",
                                       content_type="text/plain")
    site.routes["/to-private"] = Reply(302, headers={"Location": "/private/memo"})
    fetcher = Fetcher(FAST)  # a new batch reads robots.txt again
    with pytest.raises(FetchFailure, match="refused by robots.txt") as caught:
        fetcher.fetch(site.url("/to-private"))
    assert caught.value.status == "refused"
    assert site.count("/private/memo") == 0


def test_robots_txt_is_read_once_per_host_and_obeyed(site: Site) -> None:
    site.routes["/robots.txt"] = Reply(
        body=b"User-agent: OtherBot\nDisallow: /\n\nUser-agent: Stancemark\nDisallow: /drafts/\n",
        content_type="text/plain")
    site.routes["/a"] = Reply(body=page("A", STORY))
    site.routes["/drafts/b"] = Reply(body=page("B", STORY))
    fetcher = Fetcher(FAST)
    fetcher.fetch(site.url("/a"))
    with pytest.raises(FetchFailure) as caught:
        fetcher.fetch(site.url("/drafts/b"))
    assert caught.value.status == "refused"
    assert "refused by robots.txt" in str(caught.value)
    fetcher.fetch(site.url("/a"))
    assert site.count("/robots.txt") == 1
    assert site.count("/drafts/b") == 0


def test_a_robots_txt_the_server_cannot_give_refuses_the_host(site: Site) -> None:
    site.routes["/robots.txt"] = Reply(503, b"busy")
    site.routes["/a"] = Reply(body=page("A", STORY))
    exc = failure(site.url("/a"))
    assert exc.status == "refused"
    assert "RFC 9309" in str(exc)
    assert site.count("/robots.txt") == 4  # the first try and 3 retries
    assert site.count("/a") == 0


def test_crawl_delay_and_the_per_host_delay_space_requests(site: Site) -> None:
    site.routes["/robots.txt"] = Reply(body=b"User-agent: *\nCrawl-delay: 1\n",
                                       content_type="text/plain")
    for name in "ab":
        site.routes[f"/{name}"] = Reply(body=page(name, STORY))
    fetcher = Fetcher(WebPolicy(delay=0.2, backoff=0.01))
    fetcher.fetch(site.url("/a"))
    fetcher.fetch(site.url("/b"))
    robots, a, b = (h.at for h in site.hits)
    assert a - robots >= 0.18  # the policy's delay (less what timing at the server shaves)
    assert b - a >= 0.95  # the site's crawl delay


def test_errors_are_retried_with_backoff_and_counted(site: Site) -> None:
    site.routes["/gone"] = Reply(404)
    exc = failure(site.url("/gone"))
    assert exc.status == "unreachable" and "404" in str(exc) and "does not exist" in str(exc)
    assert site.count("/gone") == 1  # a 404 is not retried

    answers = iter([500, 502])

    def flaky(_hit: Hit) -> Reply:
        status = next(answers, 200)
        return Reply(status, page("Back again", STORY) if status == 200 else b"oops")

    site.routes["/flaky"] = flaky
    got = fetch(site.url("/flaky"))
    assert got.retries == 2 and b"Back again" in got.body

    site.routes["/down"] = Reply(500, b"down")
    exc = failure(site.url("/down"))
    assert str(exc).count("500") == 1 and "after 3 retries" in str(exc)
    assert site.count("/down") == 4


def test_429_retry_after_is_honoured_within_a_cap(site: Site) -> None:
    answers = iter([429])

    def limited(_hit: Hit) -> Reply:
        if next(answers, None):
            return Reply(429, b"slow down", headers={"Retry-After": "1"})
        return Reply(body=page("Patience", STORY))

    site.routes["/limited"] = limited
    got = fetch(site.url("/limited"))
    first, second = [h.at for h in site.hits if h.path == "/limited"]
    assert second - first >= 0.95
    assert got.retries == 1

    site.routes["/tomorrow"] = Reply(429, headers={"Retry-After": "86400"})
    started = time.monotonic()
    exc = failure(site.url("/tomorrow"))
    assert time.monotonic() - started < 1
    assert "asks to wait 86400 s" in str(exc)
    assert site.count("/tomorrow") == 1


def test_a_server_that_does_not_answer_times_out(site: Site) -> None:
    site.routes["/slow"] = Reply(body=page("Late", STORY), delay=1.5)
    started = time.monotonic()
    exc = failure(site.url("/slow"), WebPolicy(delay=0.0, backoff=0.01, timeout=0.3,
                                               retries=1))
    assert time.monotonic() - started < 1.4
    assert exc.status == "unreachable"
    assert "did not answer within 0.3 s (after 1 retry)" in str(exc)
    assert site.count("/slow") == 2


def test_a_dripping_body_stops_at_the_time_limit(site: Site) -> None:
    def drip() -> Iterator[bytes]:
        yield b"<html><body><p>"
        for _ in range(100):
            time.sleep(0.1)
            yield b"x"

    site.routes["/drip"] = lambda _hit: Reply(body=drip())
    exc = failure(site.url("/drip"), WebPolicy(delay=0.0, timeout=2.0, max_seconds=0.5))
    assert exc.status == "unreachable" and "took longer than 0.5 s" in str(exc)


def test_bodies_are_capped_declared_or_streamed(site: Site) -> None:
    policy = WebPolicy(delay=0.0, max_bytes=100_000)
    site.routes["/big"] = Reply(body=b"<p>" + b"a" * 200_000)
    exc = failure(site.url("/big"), policy)
    assert str(exc).endswith("/big is 195 KB; articles are limited to 98 KB. It is probably "
                             "not a single article.")

    sent = []

    def endless() -> Iterator[bytes]:
        while len(sent) < 10_000:  # 640 MB if nobody stopped reading
            sent.append(1)
            yield b"b" * 65536

    site.routes["/endless"] = lambda _hit: Reply(body=endless())
    exc = failure(site.url("/endless"), policy)
    assert exc.status == "too_large" and "/endless is more than 98 KB;" in str(exc)
    assert len(sent) < 100


def test_gzip_and_deflate_are_decoded_and_a_bomb_is_stopped(site: Site) -> None:
    html = page("Compressed", STORY)
    site.routes["/gz"] = Reply(body=gzip.compress(html), headers={"Content-Encoding": "gzip"})
    site.routes["/zl"] = Reply(body=zlib.compress(html), headers={"Content-Encoding": "deflate"})
    raw = zlib.compressobj(wbits=-15)
    site.routes["/raw"] = Reply(body=raw.compress(html) + raw.flush(),
                                headers={"Content-Encoding": "deflate"})
    for path in ("/gz", "/zl", "/raw"):
        assert fetch(site.url(path)).body == html

    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 300_000
    site.routes["/bomb"] = Reply(body=bomb, headers={"Content-Encoding": "gzip"})
    started = time.monotonic()
    exc = failure(site.url("/bomb"))  # the default cap: the article file limit, 20 MB
    assert time.monotonic() - started < 5
    assert exc.status == "too_large" and "expands to more than 20 MB" in str(exc)

    site.routes["/br"] = Reply(body=b"??", headers={"Content-Encoding": "br"})
    assert "does not read" in str(failure(site.url("/br")))


def test_cancel_ends_a_pause_at_once(site: Site) -> None:
    site.routes["/down"] = Reply(503)
    flag = CancelFlag()
    fetcher = Fetcher(WebPolicy(delay=0.0, backoff=30.0), flag)
    threading.Timer(0.3, flag.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        fetcher.fetch(site.url("/down"))
    assert time.monotonic() - started < 2


def test_nothing_listens(site: Site) -> None:
    url = site.url("/x")
    site.__exit__()
    exc = failure(url, WebPolicy(delay=0.0, backoff=0.01, retries=1))
    assert exc.status == "unreachable" and "refused" in str(exc)


# -- feeds -----------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Harbour Gazette</title><link>{base}/</link>
<item><title>Eastern pier to close</title><link>{base}/pier</link>
  <pubDate>Fri, 06 Mar 2026 07:15:00 +0000</pubDate><dc:creator>Lea Brandt</dc:creator>
  <description>Short summary only.</description></item>
<item><title>Ferry timetable changes</title><link>/ferry</link>
  <guid isPermaLink="false">ferry-2026</guid></item>
<item><title>No link at all</title></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="{base}/atom/">
<title>Valley Notes</title>
<entry><title>Bridge vote</title><link rel="self" href="/self/1"/>
  <link rel="alternate" type="text/html" href="bridge"/>
  <published>2026-03-04T09:30:00+01:00</published><author><name>Tomas Reiter</name></author>
</entry>
</feed>"""


def test_feeds_are_told_from_their_content_and_parsed() -> None:
    rss = parse_feed(RSS.format(base="http://h").encode(), "http://h/feed")
    assert rss.kind == "rss" and rss.title == "Harbour Gazette"
    assert [e.link for e in rss.entries] == ["http://h/pier", "http://h/ferry", None]
    first = rss.entries[0]
    assert (first.title, first.author, first.published.isoformat()) == (
        "Eastern pier to close", "Lea Brandt", "2026-03-06T07:15:00")
    atom = parse_feed(ATOM.format(base="http://h").encode(), "http://h/atom.xml")
    assert atom.kind == "atom"
    assert atom.entries[0].link == "http://h/atom/bridge"
    assert atom.entries[0].author == "Tomas Reiter"
    assert looks_like_feed(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- hi -->\n<rss>")
    assert looks_like_feed(b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">')
    assert not looks_like_feed(b"<!DOCTYPE html><html><body>feed</body></html>")


@pytest.mark.timeout(20)
def test_a_prolog_of_many_comments_or_an_endless_doctype_is_read_in_one_pass() -> None:
    # a page that opens with 40 comments: a backtracking pattern tried ~10^12 ways here
    page = b"<!DOCTYPE html>\n" + b"<!-- x -->\n" * 40 + b"<html><body>news</body></html>"
    assert not looks_like_feed(page)
    assert looks_like_feed(b"<!-- a -->\n" * 40 + b"<rss version='2.0'>")
    assert not looks_like_feed(b"<!DOCTYPE rss [" + b"]x" * 8000)  # the subset never ends
    assert not looks_like_feed(b"<!-- never closed " + b"-" * 10000)
    # an internal subset holding ">" still ends where "]>" does, and is dropped
    doc = (b"<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY a 'x>y'> ]>\n"
           b"<rss><channel><title>Gazette &a;</title></channel></rss>")
    assert parse_feed(doc, "http://h/feed").title == "Gazette &a;"


def test_feed_entities_are_never_expanded(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET LINE", encoding="utf-8")
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    doc = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "ha">{laughs}'
           f'<!ENTITY leak SYSTEM "file://{secret}">]>'
           "<rss><channel><title>T &l9; &leak;</title>"
           "<item><title>Item &l9;</title><link>http://h/a</link></item></channel></rss>")
    assert looks_like_feed(doc.encode())
    started = time.monotonic()
    feed = parse_feed(doc.encode(), "http://h/feed")
    assert time.monotonic() - started < 1
    # left as text: neither expanded nor read
    assert feed.title is not None and feed.title.startswith("T &l9;")
    assert "SECRET" not in feed.title and "haha" not in feed.title
    assert feed.entries[0].title == "Item &l9;"
    assert [e.link for e in feed.entries] == ["http://h/a"]


def test_a_feed_gives_each_entry_fetched_with_its_metadata(site: Site) -> None:
    site.routes["/feed.xml"] = Reply(body=RSS.format(base=site.base).encode(),
                                     content_type="application/rss+xml")
    site.routes["/pier"] = Reply(body=page("Eastern pier to close", STORY))
    site.routes["/ferry"] = Reply(404)
    items = list(read_url(site.url("/feed.xml"), Fetcher(FAST)))
    assert [(i.item, i.of, i.status) for i in items] == [
        (1, 3, ""), (2, 3, "unreachable"), (3, 3, "unreadable")]
    draft = items[0].draft
    assert draft is not None
    assert draft.text.splitlines()[0] == "Eastern pier to close"
    assert "Short summary only" not in draft.text
    # what the page does not say comes from the feed
    assert draft.author == "Lea Brandt"
    assert draft.published is not None and draft.published.isoformat() == "2026-03-06T07:15:00"
    assert draft.source == "Harbour Gazette"
    assert draft.url == site.url("/pier")
    assert draft.meta["feed"] == site.url("/feed.xml")
    assert "404" in items[1].message and items[1].title == "Ferry timetable changes"
    assert "no link" in items[2].message


def test_malformed_addresses_get_one_clear_line_without_a_request() -> None:
    fetcher = Fetcher(FAST)
    for url, words in [("http://exa mple/x", "control characters"),
                       ("http://127.0.0.1:99999/", "Port out of range"),
                       ("http://[::1/", "Invalid IPv6 URL"),
                       ("https://" + "a" * 70 + ".example/", "idna"),
                       ("http:///x", "names no host")]:
        (item,) = read_url(url, fetcher)
        assert item.status == "unreadable", url
        assert item.message.startswith(url) and words in item.message
        assert item.message.endswith("Check the address.")


def test_a_host_that_refuses_connections_is_tried_once_per_batch() -> None:
    fetcher = Fetcher(WebPolicy(delay=0.0, backoff=0.01, retries=1))
    first = list(read_url("http://127.0.0.1:1/a", fetcher))
    second = list(read_url("http://127.0.0.1:1/b", fetcher))
    assert first[0].message.startswith("http://127.0.0.1:1/a could not be fetched: the "
                                       "connection was refused")
    assert second[0].message.startswith("http://127.0.0.1:1/b could not be fetched")
    assert fetcher.requests == 2  # robots.txt and its one retry; nothing for /b


def test_a_malformed_link_costs_only_its_own_entry(site: Site) -> None:
    feed = (f'<rss><channel><title>T</title><item><link>http://[bad/</link></item>'
            f'<item><link>{site.base}/pier</link></item></channel></rss>').encode()
    site.routes["/feed"] = Reply(body=feed, content_type="text/xml")
    site.routes["/pier"] = Reply(body=page("Eastern pier to close", STORY))
    items = list(read_url(site.url("/feed"), Fetcher(FAST)))
    assert [(i.item, i.status) for i in items] == [(1, "unreadable"), (2, "")]
    assert "is not a valid web address" in items[0].message
