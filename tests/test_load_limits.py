"""Hostile clients against real gunicorn (gunicorn.conf.py, 4 workers): browsing stays fast, oversized requests
get a 413 unread. bench/load_limits.py runs the same clients for longer and prints the figures."""

import http.client
import os
import secrets
import select
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pioneer import create_app, search
from pioneer.database import db
from pioneer.models import Project

from .web_client import free_port, isolate_environment, wait_until_up

ROOT = Path(__file__).parent.parent
# 1,000,000 fields of 10 bytes: the form post that used to cost 5-7 s of parsing.
TINY_FIELDS = b"field=123&" * 1_000_000
SLOW_BODY_LENGTH = 1_000_000
HUGE_UPLOAD_LENGTH = 300 * 1024 * 1024


def prepare_instance(instance):
    """Create the database and index in instance and load the demo catalogue; return 8 distinct page paths."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate_environment(monkeypatch, instance)
        app = create_app()
        runner = app.test_cli_runner()
        assert runner.invoke(args=["init"]).exit_code == 0
        assert runner.invoke(args=["demo"]).exit_code == 0
        with app.app_context():
            slugs = db.session.execute(db.select(Project.slug).order_by(Project.id).limit(3)).scalars().all()
            search.backend().close()
            db.engine.dispose()
    return ["/", "/projects", "/projects?stars=1", "/projects?q=network", "/mentors", "/calls",
            f"/projects/{slugs[0]}", f"/projects/{slugs[2]}"]


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py and 4 workers, in production mode, on a free loopback port."""

    def __init__(self, instance, log_path, workers=4, config=ROOT / "gunicorn.conf.py", settings=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {name: value for name, value in os.environ.items() if not name.startswith("PIONEER_")} | {
            "PIONEER_INSTANCE_PATH": str(instance), "PIONEER_ENV": "production",
            "PIONEER_SECRET_KEY": secrets.token_urlsafe(32)} | (settings or {})
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(config), "-w", str(workers),
             "-b", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(self.url, seconds=60)
        except AssertionError:
            self.stop()
            raise

    def troubles(self):
        """The lines of gunicorn's log that report a failure: errors, tracebacks, workers that exited."""
        marks = ("[ERROR]", "[CRITICAL]", "[WARNING]", "Traceback", "exited")
        return [line for line in Path(self.log_path).read_text().splitlines() if any(m in line for m in marks)]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def request_head(path, length, content_type="application/x-www-form-urlencoded"):
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\n\r\n").encode()


def status_of(response):
    """The status code of a raw HTTP response's first line, or None when nothing came."""
    parts = response.split(b" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[0].startswith(b"HTTP/") else None


def post_announced(port, length, body=b"", keep_sending=0, deadline=10.0):
    """POST with Content-Length: length, sending body (then zeros) until the server answers.

    Returns (status, body bytes sent before the answer, bytes the server still took afterwards). After the
    answer it tries to send keep_sending more bytes: a server that refused the body closes the connection
    and takes far fewer.
    """
    head = request_head("/login", length)
    sock = socket.create_connection(("127.0.0.1", port), timeout=deadline)
    sock.setblocking(False)
    filler = memoryview(bytes(65536))
    try:
        pending, sent, response = memoryview(head + body), 0, b""
        end = time.monotonic() + deadline
        while b"\r\n" not in response and time.monotonic() < end:
            more = sent < len(head) + length
            readable, writable, _ = select.select([sock], [sock] if more else [], [], 0.5)
            if readable:
                chunk = read_what_is_left(sock)
                if not chunk:
                    break
                response += chunk
            elif writable:
                if not pending:
                    pending = filler[:len(head) + length - sent]
                try:
                    count = sock.send(pending)
                except OSError:  # Closed by the server: its answer may still wait in our buffer.
                    response += read_what_is_left(sock)
                    break
                sent, pending = sent + count, pending[count:]
        after = 0
        end = time.monotonic() + deadline
        while after < keep_sending and time.monotonic() < end:
            _, writable, _ = select.select([], [sock], [], 0.5)
            if writable:
                try:
                    after += sock.send(filler)
                except OSError:
                    break
        return status_of(response), max(sent - len(head), 0), after
    finally:
        sock.close()


def read_what_is_left(sock):
    """What the server sent, or b"" once the connection is closed or reset."""
    try:
        return sock.recv(65536)
    except OSError:
        return b""


class Hostile:
    """Slow-body clients (announce 1 MB, send a byte at a time) and 10 MB form posts, each in a thread."""

    def __init__(self, port, slow=4, big=4, pause=0.0):
        self.port, self.pause, self.stop = port, pause, threading.Event()
        self.statuses, self.sent, self.slow_failures = [], [], []
        self.threads = [threading.Thread(target=self.slow_client, daemon=True) for _ in range(slow)]
        self.threads += [threading.Thread(target=self.big_poster, daemon=True) for _ in range(big)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        time.sleep(0.5)  # Let the slow clients reach their threads before anyone measures.
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=15)

    def slow_client(self):
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        try:
            sock.sendall(request_head("/login", SLOW_BODY_LENGTH))
            while not self.stop.wait(0.1):
                sock.sendall(b"a")
        except OSError as error:
            self.slow_failures.append(error)
        finally:
            sock.close()

    def big_poster(self):
        while not self.stop.wait(self.pause):
            status, sent, _after = post_announced(self.port, len(TINY_FIELDS), TINY_FIELDS)
            self.statuses.append(status)
            self.sent.append(sent)


def browse(url, paths, seconds):
    """One client per path, each fetching its page over and over for seconds; return latencies and failures."""
    host, port = url.removeprefix("http://").split(":")
    latencies, failures = [], []

    def client(path):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                failures.append(f"{path}: {error!r}")
                connection.close()
                continue
            latencies.append(time.perf_counter() - started)
            if response.status != 200:
                failures.append(f"{path}: {response.status}")
        connection.close()

    threads = [threading.Thread(target=client, args=(path,)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures


def get_status(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def percentile(values, share):
    return statistics.quantiles(values, n=100, method="inclusive")[share - 1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    instance = tmp_path_factory.mktemp("load-limits")
    paths = prepare_instance(instance)
    server = Gunicorn(instance, instance / "gunicorn.log")
    try:
        yield server, paths
    finally:
        server.stop()


def test_browsing_stays_fast_while_slow_and_oversized_clients_attack(site):
    server, paths = site
    # The posters pause a little between posts: they share this process's GIL with the browsing clients.
    with Hostile(server.port, pause=0.05) as hostile:
        latencies, failures = browse(server.url, paths, seconds=4)
        started = time.perf_counter()
        assert get_status(server.port, "/healthz") == 200
        health = time.perf_counter() - started
    print(f"{len(latencies)} pages, p50 {percentile(latencies, 50):.3f} s, p95 {percentile(latencies, 95):.3f} s, "
          f"{len(hostile.statuses)} oversized posts: {sorted(set(hostile.statuses), key=str)}")
    assert failures == [] and len(latencies) > 40, (failures[:5], server.troubles())
    assert percentile(latencies, 95) < 1.0, f"p95 {percentile(latencies, 95):.3f} s over {len(latencies)} pages"
    assert health < 1.0
    # Every 10 MB post was refused, several times over, before its body was all sent; the slow clients were
    # never cut off.
    assert len(hostile.statuses) >= 4 and set(hostile.statuses) == {413}
    assert max(hostile.sent) < len(TINY_FIELDS)
    assert hostile.slow_failures == [], (hostile.slow_failures, server.troubles())


def test_a_300_mb_upload_is_refused_without_being_read(site):
    server, _paths = site
    started = time.perf_counter()
    status, sent, accepted_after = post_announced(server.port, HUGE_UPLOAD_LENGTH, keep_sending=64 * 1024 * 1024)
    assert status == 413 and time.perf_counter() - started < 5
    # Only what the sockets' buffers hold got through, and the server closed the connection rather than
    # read on: the 64 MB the client tried to send next mostly went nowhere.
    assert sent + accepted_after < 32 * 1024 * 1024, (sent, accepted_after)
    assert get_status(server.port, "/healthz") == 200
