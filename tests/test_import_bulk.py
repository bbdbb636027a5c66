"""Big imports: new projects are written in bulk, the index and the listings' counts still follow them."""

import pytest

from pioneer.database import db
from pioneer.models import Project, ProjectStatus, ReviewAction, ReviewEvent, SearchPending
from pioneer.search.backend import BIG_BATCH

from .conftest import fresh_app
from .factories import make_project
from .test_catalogue import listed_slugs


def big_page(count):
    """An ideas page with count projects, Unicode titles, mentors by link and prose skills."""
    lines = ["# Idées de projets", "", "## Comment postuler", "", "Écrivez-nous.", ""]
    for i in range(count):
        if i % 250 == 0:
            lines += [f"## Domaine {i // 250}", ""]
        lines += [
            f"### Projet numéro {i}: analyseur «{i % 7}» über alles", "", f"Construire l'outil {i}. Il sert.", "",
            "**Difficulty:** medium", "**Expected size of project:** 90 hours",
            f"**Mentors:** [Zoë {i % 40}](mailto:zoe{i % 40}@example.org), "
            f"[@ravi{i % 3}](https://github.com/ravi{i % 3})",
            "**Skills required:** Python, OCaml", "",
        ]
    return "\n".join(lines) + "\n"


@pytest.fixture
def disk_app(tmp_path, monkeypatch):
    """An app whose index is on disk, so a big batch is written by a process per core as in production."""
    yield from fresh_app(tmp_path / "on-disk", monkeypatch, SEARCH_STORAGE="file")


def test_a_big_page_is_imported_whole_and_found_by_search(disk_app, tmp_path):
    count = BIG_BATCH + 300
    page = tmp_path / "idées.md"
    page.write_text(big_page(count), encoding="utf-8")
    result = disk_app.test_cli_runner().invoke(args=["import", str(page)])
    assert result.exit_code == 0, result.output
    assert f"Indexed {count} projects" in result.output
    assert f"Imported {count} projects: {count} new" in result.output.splitlines()[-1]
    assert "projects a second" in result.output.splitlines()[-1]
    assert disk_app.test_cli_runner().invoke(args=["search", "check"]).output.startswith("The index matches")

    client = disk_app.test_client()
    assert listed_slugs(client.get("/projects", query_string={"q": "numéro 2222"}))[0] == (
        "projet-numero-2222-analyseur-3-uber-alles")
    with disk_app.app_context():
        project = db.session.execute(
            db.select(Project).where(Project.slug == "projet-numero-2222-analyseur-3-uber-alles")).scalar_one()
        assert project.title == "Projet numéro 2222: analyseur «3» über alles"
        assert (int(project.stars), int(project.time_rating), project.status) == (3, 3, ProjectStatus.AVAILABLE)
        assert project.area.name == "Domaine 8" and project.approved_at is not None
        assert sorted(m.name for m in project.mentors) == ["Zoë 22", "ravi2"]
        assert [(row.skill.name, row.required) for row in project.skills] == [("python", True), ("ocaml", True)]
        [event] = project.review_events
        assert event.action is ReviewAction.IMPORT and event.to_stars == 3
        assert "Stars read from 'Difficulty: medium'" in event.comment
        assert db.session.execute(db.select(db.func.count(SearchPending.id))).scalar_one() == 0


def test_importing_the_same_big_page_again_rewrites_nothing(disk_app, tmp_path):
    page = tmp_path / "ideas.md"
    page.write_text(big_page(300), encoding="utf-8")
    runner = disk_app.test_cli_runner()
    runner.invoke(args=["import", str(page)])
    with disk_app.app_context():
        events = db.session.execute(db.select(db.func.count(ReviewEvent.id))).scalar_one()
    again = runner.invoke(args=["import", str(page)])
    assert "0 new, 0 updated, 300 unchanged" in again.output
    assert "Indexed" not in again.output  # nothing changed, so no search document is rewritten
    with disk_app.app_context():
        assert db.session.execute(db.select(db.func.count(ReviewEvent.id))).scalar_one() == events


def test_listing_counts_follow_a_bulk_import(client, runner, ctx, tmp_path):
    make_project("Already here")
    db.session.commit()
    assert "1 project" in client.get("/projects").get_data(as_text=True)  # the counts are now cached
    page = tmp_path / "ideas.md"
    page.write_text(big_page(12), encoding="utf-8")
    assert runner.invoke(args=["import", str(page)]).exit_code == 0
    assert "13 projects" in client.get("/projects").get_data(as_text=True)


def test_two_projects_of_one_page_are_never_merged(runner, ctx, tmp_path):
    make_project("Disk tool", status=ProjectStatus.DRAFT)
    db.session.commit()
    page = tmp_path / "ideas.md"
    # The first takes "disk-tool-2" (a draft holds "disk-tool"); the second's own address is that one.
    page.write_text("# Ideas\n\n## Tools\n\n### Disk tool\n\nRead disks.\n\n### Disk tool 2\n\nRead more disks.\n")
    result = runner.invoke(args=["import", str(page)])
    assert result.exit_code == 0, result.output
    titles = dict(db.session.execute(db.select(Project.slug, Project.title)).all())
    assert titles == {"disk-tool": "Disk tool", "disk-tool-2": "Disk tool", "disk-tool-2-2": "Disk tool 2"}
    assert "held by 'Disk tool', imported from the same file" in result.output
