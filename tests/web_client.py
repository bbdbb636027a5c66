"""A small real HTTP client for tests that talk to running servers over loopback."""

import contextlib
import http.cookiejar
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from werkzeug.serving import make_server

from pioneer import search
from pioneer.database import db


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects, so statuses stay visible."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        no_redirects = type("NoRedirects", (urllib.request.HTTPRedirectHandler,),
                            {"redirect_request": lambda *args, **kwargs: None})
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), no_redirects)

    def request(self, url, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(url, body, timeout=30) as response:
                return response.status, response.read().decode(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), error.headers

    def post_form(self, page_url, post_url, fields):
        """Fetch page_url for its CSRF token, then post fields with it, as a browser would."""
        _status, page, _headers = self.request(page_url)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        return self.request(post_url, fields | {"csrf_token": token})


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


def isolate_environment(monkeypatch, instance_path):
    """Forget the machine's PIONEER_* settings and put the instance folder at instance_path."""
    for name in list(os.environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(instance_path))


@contextlib.contextmanager
def serving(app):
    """Serve app on 127.0.0.1 and a free port in a thread; yield its base URL, then stop and close it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        with app.app_context():
            search.backend().close()
            db.engine.dispose()
