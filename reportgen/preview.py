"""``reportgen watch --serve``: the PDFs being watched, on a local page that reloads when they are rebuilt.

A small HTTP server (the standard library's, one thread per request) bound
to 127.0.0.1 only. It serves three things and nothing else:

* ``/``: a page showing one PDF (``?doc=NAME``, else the first) in the
  browser's own viewer, with a list of the others; no script, style or font
  from anywhere else; it reloads the PDF when told to;
* ``/events``: server-sent events, one ``data: N`` message after each build
  (N counts the builds), which the page listens to;
* ``/files/NAME``: a PDF or deck in the build folder, by its file name,
  among the outputs the watch knows of (no path, no ``..``, no other file).

A request whose Host header is not this machine's address is refused (a
page elsewhere could otherwise point its own name at 127.0.0.1 and read the
documents: DNS rebinding).
"""

from __future__ import annotations

import html
import os
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, unquote, urlsplit

MAX_STREAMS = 16  # open pages listening for builds at once; more are refused (503) until one closes
_TYPES = {".pdf": "application/pdf", ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}
_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} - reportgen watch</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
<style>body{{margin:0;font:14px sans-serif;display:flex;flex-direction:column;height:100vh}}
nav{{padding:6px 10px;background:#1f3a5f;color:#fff}} nav a{{color:#fff;margin-right:1em}} nav .on{{font-weight:bold}}
iframe{{flex:1;border:0;width:100%}} #state{{float:right;opacity:.8}}</style></head>
<body><nav>{links}<span id="state">build {version}</span></nav>
{viewer}
<script>
const state = document.getElementById("state"), frame = document.getElementById("doc");
const events = new EventSource("/events");
events.onmessage = (e) => {{ state.textContent = "build " + e.data; if (frame) frame.src = frame.dataset.src + "?v=" + e.data; }};
events.onerror = () => {{ state.textContent = "watch stopped"; }};
</script></body></html>
"""


class Preview:
    """The preview server of a watch: ``files()`` names what it may serve (file name -> path), ``notify()`` after each build."""

    def __init__(self, files, port: int = 8000, host: str = "127.0.0.1"):
        self.files = files  # () -> {file name: path} of the outputs it may serve
        self.version = 0
        self._changed = threading.Condition()
        self._stopping = False
        self.streams = threading.BoundedSemaphore(MAX_STREAMS)  # the /events streams open at once (each holds a thread)
        preview = self

        class Handler(_Handler):
            owner = preview

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Return the page's address."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def serving(self) -> bool:
        """Whether ``start`` was called."""
        return self._thread is not None

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, name="reportgen-preview", daemon=True)
        self._thread.start()

    def notify(self) -> None:
        """Tell every open page that a build finished."""
        with self._changed:
            self.version += 1
            self._changed.notify_all()

    def stop(self) -> None:
        """Stop serving (open event streams end)."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread is not None:
            self.server.shutdown()
        self.server.server_close()

    def wait_for_change(self, seen: int, timeout: float) -> int | None:
        """Return the build count once it is past ``seen`` (None: stopping; ``seen``: ``timeout`` passed first)."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen or self._stopping, timeout)
            return None if self._stopping else self.version


class _Handler(BaseHTTPRequestHandler):
    owner: Preview
    server_version = "reportgen-watch"
    timeout = 30  # a connection that sends no request in this time is closed (it holds a thread)

    def log_message(self, format, *args):  # (quiet: the watch prints its own lines)
        pass

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass  # the browser went away (a reload cancels the PDF being fetched): nothing to say

    def do_GET(self):
        if not self._local_host():
            return self.send_error(HTTPStatus.FORBIDDEN, "this server answers only to 127.0.0.1 and localhost")
        url = urlsplit(self.path)
        if url.path == "/":
            return self._page(parse_qs(url.query).get("doc", [""])[0])
        if url.path == "/events":
            return self._events()
        if url.path.startswith("/files/"):
            return self._file(unquote(url.path[len("/files/"):]))
        self.send_error(HTTPStatus.NOT_FOUND)

    def _local_host(self) -> bool:
        """Whether the request names this machine in its Host header (a page elsewhere whose name was made to
        point here, DNS rebinding, names its own host: it must not read the documents)."""
        port = self.server.server_address[1]
        host = (self.headers.get("Host") or "").lower()
        return host in (f"127.0.0.1:{port}", f"localhost:{port}")

    def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def _page(self, wanted: str) -> None:
        pdfs = sorted(name for name in self.owner.files() if name.endswith(".pdf"))
        shown = wanted if wanted in pdfs else (pdfs[0] if pdfs else "")
        links = "".join(f'<a href="/?doc={quote(n)}"{" class=on" if n == shown else ""}>{html.escape(n)}</a>' for n in pdfs)
        decks = [n for n in sorted(self.owner.files()) if n.endswith(".pptx")]
        links += "".join(f'<a href="/files/{quote(n)}" download>{html.escape(n)}</a>' for n in decks)
        if shown:
            src = html.escape("/files/" + quote(shown))
            viewer = f'<iframe id="doc" title="{html.escape(shown)}" src="{src}?v={self.owner.version}" data-src="{src}"></iframe>'
        else:
            viewer = "<p>&nbsp;No PDF built yet: see the watch's output.</p>"
        body = _PAGE.format(title=html.escape(shown or "reportgen"), links=links, viewer=viewer, version=self.owner.version)
        self._send(HTTPStatus.OK, "text/html; charset=utf-8", body.encode("utf-8"))

    def _file(self, name: str) -> None:
        path = self.owner.files().get(name) if "/" not in name and "\\" not in name and not name.startswith(".") else None
        if path is None or not os.path.isfile(path):
            return self.send_error(HTTPStatus.NOT_FOUND)
        with open(path, "rb") as fh:
            body = fh.read()
        self._send(HTTPStatus.OK, _TYPES.get(os.path.splitext(name)[1], "application/octet-stream"), body)

    def _events(self) -> None:
        if not self.owner.streams.acquire(blocking=False):
            return self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, f"{MAX_STREAMS} pages are listening already")
        try:
            self._stream()
        finally:
            self.owner.streams.release()

    def _stream(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen = self.owner.version
        try:
            while True:
                now = self.owner.wait_for_change(seen, timeout=15)
                if now is None:
                    return
                if now == seen:
                    self.wfile.write(b": still here\n\n")  # (a comment: keeps the connection open through proxies)
                else:
                    self.wfile.write(f"data: {now}\n\n".encode())
                    seen = now
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
