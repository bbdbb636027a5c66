"""How fast `pioneer import` brings a 10,000-project ideas page into an empty catalogue, whole.

Run with `.venv/bin/python bench/import_wiki.py [--projects 10000] [--postgres]` (--postgres: into a
throwaway PostgreSQL cluster on a loopback port, searched with the PostgreSQL backend). For each page shape of
bench/parse_wiki.py it starts a fresh instance folder, runs `pioneer init`, then `pioneer import` twice
(the second run finds every project unchanged), and prints the command's wall time and what it
reports: the import (reading, writing, committing) and the search index, each in projects a second.
The README promises 1,000 projects a second for the whole command.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from parse_wiki import bold_page, spec_page, table_page  # noqa: E402

IMPORT_RATE = r"in [0-9.]+ s \(([0-9,]+) projects a second"
INDEX_RATE = r"Indexed .* \(([0-9,]+) a second"
PIONEER = os.path.join(os.path.dirname(sys.executable), "pioneer")


def run(args, instance, database=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIONEER_")} | {
        "PIONEER_INSTANCE_PATH": instance}
    if database:
        env |= {"PIONEER_SQLALCHEMY_DATABASE_URI": database, "PIONEER_SEARCH_BACKEND": "postgres"}
    started = time.perf_counter()
    done = subprocess.run([PIONEER, *args], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"pioneer {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - started, done.stdout


def rate(pattern, output):
    found = re.search(pattern, output)
    return found.group(1) if found else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--postgres", action="store_true")
    arguments = parser.parse_args()
    count = arguments.projects
    cluster = None
    if arguments.postgres:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        from tests.postgres import Cluster, find_bin_dir

        cluster = Cluster(find_bin_dir()).start()
    try:
        shapes(count, cluster)
    finally:
        if cluster:
            cluster.stop()


def shapes(count, cluster):
    print(f"{'shape':20} {'run':7} {'whole command':>14} {'per second':>11} {'import/s':>9} {'index/s':>8}")
    for name, build in (("SPEC §8 wiki shape", spec_page), ("bold labels", bold_page), ("one table", table_page)):
        with tempfile.TemporaryDirectory() as folder:
            page = os.path.join(folder, "ideas.md")
            with open(page, "w", encoding="utf-8") as handle:
                handle.write(build(count))
            instance = os.path.join(folder, "instance")
            database = cluster.create_database(re.sub(r"\W+", "_", name.lower())) if cluster else None
            run(["init"], instance, database)
            for label in ("first", "again"):
                seconds, output = run(["import", page], instance, database)
                imported = rate(r"Imported (\d+) projects", output)
                if imported != str(count):
                    sys.exit(f"{name}: imported {imported} projects of {count}:\n{output[-1000:]}")
                importing, indexing = rate(IMPORT_RATE, output), rate(INDEX_RATE, output)
                print(f"{name:20} {label:7} {seconds:12.1f} s {count / seconds:11,.0f} {importing:>9} {indexing:>8}")


if __name__ == "__main__":
    main()
