"""Reviewers: the triage queue, decisions through the workflow, history, staleness and its reminders."""

import itertools
import re
from datetime import timedelta

import pytest

from pioneer.database import db
from pioneer.domain import workflow
from pioneer.models import Project, ProjectStatus, ReviewAction, Role, Stars, TimeRating, utcnow

from .factories import make_project, make_user

Status, Action = ProjectStatus, ReviewAction


@pytest.fixture
def reviewer(ctx):
    user = make_user("Rita Reviewer", username="rita", roles=[Role.REVIEWER])
    db.session.commit()
    return user


def decide(client, project, action, **fields):
    data = {"action": action.value, "expected_status": project.status.value, "stars": "0", "time_rating": "0"} | fields
    return client.post(f"/review/{project.slug}", data=data)


def test_the_queue_has_its_sections_counted_and_stale_one_star_projects_first(auth, client, reviewer):
    old = utcnow() - timedelta(days=400)
    make_project("Fresh proposal", status=Status.PROPOSED, age_days=1)
    resubmitted = make_project("Second try", status=Status.PROPOSED)
    workflow.record(resubmitted, Action.RESUBMIT, None)
    make_project("Waiting for mentor", status=Status.CHANGES_REQUESTED)
    make_project("Rating changed", needs_review=True)
    make_project("Stale three", stars=3, last_reviewed_at=old)
    make_project("Stale one", stars=1, last_reviewed_at=old + timedelta(days=100))
    make_project("Stale unrated", stars=None, last_reviewed_at=old)
    make_project("Recently confirmed")
    db.session.commit()
    auth.login(reviewer)
    page = client.get("/review").get_data(as_text=True)
    sections = dict(re.findall(r'<h2 id="(\w+)">[^<]+<span class="count">(\d+)</span>', page))
    assert sections == {"proposals": "1", "resubmitted": "1", "changes": "1", "rereview": "1", "stale": "3"}
    stale_part = page.split('id="stale"')[1]
    assert stale_part.index("Stale one") < stale_part.index("Stale three") < stale_part.index("Stale unrated")
    assert "Recently confirmed" not in page
    narrowed = client.get("/review?q=three").get_data(as_text=True)
    assert "Stale three" in narrowed and "Stale one" not in narrowed


def test_only_reviewers_reach_the_queue_and_the_decision_page(auth, client, ctx):
    make_project("Somebody's proposal", status=Status.PROPOSED)
    user = make_user(roles=[Role.COORDINATOR, Role.ADMIN])
    db.session.commit()
    assert client.get("/review").headers["Location"].startswith("/login")
    auth.login(user)
    assert client.get("/review").status_code == 403
    assert client.get("/review/somebody-s-proposal").status_code == 403


def test_approving_sets_the_ratings_records_who_and_publishes(auth, client, reviewer):
    mentor = make_user("Mona Mentor", username="mona")
    project = make_project("Proposed thing", status=Status.PROPOSED, stars=None, time_rating=None, mentors=[mentor])
    db.session.commit()
    auth.login(reviewer)
    missing = decide(client, project, Action.APPROVE)
    assert missing.status_code == 422 and "Set the stars before approving" in missing.get_data(as_text=True)
    response = decide(client, project, Action.APPROVE, stars="1", time_rating="2", comment="Lovely first project.")
    assert response.status_code == 302 and response.headers["Location"] == "/review"
    db.session.refresh(project)
    assert (project.status, project.stars, project.time_rating) == (Status.AVAILABLE, Stars.ONE, TimeRating.WEEK)
    assert project.approved_at and project.last_reviewed_at
    event = project.review_events[-1]
    assert (event.action, event.actor, event.from_status, event.to_status, event.to_stars) == (
        Action.APPROVE, reviewer, Status.PROPOSED, Status.AVAILABLE, Stars.ONE)
    assert "Proposed thing" in client.get("/projects?stars=1").get_data(as_text=True)
    assert "Proposed thing" in client.get("/projects?q=proposed+thing").get_data(as_text=True)
    auth.login(mentor)
    assert "Lovely first project." in client.get("/account").get_data(as_text=True)
    history = client.get("/projects/proposed-thing").get_data(as_text=True)
    assert "Approved by Rita Reviewer" in history and "proposed → available" in history


def test_request_changes_then_resubmit_then_reject(auth, client, reviewer):
    mentor = make_user(username="mentor")
    project = make_project("Vague idea", status=Status.PROPOSED, mentors=[mentor])
    db.session.commit()
    auth.login(reviewer)
    assert decide(client, project, Action.REQUEST_CHANGES, comment="Say what done means.").status_code == 302
    db.session.refresh(project)
    assert project.status is Status.CHANGES_REQUESTED and project.stars is Stars.ONE
    workflow.apply(project, Action.RESUBMIT, mentor)
    db.session.commit()
    assert decide(client, project, Action.REJECT).status_code == 422
    db.session.refresh(project)
    assert project.status is Status.PROPOSED
    why = "Still no “done when”: not a starter project."
    assert decide(client, project, Action.REJECT, comment=why).status_code == 302
    db.session.refresh(project)
    assert project.status is Status.REJECTED


def test_a_decision_on_a_project_that_moved_on_answers_409_and_says_what_happened(auth, client, reviewer):
    other = make_user("Otto Other", roles=[Role.REVIEWER])
    project = make_project("Contested", status=Status.PROPOSED)
    db.session.commit()
    workflow.apply(project, Action.REJECT, other, comment="Out of scope.")
    db.session.commit()
    auth.login(reviewer)
    response = client.post("/review/contested", data={"action": "approve", "expected_status": "proposed",
                                                      "stars": "1", "time_rating": "1", "comment": "Looks good"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "While you were deciding, Otto Other chose “reject”" in page and "Out of scope." in page
    assert "Looks good" in page
    db.session.refresh(project)
    assert project.status is Status.REJECTED and len(project.review_events) == 1


ROLES = ("anonymous", "stranger", "mentor", "reviewer")
DECISION_ACTIONS = [Action.APPROVE, Action.REQUEST_CHANGES, Action.REJECT, Action.ARCHIVE, Action.RESTORE,
                    Action.CONFIRM]


def expected_target(status, action, role):
    """docs/lifecycle.md written out independently of the workflow table: the status after, or None if refused."""
    reviewer_moves = {
        (Status.PROPOSED, Action.APPROVE): Status.AVAILABLE,
        (Status.PROPOSED, Action.REQUEST_CHANGES): Status.CHANGES_REQUESTED,
        (Status.PROPOSED, Action.REJECT): Status.REJECTED, (Status.CHANGES_REQUESTED, Action.REJECT): Status.REJECTED,
        (Status.AVAILABLE, Action.ARCHIVE): Status.ARCHIVED, (Status.IN_PROGRESS, Action.ARCHIVE): Status.ARCHIVED,
        (Status.DONE, Action.ARCHIVE): Status.ARCHIVED,
        (Status.ARCHIVED, Action.RESTORE): Status.AVAILABLE, (Status.REJECTED, Action.RESTORE): Status.AVAILABLE,
    }
    mentor_moves = {
        (Status.DRAFT, Action.SUBMIT): Status.PROPOSED, (Status.CHANGES_REQUESTED, Action.RESUBMIT): Status.PROPOSED,
        (Status.IN_PROGRESS, Action.FINISH): Status.DONE,
    }
    confirmable = {Status.AVAILABLE, Status.IN_PROGRESS, Status.DONE}
    if action is Action.CONFIRM:
        return status if role in ("mentor", "reviewer") and status in confirmable else None
    if (status, action) in reviewer_moves:
        return reviewer_moves[status, action] if role == "reviewer" else None
    if (status, action) in mentor_moves:
        return mentor_moves[status, action] if role in ("mentor", "reviewer") else None
    return None


def test_every_status_action_and_role_against_the_workflow(ctx):
    mentor, reviewer_user, stranger = make_user(), make_user(roles=[Role.REVIEWER]), make_user()
    users = {"anonymous": None, "stranger": stranger, "mentor": mentor, "reviewer": reviewer_user}
    db.session.commit()
    checked = 0
    for status, action, role in itertools.product(Status, [*workflow.TRANSITIONS, Action.CONFIRM], ROLES):
        if workflow.TRANSITIONS.get(action) and workflow.TRANSITIONS[action].by == "system":
            continue
        project = make_project(f"Walk {status.value} {action.value} {role}", status=status, mentors=[mentor])
        db.session.flush()
        before = (project.status, project.last_reviewed_at, len(project.review_events))
        target = expected_target(status, action, role)
        if target is None:
            with pytest.raises(workflow.TransitionError):
                workflow.apply(project, action, users[role])
            assert (project.status, project.last_reviewed_at, len(project.review_events)) == before
        else:
            workflow.apply(project, action, users[role])
            assert project.status is target and len(project.review_events) == before[2] + 1
        checked += 1
    db.session.rollback()
    # Eight statuses, nine actions people take (start and release belong to claims), four roles.
    assert checked == 8 * 9 * 4


@pytest.mark.parametrize("status", list(Status))
def test_every_decision_through_the_page_changes_only_what_is_allowed(auth, client, reviewer, status):
    mentor = make_user(username=f"owner-{status.value}")
    projects = {action: make_project(f"{status.value} {action.value}", status=status, mentors=[mentor])
                for action in DECISION_ACTIONS}
    db.session.commit()
    for role in ("mentor", "reviewer"):
        auth.login(mentor if role == "mentor" else reviewer)
        for action, project in projects.items():
            db.session.refresh(project)
            before = (project.status, project.last_reviewed_at, len(project.review_events))
            response = decide(client, project, action, stars="2", time_rating="2", comment="Why, in ünïcode.")
            db.session.refresh(project)
            target = expected_target(status, action, role) if before[0] is status else None
            if role == "mentor":
                assert response.status_code == 403
            elif target is None:
                assert response.status_code == 409
            else:
                assert response.status_code == 302, (status, action)
                assert project.status is target
                continue
            assert (project.status, project.last_reviewed_at, len(project.review_events)) == before


def test_stale_notify_sends_one_message_per_mentor_with_working_confirmation_links(app, auth, client, runner, ctx,
                                                                                   mail_server):
    app.config.update(mail_server.config() | {"SITE_URL": "https://pioneer.example.org"})
    old = utcnow() - timedelta(days=200)
    ann, bob = make_user("Ann", username="ann", email="ann@example.org"), make_user("Bob", email="bob@example.org")
    # Cy never confirmed their address: only the confirmation link may be mailed to it.
    unconfirmed = make_user("Cy", email="cy@example.org", verified=False)
    make_project("Ann one", stars=2, mentors=[ann, unconfirmed], last_reviewed_at=old)
    make_project("Ann two", stars=1, mentors=[ann, bob], last_reviewed_at=old)
    make_project("Fresh", mentors=[ann, bob])
    make_project("Draft old", status=Status.DRAFT, mentors=[bob], last_reviewed_at=old)
    reviewer_user = make_user("Rita", roles=[Role.REVIEWER])
    db.session.commit()
    result = runner.invoke(args=["stale", "notify"])
    assert result.exit_code == 0, result.output
    assert "2 stale projects; sent 2 of 2 reminders" in result.output
    mail_server.wait_for(2)
    messages = {item.recipients[0]: item.message.get_content() for item in mail_server.messages}
    assert set(messages) == {"ann@example.org", "bob@example.org"}
    assert messages["ann@example.org"].index("Ann two") < messages["ann@example.org"].index("Ann one")
    assert "Fresh" not in messages["ann@example.org"] and "Draft old" not in messages["bob@example.org"]
    link = re.search(r"https://pioneer\.example\.org(/projects/ann-two/confirm)", messages["bob@example.org"]).group(1)

    # The link asks for sign-in first, then one button confirms.
    assert client.get(link).headers["Location"] == f"/login?next={link}"
    auth.login(bob)
    assert "Still accurate" in client.get(link).get_data(as_text=True)
    assert client.post(link).status_code == 302
    project = db.session.execute(db.select(Project).filter_by(slug="ann-two")).scalar_one()
    assert utcnow() - project.last_reviewed_at < timedelta(minutes=1)
    auth.login(reviewer_user)
    assert "Confirmed as still accurate by Bob" in client.get("/projects/ann-two").get_data(as_text=True)
    again = runner.invoke(args=["stale", "notify"])
    assert "1 stale projects; sent 1 of 1" in again.output


def test_a_stranger_cannot_confirm(auth, client, ctx):
    long_ago = utcnow() - timedelta(days=300)
    project = make_project("Not yours", last_reviewed_at=long_ago, needs_review=True)
    stranger = make_user()
    db.session.commit()
    auth.login(stranger)
    assert client.post("/projects/not-yours/confirm").status_code == 403
    db.session.refresh(project)
    # Still stale, still flagged, and nothing in its history.
    assert (project.last_reviewed_at, project.needs_review, project.review_events) == (long_ago, True, [])
