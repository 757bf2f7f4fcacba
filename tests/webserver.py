"""A small web site on 127.0.0.1 for the tests of fetching pages and feeds.

``Site`` serves ``routes``: a path (with its query) maps to a :class:`Reply` or to a
function of the request that returns one, so a test can count hits, answer 500
twice and then 200, sleep, or drip a body. Every request is recorded (path,
headers, time). Nothing here reaches beyond the loopback interface.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before answering


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    at: float


Route = Reply | Callable[[Hit], Reply]


class Site:
    """A threaded HTTP server on an ephemeral loopback port (use as a context manager)."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                hit = Hit(self.path, {k.lower(): v for k, v in self.headers.items()},
                          time.monotonic())
                site.hits.append(hit)
                route = site.routes.get(self.path)
                if route is None:
                    reply = Reply(404, b"<html><body>Not here.</body></html>")
                else:
                    reply = route(hit) if callable(route) else route
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body
                try:
                    self.send_response(reply.status)
                    if reply.content_type:
                        self.send_header("Content-Type", reply.content_type)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Connection", "close")
                    if isinstance(body, bytes):
                        self.send_header("Content-Length", str(len(body)))
                        self.end_headers()
                        self.wfile.write(body)
                    else:  # streamed: no length, the end of the connection ends it
                        self.end_headers()
                        for chunk in body:
                            self.wfile.write(chunk)
                            self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (as the tests of limits want it to)
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str) -> int:
        return sum(1 for h in self.hits if h.path == path)

    def __enter__(self) -> Site:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def page(title: str, paragraphs: list[str], *, author: str | None = None,
         published: str | None = None, site_name: str | None = None) -> bytes:
    """A plain news page: head metadata, a menu, the article, a footer."""
    meta = [f'<meta property="og:title" content="{title}">']
    if author:
        meta.append(f'<meta name="author" content="{author}">')
    if published:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if site_name:
        meta.append(f'<meta property="og:site_name" content="{site_name}">')
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title>{''.join(meta)}</head><body>"
            "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{title}</h1>{body}</article>"
            "<footer>All rights reserved.</footer></body></html>").encode()
