"""How fast parse_wiki reads a 10,000-project ideas page, in each of the shapes it reads.

Run with `.venv/bin/python bench/parse_wiki.py [--projects 10000]`. It builds each page in memory and
prints projects per second of parsing (CPU time, so other work on the machine weighs less). The whole
import must do 1,000 projects a second or more, so parsing has to be well above that.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pioneer.importer import parse_wiki  # noqa: E402


def spec_page(count):
    """The wiki shape of the README."""
    lines = ["# Benchmark ideas", ""]
    for i in range(count):
        if i % 100 == 0:
            lines += [f"## Area {i // 100}", ""]
        lines += [
            f"### Project number {i} (3-star)", "", f"Build thing {i} for the stack. It is useful.", "",
            "Summary: A thing worth building.", "Mentors: Ann Lee, Bo Chen", "Time: a season",
            "Skills: ocaml (comfortable), lwt", "Outcomes: Tests pass.", f"Repository: https://x.org/r/{i}", "",
        ]
    return "\n".join(lines)


def bold_page(count):
    """Bold labels, sub-headings, mentor links, prose skills and furniture."""
    lines = ["# Benchmark ideas", "", "## How to apply", "", "Write to us.", "", "## Project ideas", ""]
    for i in range(count):
        lines += [
            f"### {i}. Project number {i}", "", f"Build thing {i} for the stack. It is useful.", "",
            "#### Technical details", "", "Some detail about the internals.", "",
            "**Difficulty:** medium to hard", "**Expected size of project:** 175 hours",
            f"**Mentors:** [Ann {i % 50}](mailto:a{i}@x.org), [@bo{i % 7}](https://github.com/bo{i % 7})",
            "**Skills required:** Python, basic knowledge of Git",
            "**Expected outcomes:** A merged change with tests.", f"**Issue:** https://x.org/issues/{i}", "",
        ]
    return "\n".join(lines)


def table_page(count):
    """One table for the whole list."""
    lines = ["# Benchmark ideas", "", "## Rules", "", "Be kind.", "", "## Ideas", "",
             "| Project | Intensity | Involves | Mentors | Length | Description |", "|---|---|---|---|---|---|"]
    lines += [
        f"| Project number {i} | Medium | Python, C | [Ann {i % 50}](mailto:a{i}@x.org), @bo{i % 7} | 175 hours "
        f"| Build thing {i}. It is useful. |"
        for i in range(count)
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    count = parser.parse_args().projects
    for name, build in (("SPEC §8 wiki shape", spec_page), ("bold labels", bold_page), ("one table", table_page)):
        text = build(count)
        start = time.process_time()
        result = parse_wiki(text)
        elapsed = time.process_time() - start
        if len(result.projects) != count:
            sys.exit(f"{name}: read {len(result.projects)} projects of {count}: {result.problems[:3]}")
        print(f"{name:20} {len(text.splitlines()):>8,} lines  {count:,} projects in {elapsed:5.2f} s "
              f"= {count / elapsed:8,.0f} projects/s")


if __name__ == "__main__":
    main()
