"""pioneer/domain/interns.py, called directly: which status changes an intern may make, what each does to the
project (start, finish, release, nothing), walking a new intern through every step, and private notes."""

import pytest

from pioneer.database import db
from pioneer.domain import interns
from pioneer.models import ClaimEnd, InternStatus, ProjectStatus, ReviewAction
from tests.factories import make_claim, make_intern, make_project

Status, Action = ProjectStatus, ReviewAction
ROUND = "Outreachy December 2026 – March 2027"






def intern_on(status, project_status, people, round_, **fields):
    """Ada Intern at `status`, on a project of Mona Mentor's at `project_status`."""
    project = make_project(None, status=project_status, mentors=[people["mentor"]], **fields)
    intern = make_intern(round_, project, mentors=[people["mentor"]], status=status)
    db.session.commit()
    return intern


def history(project):
    return [(event.action, event.from_status, event.to_status, event.comment) for event in project.review_events]


# change_status: the moves an intern may make

REFUSED = [(source, target) for source in InternStatus for target in InternStatus
           if target is not source and target not in interns.NEXT_STATUSES[source]]


def test_the_allowed_moves_are_those_of_the_lifecycle_diagram():
    # applicant -> accepted -> active -> completed, any of the first three -> withdrawn; the last two are final.
    allowed = {(source, target) for source, targets in interns.NEXT_STATUSES.items() for target in targets}
    assert allowed == {
        (InternStatus.APPLICANT, InternStatus.ACCEPTED), (InternStatus.ACCEPTED, InternStatus.ACTIVE),
        (InternStatus.ACTIVE, InternStatus.COMPLETED), (InternStatus.APPLICANT, InternStatus.WITHDRAWN),
        (InternStatus.ACCEPTED, InternStatus.WITHDRAWN), (InternStatus.ACTIVE, InternStatus.WITHDRAWN),
    }
    assert len(REFUSED) == 14


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_a_move_that_is_not_allowed_is_refused_naming_both_statuses(people, round_, source, target):
    intern = intern_on(source, Status.AVAILABLE, people, round_)
    with pytest.raises(interns.InternError) as error:
        interns.change_status(intern, target, people["coordinator"], finish_project=True, actual_hours=10)
    assert str(error.value) == f"An intern who is {source.value} cannot become {target.value}."
    assert intern.status is source
    assert intern.project.status is Status.AVAILABLE and intern.project.review_events == []


def test_staying_at_the_same_status_changes_nothing(people, round_):
    intern = intern_on(InternStatus.ACTIVE, Status.IN_PROGRESS, people, round_)
    interns.change_status(intern, InternStatus.ACTIVE, people["coordinator"])
    assert intern.status is InternStatus.ACTIVE and intern.project.review_events == []


# change_status: what each move does to the project

def test_an_intern_becoming_active_starts_an_available_project(people, round_):
    intern = intern_on(InternStatus.ACCEPTED, Status.AVAILABLE, people, round_)
    interns.change_status(intern, InternStatus.ACTIVE, people["coordinator"])
    assert intern.status is InternStatus.ACTIVE and intern.project.status is Status.IN_PROGRESS
    assert history(intern.project) == [(Action.START, Status.AVAILABLE, Status.IN_PROGRESS, f"Ada Intern, {ROUND}")]
    assert intern.project.review_events[-1].actor is people["coordinator"]


def test_an_intern_becoming_active_on_a_project_already_in_progress_adds_no_entry(people, round_):
    intern = intern_on(InternStatus.ACCEPTED, Status.IN_PROGRESS, people, round_)
    make_claim(intern.project, people["newcomer"])
    db.session.commit()
    interns.change_status(intern, InternStatus.ACTIVE, people["coordinator"])
    assert intern.status is InternStatus.ACTIVE and intern.project.status is Status.IN_PROGRESS
    assert intern.project.review_events == []


def test_completing_with_finish_project_marks_it_done_with_the_hours_and_ends_the_claims(people, round_):
    intern = intern_on(InternStatus.ACTIVE, Status.IN_PROGRESS, people, round_)
    project = intern.project
    claim = make_claim(project, people["newcomer"])
    db.session.commit()
    interns.change_status(intern, InternStatus.COMPLETED, people["coordinator"], finish_project=True, actual_hours=160)
    assert intern.status is InternStatus.COMPLETED
    assert project.status is Status.DONE and project.actual_hours == 160
    assert claim.end_reason is ClaimEnd.FINISHED and project.active_claims == []
    assert history(project) == [(Action.FINISH, Status.IN_PROGRESS, Status.DONE, "completed by Ada Intern")]
    assert project.review_events[-1].actor is people["coordinator"]


def test_completing_without_finishing_releases_a_project_nobody_else_works_on(people, round_):
    intern = intern_on(InternStatus.ACTIVE, Status.IN_PROGRESS, people, round_)
    interns.change_status(intern, InternStatus.COMPLETED, people["coordinator"], actual_hours=160)
    project = intern.project
    assert intern.status is InternStatus.COMPLETED
    assert project.status is Status.AVAILABLE and project.actual_hours is None
    assert history(project) == [(Action.RELEASE, Status.IN_PROGRESS, Status.AVAILABLE, "Ada Intern completed")]


def test_withdrawing_the_only_active_intern_releases_the_project(people, round_):
    intern = intern_on(InternStatus.ACTIVE, Status.IN_PROGRESS, people, round_)
    interns.change_status(intern, InternStatus.WITHDRAWN, people["coordinator"])
    assert intern.status is InternStatus.WITHDRAWN and intern.project.status is Status.AVAILABLE
    assert history(intern.project) == [(Action.RELEASE, Status.IN_PROGRESS, Status.AVAILABLE, "Ada Intern withdrawn")]
    assert intern.project.review_events[-1].actor is people["coordinator"]


def test_withdrawing_while_a_claim_is_active_leaves_the_project_in_progress(people, round_):
    intern = intern_on(InternStatus.ACTIVE, Status.IN_PROGRESS, people, round_)
    claim = make_claim(intern.project, people["newcomer"])
    db.session.commit()
    interns.change_status(intern, InternStatus.WITHDRAWN, people["coordinator"])
    assert intern.status is InternStatus.WITHDRAWN
    assert intern.project.status is Status.IN_PROGRESS and intern.project.review_events == []
    assert claim.is_active


def test_withdrawing_while_another_intern_is_active_leaves_the_project_in_progress(people, round_):
    intern = intern_on(InternStatus.ACTIVE, Status.IN_PROGRESS, people, round_)
    make_intern(round_, intern.project, name="Bo Second", status=InternStatus.ACTIVE)
    db.session.commit()
    interns.change_status(intern, InternStatus.WITHDRAWN, people["coordinator"])
    assert intern.project.status is Status.IN_PROGRESS and intern.project.review_events == []


@pytest.mark.parametrize("source", [InternStatus.APPLICANT, InternStatus.ACCEPTED])
def test_withdrawing_before_becoming_active_does_nothing_to_the_project(people, round_, source):
    # In progress with nobody on it: a release, if one were made, would show.
    intern = intern_on(source, Status.IN_PROGRESS, people, round_)
    interns.change_status(intern, InternStatus.WITHDRAWN, people["coordinator"])
    assert intern.status is InternStatus.WITHDRAWN
    assert intern.project.status is Status.IN_PROGRESS and intern.project.review_events == []


def test_an_intern_without_a_project_changes_status_alone(people, round_):
    intern = make_intern(round_, None, status=InternStatus.ACCEPTED)
    db.session.commit()
    interns.change_status(intern, InternStatus.ACTIVE, people["coordinator"])
    interns.change_status(intern, InternStatus.COMPLETED, people["coordinator"], finish_project=True)
    assert intern.status is InternStatus.COMPLETED


# walk_to

def test_a_new_applicant_walked_to_completed_starts_then_finishes_the_project(people, round_):
    intern = intern_on(InternStatus.APPLICANT, Status.AVAILABLE, people, round_)
    project = intern.project
    interns.walk_to(intern, InternStatus.COMPLETED, people["coordinator"], finish_project=True, actual_hours=300)
    assert intern.status is InternStatus.COMPLETED
    assert project.status is Status.DONE and project.actual_hours == 300
    assert history(project) == [
        (Action.START, Status.AVAILABLE, Status.IN_PROGRESS, f"Ada Intern, {ROUND}"),
        (Action.FINISH, Status.IN_PROGRESS, Status.DONE, "completed by Ada Intern"),
    ]


@pytest.mark.parametrize(("target", "actions", "project_status"), [
    (InternStatus.APPLICANT, [], Status.AVAILABLE),
    (InternStatus.ACCEPTED, [], Status.AVAILABLE),
    (InternStatus.ACTIVE, [Action.START], Status.IN_PROGRESS),
    (InternStatus.WITHDRAWN, [], Status.AVAILABLE),
])
def test_a_new_applicant_walked_to_each_status_has_each_steps_effect(people, round_, target, actions,
                                                                      project_status):
    intern = intern_on(InternStatus.APPLICANT, Status.AVAILABLE, people, round_)
    interns.walk_to(intern, target, people["coordinator"])
    assert intern.status is target and intern.project.status is project_status
    assert [event.action for event in intern.project.review_events] == actions


def test_walked_to_completed_without_finishing_the_project_is_started_then_released(people, round_):
    intern = intern_on(InternStatus.APPLICANT, Status.AVAILABLE, people, round_)
    interns.walk_to(intern, InternStatus.COMPLETED, people["coordinator"])
    assert intern.project.status is Status.AVAILABLE
    assert [event.action for event in intern.project.review_events] == [Action.START, Action.RELEASE]


# add_note

def test_a_note_is_trimmed_and_belongs_to_the_intern_and_its_author(people, round_):
    intern = intern_on(InternStatus.ACTIVE, Status.IN_PROGRESS, people, round_)
    note = interns.add_note(intern, people["mentor"], "  \n Weekly call: the parser tests pass.\n\n ")
    db.session.commit()
    db.session.expire_all()
    assert note.body == "Weekly call: the parser tests pass."
    assert note.intern is intern and note.author is people["mentor"]
    assert intern.notes == [note]
