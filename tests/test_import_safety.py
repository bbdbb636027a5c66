"""Imports cannot hand a project to a stranger, and never overwrite a project that is not public."""

import json

import pytest

from pioneer.database import db
from pioneer.domain.permissions import Permission, can, is_mentor_of
from pioneer.importer import Importer, ProjectDraft
from pioneer.models import Project, ProjectStatus, Stars, User
from pioneer.review.queries import section_statement

from .factories import make_project, make_user

PAGE = "## Storage\n### Disk tool (2-star)\nImported text.\n\nMentors: {mentors}\nTime: a week\n"


def write(tmp_path, text, name="page.md"):
    path = tmp_path / name
    path.write_text(text)
    return path


def run_import(runner, path, *options):
    result = runner.invoke(args=["import", str(path), *options])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result


def project(slug):
    return db.session.execute(db.select(Project).where(Project.slug == slug)).scalar_one()


def test_an_account_named_like_a_mentor_gets_no_rights(runner, ctx, tmp_path):
    squatter = make_user("Olga Brandt", username="olga-squat")
    db.session.commit()
    run_import(runner, write(tmp_path, PAGE.format(mentors="Olga Brandt")))
    imported = project("disk-tool")
    assert not is_mentor_of(squatter, imported)
    assert not can(squatter, Permission.EDIT_PROJECT, imported)
    (mentor,) = imported.mentors
    assert mentor.name == "Olga Brandt" and mentor.password_hash is None and not mentor.can_sign_in


def test_a_name_written_like_a_username_without_its_at_links_no_account(runner, ctx, tmp_path):
    squatter = make_user("Someone Else", username="olga")
    db.session.commit()
    run_import(runner, write(tmp_path, PAGE.format(mentors="olga")))
    assert not can(squatter, Permission.EDIT_PROJECT, project("disk-tool"))
    run_import(runner, write(tmp_path, PAGE.format(mentors="@olga"), "handle.md"))
    # Written as a handle, it names the username: that account is the mentor.
    assert [mentor.username for mentor in project("disk-tool").mentors] == ["olga"]


def test_a_json_name_without_username_links_no_account_either(runner, ctx, tmp_path):
    squatter = make_user("Olga Brandt", username="olga-squat")
    db.session.commit()
    path = write(tmp_path, json.dumps({"projects": [{"title": "Disk tool", "mentors": [{"name": "olga brandt"}]}]}),
                 "list.json")
    run_import(runner, path)
    assert not can(squatter, Permission.EDIT_PROJECT, project("disk-tool"))


def test_json_usernames_link_their_accounts(runner, ctx, tmp_path):
    grace = make_user("Grace Hopper", username="grace")
    db.session.commit()
    path = write(tmp_path, json.dumps({"projects": [
        {"slug": "compiler-pass", "title": "Compiler pass", "stars": 2,
         "mentors": [{"name": "G. Hopper (old name)", "username": "grace"}, {"name": "Linus", "username": None}]},
    ]}), "list.json")
    run_import(runner, path)
    imported = project("compiler-pass")
    assert grace in imported.mentors and can(grace, Permission.EDIT_PROJECT, imported)
    assert sorted(user.name for user in imported.mentors) == ["Grace Hopper", "Linus"]
    second = run_import(runner, path)
    assert "0 new, 0 updated, 1 unchanged" in second.output
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 2


def test_one_username_under_two_names_is_one_profile(runner, ctx, tmp_path):
    path = write(tmp_path, json.dumps({"projects": [
        {"title": "One", "mentors": [{"name": "Ines V", "username": "ines"}]},
        {"title": "Two", "mentors": [{"name": "Ines Valderrama", "username": "ines"}]},
    ]}), "list.json")
    run_import(runner, path)
    assert project("one").mentors == project("two").mentors
    assert db.session.execute(db.select(User.username)).scalars().all() == ["ines"]


def test_a_json_name_written_like_a_username_links_nothing(runner, ctx, tmp_path):
    ann = make_user("Ann Other", username="ann")
    db.session.commit()
    run_import(runner, write(tmp_path, json.dumps({"projects": [{"title": "One", "mentors": ["ann"]}]}), "l.json"))
    assert ann not in project("one").mentors


def test_an_at_handle_links_the_account_with_that_username(ctx):
    grace = make_user("Grace Hopper", username="grace")
    other = make_user("Ann", username="ann-other")
    db.session.commit()
    draft = ProjectDraft(title="Handles", line=1, stars=Stars.ONE, mentors=["@grace", "Ann"])
    Importer(source="a test").apply_all([draft])
    mentors = project("handles").mentors
    assert grace in mentors and other not in mentors


def test_re_importing_keeps_a_mentor_who_has_since_made_an_account(runner, ctx, tmp_path):
    path = write(tmp_path, PAGE.format(mentors="Olga Brandt"))
    run_import(runner, path)
    olga = project("disk-tool").mentors[0]
    olga.password_hash = "signed-up-since"
    db.session.commit()
    second = run_import(runner, path)
    assert "1 unchanged" in second.output and project("disk-tool").mentors == [olga]


@pytest.mark.parametrize("status", [s for s in ProjectStatus if not s.is_public])
def test_a_project_that_is_not_public_is_never_overwritten(runner, ctx, tmp_path, status):
    author = make_user("Dana Author", username="dana")
    mine = make_project("Disk tool", status=status, mentors=[author], description="My own words.", stars=None)
    db.session.commit()
    path = write(tmp_path, PAGE.format(mentors="Olga Brandt"))
    result = run_import(runner, path)
    assert ("line 2: 'Disk tool' cannot take the address 'disk-tool' "
            f"(held by 'Disk tool', which is {status.label}, and an import never overwrites") in result.output
    assert "imported as 'disk-tool-2'" in result.output and "; 1 problem, in " in result.output
    mine = project("disk-tool")
    assert (mine.status, mine.description, mine.mentors, mine.stars) == (status, "My own words.", [author], None)
    assert can(author, Permission.EDIT_PROJECT, mine)
    copy = project("disk-tool-2")
    assert copy.description == "Imported text." and [m.name for m in copy.mentors] == ["Olga Brandt"]
    assert "was taken by a project that is not public" in copy.review_events[-1].comment
    # A second run finds its own copy again: nothing changes, no third project.
    second = run_import(runner, path)
    assert "0 new, 0 updated, 1 unchanged" in second.output
    assert db.session.execute(db.select(db.func.count(Project.id))).scalar_one() == 2


def test_an_unchanged_project_that_is_not_public_is_no_clash(runner, ctx, tmp_path):
    grace = make_user("Grace Hopper", username="grace")
    make_project("Disk tool", status=ProjectStatus.PROPOSED, mentors=[grace], stars=2, time_rating=2,
                 area="Storage", skills=(), summary="Imported text.", description="Imported text.")
    db.session.commit()
    result = run_import(runner, write(tmp_path, PAGE.format(mentors="Grace Hopper, @grace")))
    assert "0 new, 0 updated, 1 unchanged" in result.output and "cannot take" not in result.output


def test_a_title_that_makes_a_page_address_gets_another_slug(runner, ctx, tmp_path):
    result = run_import(runner, write(tmp_path, "## A\n### New\nText.\n\nMentors: Bo\n"))
    assert "'new' is the address of a page" in result.output
    assert project("new-2").title == "New"


def test_status_proposed_sends_new_projects_to_the_review_queue(runner, ctx, tmp_path):
    make_project("Disk tool", stars=2, time_rating=2, status=ProjectStatus.IN_PROGRESS)
    db.session.commit()
    path = write(tmp_path, PAGE.format(mentors="Olga") + "### Net tool (3-star)\nText.\n\nStatus: done\nMentors: Bo\n")
    result = run_import(runner, path, "--status", "proposed")
    assert "1 new, 1 updated" in result.output
    assert project("net-tool").status is ProjectStatus.PROPOSED  # whatever the file says
    assert project("disk-tool").status is ProjectStatus.IN_PROGRESS  # an existing project keeps its status
    queue = db.session.execute(section_statement("proposals")).scalars().all()
    assert [p.slug for p in queue] == ["net-tool"]
    again = run_import(runner, path, "--status", "proposed")
    assert "0 new, 0 updated, 2 unchanged" in again.output


def test_the_history_keeps_the_pages_wording_of_mapped_values(ctx):
    draft = ProjectDraft(title="Mapped", line=1, stars=Stars.THREE, mentors=["Bo"])
    draft.stars_source = "Difficulty: medium to hard"
    draft.time_source = "Expected size: 175 hours"
    Importer(source="ideas.md").apply_all([draft])
    comment = project("mapped").review_events[-1].comment
    assert comment == ("Imported from ideas.md. Stars read from 'Difficulty: medium to hard'. "
                       "Time read from 'Expected size: 175 hours'.")
