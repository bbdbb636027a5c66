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
from datetime import datetime, timedelta, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pioneer import create_app  # noqa: E402
from pioneer.catalogue import cache  # noqa: E402
from pioneer.database import db  # noqa: E402
from pioneer.models import (  # noqa: E402
    Area, Project, ProjectSkill, ProjectStatus, Skill, SkillLevel, User, project_mentors,
)

AREAS = ["Networking", "Security", "Storage", "Platforms", "Tooling", "Testing", "Documentation", "Outreach"]
SKILLS = ["ocaml", "tcp/ip", "udp", "dns", "tls", "xen", "kvm", "solo5", "c", "git", "dune", "opam", "testing",
          "fuzzing", "markdown", "video", "javascript", "http", "ntp", "dhcp", "irmin", "lwt", "shell", "ci"]
WORDS = ("unikernel network stack packet parser driver protocol client server cache test suite fuzzing "
         "documentation screencast tooling storage block device firewall resolver certificate").split()
STATUS_MIX = [ProjectStatus.AVAILABLE] * 7 + [ProjectStatus.IN_PROGRESS, ProjectStatus.DONE, ProjectStatus.PROPOSED]
BATCH = 5000


def build_catalogue(size, seed=7):
    """Insert size synthetic projects with skills and mentors, in bulk."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    db.session.execute(db.insert(Area), [{"name": n, "slug": n.lower(), "description": ""} for n in AREAS])
    db.session.execute(db.insert(Skill), [{"name": n} for n in SKILLS])
    mentor_count = max(10, size // 20)
    db.session.execute(db.insert(User), [
        {"username": f"mentor-{i}", "name": f"Mentor {i}", "email": f"m{i}@example.org", "capacity": rng.randint(0, 4),
         "bio": "", "links": [], "availability": "", "is_active": True, "created_at": now}
        for i in range(mentor_count)
    ])
    for start in range(0, size, BATCH):
        rows, skills, mentors = [], [], []
        for i in range(start, min(size, start + BATCH)):
            title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {rng.choice(WORDS)} {i}"
            when = now - timedelta(minutes=size - i)
            status = rng.choice(STATUS_MIX)
            rows.append({
                "id": i + 1, "slug": f"project-{i}", "title": title, "summary": " ".join(rng.choices(WORDS, k=12)),
                "description": " ".join(rng.choices(WORDS, k=120)), "outcomes": " ".join(rng.choices(WORDS, k=20)),
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


def time_requests(client, urls, count, before=None):
    """Request the URLs round-robin; return the times in milliseconds."""
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
        routes = {
            "trivial": ["/bench/trivial"],
            "home /": ["/"],
            "listing /projects?stars=1&time=1": ["/projects?stars=1&time=1"],
            "listing /projects": ["/projects"],
            "listing, page 3 by stars": ["/projects?sort=stars&page=3"],
            "project page": [f"/projects/project-{rng.randrange(size)}" for _ in range(50)],
        }
        # Proposed projects answer 404; keep only public ones for the project-page route.
        routes["project page"] = [u for u in routes["project page"] if client.get(u).status_code == 200][:20]
        results = {name: time_requests(client, urls, count) for name, urls in routes.items()}

        def change_catalogue():
            with app.app_context():
                cache.bump_version(db.session.connection())
                db.session.commit()

        # The first request after any change recomputes the counts: time that too.
        for name in ("home /", "listing /projects?stars=1&time=1", "listing /projects"):
            results[f"{name} (after a change)"] = time_requests(
                client, routes[name], max(10, count // 10), before=change_catalogue)
        with app.app_context():
            db.engine.dispose()
    return built, results


def run_one(size, count):
    """Measure one size in a fresh process, so sizes do not share memory, caches or garbage."""
    output = subprocess.run(
        [sys.executable, __file__, "--one", str(size), "--requests", str(count)],
        check=True, capture_output=True, text=True,
    ).stdout
    data = json.loads(output.splitlines()[-1])
    return data["built"], data["results"], data["rss_mb"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per route and size")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        built, results = bench_size(args.one, args.requests)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"built": built, "results": results, "rss_mb": rss_mb}))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    medians = {}
    print(f"{'projects':>9}  {'route':<50} {'median ms':>9} {'p95 ms':>8} {'median ×trivial':>15} {'p95 ×trivial':>12}")
    for size in sizes:
        print(f"{size:>9}  building and measuring…", file=sys.stderr, flush=True)
        built, results, rss_mb = run_one(size, args.requests)
        trivial = statistics.median(results["trivial"])
        for name, times in results.items():
            median = statistics.median(times)
            medians[(size, name)] = median
            print(f"{size:>9}  {name:<50} {median:>9.2f} {p95(times):>8.2f} {median / trivial:>15.1f} "
                  f"{p95(times) / trivial:>12.1f}")
        print(f"{size:>9}  built in {built:.1f} s ({size / built:,.0f} projects/s); "
              f"max RSS {rss_mb:.0f} MB")
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
