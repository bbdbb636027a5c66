"""Show how the database runs every query behind the public pages, at a catalogue size of your choice.

Run with `.venv/bin/python bench/plans.py [--projects 100000] [--postgres]`. It builds the synthetic
catalogue of bench/run.py (SQLite, or a throwaway PostgreSQL 15 cluster with --postgres), requests
each public page once through the app while recording its SQL, then asks the database for each
statement's plan. A statement whose plan reads a whole large table, or sorts rows it has not limited
first, is marked "GROWS": its cost grows with the catalogue. Counts cached per catalogue version are
marked "cached": they run once per change, not per request.
"""

import argparse
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sqlalchemy import event  # noqa: E402

from pioneer import create_app, search  # noqa: E402
from pioneer.database import db  # noqa: E402
from pioneer.domain import cache  # noqa: E402

PAGES = ["/", "/projects", "/projects?stars=1&time=1", "/projects?sort=stars&page=3", "/projects?area=security",
         "/projects/project-{middle}", "/mentors", "/mentors?page=3", "/mentors/mentor-7", "/projects?skill=ocaml",
         "/projects?mentor=mentor-7", "/rounds", "/calls"]
# Tables whose size follows the catalogue.
BIG_TABLES = ("projects", "project_skills", "project_mentors", "users", "review_events", "claims")


def record(app, paths):
    """{path: [(statement, parameters, cached)]} for each page, with the counts' cache cold."""
    statements, current = {}, {"cached": False}

    def before(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.setdefault(current["path"], []).append((statement, parameters, current["cached"]))

    original = cache.cached

    def marking(key, compute, version=None):
        def marked():
            current["cached"] = True
            try:
                return compute()
            finally:
                current["cached"] = False
        return original(key, marked, version)

    cache.cached = marking
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        client = app.test_client()
        for path in paths:
            current["path"] = path
            response = client.get(path)
            if response.status_code != 200:
                print(f"{path}: {response.status_code}", file=sys.stderr)
        event.remove(db.engine, "before_cursor_execute", before)
    cache.cached = original
    return statements


def sqlite_plan(connection, statement, parameters):
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    lines = [row[-1] for row in rows]
    grows = any((line.startswith("SCAN ") and any(f"SCAN {t}" in line.replace("SCAN TABLE ", "SCAN ")
                                                  for t in BIG_TABLES) and "USING" not in line)
                or "TEMP B-TREE" in line for line in lines)
    return lines, grows


def postgres_plan(connection, statement, parameters):
    # Run for real (ANALYZE): an index walked in order can still read thousands of rows its filter
    # throws away (a DESC walk meets NULLs first), which the plan alone does not show.
    rows = connection.exec_driver_sql(f"EXPLAIN (ANALYZE, BUFFERS) {statement}", parameters).all()
    lines = [row[0] for row in rows]
    grows = any(("Seq Scan on" in line and any(f" {t} " in f"{line} " for t in BIG_TABLES)
                 and _actual_rows(line) > 1000)
                or "top-N heapsort" in line or "external merge" in line
                or _removed(line) > 1000 for line in lines)
    return lines, grows


def _actual_rows(line):
    """Rows a plan node returned, over all its loops."""
    match = re.search(r"actual time=\S+ rows=(\d+) loops=(\d+)", line)
    return int(match[1]) * int(match[2]) if match else 0


def _removed(line):
    """Rows a plan node read and threw away."""
    line = line.strip()
    if line.startswith("Rows Removed by Filter:"):
        return int(line.rsplit(":", 1)[1])
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database-url", help="a PostgreSQL database that already holds a bench catalogue "
                        "(e.g. one bench/search_backends.py built): read its plans without building one")
    args = parser.parse_args()
    import run as bench

    with tempfile.TemporaryDirectory(prefix="pioneer-plans-") as folder:
        os.environ["PIONEER_INSTANCE_PATH"] = folder
        config = {"SECRET_KEY": "bench-secret-key-0123456789abcdef", "SEARCH_STORAGE": "memory"}
        cluster = None
        if args.database_url:
            args.postgres = True
            config["SQLALCHEMY_DATABASE_URI"] = args.database_url
        elif args.postgres:
            from tests.postgres import Cluster, find_bin_dir

            cluster = Cluster(find_bin_dir(), os.path.join(folder, "pg"))
            cluster.start()
            config["SQLALCHEMY_DATABASE_URI"] = cluster.create_database("plans")
        try:
            app = create_app(config)
            with app.app_context():
                if not args.database_url:
                    db.create_all()
                    bench.build_catalogue(args.projects)
                analyze = "ANALYZE" if not args.postgres else "VACUUM ANALYZE"
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                    connection.exec_driver_sql(analyze)
            with app.app_context():
                size = db.session.execute(db.text("SELECT count(*) FROM projects")).scalar_one()
            paths = [path.format(middle=size // 2) for path in PAGES]
            statements = record(app, paths)
            explain = postgres_plan if args.postgres else sqlite_plan
            growing = 0
            with app.app_context(), db.engine.connect() as connection:
                for path in paths:
                    print(f"\n{path}")
                    for statement, parameters, cached in statements.get(path, []):
                        lines, grows = explain(connection, statement, parameters)
                        mark = "cached" if cached else ("GROWS" if grows else "ok")
                        growing += grows and not cached
                        took = next((line.split(":")[1].strip() for line in lines if "Execution Time" in line), "")
                        print(f"  [{mark}] {took:>10} {' '.join(statement.split())[:150]}")
                        if grows or cached:
                            for line in lines:
                                print(f"      {line}")
            search.backend(app).close()
            print(f"\n{growing} statements run on every request grow with the catalogue.")
        finally:
            if cluster is not None:
                cluster.stop()


if __name__ == "__main__":
    main()
