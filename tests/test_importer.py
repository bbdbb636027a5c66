"""Importing a wiki page: what it reads, what it reports, and that a second run changes nothing."""

import tomllib
from pathlib import Path

import pytest

from pioneer.database import db
from pioneer.models import Project, ProjectStatus, ReviewEvent, User

DATA = Path(__file__).parent / "data"
EXPECTED = tomllib.loads((DATA / "wiki_page_expected.toml").read_text())


def import_page(runner, *extra, path=DATA / "wiki_page.md"):
    return runner.invoke(args=["import", str(path), *extra])


def all_projects():
    return {p.slug: p for p in db.session.execute(db.select(Project)).scalars()}


def test_import_reads_every_project_of_a_messy_wiki_page(runner, ctx):
    result = import_page(runner)
    assert result.exit_code == 0, result.output
    projects = all_projects()
    assert len(projects) == EXPECTED["project_count"] == 16
    for expected in EXPECTED["project"]:
        project = projects[expected["slug"]]
        assert project.title == expected["title"]
        assert project.area.name == expected["area"]
        assert (project.stars and int(project.stars)) == expected.get("stars")
        assert (project.time_rating and int(project.time_rating)) == expected.get("time")
        assert sorted(m.name for m in project.mentors) == sorted(expected["mentors"])
        assert [row.skill.name for row in project.skills] == expected["skills"]
        assert project.status == ProjectStatus(expected["status"])
        # Projects without stars or mentors are published and flagged for review.
        assert project.needs_review == ("stars" not in expected or not expected["mentors"])


def test_import_reports_unreadable_lines_with_their_numbers(runner, ctx):
    result = import_page(runner)
    for problem in EXPECTED["problem"]:
        lines = [line for line in result.output.splitlines() if f"line {problem['line']}:" in line]
        assert lines and problem["contains"] in lines[0], result.output
    assert result.output.strip().splitlines()[-1].startswith(
        "Imported 16 projects: 16 new, 0 updated, 0 unchanged; 5 flagged for review; "
        "4 new mentor profiles; 2 problems, in "
    )


def test_unknown_mentors_become_profiles_without_a_login(runner, ctx):
    import_page(runner)
    mentors = db.session.execute(db.select(User)).scalars().all()
    assert len(mentors) == 4
    assert all(user.password_hash is None and user.email is None and not user.can_sign_in for user in mentors)


def test_importing_twice_changes_nothing(runner, ctx):
    import_page(runner)
    before = db.session.execute(db.select(db.func.count(ReviewEvent.id))).scalar_one()
    second = import_page(runner)
    assert second.exit_code == 0
    assert "0 new, 0 updated, 16 unchanged; 0 flagged for review; 0 new mentor profiles" in second.output
    assert db.session.execute(db.select(db.func.count(ReviewEvent.id))).scalar_one() == before
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 4


def test_dry_run_shows_what_would_change_and_changes_nothing(runner, ctx):
    result = import_page(runner, "--dry-run")
    assert result.exit_code == 0
    assert result.output.strip().endswith("2 problems.")
    # A table: one row per project, with what would happen and what was read.
    row = next(line for line in result.output.splitlines() if line.startswith("ICMP echo rate limiter"))
    assert row.split()[4:9] == ["new", "2-star", "a", "week", "Olga"]
    assert "Would import 16 projects" in result.output
    db.session.expire_all()
    assert all_projects() == {}


def test_changed_lines_update_the_matching_project(runner, ctx, tmp_path):
    page = tmp_path / "page.md"
    page.write_text("## Storage\n### Disk tool (2-star)\nFirst text.\n\nMentors: Ann\nTime: a week\n")
    import_page(runner, path=page)
    page.write_text("## Storage\n### Disk tool (3-star)\nBetter text.\n\nMentors: Ann, Bo\nTime: a few weeks\n")
    result = import_page(runner, path=page)
    assert "0 new, 1 updated" in result.output
    project = all_projects()["disk-tool"]
    assert (int(project.stars), int(project.time_rating), project.description) == (3, 3, "Better text.")
    assert [m.name for m in project.mentors] == ["Ann", "Bo"]
    assert [(e.from_stars, e.to_stars) for e in project.review_events][-1] == (2, 3)


def test_mentor_names_match_existing_accounts(runner, ctx, tmp_path):
    from .factories import make_user

    existing = make_user("Grace Hopper", username="grace")
    db.session.commit()
    page = tmp_path / "page.md"
    page.write_text("## Tooling\n### Compiler pass ★★\nText.\n\nMentors: grace hopper, @grace\n")
    import_page(runner, path=page)
    assert [m.id for m in all_projects()["compiler-pass"].mentors] == [existing.id]


def test_star_forms_time_hours_and_skill_levels(runner, ctx, tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "## A\n### One (1-star)\nx\n### Two (★★)\nx\n### Three ★★★\nx\nTime: 60 hours\n"
        "Skills: ocaml (a challenge, nice to have), `xen` (none needed)\n### Four\nx\nStars: 4\nTime: 5\n"
    )
    import_page(runner, path=page)
    projects = all_projects()
    assert [int(projects[s].stars) for s in ("one", "two", "three", "four")] == [1, 2, 3, 4]
    assert int(projects["three"].time_rating) == 3 and int(projects["four"].time_rating) == 5
    assert [(r.skill.name, r.level.value, r.required) for r in projects["three"].skills] == [
        ("ocaml", "challenge", False), ("xen", "none", True)]


def test_unsafe_links_are_left_out_and_reported(runner, ctx, tmp_path):
    page = tmp_path / "page.md"
    page.write_text("## A\n### Linked\nx\n\nLinks: javascript:alert(1), https://example.org/ok\n")
    result = import_page(runner, path=page)
    assert "line 5: the link 'javascript:alert' is not http, https or mailto" in result.output
    assert [link.url for link in all_projects()["linked"].links] == ["https://example.org/ok"]


def test_missing_file_fails(runner, ctx, tmp_path):
    result = runner.invoke(args=["import", str(tmp_path / "nope.md")])
    assert result.exit_code != 0 and "does not exist" in result.output


@pytest.mark.parametrize("text", ["", "Just a paragraph.\n\n## An area with nothing\n", "###\n###  \n"])
def test_a_file_with_nothing_readable_fails(runner, ctx, tmp_path, text):
    page = tmp_path / "page.md"
    page.write_text(text)
    result = import_page(runner, path=page)
    assert result.exit_code == 1 and "no project could be read" in result.output


def test_a_binary_file_gets_a_clear_message(runner, ctx, tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"\xff\xfe\x00garbage\x80")
    result = import_page(runner, path=page)
    assert result.exit_code == 1 and "is not UTF-8 text" in result.output


def test_a_dry_run_says_which_words_of_the_page_each_rating_came_from(runner, ctx, tmp_path):
    page = tmp_path / "ideas.md"
    page.write_text(
        "# Ideas\n\n## How to apply\n\nWrite to the list.\n\n## Projects\n\n"
        "### Faster startup\n\nCut the boot time in half.\n\n**Difficulty:** medium to hard\n"
        "**Expected size of project:** 175 hours\n**Mentors:** [Ada Brook](https://example.org/ada)\n\n"
        "### Smaller images\n\nStrip what the image does not need.\n\n**Difficulty:** easy\n"
        "**Expected size of project:** 90 hours\n**Mentors:** TBD\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", "--dry-run", str(page)])
    assert result.exit_code == 0, result.output
    rows = {line.split("  ")[0]: line for line in result.output.splitlines()}
    assert "4-star ← medium to hard" in rows["Faster startup"] and "a season ← 175 hours" in rows["Faster startup"]
    assert "Ada Brook" in rows["Faster startup"] and "(https" not in rows["Faster startup"]
    assert "2-star ← easy" in rows["Smaller images"] and "needs a mentor" in rows["Smaller images"]
    assert "skipped: line 3: skipped 'How to apply'" in result.output
    db.session.expire_all()
    assert all_projects() == {}



def test_a_dry_run_of_a_json_export_names_its_mentors(runner, ctx, tmp_path):
    path = tmp_path / "list.json"
    path.write_text('{"projects": [{"title": "Compiler pass", "stars": 2, "time": 2, '
                    '"mentors": [{"name": "Grace Hopper", "username": "grace"}]}]}', encoding="utf-8")
    result = runner.invoke(args=["import", "--dry-run", str(path)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if line.startswith("Compiler pass"))
    assert "new" in row and "2-star" in row and "a week" in row and "Grace Hopper" in row
