"""Mutation testing: change the domain code on purpose, and count the changes the tests catch.

`make mutation` runs this. For each module of MODULES, mutmut 3 makes small changes ("mutants":
`<` for `<=`, `and` for `or`, a string emptied, a call's argument dropped) one at a time, and runs
the tests that reach the changed function; a mutant the tests catch is "killed", one they miss has
"survived". mutmut mutates code inside functions only, so the tables and headers that are module
constants (the transition table, the role table, the Content-Security-Policy) get hand-written
mutants (HAND_MUTANTS), each run against its tests the same way.

Each module runs in its own copy of the project under `.mutation/<name>/`, so runs never touch the
working tree; a run starts afresh whenever code, templates or tests changed. Usage:

    python mutation/run.py                 # every module, then the hand-written mutants
    python mutation/run.py workflow claims # some modules (names as in MODULES)
    python mutation/run.py --hand          # only the hand-written mutants

It prints the score per module and every surviving mutant; `cd .mutation/<name> && mutmut show
MUTANT` shows one. docs/testing.md lists the survivors left, with why each changes nothing a user
could notice. Exit status 1 when a module scores under 90 % or a hand-written mutant survives.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from hand_mutants import HAND_MUTANTS  # beside this file, which Python puts first on sys.path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / ".mutation"
TARGET = 90.0
COPY = ["pioneer", "templates", "static", "tests", "setup.cfg", "pyproject.toml"]
PYTEST_ARGS = ["-p", "no:xdist", "-p", "no:cacheprovider", "-m", "not browser and not postgres", "-x", "-q"]

# name: (the module mutated, the tests that state its behaviour)
MODULES = {
    "workflow": ("pioneer/domain/workflow.py", ["tests/domain/test_workflow.py", "tests/test_review.py"]),
    "claims": ("pioneer/domain/claims.py", ["tests/domain/test_claims.py", "tests/test_claims.py"]),
    "projects": ("pioneer/domain/projects.py", ["tests/domain/test_projects.py", "tests/domain/test_interns.py"]),
    "interns": ("pioneer/domain/interns.py", ["tests/domain/test_interns.py", "tests/test_rounds.py"]),
    "permissions": ("pioneer/domain/permissions.py", ["tests/test_permissions.py", "tests/test_programmes_privacy.py"]),
    "throttle": ("pioneer/accounts/throttle.py", ["tests/test_throttle.py", "tests/test_accounts.py"]),
    "importer": ("pioneer/importer/wiki.py", ["tests/test_importer.py", "tests/test_importer_parse.py"]),
    "query": ("pioneer/search/query.py", ["tests/search/test_query.py", "tests/search/test_relevance.py"]),
    "filters": ("pioneer/catalogue/filters.py", ["tests/test_filters.py", "tests/test_catalogue.py"]),
    "markdown": ("pioneer/markdown.py", ["tests/test_markdown.py"]),
    "security": ("pioneer/security.py", ["tests/test_security_headers.py"]),
}

STATUS = {1: "killed", 0: "survived", 33: "no tests", 34: "skipped", 36: "timeout", 37: "type check",
          -24: "timeout", 152: "timeout", -11: "segfault", None: "not checked"}
CAUGHT = {"killed", "timeout", "segfault"}


def copy_project(folder):
    """Copy what the tests need into folder (code, templates, tests), leaving mutmut's cache there."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    for name in COPY:
        source, target = ROOT / name, folder / name
        if source.is_dir():
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(source, target, ignore=ignore)
        else:
            shutil.copy2(source, target)


def configure(folder, module, tests):
    """Point mutmut at one module and its tests, in the copy's pyproject.toml."""
    with open(folder / "pyproject.toml", "a", encoding="utf-8") as config:
        config.write(
            "\n[tool.mutmut]\n"
            'source_paths = ["pioneer"]\n'
            f"only_mutate = {json.dumps([module])}\n"
            'also_copy = ["templates", "static"]\n'
            f"pytest_add_cli_args = {json.dumps(PYTEST_ARGS)}\n"
            f"pytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
        )


def fingerprint():
    """A digest of everything copied: code, templates and tests."""
    digest = hashlib.sha256()
    for name in COPY:
        source = ROOT / name
        files = sorted(source.rglob("*")) if source.is_dir() else [source]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts and ".hypothesis" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_module(name, jobs):
    module, tests = MODULES[name]
    folder = WORK / name
    # mutmut keeps a verdict until the mutated function changes, even when the tests did: start
    # afresh unless nothing at all changed since the last run.
    stamp, current = folder / "inputs.sha256", fingerprint()
    if not stamp.exists() or stamp.read_text() != current:
        shutil.rmtree(folder, ignore_errors=True)
    copy_project(folder)
    configure(folder, module, tests)
    started = time.monotonic()
    log = folder / "mutmut.log"
    with open(log, "w", encoding="utf-8") as out:
        subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs)], cwd=folder,
                       stdout=out, stderr=subprocess.STDOUT, check=False)
    meta = folder / "mutants" / (module + ".meta")
    if not meta.exists():
        print(f"{name}: mutmut did not finish; see {log}", file=sys.stderr)
        return None
    stamp.write_text(current)
    results = json.loads(meta.read_text())["exit_code_by_key"]
    statuses = {key: STATUS.get(code, f"exit {code}") for key, code in results.items()}
    return statuses, time.monotonic() - started


def run_hand_mutant(mutant):
    """Apply one hand-written mutant to a fresh copy; killed when its tests fail."""
    name, path, text, replacement, tests = mutant
    with tempfile.TemporaryDirectory(prefix="pioneer-hand-mutant-") as folder:
        folder = Path(folder)
        copy_project(folder)
        target = folder / path
        code = target.read_text(encoding="utf-8")
        if code.count(text) != 1:
            return name, f"not applied: the text is found {code.count(text)} times"
        target.write_text(code.replace(text, replacement), encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "pytest", *PYTEST_ARGS, *tests], cwd=folder,
                                capture_output=True, text=True, check=False)
        if result.returncode == 1:
            return name, "killed"
        if result.returncode == 0:
            return name, "survived"
        return name, f"error (pytest exit {result.returncode}): {result.stdout[-300:]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help=f"some of: {', '.join(MODULES)}")
    parser.add_argument("--hand", action="store_true", help="only the hand-written mutants")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="mutants tested at once")
    options = parser.parse_args()
    unknown = [name for name in options.modules if name not in MODULES]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; choose from {', '.join(MODULES)}")
    failed = False
    if not options.hand:
        rows = []
        for name in options.modules or MODULES:
            print(f"mutating {MODULES[name][0]} ...", flush=True)
            outcome = run_module(name, options.jobs)
            if outcome is None:
                failed = True
                continue
            statuses, seconds = outcome
            counts = Counter(statuses.values())
            caught = sum(counts[status] for status in CAUGHT)
            score = 100.0 * caught / len(statuses) if statuses else 100.0
            failed |= score < TARGET
            rows.append((name, len(statuses), caught, len(statuses) - caught, score, seconds))
            for key, status in sorted(statuses.items()):
                if status not in CAUGHT:
                    print(f"  {status}: {key}")
        print(f"\n{'module':<12} {'mutants':>8} {'killed':>7} {'survived':>9} {'score':>7} {'time':>7}")
        for name, total, caught, survived, score, seconds in rows:
            print(f"{name:<12} {total:>8} {caught:>7} {survived:>9} {score:>6.1f}% {seconds:>6.0f}s")
    if options.hand or not options.modules:
        print(f"\nhand-written mutants ({len(HAND_MUTANTS)}):")
        for mutant in HAND_MUTANTS:
            name, outcome = run_hand_mutant(mutant)
            failed |= outcome != "killed"
            print(f"  {outcome:<8} {name}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
