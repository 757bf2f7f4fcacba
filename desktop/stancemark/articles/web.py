"""Fetching from the web, politely and within bounds: one page at a time over HTTP(S).

:class:`Fetcher` is the only place Stancemark talks to a web server. Per request it
sends a User-Agent naming Stancemark and its version, waits its turn (at least
``WebPolicy.delay`` seconds between two requests to one host, longer if the site's
robots.txt asks for a crawl delay), obeys robots.txt (fetched once per host and
batch), follows up to ``max_redirects`` redirects checking every hop again (scheme,
robots), retries server errors, 429 and timeouts with a growing pause (a Retry-After
is honoured up to a cap), and reads bodies in chunks up to ``max_bytes`` (gzip and
deflate decoded under the same cap, so a compression bomb stops at the cap). Nothing
it fetches is run. Failures are :class:`FetchFailure` values with the status the
import records ("refused", "unreachable", "too_large", "unreadable").

Only the standard library's ``http.client`` is used: no proxy settings are read.
"""

from __future__ import annotations

import http.client
import re
import socket
import ssl
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, quote, urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

from stancemark import __version__
from stancemark.articles.reader import MAX_BYTES, ReadFailure
from stancemark.core.errors import Cancelled
from stancemark.core.progress import CancelFlag
from stancemark.core.text import printable

#: The name robots.txt rules are matched against.
ROBOTS_TOKEN = "Stancemark"
DEFAULT_USER_AGENT = (f"{ROBOTS_TOKEN}/{__version__} (news annotation tool; fetches the "
                      "pages an analyst asked for, one at a time; obeys robots.txt)")
#: Largest robots.txt read (what the big crawlers read too; the rest is ignored).
MAX_ROBOTS_BYTES = 512 * 1024
#: Longest crawl delay a robots.txt may impose (seconds); a longer one is cut to this.
MAX_CRAWL_DELAY = 30.0
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_CHUNK = 64 * 1024


def is_url(value: object) -> bool:
    """Whether an import input is a web address (``scheme://…``) rather than a path."""
    return isinstance(value, str) and bool(_SCHEME.match(value.strip()))


@dataclass(frozen=True, slots=True)
class WebPolicy:
    """How politely and how far one import fetches (tests make it fast, never ruder)."""

    user_agent: str = DEFAULT_USER_AGENT
    #: seconds to connect, and to wait for each piece of an answer
    timeout: float = 20.0
    #: tries after the first one, for 429, 5xx answers and timeouts
    retries: int = 3
    #: the first pause before a retry (seconds); it doubles each time
    backoff: float = 2.0
    #: longest Retry-After honoured (seconds); a server asking for more is given up on
    retry_after_cap: float = 60.0
    #: least time between two requests to the same host (seconds)
    delay: float = 1.0
    max_redirects: int = 5
    #: largest body, after decompression (the file limit of an article)
    max_bytes: int = MAX_BYTES
    #: longest time one answer may take to arrive whole (a server dripping bytes)
    max_seconds: float = 120.0


class FetchFailure(ReadFailure):
    """A URL that could not be fetched; ``status`` is the import outcome it becomes.

    ``code`` is the HTTP status the server answered with, when it answered.
    """

    def __init__(self, status: str, message: str, hint: str | None = None,
                 code: int | None = None) -> None:
        super().__init__(status, message, hint)
        self.code = code


@dataclass(slots=True)
class Fetched:
    """A page as the server sent it (body decoded from gzip/deflate)."""

    url: str  # after redirects
    requested: str
    content_type: str  # lower case, without parameters; "" if the server sent none
    charset: str | None
    body: bytes
    retries: int = 0
    redirects: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Answer:
    status: int
    reason: str
    headers: http.client.HTTPMessage
    body: bytes


def normalize_url(url: str) -> str:
    """``url`` as sent: scheme and host lower case, no fragment, spaces and non-ASCII quoted."""
    url = url.strip()
    parts = urlsplit(url)
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~") or "/"
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    netloc = parts.netloc.lower() if parts.netloc.isascii() else parts.netloc
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def _host_key(parts: SplitResult) -> str:
    return f"{parts.scheme}://{parts.netloc.lower()}"


class Fetcher:
    """Fetches URLs for one import: keeps each host's robots.txt and time of last request.

    ``cancel`` is checked before every request and during every pause, so a cancel
    ends the import within one network timeout at most.
    """

    def __init__(self, policy: WebPolicy | None = None, cancel: CancelFlag | None = None,
                 *, clock: Callable[[], float] = time.monotonic) -> None:
        self.policy = policy or WebPolicy()
        self.cancel = cancel
        self.clock = clock
        self._last: dict[str, float] = {}
        self._robots: dict[str, RobotFileParser | FetchFailure | None] = {}
        self._delay: dict[str, float] = {}
        #: requests sent (robots.txt and retries included), for tests and reports
        self.requests = 0

    # -- the public call ----------------------------------------------------------------
    def fetch(self, url: str) -> Fetched:
        """Fetch ``url``, following redirects; raises :class:`FetchFailure`."""
        requested = url.strip()
        current = requested
        hops: list[str] = []
        retries = 0
        while True:
            parts = self._check_scheme(current, requested)
            self._check_robots(parts, current)
            answer, tries = self._get(parts, self.policy.max_bytes, current)
            retries += tries
            if answer.status in _REDIRECTS:
                location = answer.headers.get("Location")
                if not location:
                    raise FetchFailure("unreachable", f"{printable(current)} answered "
                                       f"{answer.status} (a redirect) without saying where to.")
                if len(hops) >= self.policy.max_redirects:
                    raise FetchFailure(
                        "unreachable",
                        f"{printable(requested)} redirects more than "
                        f"{self.policy.max_redirects} times (last to {printable(location)}).",
                        "Open it in a browser to find the page's final address and import that.")
                hops.append(current)
                try:
                    current = urljoin(current, location.strip())
                except ValueError as exc:
                    raise FetchFailure("unreachable", f"{printable(current)} redirects to a "
                                       f"malformed address ({printable(location)[:200]}).",
                                       "Open it in a browser to find the page.") from exc
                continue
            if answer.status != 200:
                raise self._http_failure(current, answer, retries)
            ctype, charset = _content_type(answer.headers.get("Content-Type", ""))
            return Fetched(normalize_url(current), requested, ctype, charset, answer.body,
                           retries, hops)

    # -- checks -------------------------------------------------------------------------
    @staticmethod
    def _check_scheme(url: str, requested: str) -> SplitResult:
        try:
            parts = urlsplit(normalize_url(url))
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError as exc:
            raise FetchFailure("unreadable", f"{printable(url)} is not a valid web address "
                               f"({exc}).", "Check the address.") from exc
        if parts.scheme not in ("http", "https"):
            via = "" if url == requested else f" (a redirect from {printable(requested)})"
            raise FetchFailure(
                "refused", f"{printable(url)}{via}: only http and https addresses are fetched.",
                "Save the article as a file and import the file.")
        if not parts.hostname:
            raise FetchFailure("unreadable", f"{printable(url)} names no host.",
                               "Check the address.")
        return parts

    def _check_robots(self, parts: SplitResult, url: str) -> None:
        key = _host_key(parts)
        if key not in self._robots:
            self._robots[key] = self._read_robots(parts)
        rules = self._robots[key]
        if isinstance(rules, FetchFailure):
            # the host failed on its robots.txt: say it of this page (same host, same cause)
            robots = printable(urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", "")))
            message = rules.message
            if rules.status != "refused" and message.startswith(robots):
                message = printable(url) + message[len(robots):]
            raise FetchFailure(rules.status, message, rules.hint, rules.code)
        if rules is not None and not rules.can_fetch(ROBOTS_TOKEN, urlunsplit(parts)):
            raise FetchFailure(
                "refused", f"{printable(url)} refused by robots.txt: the site asks robots "
                "not to fetch it.", "Save the page from a browser and import the file.")

    def _read_robots(self, parts: SplitResult) -> RobotFileParser | FetchFailure | None:
        """The host's rules; None allows all; a failure stands for every URL of the host.

        As RFC 9309 says: no robots.txt (any 4xx) allows everything; one the server
        cannot give (5xx after retries) disallows everything. A host that cannot be
        reached at all fails each of its URLs with that reason, without trying again.
        """
        url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            here = urlsplit(current)
            if here.scheme not in ("http", "https") or not here.hostname:
                return None
            try:
                answer, _tries = self._get(here, MAX_ROBOTS_BYTES, current, truncate=True)
            except FetchFailure as exc:
                if exc.code is not None and exc.code >= 500:
                    return _robots_unavailable(url, exc.code)
                return FetchFailure(exc.status, exc.message, exc.hint)
            if answer.status in _REDIRECTS and answer.headers.get("Location"):
                try:
                    current = urljoin(current, answer.headers["Location"].strip())
                except ValueError:
                    return None  # as good as no robots.txt
                continue
            if answer.status != 200:  # 4xx: no rules (429 was retried and failed above)
                return None if 400 <= answer.status < 500 else _robots_unavailable(
                    url, answer.status)
            rules = RobotFileParser(url)
            rules.parse(answer.body.decode("utf-8", "replace").splitlines())
            crawl = rules.crawl_delay(ROBOTS_TOKEN)
            if crawl:
                self._delay[_host_key(parts)] = min(float(crawl), MAX_CRAWL_DELAY)
            return rules
        return None  # robots.txt redirecting in circles: as good as none

    # -- one request, with retries --------------------------------------------------------
    def _get(self, parts: SplitResult, limit: int, shown: str, *, truncate: bool = False
             ) -> tuple[_Answer, int]:
        """One GET of ``parts`` (redirects not followed), retried; ``(answer, retries)``."""
        policy = self.policy
        tries = 0
        while True:
            self._wait_turn(_host_key(parts))
            retry_in: float | None
            try:
                answer = self._once(parts, limit, shown, truncate)
            except TimeoutError:
                failure = FetchFailure(
                    "unreachable", f"{printable(shown)} did not answer within "
                    f"{policy.timeout:g} s{_after(tries)}.", "Try again later.")
                retry_in = policy.backoff * 2 ** tries
            except FetchFailure:
                raise
            except (ValueError, http.client.InvalidURL) as exc:  # or a host IDNA cannot encode
                raise FetchFailure("unreadable", f"{printable(shown)} is not a valid web "
                                   f"address ({printable(str(exc))[:120]}).",
                                   "Check the address.") from exc
            except (OSError, http.client.HTTPException) as exc:
                failure = _connection_failure(shown, exc, tries)
                if isinstance(exc, ssl.SSLCertVerificationError | socket.gaierror):
                    raise failure from exc
                retry_in = policy.backoff * 2 ** tries
            else:
                if answer.status not in _RETRY_STATUSES:
                    return answer, tries
                failure = self._http_failure(shown, answer, tries)
                wait = _retry_after(answer.headers.get("Retry-After"))
                if wait is not None and wait > policy.retry_after_cap:
                    raise FetchFailure(
                        "unreachable", f"{printable(shown)} answered {answer.status} and asks "
                        f"to wait {wait:.0f} s, more than the {policy.retry_after_cap:g} s "
                        "Stancemark waits.", "Import it again later.")
                retry_in = wait if wait is not None else policy.backoff * 2 ** tries
            if tries >= policy.retries:
                raise failure
            tries += 1
            self._pause(retry_in)

    def _once(self, parts: SplitResult, limit: int, shown: str, truncate: bool) -> _Answer:
        policy = self.policy
        host = parts.hostname or ""
        try:
            host.encode("ascii")
        except UnicodeEncodeError:
            host = host.encode("idna").decode("ascii")
        conn: http.client.HTTPConnection
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(host, parts.port, timeout=policy.timeout,
                                               context=ssl.create_default_context())
        else:
            conn = http.client.HTTPConnection(host, parts.port, timeout=policy.timeout)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.requests += 1
        try:
            conn.request("GET", target, headers={
                "User-Agent": policy.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
                          "application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,"
                          "*/*;q=0.5",
                "Accept-Encoding": "gzip, deflate",
                "Connection": "close",
            })
            response = conn.getresponse()
            if response.status != 200:  # a redirect's or an error's body is not needed
                return _Answer(response.status, response.reason, response.headers, b"")
            body = self._read_body(response, limit, shown, truncate)
            return _Answer(response.status, response.reason, response.headers, body)
        finally:
            conn.close()

    def _read_body(self, response: http.client.HTTPResponse, limit: int, shown: str,
                   truncate: bool) -> bytes:
        """The body in chunks, decoded, never more than ``limit`` bytes held."""
        declared = response.getheader("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit and not truncate:
            raise _too_large(shown, _size(int(declared)), limit)
        coding = (response.getheader("Content-Encoding") or "identity").strip().lower()
        decoder: zlib._Decompress | None
        if coding in ("gzip", "x-gzip"):
            decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            decoder = None  # zlib-wrapped or raw, told from the first bytes
        elif coding == "identity":
            decoder = None
        else:
            raise FetchFailure("unreadable", f"{printable(shown)} was sent encoded as "
                               f"{printable(coding)[:40]}, which Stancemark does not read.")
        started = self.clock()
        out = bytearray()
        while True:
            if self.clock() - started > self.policy.max_seconds:
                raise FetchFailure("unreachable", f"{printable(shown)} took longer than "
                                   f"{self.policy.max_seconds:g} s to arrive.",
                                   "Try again later.")
            if self.cancel is not None:
                self.cancel.check()
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            if coding == "deflate" and decoder is None:
                wrapped = (len(chunk) > 1 and chunk[0] & 0x0F == 8
                           and (chunk[0] << 8 | chunk[1]) % 31 == 0)
                decoder = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
            if decoder is None:
                out += chunk
            else:
                try:
                    out += decoder.decompress(chunk, limit - len(out) + 1)
                except zlib.error as exc:
                    raise FetchFailure("unreadable", f"{printable(shown)} was sent "
                                       f"{coding}-compressed but the data is damaged.") from exc
                if decoder.unconsumed_tail:
                    out += b"\0"  # more was waiting: certainly over the limit
            if len(out) > limit:
                if truncate:
                    return bytes(out[:limit])
                what = "expands to more than" if decoder is not None else "is more than"
                raise _too_large(shown, what, limit)
        if decoder is not None:
            out += decoder.flush()[:limit - len(out) + 1]
            if len(out) > limit:
                if truncate:
                    return bytes(out[:limit])
                raise _too_large(shown, "expands to more than", limit)
        return bytes(out)

    # -- waiting --------------------------------------------------------------------------
    def _wait_turn(self, host: str) -> None:
        gap = max(self.policy.delay, self._delay.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            self._pause(last + gap - self.clock())
        if self.cancel is not None:
            self.cancel.check()
        self._last[host] = self.clock()

    def _pause(self, seconds: float) -> None:
        """Sleep ``seconds``, waking every 0.1 s to see whether the import was cancelled."""
        end = self.clock() + max(0.0, seconds)
        while True:
            if self.cancel is not None and self.cancel.cancelled:
                raise Cancelled()
            left = end - self.clock()
            if left <= 0:
                return
            time.sleep(min(left, 0.1))

    # -- messages -------------------------------------------------------------------------
    @staticmethod
    def _http_failure(shown: str, answer: _Answer, tries: int) -> FetchFailure:
        what = {404: "the page does not exist (any more)", 410: "the page was removed",
                401: "it needs a login", 403: "the server refuses to give it",
                429: "too many requests"}.get(answer.status, "")
        hint = ("Save the page from a browser and import the file."
                if answer.status in (401, 403) else
                "Check the address." if answer.status in (404, 410) else "Try again later.")
        reason = printable(answer.reason or "")[:60]
        return FetchFailure("unreachable", f"{printable(shown)} answered {answer.status}"
                            f"{' ' + reason if reason else ''}{': ' + what if what else ''}"
                            f"{_after(tries)}.", hint, code=answer.status)


def _after(tries: int) -> str:
    return f" (after {tries} retr{'y' if tries == 1 else 'ies'})" if tries else ""


def _size(n: int) -> str:
    if n >= 1048576:
        return f"{n / 1048576:.{0 if n % 1048576 == 0 else 1}f} MB"
    return f"{n / 1024:.0f} KB" if n >= 1024 else f"{n} bytes"


def _too_large(shown: str, what: str, limit: int) -> FetchFailure:
    """``what``: the size the server declared ("3.2 MB"), or how the body ran over."""
    size = f"is {what}" if what[0].isdigit() else f"{what} {_size(limit)}"
    return FetchFailure(
        "too_large", f"{printable(shown)} {size}; articles are limited to {_size(limit)}.",
        "It is probably not a single article.")


def _robots_unavailable(url: str, status: int) -> FetchFailure:
    return FetchFailure(
        "refused", f"refused by robots.txt: {printable(url)} answered {status}, and a robots.txt "
        "the server cannot give means no robot may fetch from it (RFC 9309).",
        "Try again later, or save the page from a browser and import the file.")


def _connection_failure(shown: str, exc: BaseException, tries: int) -> FetchFailure:
    if isinstance(exc, socket.gaierror):
        return FetchFailure("unreachable", f"{printable(shown)}: the host name is not known.",
                            "Check the address and the network connection.")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return FetchFailure("unreachable", f"{printable(shown)}: the site's certificate is not "
                            f"valid ({printable(exc.verify_message or '')[:80]}).",
                            "Check the address; the page was not fetched.")
    if isinstance(exc, ConnectionRefusedError):
        detail = "the connection was refused"
    else:
        detail = printable(str(exc) or type(exc).__name__)[:120]
    return FetchFailure("unreachable", f"{printable(shown)} could not be fetched: {detail}"
                        f"{_after(tries)}.", "Check the address and the network connection.")


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date), None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _content_type(value: str) -> tuple[str, str | None]:
    kind, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip('"\'')[:40]
    return kind.strip().lower(), charset
