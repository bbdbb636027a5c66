"""Benchmark the public pages on synthetic catalogues of growing size.

Run with `make bench` (or `python bench/run.py --sizes 1000,10000`). For each size it builds a fresh
SQLite catalogue, then times `/`, a filtered listing, an unfiltered listing and project pages
through the WSGI app, reporting median and p95 in milliseconds and as ratios to a trivial route
timed in the same run, so figures compare across machines.
"""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pioneer import create_app, search  # noqa: E402
from pioneer.database import db  # noqa: E402
from pioneer.domain import cache  # noqa: E402
from pioneer.models import (  # noqa: E402
    Area,
    Project,
    ProjectSkill,
    ProjectStatus,
    Skill,
    SkillLevel,
    User,
    project_mentors,
)

AREAS = ["Networking", "Security", "Storage", "Platforms", "Tooling", "Testing", "Documentation", "Outreach"]
SKILLS = ["ocaml", "tcp/ip", "udp", "dns", "tls", "xen", "kvm", "solo5", "c", "git", "dune", "opam", "testing",
          "fuzzing", "markdown", "video", "javascript", "http", "ntp", "dhcp", "irmin", "lwt", "shell", "ci"]
TOPIC_WORDS = ("unikernel network stack packet parser driver protocol client server cache test suite fuzzing "
               "documentation screencast tooling storage block device firewall resolver certificate").split()


def _vocabulary(size=3000, seed=3):
    """Pseudo-words from syllables: a realistic spread of common and rare words."""
    rng = random.Random(seed)
    syllables = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "de", "va", "chi", "gu", "bre", "sto", "plin"]
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


VOCABULARY = TOPIC_WORDS + _vocabulary()
# Zipf-like weights: a few words are everywhere, most are rare, as in real text.
TAIL_WEIGHTS = [1 / (rank + 1) for rank in range(len(VOCABULARY) - len(TOPIC_WORDS))]
WORDS = TOPIC_WORDS
# Topic words live in titles; descriptions draw on the long-tailed vocabulary. Queries mix a title
# word, words of middling frequency, and two-word searches.
_TAIL = VOCABULARY[len(TOPIC_WORDS):]
SEARCHES = ["firewall", _TAIL[40], _TAIL[150], f"{_TAIL[60]} {_TAIL[300]}", "packet parser", _TAIL[700],
            f"resolver {_TAIL[90]}"]


def distinct_searches(count, seed=11):
    """count different searches, as real traffic asks them: one word (common, middling or rare, some
    misspelt), two words, a topic word with a tail word. No query repeats, so no answer comes from the
    result cache."""
    rng = random.Random(seed)
    seen, searches = set(), []
    while len(searches) < count:
        kind = rng.random()
        if kind < 0.35:
            q = _TAIL[rng.randrange(0, 300)]
        elif kind < 0.5:
            q = _TAIL[rng.randrange(300, len(_TAIL))]  # rare
        elif kind < 0.6:
            word = _TAIL[rng.randrange(0, 500)]
            q = word[:-1] + ("x" if word[-1] != "x" else "y")  # a typo
        elif kind < 0.85:
            q = f"{_TAIL[rng.randrange(0, 400)]} {_TAIL[rng.randrange(0, 2000)]}"
        else:
            q = f"{rng.choice(TOPIC_WORDS)} {_TAIL[rng.randrange(0, 1000)]}"
        if q not in seen:
            seen.add(q)
            searches.append(q)
    return searches
STATUS_MIX = [ProjectStatus.AVAILABLE] * 7 + [ProjectStatus.IN_PROGRESS, ProjectStatus.DONE, ProjectStatus.PROPOSED]
BATCH = 5000


def build_catalogue(size, seed=7):
    """Insert size synthetic projects with skills and mentors, in bulk."""
    rng = random.Random(seed)
    now = datetime.now(UTC)
    db.session.execute(db.insert(Area), [{"name": n, "slug": n.lower(), "description": ""} for n in AREAS])
    db.session.execute(db.insert(Skill), [{"name": n} for n in SKILLS])
    # At least two full pages of /mentors (30 a page), so the route's second page is as long at every size.
    mentor_count = max(60, size // 20)
    db.session.execute(db.insert(User), [
        {"username": f"mentor-{i}", "name": f"Mentor {i}", "email": f"m{i}@example.org", "capacity": rng.randint(0, 4),
         "bio": "", "links": [], "availability": "", "is_active": True, "created_at": now}
        for i in range(mentor_count)
    ])
    for start in range(0, size, BATCH):
        rows, skills, mentors = [], [], []
        for i in range(start, min(size, start + BATCH)):
            title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {rng.choice(_TAIL)} {i}"
            when = now - timedelta(minutes=size - i)
            status = rng.choice(STATUS_MIX)
            rows.append({
                "id": i + 1, "slug": f"project-{i}", "title": title,
                "summary": " ".join(rng.choices(_TAIL, TAIL_WEIGHTS, k=12)),
                "description": " ".join(rng.choices(_TAIL, TAIL_WEIGHTS, k=70)),
                "outcomes": " ".join(rng.choices(_TAIL, TAIL_WEIGHTS, k=15)),
                "stars": rng.choice([1, 2, 3, 4, 5, None]), "time_rating": rng.randint(1, 5),
                "area_id": rng.randint(1, len(AREAS)), "status": status, "needs_review": False,
                "allow_multiple_claims": False, "created_at": when, "updated_at": when,
                "approved_at": when if status is not ProjectStatus.PROPOSED else None, "last_reviewed_at": when,
            })
            for position, skill in enumerate(rng.sample(range(1, len(SKILLS) + 1), 3)):
                skills.append({"project_id": i + 1, "skill_id": skill, "level": rng.choice(list(SkillLevel)),
                               "required": position < 2, "position": position})
            for mentor in rng.sample(range(1, mentor_count + 1), rng.randint(1, 2)):
                mentors.append({"project_id": i + 1, "user_id": mentor})
        db.session.execute(db.insert(Project), rows)
        db.session.execute(db.insert(ProjectSkill), skills)
        db.session.execute(project_mentors.insert(), mentors)
    db.session.commit()


def time_requests(client, urls, count, before=None, warm=True):
    """Request the URLs round-robin; return the times in milliseconds."""
    if warm:
        for url in urls[:5]:
            client.get(url)
    times = []
    for index in range(count):
        url = urls[index % len(urls)]
        if before:
            before()
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def time_interleaved(client, routes, count, once=()):
    """Request every route in turn, count rounds: each round takes the next URL of each route; the
    routes named in once ask each of their URLs once, then drop out (no answer from a cache).

    Interleaving puts every route under the same machine conditions, so the ratios between routes
    (search to listing, page to trivial route) do not move with what else the machine does meanwhile.
    """
    times = {name: [] for name in routes}
    for index in range(count):
        for name, urls in routes.items():
            if index >= len(urls) and name in once:
                continue
            url = urls[index % len(urls)]
            started = time.perf_counter()
            response = client.get(url)
            times[name].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    return times


def p95(values):
    return statistics.quantiles(values, n=20)[-1]


def bench_size(size, count):
    with tempfile.TemporaryDirectory(prefix=f"pioneer-bench-{size}-") as folder:
        os.environ["PIONEER_INSTANCE_PATH"] = folder
        app = create_app({"SECRET_KEY": "bench-secret-key-0123456789abcdef"})
        app.add_url_rule("/bench/trivial", "bench_trivial", lambda: "ok")
        with app.app_context():
            db.create_all()
            started = time.perf_counter()
            build_catalogue(size)
            built = time.perf_counter() - started
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        client = app.test_client()
        rng = random.Random(size)
        with app.app_context():
            from pioneer.search.indexing import rebuild

            started = time.perf_counter()
            indexed = rebuild(search.backend(), db.engine)
            index_rate = indexed / (time.perf_counter() - started)
            fts = build_fts5(folder)
        routes = {
            "trivial": ["/bench/trivial"],
            "home /": ["/"],
            "listing /projects?stars=1&time=1": ["/projects?stars=1&time=1"],
            "listing /projects": ["/projects"],
            "listing, page 3 by stars": ["/projects?sort=stars&page=3"],
            "project page": [f"/projects/project-{rng.randrange(size)}" for _ in range(50)],
            "mentors /mentors": ["/mentors", "/mentors?page=2"],
            "mentor page": [f"/mentors/mentor-{rng.randrange(max(60, size // 20))}" for _ in range(20)],
        }
        distinct = distinct_searches(2 * count + 40)
        # Warm the code paths (not the cache) with queries that are not timed.
        for q in distinct[-20:]:
            client.get(f"/projects?q={q.replace(' ', '+')}")
        search_urls = [f"/projects?q={q.replace(' ', '+')}" for q in distinct[:count]]
        two_word_urls = [u for u in (f"/projects?q={q.replace(' ', '+')}" for q in distinct[count:2 * count])
                         if "+" in u]
        # Proposed projects answer 404; keep only public ones for the project-page route.
        routes["project page"] = [u for u in routes["project page"] if client.get(u).status_code == 200][:20]
        for urls in routes.values():
            for url in urls[:5]:
                client.get(url)
        # Every search URL is asked once: no answer comes from the result cache (the rate is measured below).
        routes["search page, distinct queries"] = search_urls
        routes["search page, distinct two-word queries"] = two_word_urls
        results = time_interleaved(client, routes, count, once=("search page, distinct queries",
                                                                "search page, distinct two-word queries"))
        hits_before = dict(cache.STATS)
        for url in [f"/projects?q={q.replace(' ', '+')}" for q in distinct[2 * count:2 * count + 20]]:
            client.get(url)
        hits, misses = (cache.STATS[k] - hits_before[k] for k in ("hits", "misses"))
        results["search page, one query repeated (result cache)"] = time_requests(
            client, search_urls[:1], count)

        def change_catalogue():
            with app.app_context():
                cache.bump_version(db.session.connection())
                db.session.commit()

        # The first request after any change recomputes the counts: time that too.
        for name in ("home /", "listing /projects?stars=1&time=1", "listing /projects"):
            results[f"{name} (after a change)"] = time_requests(
                client, routes[name], max(10, count // 10), before=change_catalogue)
        with app.app_context():
            results["whoosh query (top 20 + total)"] = time_calls(lambda q: whoosh_query(q), SEARCHES, count)
            results["fts5 query (top 20 + total)"] = time_calls(lambda q: fts5_query(fts, q), SEARCHES, count)
            search.backend().close()
            db.engine.dispose()
        fts.close()
    results["cache hit rate during distinct searches"] = [100.0 * hits / max(1, hits + misses)]
    return built, results, index_rate


def build_fts5(folder):
    """The same corpus in an SQLite FTS5 table: a reference point for the benchmark only."""
    import sqlite3

    fts = sqlite3.connect(os.path.join(folder, "fts5.sqlite3"))
    fts.execute("CREATE VIRTUAL TABLE fts USING fts5(title, summary, description, outcomes, tokenize='porter')")
    rows = db.session.execute(db.text("SELECT id, title, summary, description, outcomes FROM projects "
                                      "WHERE status IN ('available', 'in_progress', 'done')"))
    fts.executemany("INSERT INTO fts(rowid, title, summary, description, outcomes) VALUES (?, ?, ?, ?, ?)", rows)
    fts.commit()
    return fts


def fts5_query(fts, q):
    match = " OR ".join(q.split())
    top = fts.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 5.0, 2.5, 1.0, 1.2) LIMIT 20",
                      (match,)).fetchall()
    total = fts.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
    return top, total


def whoosh_query(q):
    from pioneer.search.query import text_query

    results = search.backend().searcher().search(text_query(q), limit=20)
    return [hit["id"] for hit in results], len(results)


def time_calls(function, arguments, count):
    for argument in arguments:
        function(argument)
    times = []
    for index in range(count):
        started = time.perf_counter()
        function(arguments[index % len(arguments)])
        times.append((time.perf_counter() - started) * 1000)
    return times


def run_one(size, count):
    """Measure one size in a fresh process, so sizes do not share memory, caches or garbage."""
    output = subprocess.run(
        [sys.executable, __file__, "--one", str(size), "--requests", str(count)],
        check=True, capture_output=True, text=True,
    ).stdout
    data = json.loads(output.splitlines()[-1])
    return data["built"], data["results"], data["rss_mb"], data["index_rate"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per route and size")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        built, results, index_rate = bench_size(args.one, args.requests)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"built": built, "results": results, "rss_mb": rss_mb, "index_rate": index_rate}))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    medians = {}
    print(f"{'projects':>9}  {'route':<50} {'median ms':>9} {'p95 ms':>8} {'median ×trivial':>15} {'p95 ×trivial':>12}")
    for size in sizes:
        print(f"{size:>9}  building and measuring…", file=sys.stderr, flush=True)
        built, results, rss_mb, index_rate = run_one(size, args.requests)
        trivial = statistics.median(results["trivial"])
        hit_rate = results.pop("cache hit rate during distinct searches")[0]
        for name, times in results.items():
            median = statistics.median(times)
            medians[(size, name)] = median
            print(f"{size:>9}  {name:<50} {median:>9.2f} {p95(times):>8.2f} {median / trivial:>15.1f} "
                  f"{p95(times) / trivial:>12.1f}")
        print(f"{size:>9}  built in {built:.1f} s ({size / built:,.0f} projects/s); "
              f"search index rebuilt at {index_rate:,.0f} projects/s; max RSS {rss_mb:.0f} MB")
        whoosh = statistics.median(results["whoosh query (top 20 + total)"])
        fts5 = statistics.median(results["fts5 query (top 20 + total)"])
        print(f"{size:>9}  search: Whoosh median {whoosh:.2f} ms = {whoosh / fts5:.1f}× "
              f"the FTS5 reference ({fts5:.2f} ms)")
        listing = results["listing /projects?stars=1&time=1"]
        for name in ("search page, distinct queries", "search page, distinct two-word queries"):
            print(f"{size:>9}  {name}: median {statistics.median(results[name]) / statistics.median(listing):.1f}×, "
                  f"p95 {p95(results[name]) / p95(listing):.1f}× the filtered listing's")
        print(f"{size:>9}  cache hits during the distinct searches: {hit_rate:.1f} % of lookups "
              "(counts and totals are cached per catalogue version, results per index generation)")
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        print()
        print(f"Growth of the median from {small:,} to {large:,} projects: raw, and as ratios to the trivial route")
        for name in [n for n in results if n != "trivial"]:
            raw = medians[(large, name)] / medians[(small, name)]
            normalised = raw / (medians[(large, "trivial")] / medians[(small, "trivial")])
            print(f"  {name:<50} {raw:5.2f}×   {normalised:5.2f}×")


if __name__ == "__main__":
    main()
