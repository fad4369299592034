"""``reportgen watch --serve`` (``reportgen.preview``): the page, the files it may serve and no other, the reload events."""

from __future__ import annotations

import http.client
import re
import threading
import time

import pytest

from reportgen.preview import Preview


@pytest.fixture
def served(tmp_path):
    """Return (a started preview server of two outputs, the folder they are in); stopped after the test."""
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 a")
    (tmp_path / "b deck.pptx").write_bytes(b"PK deck")
    (tmp_path / "secret.txt").write_text("not served")
    files = {"a.pdf": str(tmp_path / "a.pdf"), "b deck.pptx": str(tmp_path / "b deck.pptx")}
    preview = Preview(lambda: files, port=0)
    preview.start()
    yield preview, tmp_path
    preview.stop()


def get(preview: Preview, path: str, host_header: str | None = None) -> tuple[int, dict, bytes]:
    host, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": host_header} if host_header else {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


def test_the_page_shows_the_pdf_with_nothing_from_elsewhere(served):
    preview, _ = served
    assert preview.url.startswith("http://127.0.0.1:")
    status, headers, body = get(preview, "/")
    page = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert 'src="/files/a.pdf?v=0"' in page and 'href="/files/b%20deck.pptx"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no script, style or font from anywhere else
    assert "EventSource(\"/events\")" in page


@pytest.mark.parametrize("path", ["/files/secret.txt", "/files/../secret.txt", "/files/%2e%2e%2fsecret.txt", "/files/", "/elsewhere", "/files/.a.pdf"])
def test_only_the_outputs_are_served(served, path):
    preview, _ = served
    status, _, body = get(preview, path)
    assert status == 404 and b"not served" not in body


def test_a_request_naming_another_host_is_refused(served):
    """DNS rebinding: a page at evil.example whose name now points at 127.0.0.1 must not read the documents."""
    preview, _ = served
    port = preview.server.server_address[1]
    assert get(preview, "/files/a.pdf", f"evil.example:{port}")[0] == 403
    assert get(preview, "/", f"evil.example:{port}")[0] == 403
    assert get(preview, "/files/a.pdf", f"localhost:{port}")[0] == 200


def test_an_output_is_served_with_its_type(served):
    preview, _ = served
    status, headers, body = get(preview, "/files/a.pdf")
    assert (status, headers["Content-Type"], body) == (200, "application/pdf", b"%PDF-1.7 a")
    status, headers, body = get(preview, "/files/b%20deck.pptx")
    assert status == 200 and headers["Content-Type"].endswith("presentationml.presentation") and body == b"PK deck"


def test_each_build_sends_a_reload_event(served):
    preview, _ = served
    host, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/events")
    resp = conn.getresponse()
    assert resp.getheader("Content-Type") == "text/event-stream"
    threading.Timer(0.2, preview.notify).start()
    assert resp.fp.readline() == b"data: 1\n"
    conn.close()


def test_only_so_many_pages_listen_at_once(served, monkeypatch):
    """Each event stream holds a thread: past ``MAX_STREAMS`` one is refused, and taken again once one closes."""
    from reportgen import preview as module

    preview, _ = served
    host, port = preview.server.server_address[:2]
    opened = []
    for _ in range(module.MAX_STREAMS):
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.request("GET", "/events")
        assert conn.getresponse().status == 200
        opened.append(conn)
    assert get(preview, "/events")[0] == 503
    opened.pop().close()
    deadline = time.monotonic() + 10
    while True:
        preview.notify()  # (a closed stream's thread notices when a write to it fails)
        if get_status_then_close(preview, "/events") == 200:
            break
        assert time.monotonic() < deadline, "a stream closed, but none could open"
        time.sleep(0.1)
    for conn in opened:
        conn.close()


def get_status_then_close(preview: Preview, path: str) -> int:
    host, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()
