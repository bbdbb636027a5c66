"""The project lifecycle (pioneer/domain/workflow.py), called directly: who may move a project, where it
lands, what the history keeps. The HTTP side of the same rules is in test_review.py."""

from datetime import timedelta

import pytest

from pioneer.database import db
from pioneer.domain import workflow
from pioneer.models import ProjectStatus, ReviewAction, Role, Stars, TimeRating, utcnow
from tests.factories import make_project, make_user

Status, Action = ProjectStatus, ReviewAction
LONG_AGO = utcnow() - timedelta(days=400)

# Every status change a person can ask for, by whom, from where to where (docs/lifecycle.md).
LIFECYCLE = [
    (Action.SUBMIT, "mentor", Status.DRAFT, Status.PROPOSED),
    (Action.RESUBMIT, "mentor", Status.CHANGES_REQUESTED, Status.PROPOSED),
    (Action.APPROVE, "reviewer", Status.PROPOSED, Status.AVAILABLE),
    (Action.REQUEST_CHANGES, "reviewer", Status.PROPOSED, Status.CHANGES_REQUESTED),
    (Action.REJECT, "reviewer", Status.PROPOSED, Status.REJECTED),
    (Action.REJECT, "reviewer", Status.CHANGES_REQUESTED, Status.REJECTED),
    (Action.ARCHIVE, "reviewer", Status.AVAILABLE, Status.ARCHIVED),
    (Action.ARCHIVE, "reviewer", Status.IN_PROGRESS, Status.ARCHIVED),
    (Action.ARCHIVE, "reviewer", Status.DONE, Status.ARCHIVED),
    (Action.RESTORE, "reviewer", Status.ARCHIVED, Status.AVAILABLE),
    (Action.RESTORE, "reviewer", Status.REJECTED, Status.AVAILABLE),
    (Action.START, "newcomer", Status.AVAILABLE, Status.IN_PROGRESS),
    (Action.RELEASE, "newcomer", Status.IN_PROGRESS, Status.AVAILABLE),
    (Action.FINISH, "mentor", Status.IN_PROGRESS, Status.DONE),
]


@pytest.fixture
def people(ctx):
    found = {
        "mentor": make_user("Mona Mentor"),
        "reviewer": make_user("Rita Reviewer", roles=[Role.REVIEWER]),
        "coordinator": make_user("Cora Coordinator", roles=[Role.COORDINATOR]),
        "admin": make_user("Adam Admin", roles=[Role.ADMIN]),
        "newcomer": make_user("Nia Newcomer"),
    }
    db.session.commit()
    return found


def project_in(status, people, **fields):
    fields.setdefault("last_reviewed_at", LONG_AGO)
    project = make_project(None, status=status, mentors=[people["mentor"]], **fields)
    db.session.commit()
    return project


@pytest.mark.parametrize(("action", "actor", "source", "target"), LIFECYCLE)
def test_each_step_of_the_lifecycle_moves_the_project_and_records_it(people, action, actor, source, target):
    project = project_in(source, people)
    event = workflow.apply(project, action, people[actor], comment="  why it moves  ")
    assert project.status is target
    assert (event.action, event.from_status, event.to_status) == (action, source, target)
    assert event.actor is people[actor] and event.comment == "why it moves"
    assert event in project.review_events


@pytest.mark.parametrize(("action", "actor", "source", "target"), LIFECYCLE)
def test_every_other_status_refuses_the_step_and_leaves_the_project_alone(people, action, actor, source, target):
    sources = {row[2] for row in LIFECYCLE if row[0] is action}
    for status in set(Status) - sources:
        project = project_in(status, people)
        with pytest.raises(workflow.TransitionError, match=f"{status.label}.*{action.label}"):
            workflow.apply(project, action, people["reviewer"])
        assert project.status is status and project.review_events == []
        db.session.delete(project)
        db.session.commit()


@pytest.mark.parametrize("action", [Action.APPROVE, Action.REQUEST_CHANGES, Action.REJECT])
def test_only_reviewers_decide_on_a_proposal(people, action):
    for actor in ("mentor", "coordinator", "admin", "newcomer"):
        project = project_in(Status.PROPOSED, people)
        assert not workflow.allowed(project, action, people[actor])
        with pytest.raises(workflow.TransitionError):
            workflow.apply(project, action, people[actor])
        assert project.status is Status.PROPOSED
        db.session.delete(project)
        db.session.commit()
    assert workflow.allowed(project_in(Status.PROPOSED, people), action, people["reviewer"])


def test_only_reviewers_archive_and_restore(people):
    for actor in ("mentor", "coordinator", "admin", "newcomer"):
        assert not workflow.allowed(project_in(Status.AVAILABLE, people), Action.ARCHIVE, people[actor])
        assert not workflow.allowed(project_in(Status.ARCHIVED, people), Action.RESTORE, people[actor])
    assert workflow.allowed(project_in(Status.AVAILABLE, people), Action.ARCHIVE, people["reviewer"])


def test_a_projects_mentors_and_reviewers_submit_and_finish_it_but_no_one_else(people):
    for action, status in ((Action.SUBMIT, Status.DRAFT), (Action.FINISH, Status.IN_PROGRESS)):
        project = project_in(status, people)
        assert workflow.allowed(project, action, people["mentor"])
        assert workflow.allowed(project, action, people["reviewer"])
        for actor in ("coordinator", "admin", "newcomer"):
            assert not workflow.allowed(project, action, people[actor]), (action, actor)
        assert not workflow.allowed(project, action, None)


def test_an_unknown_action_is_never_allowed(people):
    project = project_in(Status.AVAILABLE, people)
    for action in (Action.IMPORT, Action.RATE, Action.FLAG):
        assert not workflow.allowed(project, action, people["reviewer"])
        with pytest.raises(workflow.TransitionError):
            workflow.apply(project, action, people["reviewer"])


def test_approval_publishes_once_and_leaves_the_re_review_queue(people):
    project = project_in(Status.PROPOSED, people, needs_review=True)
    project.approved_at = None
    workflow.apply(project, Action.APPROVE, people["reviewer"])
    assert project.status is Status.AVAILABLE and project.needs_review is False
    assert utcnow() - project.approved_at < timedelta(minutes=1)
    assert utcnow() - project.last_reviewed_at < timedelta(minutes=1)
    # Approved again after changes, it keeps its first approval date (its place among the newest).
    again = project_in(Status.PROPOSED, people)
    again.approved_at = LONG_AGO
    workflow.apply(again, Action.APPROVE, people["reviewer"])
    assert again.approved_at == LONG_AGO


def test_a_reviewers_still_accurate_clears_the_re_review_flag(people):
    project = project_in(Status.AVAILABLE, people, needs_review=True)
    event = workflow.apply(project, Action.CONFIRM, people["reviewer"], comment="checked the repository")
    assert project.needs_review is False and project.status is Status.AVAILABLE
    assert utcnow() - project.last_reviewed_at < timedelta(minutes=1)
    assert (event.action, event.comment, event.from_status, event.to_status) == (
        Action.CONFIRM, "checked the repository", None, None)


def test_a_mentors_still_accurate_keeps_the_project_in_the_re_review_queue(people):
    project = project_in(Status.IN_PROGRESS, people, needs_review=True)
    workflow.apply(project, Action.CONFIRM, people["mentor"])
    assert project.needs_review is True
    assert utcnow() - project.last_reviewed_at < timedelta(minutes=1)


@pytest.mark.parametrize("status", [Status.AVAILABLE, Status.IN_PROGRESS, Status.DONE])
def test_public_projects_can_be_confirmed_by_their_mentors(people, status):
    assert workflow.allowed(project_in(status, people), Action.CONFIRM, people["mentor"])


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PROPOSED, Status.CHANGES_REQUESTED, Status.REJECTED,
                                    Status.ARCHIVED])
def test_hidden_projects_cannot_be_confirmed(people, status):
    project = project_in(status, people)
    assert not workflow.allowed(project, Action.CONFIRM, people["reviewer"])
    with pytest.raises(workflow.TransitionError):
        workflow.apply(project, Action.CONFIRM, people["reviewer"])
    assert project.last_reviewed_at == LONG_AGO


def test_strangers_cannot_confirm(people):
    project = project_in(Status.AVAILABLE, people)
    for actor in ("newcomer", "coordinator", "admin"):
        assert not workflow.allowed(project, Action.CONFIRM, people[actor])
    assert not workflow.allowed(project, Action.CONFIRM, None)


def test_a_confirm_with_new_ratings_records_both_halves_in_one_entry(people):
    project = project_in(Status.AVAILABLE, people, stars=Stars.THREE, time_rating=TimeRating.SEASON)
    event = workflow.apply(project, Action.CONFIRM, people["reviewer"], comment="easier than it looked",
                           ratings=(Stars.TWO, TimeRating.FEW_WEEKS))
    assert (project.stars, project.time_rating) == (Stars.TWO, TimeRating.FEW_WEEKS)
    assert (event.from_stars, event.to_stars) == (Stars.THREE, Stars.TWO)
    assert (event.from_time, event.to_time) == (TimeRating.SEASON, TimeRating.FEW_WEEKS)
    assert event.comment == "easier than it looked" and len(project.review_events) == 1


def test_a_decision_with_unchanged_ratings_records_no_rating_change(people):
    project = project_in(Status.PROPOSED, people, stars=Stars.TWO, time_rating=TimeRating.WEEK)
    event = workflow.apply(project, Action.APPROVE, people["reviewer"], ratings=(Stars.TWO, TimeRating.WEEK))
    assert (event.from_stars, event.to_stars, event.from_time, event.to_time) == (None, None, None, None)
    assert (event.from_status, event.to_status) == (Status.PROPOSED, Status.AVAILABLE)


def test_approving_with_ratings_sets_them_in_the_same_entry(people):
    project = project_in(Status.PROPOSED, people, stars=None, time_rating=None)
    event = workflow.apply(project, Action.APPROVE, people["reviewer"], ratings=(Stars.ONE, TimeRating.DAY))
    assert (project.stars, project.time_rating) == (Stars.ONE, TimeRating.DAY)
    assert (event.from_stars, event.to_stars, event.from_time, event.to_time) == (
        None, Stars.ONE, None, TimeRating.DAY)
    assert (event.from_status, event.to_status) == (Status.PROPOSED, Status.AVAILABLE)


def test_a_history_entry_without_a_comment_has_an_empty_comment(people):
    project = project_in(Status.PROPOSED, people)
    assert workflow.apply(project, Action.APPROVE, people["reviewer"]).comment == ""
    assert workflow.record(project, Action.FLAG, people["reviewer"], comment=None).comment == ""


def test_a_coordinator_moves_a_project_with_its_intern(people):
    project = project_in(Status.AVAILABLE, people)
    event = workflow.apply(project, Action.START, people["coordinator"], comment="intern started",
                           on_behalf_of_programme=True)
    assert project.status is Status.IN_PROGRESS and event.actor is people["coordinator"]
    workflow.apply(project, Action.FINISH, people["coordinator"], on_behalf_of_programme=True)
    assert project.status is Status.DONE


def test_the_programme_path_keeps_the_status_rules(people):
    project = project_in(Status.DRAFT, people)
    with pytest.raises(workflow.TransitionError, match="draft"):
        workflow.apply(project, Action.FINISH, people["coordinator"], on_behalf_of_programme=True)
    with pytest.raises(workflow.TransitionError):
        workflow.apply(project, Action.CONFIRM, people["coordinator"], on_behalf_of_programme=True)
    assert project.status is Status.DRAFT and project.review_events == []


def test_only_coordinators_take_the_programme_path(people):
    # Action newcomer or an admin asking for it gets no mentor's rights: finishing stays the mentors' step.
    for actor in ("newcomer", "admin"):
        project = project_in(Status.IN_PROGRESS, people)
        with pytest.raises(workflow.TransitionError):
            workflow.apply(project, Action.FINISH, people[actor], on_behalf_of_programme=True)
        assert project.status is Status.IN_PROGRESS
        db.session.delete(project)
        db.session.commit()


def test_a_mentors_rating_change_on_a_public_project_is_recorded_and_flags_it(people):
    project = project_in(Status.AVAILABLE, people, stars=Stars.TWO, time_rating=TimeRating.WEEK)
    event = workflow.record_rating_change(project, people["mentor"], Stars.FOUR, TimeRating.SEASON)
    assert (project.stars, project.time_rating) == (Stars.FOUR, TimeRating.SEASON)
    assert project.needs_review is True
    assert (event.action, event.actor, event.comment) == (Action.RATE, people["mentor"], "")
    assert (event.from_stars, event.to_stars) == (Stars.TWO, Stars.FOUR)
    assert (event.from_time, event.to_time) == (TimeRating.WEEK, TimeRating.SEASON)


def test_a_reviewers_rating_change_is_recorded_without_a_flag(people):
    project = project_in(Status.DONE, people, stars=Stars.TWO, time_rating=TimeRating.WEEK)
    event = workflow.record_rating_change(project, people["reviewer"], Stars.TWO, TimeRating.DAY)
    assert project.needs_review is False and project.time_rating is TimeRating.DAY
    assert (event.from_time, event.to_time, event.from_stars, event.to_stars) == (
        TimeRating.WEEK, TimeRating.DAY, Stars.TWO, Stars.TWO)


def test_an_archived_projects_rating_change_is_recorded_too(people):
    project = project_in(Status.ARCHIVED, people, stars=Stars.TWO)
    assert workflow.record_rating_change(project, people["mentor"], Stars.THREE, project.time_rating) is not None
    assert project.needs_review is True


def test_a_drafts_rating_change_leaves_no_history(people):
    project = project_in(Status.DRAFT, people, stars=Stars.TWO)
    assert workflow.record_rating_change(project, people["mentor"], Stars.FIVE, project.time_rating) is None
    assert project.stars is Stars.FIVE and project.review_events == [] and project.needs_review is False


def test_unchanged_ratings_record_nothing(people):
    project = project_in(Status.AVAILABLE, people, stars=Stars.TWO, time_rating=TimeRating.WEEK)
    assert workflow.record_rating_change(project, people["mentor"], Stars.TWO, TimeRating.WEEK) is None
    assert project.review_events == [] and project.needs_review is False
