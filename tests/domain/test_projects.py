"""pioneer/domain/projects.py, called directly: who still works on a project, releasing a project nobody works
on, finishing one (status, claims, hours, who may), a new project's slug and its skills."""

import pytest

from pioneer.database import db
from pioneer.domain import projects, workflow
from pioneer.models import ClaimEnd, InternStatus, ProjectStatus, ReviewAction, Skill
from tests.factories import make_claim, make_intern, make_skill, make_user

Status, Action = ProjectStatus, ReviewAction








def history(project):
    return [(event.action, event.from_status, event.to_status) for event in project.review_events]


# someone_works_on (callers end the claim or move the intern first, then ask)

def test_an_active_claim_means_someone_works_on_the_project_until_it_ends(people, project_in):
    project = project_in(Status.IN_PROGRESS)
    claim = make_claim(project, people["newcomer"])
    db.session.commit()
    assert projects.someone_works_on(project) is True
    claim.end(ClaimEnd.RELEASED)
    assert projects.someone_works_on(project) is False


def test_an_active_intern_means_someone_works_on_the_project_until_they_leave(people, round_, project_in):
    project = project_in(Status.IN_PROGRESS)
    intern = make_intern(round_, project, status=InternStatus.ACTIVE)
    db.session.commit()
    assert projects.someone_works_on(project) is True
    intern.status = InternStatus.WITHDRAWN
    assert projects.someone_works_on(project) is False


def test_one_leaving_does_not_hide_the_others(people, round_, project_in):
    project = project_in(Status.IN_PROGRESS, allow_multiple_claims=True)
    leaving = make_claim(project, people["newcomer"])
    make_claim(project, people["other"])
    db.session.commit()
    leaving.end(ClaimEnd.RELEASED)
    assert projects.someone_works_on(project) is True
    # A claim ending beside an active intern: the intern still works on it.
    alone = project_in(Status.IN_PROGRESS)
    leaving_claim = make_claim(alone, people["newcomer"])
    make_intern(round_, alone, status=InternStatus.ACTIVE)
    db.session.commit()
    leaving_claim.end(ClaimEnd.EXPIRED)
    assert projects.someone_works_on(alone) is True


def test_ended_claims_and_interns_who_are_not_active_do_not_count(people, round_, project_in):
    project = project_in(Status.IN_PROGRESS, allow_multiple_claims=True)
    for reason, user in ((ClaimEnd.RELEASED, people["newcomer"]), (ClaimEnd.EXPIRED, people["other"])):
        make_claim(project, user).end(reason)
    for number, status in enumerate(
            (InternStatus.APPLICANT, InternStatus.ACCEPTED, InternStatus.COMPLETED, InternStatus.WITHDRAWN)):
        make_intern(round_, project, name=f"Intern {number}", status=status)
    db.session.commit()
    assert len(project.claims) == 2 and len(project.interns) == 4
    assert projects.someone_works_on(project) is False


# release_if_idle

def test_a_project_nobody_works_on_any_more_is_released_with_a_history_entry(people, project_in):
    project = project_in(Status.IN_PROGRESS)
    claim = make_claim(project, people["newcomer"])
    db.session.commit()
    claim.end(ClaimEnd.RELEASED)
    projects.release_if_idle(project, people["newcomer"], "  claim released  ")
    assert project.status is Status.AVAILABLE
    assert history(project) == [(Action.RELEASE, Status.IN_PROGRESS, Status.AVAILABLE)]
    event = project.review_events[-1]
    assert (event.actor, event.comment) == (people["newcomer"], "claim released")


def test_a_project_is_released_when_the_intern_who_left_was_the_last_one(people, round_, project_in):
    project = project_in(Status.IN_PROGRESS)
    intern = make_intern(round_, project, status=InternStatus.ACTIVE)
    db.session.commit()
    intern.status = InternStatus.WITHDRAWN
    projects.release_if_idle(project, None, "Ada Intern withdrawn")
    assert project.status is Status.AVAILABLE
    assert (project.review_events[-1].action, project.review_events[-1].actor) == (Action.RELEASE, None)


def test_another_claim_keeps_the_project_in_progress(people, project_in):
    project = project_in(Status.IN_PROGRESS, allow_multiple_claims=True)
    leaving = make_claim(project, people["newcomer"])
    make_claim(project, people["other"])
    db.session.commit()
    leaving.end(ClaimEnd.RELEASED)
    projects.release_if_idle(project, people["newcomer"], "claim released")
    assert project.status is Status.IN_PROGRESS and project.review_events == []


def test_an_active_intern_keeps_the_project_in_progress(people, round_, project_in):
    project = project_in(Status.IN_PROGRESS)
    leaving = make_claim(project, people["newcomer"])
    make_intern(round_, project, status=InternStatus.ACTIVE)
    db.session.commit()
    leaving.end(ClaimEnd.EXPIRED)
    projects.release_if_idle(project, None, "claim expired")
    assert project.status is Status.IN_PROGRESS and project.review_events == []


@pytest.mark.parametrize("status", [status for status in Status if status is not Status.IN_PROGRESS])
def test_a_project_that_is_not_in_progress_is_never_released(people, status, project_in):
    project = project_in(status)
    projects.release_if_idle(project, people["newcomer"], "claim released")
    assert project.status is status and project.review_events == []


# finish

def test_a_mentor_finishes_a_project_its_active_claims_end_as_finished_and_the_hours_are_kept(people, project_in):
    project = project_in(Status.IN_PROGRESS, allow_multiple_claims=True)
    first, second = make_claim(project, people["newcomer"]), make_claim(project, people["other"])
    earlier = make_claim(project, make_user("Gone Before"))
    earlier.end(ClaimEnd.RELEASED)
    db.session.commit()
    projects.finish(project, people["mentor"], actual_hours=42, comment="  merged upstream  ")
    assert project.status is Status.DONE and project.actual_hours == 42
    assert project.active_claims == []
    assert (first.end_reason, second.end_reason) == (ClaimEnd.FINISHED, ClaimEnd.FINISHED)
    assert first.ended_at is not None and second.ended_at is not None
    assert earlier.end_reason is ClaimEnd.RELEASED  # an earlier end keeps its own reason
    assert history(project) == [(Action.FINISH, Status.IN_PROGRESS, Status.DONE)]
    event = project.review_events[-1]
    assert (event.actor, event.comment) == (people["mentor"], "merged upstream")


def test_finishing_without_hours_keeps_the_hours_already_known(people, project_in):
    project = project_in(Status.IN_PROGRESS, actual_hours=12)
    projects.finish(project, people["mentor"], actual_hours=None)
    assert project.status is Status.DONE and project.actual_hours == 12
    fresh = project_in(Status.IN_PROGRESS)
    projects.finish(fresh, people["mentor"])
    assert fresh.status is Status.DONE and fresh.actual_hours is None


@pytest.mark.parametrize("status", [status for status in Status if status is not Status.IN_PROGRESS])
def test_a_project_that_is_not_in_progress_cannot_be_finished_and_nothing_changes(people, status, project_in):
    project = project_in(status, actual_hours=7)
    claim = make_claim(project, people["newcomer"])
    db.session.commit()
    with pytest.raises(workflow.TransitionError, match=f"{status.label}.*marked done"):
        projects.finish(project, people["mentor"], actual_hours=99)
    assert project.status is status and project.actual_hours == 7
    assert claim.is_active and claim.end_reason is None
    assert project.review_events == []


def test_a_newcomer_who_is_not_a_mentor_cannot_finish_the_project(people, project_in):
    project = project_in(Status.IN_PROGRESS)
    claim = make_claim(project, people["newcomer"])
    db.session.commit()
    with pytest.raises(workflow.TransitionError):
        projects.finish(project, people["newcomer"], actual_hours=30)
    assert project.status is Status.IN_PROGRESS and project.actual_hours is None
    assert claim.is_active and project.review_events == []


def test_a_coordinator_finishes_only_on_behalf_of_the_programme(people, project_in):
    project = project_in(Status.IN_PROGRESS)
    claim = make_claim(project, people["newcomer"])
    db.session.commit()
    with pytest.raises(workflow.TransitionError):
        projects.finish(project, people["coordinator"], actual_hours=80)
    assert project.status is Status.IN_PROGRESS and claim.is_active
    projects.finish(project, people["coordinator"], actual_hours=80, comment="completed by Ada Intern",
                    on_behalf_of_programme=True)
    assert project.status is Status.DONE and project.actual_hours == 80
    assert claim.end_reason is ClaimEnd.FINISHED
    event = project.review_events[-1]
    assert (event.action, event.actor, event.comment) == (
        Action.FINISH, people["coordinator"], "completed by Ada Intern")


# unique_slug

@pytest.mark.parametrize(("title", "slug"), [("new", "new-2"), ("New", "new-2"), ("gaps", "gaps-2"),
                                             ("  GAPS!  ", "gaps-2")])
def test_the_paths_of_pages_are_reserved_and_get_a_number(ctx, title, slug):
    assert projects.unique_slug(title) == slug


def test_a_taken_slug_gets_the_next_free_number(people, project_in):
    assert projects.unique_slug("Port the parser") == "port-the-parser"
    project_in(Status.DRAFT, title="Port the parser")
    assert projects.unique_slug("Port the parser") == "port-the-parser-2"
    assert projects.unique_slug("Port the  parser!") == "port-the-parser-2"
    project_in(Status.DRAFT, title="Port the parser", slug="port-the-parser-2")
    assert projects.unique_slug("Port the parser") == "port-the-parser-3"


def test_a_reserved_slug_whose_numbered_form_is_taken_moves_on(people, project_in):
    project_in(Status.DRAFT, title="New", slug="new-2")
    assert projects.unique_slug("new") == "new-3"


def test_a_title_of_only_punctuation_gives_project(people, project_in):
    assert projects.unique_slug("?!… — ***") == "project"
    project_in(Status.DRAFT, title="Project")
    assert projects.unique_slug("!!!") == "project-2"


def test_a_title_with_accents_gives_a_plain_slug(ctx):
    assert projects.unique_slug("Écrire un pilote réseau") == "ecrire-un-pilote-reseau"


# skill_named

def test_skill_named_returns_the_existing_skill(ctx):
    ocaml = make_skill("ocaml")
    db.session.commit()
    assert projects.skill_named("ocaml") is ocaml
    assert db.session.execute(db.select(db.func.count()).select_from(Skill)).scalar_one() == 1


def test_skill_named_adds_a_new_skill_once(ctx):
    first = projects.skill_named("rust")
    second = projects.skill_named("rust")
    assert first is second and first.name == "rust"
    db.session.flush()
    names = db.session.execute(db.select(Skill.name).where(Skill.name == "rust")).scalars().all()
    assert names == ["rust"]
    assert projects.skill_named("go") is not first


def test_a_slug_is_at_most_a_hundred_characters_however_long_the_title(ctx):
    assert projects.unique_slug("a" * 150) == "a" * 100
    words = projects.unique_slug("Make the " + "very " * 40 + "long title")
    assert len(words) <= 100 and not words.endswith("-")


def test_by_slug_finds_the_project_at_its_address_and_nothing_else(people, project_in):
    first = project_in(Status.AVAILABLE, title="First thing")
    project_in(Status.DRAFT, title="Second thing")
    assert projects.by_slug("first-thing") is first
    assert projects.by_slug("first-thing", lock=True) is first
    assert projects.by_slug("second-thing").title == "Second thing"
    assert projects.by_slug("no-such-thing") is None


def test_a_mentor_who_finishes_without_a_word_leaves_no_comment_in_the_history(people, project_in):
    project = project_in(Status.IN_PROGRESS)
    projects.finish(project, people["mentor"])
    event = project.review_events[-1]
    assert event.action is Action.FINISH and event.comment == ""
