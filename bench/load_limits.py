"""Hostile clients against real gunicorn: how much slower browsing gets, and what oversized requests get.

Run with `.venv/bin/python bench/load_limits.py [--seconds 30]`. It loads the demo catalogue into a fresh
instance folder and starts gunicorn with the project's gunicorn.conf.py and 4 workers in production mode.
Then 8 clients browse 8 distinct pages, first alone, then while 4 slow-body clients (1 MB announced, one
byte every 0.1 s, connected throughout) and 4 clients posting 10 MB forms of 1,000,000 fields attack; it
prints p50 and p95 of browsing in both phases and their ratio, what the oversized posts got, and how a
300 MB announced upload is refused. tests/test_load_limits.py runs the same clients for a few seconds.

To see what the limits are worth, run it against other settings, e.g. gunicorn's plain sync workers
(`--config` an empty file) or no size limit (`--set PIONEER_MAX_CONTENT_LENGTH=null`).
"""

import argparse
import collections
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.test_load_limits import (  # noqa: E402
    HUGE_UPLOAD_LENGTH,
    ROOT,
    Gunicorn,
    Hostile,
    browse,
    get_status,
    percentile,
    post_announced,
    prepare_instance,
)


def attack(port, pause, stop, results):
    """Run the hostile clients in a process of their own until stop is set, so they share no GIL with browsing."""
    with Hostile(port, pause=pause) as hostile:
        stop.wait()
    results.put((dict(collections.Counter(hostile.statuses)), len(hostile.slow_failures)))


def summary(latencies):
    if len(latencies) < 2:
        return "too few pages to measure", None, None
    p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
    return f"{len(latencies)} pages, p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms", p50, p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of each browsing phase")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--config", default=str(ROOT / "gunicorn.conf.py"), help="gunicorn configuration file")
    parser.add_argument("--pause", type=float, default=0.0,
                        help="seconds each 10 MB poster waits between posts (0: as fast as it can)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                        help="an environment setting for the site, e.g. PIONEER_MAX_CONTENT_LENGTH=null")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    with tempfile.TemporaryDirectory(prefix="pioneer-load-") as folder:
        instance = Path(folder)
        paths = prepare_instance(instance)
        server = Gunicorn(instance, instance / "gunicorn.log", workers=args.workers, config=args.config,
                          settings=settings)
        try:
            run(server, paths, args.seconds, args.pause)
        finally:
            server.stop()
            troubles = server.troubles()
            print(f"gunicorn's log: {len(troubles)} errors", *troubles[:10], sep="\n  ")


def run(server, paths, seconds, pause):
    print(f"gunicorn on {server.url}; 8 clients browse {', '.join(paths)}")
    quiet, quiet_failures = browse(server.url, paths, seconds)
    text, quiet_p50, quiet_p95 = summary(quiet)
    print(f"browsing alone:         {text}, {len(quiet_failures)} failures")
    spawn = multiprocessing.get_context("spawn")
    stop, results = spawn.Event(), spawn.Queue()
    attacker = spawn.Process(target=attack, args=(server.port, pause, stop, results))
    attacker.start()
    time.sleep(2)  # The process starts, and its slow clients reach their threads.
    attacked, failures = browse(server.url, paths, seconds)
    started = time.perf_counter()
    health = get_status(server.port, "/healthz")
    health_seconds = time.perf_counter() - started
    stop.set()
    counts, slow_cut_off = results.get(timeout=60)
    attacker.join()
    text, p50, p95 = summary(attacked)
    print(f"browsing under attack:  {text}, {len(failures)} failures {failures[:3]}")
    if quiet_p50 and p50:
        print(f"ratio under attack / alone: p50 {p50 / quiet_p50:.2f}x, p95 {p95 / quiet_p95:.2f}x")
    print(f"10 MB posts of 1,000,000 fields: {sum(counts.values())} sent, answers {counts}")
    print(f"slow-body clients cut off: {slow_cut_off} of 4")
    print(f"/healthz under attack: {health} in {health_seconds * 1000:.0f} ms")
    started = time.perf_counter()
    status, sent, after = post_announced(server.port, HUGE_UPLOAD_LENGTH, keep_sending=64 * 1024 * 1024)
    print(f"300 MB announced upload: {status} after {(time.perf_counter() - started) * 1000:.0f} ms, "
          f"{sent / 1e6:.1f} MB sent before the answer, {after / 1e6:.1f} MB of 67.1 MB more taken after it")


if __name__ == "__main__":
    main()
