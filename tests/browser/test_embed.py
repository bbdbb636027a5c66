"""Another site embeds the list: a page on a second loopback origin frames /embed/projects?stars=1 and
shows the cards; the same page cannot frame any other page of the site."""

import contextlib
import http.server
import threading

from playwright.sync_api import expect

from ..web_client import free_port


@contextlib.contextmanager
def other_site(html):
    """Serve one page of html on 127.0.0.1 and another free port: a different origin from the site."""

    class Page(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the name http.server calls)
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_another_site_embeds_the_1_star_list_and_cannot_frame_other_pages(page, live_server):
    console = []
    page.on("console", lambda message: console.append(message.text))
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our community</title></head>
    <body><h1>Our starter projects</h1>
    <iframe id="embedded" src="{live_server}/embed/projects?stars=1" title="Starter projects" width="600"
            height="500"></iframe>
    <iframe id="catalogue" src="{live_server}/projects?stars=1" title="The catalogue" width="600"
            height="200"></iframe>
    </body></html>"""
    with other_site(html) as origin:
        assert origin.rsplit(":", 1)[1] != live_server.rsplit(":", 1)[1]
        page.goto(origin + "/")
        cards = page.frame_locator("#embedded").locator("li.card")
        expect(cards.first).to_be_visible()
        assert cards.count() >= 2
        for index in range(cards.count()):
            expect(cards.nth(index)).to_contain_text("1 of 5 stars")
        first_link = cards.first.get_by_role("link")
        assert first_link.get_attribute("href").startswith(live_server + "/projects/")
        expect(page.frame_locator("#embedded").get_by_role("heading", level=1)).to_contain_text("Starter projects")
        # The catalogue page refuses the frame: Chromium says why, and its content never appears.
        page.wait_for_timeout(500)
        assert page.frame_locator("#catalogue").locator("article.project-row").count() == 0
        assert any("frame-ancestors 'none'" in text and "blocked" in text for text in console), console
        # The framed list set no cookie.
        assert page.context.cookies(live_server) == []


def test_the_api_page_and_the_embed_pass_axe_and_the_csp(page, live_server, csp_errors):
    from .conftest import serious_violations

    for path, heading in (("/api", "Open data"), ("/embed/projects?stars=1&limit=3", "Starter projects")):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server + path)
            expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
            assert serious_violations(page) == [], (path, width)
    assert page.locator("li.card").count() == 3
    assert csp_errors == []
