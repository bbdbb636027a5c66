"""Exporting the catalogue as JSON and as wiki Markdown, and importing each back: the same catalogue."""

import json
from datetime import timedelta

import pytest

from pioneer.database import db
from pioneer.demo import load_demo
from pioneer.importer import parse_wiki
from pioneer.models import LinkKind, Project, ProjectLink, ProjectStatus, ReviewEvent, TimeRating, User, utcnow

from .conftest import fresh_app
from .factories import make_project, make_user


def catalogue(with_identity=False):
    """Every project as plain values, by slug; with usernames and dates when asked (JSON keeps them)."""
    projects = {}
    for project in db.session.execute(db.select(Project)).scalars():
        fields = {
            "title": project.title,
            "summary": project.summary,
            "description": project.description,
            "outcomes": project.outcomes,
            "stars": project.stars and int(project.stars),
            "time": project.time_rating and int(project.time_rating),
            "hours": project.actual_hours,
            "area": project.area and project.area.name,
            "status": project.status,
            "mentors": sorted(user.name for user in project.mentors),
            "skills": [(row.skill.name, row.level, row.required) for row in project.skills],
            "links": [(link.kind, link.url, link.title) for link in project.links],
        }
        if with_identity:
            fields["usernames"] = sorted(user.username for user in project.mentors)
            fields["created_at"] = project.created_at.replace(microsecond=0)
            fields["approved_at"] = project.approved_at and project.approved_at.replace(microsecond=0)
        projects[project.slug] = fields
    return projects


@pytest.fixture
def other_app(tmp_path, monkeypatch):
    """A second app with its own empty database, to import an export into."""
    yield from fresh_app(tmp_path / "other", monkeypatch)


def load_catalogue(app):
    """The demo catalogue, plus projects in the statuses and shapes the demo lacks."""
    with app.app_context():
        load_demo()
        author = make_user("Dana Author", username="dana")
        make_project("A draft without an area", stars=None, time_rating=None, status=ProjectStatus.DRAFT,
                     area=None, mentors=[author], summary="Still being written.",
                     description="First paragraph.\n\n- a list item\n- another one\n\nLast paragraph.",
                     outcomes="One outcome.\nAnother outcome on its own line.")
        make_project("A proposal waiting for review", stars=2, time_rating=3, status=ProjectStatus.PROPOSED,
                     area="Tooling", mentors=[author], description="Some text.")
        rejected = make_project("A rejected idea", stars=1, time_rating=1, status=ProjectStatus.REJECTED,
                                area="Tooling", mentors=[author], description="Why not.")
        rejected.links = [ProjectLink(kind=LinkKind.OTHER, url="https://example.org/a.", title="", position=0),
                          ProjectLink(kind=LinkKind.ISSUE, url="https://example.org/i/1", title="The issue",
                                      position=1)]
        archived = make_project("An archived project", stars=3, time_rating=4, status=ProjectStatus.ARCHIVED,
                                area="Tooling", mentors=[author])
        archived.approved_at = utcnow() - timedelta(days=30)
        db.session.commit()
        return catalogue(), catalogue(with_identity=True)


def export(app, *options):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["export", *options])
    assert result.exit_code == 0, result.output
    return result


def import_file(app, path, *options):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["import", str(path), *options])
        assert result.exit_code == 0, result.output
        return result, catalogue(with_identity=True), db.session.execute(
            db.select(db.func.count(ReviewEvent.id))).scalar_one()


def test_json_round_trip_gives_the_same_catalogue(app, other_app, tmp_path):
    plain, full = load_catalogue(app)
    path = tmp_path / "catalogue.json"
    export(app, "--format", "json", "--output", str(path))
    first, imported, events = import_file(other_app, path)
    assert len(imported) == len(full) >= 56
    for slug, fields in full.items():
        assert imported[slug] == fields, slug
    # Importing it again changes nothing.
    second, again, events_again = import_file(other_app, path)
    assert "0 new, 0 updated, 56 unchanged; 0 flagged for review; 0 new mentor profiles; 0 problems" in second.output
    assert (again, events_again) == (imported, events)


def test_markdown_round_trip_gives_the_same_catalogue(app, other_app, tmp_path):
    plain, _ = load_catalogue(app)
    path = tmp_path / "catalogue.md"
    result = export(app, "--format", "markdown", "--output", str(path))
    assert "markdown:" not in result.output  # Nothing of this catalogue is lost in the wiki shape.
    assert parse_wiki(path.read_text()).problems == []
    first, _, events = import_file(other_app, path)
    with other_app.app_context():
        imported = catalogue()
    assert set(imported) == set(plain)
    for slug, fields in plain.items():
        assert imported[slug] == fields, slug
    second, _, events_again = import_file(other_app, path)
    assert "0 new, 0 updated, 56 unchanged; 0 flagged for review; 0 new mentor profiles" in second.output
    assert events_again == events


def test_json_export_holds_every_field(runner, ctx):
    ada = make_user("Ada Lovelace", username="ada")
    project = make_project("Engine notes", stars=3, time_rating=2, mentors=[ada], actual_hours=12,
                           skills=("ocaml",))
    project.links = [ProjectLink(kind=LinkKind.REPOSITORY, url="https://example.org/r", title="Code", position=0)]
    db.session.commit()
    result = runner.invoke(args=["export", "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)["projects"][0]
    assert record == {
        "slug": "engine-notes", "title": "Engine notes", "summary": "A summary of Engine notes.",
        "description": "", "outcomes": "", "stars": 3, "time": 2, "hours": 12, "area": "Networking",
        "status": "available", "mentors": [{"name": "Ada Lovelace", "username": "ada"}],
        "skills": [{"name": "ocaml", "level": "concepts", "required": True}],
        "links": [{"title": "Code", "url": "https://example.org/r", "kind": "repository"}],
        "created_at": record["created_at"], "approved_at": record["approved_at"],
    }
    assert record["created_at"].endswith("Z") and record["approved_at"].endswith("Z")


@pytest.mark.parametrize("file_format", ["json", "markdown"])
def test_public_leaves_projects_that_are_not_public_out(runner, ctx, file_format):
    for status in ProjectStatus:
        make_project(f"Project {status.value}", status=status)
    db.session.commit()
    everything = runner.invoke(args=["export", "--format", file_format]).stdout
    public = runner.invoke(args=["export", "--format", file_format, "--public"]).stdout
    for status in ProjectStatus:
        assert f"Project {status.value}" in everything
        assert (f"Project {status.value}" in public) == status.is_public


def test_markdown_keeps_prose_that_looks_like_a_field_or_heading_as_prose(runner, ctx):
    make_project("Tricky text", description="Intro.\nTime: not a field\n## not a heading", outcomes="Done.")
    db.session.commit()
    text = runner.invoke(args=["export", "--format", "markdown"]).stdout
    draft = parse_wiki(text).projects[0]
    assert draft.time_rating == TimeRating.DAY  # the project's own Time line, not the prose
    assert draft.description == "Intro.\nTime\\: not a field\n\\## not a heading"


def test_markdown_export_warns_about_what_it_cannot_keep(runner, ctx):
    make_project("Odd one", slug="odd-one-2", outcomes="One.\n\nTwo paragraphs.")
    db.session.commit()
    result = runner.invoke(args=["export", "--format", "markdown"])
    assert "odd-one-2: its address 'odd-one-2' is not made from its title" in result.output
    assert "several paragraphs" in result.output


def test_json_import_reports_bad_values_and_keeps_the_rest(runner, ctx, tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps({"projects": [
        {"title": "Good", "stars": 9, "time": 2, "status": "nonsense", "mentors": ["Ann"],
         "links": [{"url": "javascript:alert(1)"}, {"url": "https://example.org", "kind": "repository"}]},
        {"title": ""},
    ]}))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert "project 1 (good): stars 9 is not a number from 1 to 5" in result.output
    assert "project 1 (good): unknown status 'nonsense'" in result.output
    assert "project 1 (good): the link 'javascript:alert(1)' is not an http" in result.output
    assert "project 2: no title; skipped" in result.output
    project = db.session.execute(db.select(Project)).scalar_one()
    assert (project.stars, int(project.time_rating), project.status) == (None, 2, ProjectStatus.AVAILABLE)
    assert [(link.kind, link.url) for link in project.links] == [(LinkKind.REPOSITORY, "https://example.org")]


def test_json_by_option_and_not_json_is_refused(runner, ctx, tmp_path):
    path = tmp_path / "list.txt"
    path.write_text('{"projects": [{"title": "From text", "mentors": [{"name": "Bo"}]}]}')
    assert runner.invoke(args=["import", str(path), "--format", "json"]).exit_code == 0
    assert db.session.execute(db.select(Project.slug)).scalar_one() == "from-text"
    assert db.session.execute(db.select(User.name)).scalar_one() == "Bo"
    bad = tmp_path / "bad.json"
    bad.write_text("## Not JSON\n")
    result = runner.invoke(args=["import", str(bad)])
    assert result.exit_code == 1 and "is not JSON" in result.output


@pytest.mark.parametrize("file_format", ["json", "markdown"])
def test_importing_an_export_into_its_own_catalogue_changes_nothing(runner, ctx, tmp_path, file_format):
    load_demo()
    db.session.commit()
    path = tmp_path / f"catalogue.{'json' if file_format == 'json' else 'md'}"
    assert runner.invoke(args=["export", "--format", file_format, "--output", str(path)]).exit_code == 0
    before = catalogue(with_identity=True)
    result = runner.invoke(args=["import", str(path)])
    assert "0 new, 0 updated, 52 unchanged; 0 flagged for review; 0 new mentor profiles" in result.output
    db.session.expire_all()
    assert catalogue(with_identity=True) == before


def test_the_csv_export_has_one_row_per_project_with_skills_and_mentors_joined(app, runner, tmp_path):
    import csv

    load_catalogue(app)
    target = tmp_path / "catalogue.csv"
    result = runner.invoke(args=["export", "--format", "csv", "--output", str(target), "--public"])
    assert result.exit_code == 0, result.output
    with open(target, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with app.app_context():
        public = {slug: fields for slug, fields in catalogue(with_identity=True).items()
                  if fields["status"].is_public}
        assert [row["slug"] for row in rows] == sorted(public, key=lambda slug: _project_id(slug))
        for row in rows:
            fields = public[row["slug"]]
            assert row["title"] == fields["title"]
            assert row["stars"] == ("" if fields["stars"] is None else str(fields["stars"]))
            mentors = sorted(part.rsplit(" (@", 1)[0] for part in row["mentors"].split("; ")) if row["mentors"] else []
            assert mentors == fields["mentors"]
            assert row["skills"].count("(") == len(fields["skills"])
    assert "Exported" in result.output


def _project_id(slug):
    return db.session.execute(db.select(Project.id).where(Project.slug == slug)).scalar_one()
