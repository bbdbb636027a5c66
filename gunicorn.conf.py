"""Gunicorn settings for Pioneer in production: `gunicorn wsgi:app` reads this file from the working folder.

Slow clients and oversized requests (README, "Serving in production: limits and slow clients"):
- gthread workers: a client that sends its body a byte at a time holds one thread, not a whole worker,
  so the other threads keep serving pages. A buffering reverse proxy (nginx) in front is still the real
  cure: it reads each request completely before gunicorn sees it.
- A request the site refuses without reading its body (a 413 from its Content-Length) closes the
  connection, instead of gunicorn reading the unread body to the end to keep the connection alive.
Command-line options override these values (`gunicorn -w 8 -b 0.0.0.0:8000 wsgi:app`).
"""

import os

bind = "127.0.0.1:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
worker_class = "gthread"
# Threads per worker: each slow client can hold one; the rest keep serving.
threads = 8
# Open connections per worker, idle keep-alive ones included.
worker_connections = 1000
# A worker whose main loop stops answering for this long is restarted. With gthread the main loop stays
# alive while a thread waits on a slow body, so this catches a hung process, not a slow client.
timeout = 30
graceful_timeout = 30
# Seconds an idle keep-alive connection stays open.
keepalive = 5
# Request line and headers: gunicorn's defaults, written out; a longer line or header is refused with 400.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190


def post_request(worker, req, environ, resp):
    """Close the connection when the request's body was left unread (a refused upload), never drain it."""
    unread = getattr(getattr(req.body, "reader", None), "length", None)
    if unread != 0:
        req.force_close()
