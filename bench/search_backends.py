"""Search on both backends, in one run: Whoosh on SQLite, PostgreSQL full-text search, and SQLite FTS5.

Run with `python bench/search_backends.py --sizes 10000,100000`. For each size and backend it builds
the synthetic catalogue of bench/run.py in a fresh database (PostgreSQL: a throwaway cluster on a
loopback port, as the tests start one), rebuilds the search index and times:

- the filtered listing `/projects?stars=1&time=1`, the page search is compared with;
- the search page on distinct queries (no query repeats, so no answer comes from a cache), one-word
  and two-word, through the WSGI app, interleaved with the listing so both meet the same machine;
- the rebuild rate (`pioneer search rebuild`'s work);
- SQLite FTS5 answering the same distinct queries (ranked top 20 and the count) as the reference.

Each size and backend runs in a fresh process. Figures are medians and 95th percentiles in
milliseconds, and the search page as a ratio to the filtered listing measured in the same process.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)

from run import build_catalogue, build_fts5, distinct_searches, fts5_query, p95, time_interleaved  # noqa: E402

from pioneer import create_app, search  # noqa: E402
from pioneer.database import db  # noqa: E402


def measure(size, backend, count):
    cluster = None
    with tempfile.TemporaryDirectory(prefix=f"pioneer-bench-{backend}-{size}-") as folder:
        os.environ["PIONEER_INSTANCE_PATH"] = folder
        config = {"SECRET_KEY": "bench-secret-key-0123456789abcdef"}
        if backend == "postgres":
            from tests.postgres import Cluster, find_bin_dir

            cluster = Cluster(find_bin_dir()).start()
            config |= {"SQLALCHEMY_DATABASE_URI": cluster.create_database("bench"), "SEARCH_BACKEND": "postgres"}
        try:
            app = create_app(config)
            with app.app_context():
                db.create_all()
                started = time.perf_counter()
                if backend == "postgres":
                    # Loaded as a restore would be, triggers off; the rebuild below computes every
                    # project's tags, as `pioneer search rebuild` does after a restore.
                    _triggers(db, "DISABLE")
                build_catalogue(size)
                if backend == "postgres":
                    _triggers(db, "ENABLE")
                built = time.perf_counter() - started
                db.session.execute(db.text("ANALYZE"))
                db.session.commit()
                started = time.perf_counter()
                indexed = search.backend().rebuild(db.engine)
                rebuild_rate = indexed / (time.perf_counter() - started)
                if backend == "postgres":
                    db.session.commit()
                    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                        connection.execute(db.text("VACUUM ANALYZE projects"))
                fts = build_fts5(folder)
            client = app.test_client()
            queries = distinct_searches(2 * count + 20)
            for q in queries[-20:]:  # warm the code paths with queries that are not timed
                client.get("/projects", query_string={"q": q})
            one = [q for q in queries[:2 * count] if " " not in q][:count]
            two = [q for q in queries[:2 * count] if " " in q][:count]
            for _ in range(5):
                client.get("/projects?stars=1&time=1")
            # Interleaved: a listing, a one-word search, a two-word search, in turn (run.time_interleaved).
            results = time_interleaved(client, {
                "listing": ["/projects?stars=1&time=1"],
                "search": [f"/projects?q={q}" for q in one],
                "search, two words": [f"/projects?q={q.replace(' ', '+')}" for q in two],
            }, count, once=("search", "search, two words"))
            fts_times = []
            for q in one:
                started = time.perf_counter()
                fts5_query(fts, q)
                fts_times.append((time.perf_counter() - started) * 1000)
            results["fts5"] = fts_times
            fts.close()
            with app.app_context():
                search.backend().close()
                db.engine.dispose()
        finally:
            if cluster:
                cluster.stop()
    return {"built": built, "rebuild_rate": rebuild_rate, "results": results}


def _triggers(db, action):
    for table in ("projects", "project_skills", "project_mentors"):
        db.session.execute(db.text(f"ALTER TABLE {table} {action} TRIGGER USER"))
    db.session.commit()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="whoosh,postgres")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        random.seed(1)
        print(json.dumps(measure(int(args.one[0]), args.one[1], args.requests)))
        return
    print(f"{'projects':>9} {'backend':<9} {'listing':>15} {'search':>15} {'two words':>15} "
          f"{'search ×listing':>16} {'FTS5':>13} {'rebuild/s':>10}")
    print(f"{'':>9} {'':<9} {'median / p95':>15} {'median / p95':>15} {'median / p95':>15} "
          f"{'median / p95':>16} {'median / p95':>13}")
    for size in (int(s) for s in args.sizes.split(",")):
        for backend in args.backends.split(","):
            print(f"{size:>9} {backend:<9} building and measuring…", file=sys.stderr, flush=True)
            output = subprocess.run([sys.executable, __file__, "--one", str(size), backend, "--requests",
                                     str(args.requests)], check=True, capture_output=True, text=True).stdout
            data = json.loads(output.splitlines()[-1])
            r = data["results"]

            def pair(times):
                return f"{statistics.median(times):6.1f} / {p95(times):6.1f}"

            ratio = (f"{statistics.median(r['search']) / statistics.median(r['listing']):5.1f}× / "
                     f"{p95(r['search']) / p95(r['listing']):5.1f}×")
            print(f"{size:>9} {backend:<9} {pair(r['listing']):>15} {pair(r['search']):>15} "
                  f"{pair(r['search, two words']):>15} {ratio:>16} {pair(r['fts5']):>13} "
                  f"{data['rebuild_rate']:>10,.0f}", flush=True)


if __name__ == "__main__":
    main()
