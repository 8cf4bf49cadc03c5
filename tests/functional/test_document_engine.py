"""The PDF engine on a server: offline pages, many threads, a clear answer when the browser is missing."""
from __future__ import annotations

import http.server
import threading

import pytest

from app.documents import engine
from tests import pdftools


def test_a_document_cannot_reach_the_network(app):
    """Only what the app put into the page renders: an image or stylesheet on any server is never fetched."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        pdf = engine.html_to_pdf(f'<html><head><link rel="stylesheet" href="{base}/style.css"></head>'
                                 f'<body><img src="{base}/pixel.png"><iframe src="{base}/frame"></iframe>'
                                 f'<p>ตำบลบ้านโป่ง</p></body></html>')
    finally:
        server.shutdown()
        server.server_close()
    assert hits == []
    assert "ตำบลบ้านโป่ง" in pdftools.flat(pdf)


def test_many_threads_share_one_warm_browser(app):
    results: dict[int, bytes] = {}
    errors: list[BaseException] = []

    def render(n: int) -> None:
        try:
            results[n] = engine.html_to_pdf(f"<html><body><p>เอกสารฉบับที่ {n}</p></body></html>")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=render, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert {n: f"เอกสารฉบับที่ {n}" in pdftools.flat(pdf) for n, pdf in results.items()} == {n: True for n in range(6)}


def test_a_missing_browser_gives_a_clear_thai_page_not_a_500(client, app, caplog):
    app.config["CHROMIUM_PATH"] = "/nonexistent/chromium"
    response = client.get("/handbook/general.pdf")
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "ระบบสร้างไฟล์ PDF ไม่พร้อมใช้งาน" in page and "Traceback" not in page
    assert any("apt-get install chromium" in r.getMessage() for r in caplog.records)  # the operator learns what to do


def test_a_missing_browser_is_named_in_the_error(app):
    with pytest.raises(engine.EngineUnavailable, match="/nonexistent/chromium.*CHROMIUM_PATH"):
        engine.html_to_pdf("<p>x</p>", executable="/nonexistent/chromium")


def test_a_render_that_runs_out_of_time_fails_cleanly_and_the_next_one_works(app):
    long_page = "<html><body>" + "<p>ตำบลบ้านโป่ง องค์การบริหารส่วนตำบล</p>" * 60_000 + "</body></html>"
    with pytest.raises(engine.EngineUnavailable):
        engine.html_to_pdf(long_page, timeout=0.2)
    assert "ตำบลบ้านโป่ง" in pdftools.flat(engine.html_to_pdf("<p>ตำบลบ้านโป่ง</p>", timeout=30))
