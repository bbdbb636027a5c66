"""Rounds and interns: coordinators run them; the public sees names and projects, never emails or notes."""

from datetime import date

import pytest

from pioneer.database import db
from pioneer.models import Intern, InternNote, InternStatus, ProjectStatus, ReviewAction, Role, Round

from .factories import make_intern, make_project, make_round, make_user


@pytest.fixture
def coordinator(ctx):
    user = make_user("Cora Coordinator", username="cora", roles=[Role.COORDINATOR])
    db.session.commit()
    return user


def test_a_coordinator_creates_a_round_with_its_dates(auth, client, coordinator):
    auth.login(coordinator)
    bad = client.post("/rounds/new", data={"name": "Outreachy December 2026 – March 2027",
                                           "starts_on": "2026-12-07", "ends_on": "2026-11-01"})
    assert bad.status_code == 422 and "ends on or after the day it starts" in bad.get_data(as_text=True)
    assert 'value="Outreachy December 2026 – March 2027"' in bad.get_data(as_text=True)
    response = client.post("/rounds/new", data={"name": "Outreachy December 2026 – March 2027",
                                                "starts_on": "2026-12-07", "ends_on": "2027-03-07"})
    assert response.status_code == 302 and response.headers["Location"] == "/rounds/outreachy-december-2026-march-2027"
    round_ = db.session.execute(db.select(Round)).scalar_one()
    assert (round_.starts_on, round_.ends_on) == (date(2026, 12, 7), date(2027, 3, 7))
    assert "Outreachy December 2026" in client.get("/rounds").get_data(as_text=True)


def test_an_active_intern_puts_the_project_in_progress_and_shows_on_it(auth, client, coordinator):
    mentor = make_user("Hannes Mentor", username="hannes")
    project = make_project("NTP client", mentors=[mentor])
    make_round("Outreachy December 2015 – March 2016")
    db.session.commit()
    auth.login(coordinator)
    response = client.post("/rounds/outreachy-december-2015-march-2016/interns", data={
        "name": "Jane Doe", "email": "jane@example.org", "project": "ntp-client", "mentors": "hannes",
        "status": "active", "override": "Recording the 2015 round after the fact."})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.status is ProjectStatus.IN_PROGRESS
    assert project.review_events[-1].action is ReviewAction.START
    page = client.get("/projects/ntp-client").get_data(as_text=True)
    assert "in progress: Jane Doe, Outreachy December 2015 – March 2016" in page
    listing = client.get("/projects?status=in_progress").get_data(as_text=True)
    assert "Jane Doe, Outreachy December 2015 – March 2016" in listing
    intern = db.session.execute(db.select(Intern)).scalar_one()
    assert intern.mentors == [mentor] and intern.status is InternStatus.ACTIVE


def test_completion_can_mark_the_project_done_with_the_hours_it_took(auth, client, coordinator):
    project = make_project("Storage driver", time_rating=3, status=ProjectStatus.IN_PROGRESS)
    intern = make_intern(make_round(), project, name="Grace")
    db.session.commit()
    auth.login(coordinator)
    url = f"/rounds/{intern.round.slug}/interns/{intern.id}"
    response = client.post(url, data={"name": "Grace", "email": intern.email, "project": "storage-driver",
                                      "status": "completed", "finish_project": "y", "actual_hours": "120"})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.status is ProjectStatus.DONE and project.actual_hours == 120
    assert "it took 120 hours" in client.get("/projects/storage-driver").get_data(as_text=True)


def test_a_withdrawn_intern_releases_the_project_and_statuses_only_move_forward(auth, client, coordinator):
    project = make_project("Left behind", status=ProjectStatus.IN_PROGRESS)
    intern = make_intern(make_round(), project, name="Wanda")
    db.session.commit()
    auth.login(coordinator)
    url = f"/rounds/{intern.round.slug}/interns/{intern.id}"
    fields = {"name": "Wanda", "email": intern.email, "project": "left-behind"}
    backwards = client.post(url, data=fields | {"status": "applicant"})
    assert backwards.status_code == 422 and "cannot become applicant" in backwards.get_data(as_text=True)
    assert client.post(url, data=fields | {"status": "withdrawn"}).status_code == 302
    db.session.refresh(project)
    assert project.status is ProjectStatus.AVAILABLE


def test_the_same_email_twice_in_a_round_is_refused(auth, client, coordinator):
    make_intern(make_round(), None, name="First", email="same@example.org")
    db.session.commit()
    auth.login(coordinator)
    slug = db.session.execute(db.select(Round.slug)).scalar_one()
    response = client.post(f"/rounds/{slug}/interns", data={"name": "Second", "email": "same@example.org",
                                                            "status": "applicant"})
    assert response.status_code == 422 and "already an intern of this round" in response.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(Intern.id))).scalar_one() == 1


def test_notes_are_for_coordinators_and_the_interns_mentors(app, auth, client, coordinator):
    mentor, other_mentor = make_user("Their Mentor", username="their"), make_user("Other Mentor", username="other")
    project = make_project("Noted project", mentors=[mentor, other_mentor], status=ProjectStatus.IN_PROGRESS)
    intern = make_intern(make_round(), project, mentors=[mentor], name="Noted Intern", email="noted@example.org")
    db.session.commit()
    url = f"/rounds/{intern.round.slug}/interns/{intern.id}"
    auth.login(mentor)
    assert client.post(url + "/notes", data={"body": "Week 2: first patch merged."}).status_code == 302
    assert "Week 2: first patch merged." in client.get(url).get_data(as_text=True)
    renamed = {"name": "Renamed", "email": "x@example.org", "status": "completed"}
    assert client.post(url, data=renamed).status_code == 403
    auth.login(other_mentor)
    assert client.get(url).status_code == 404
    assert client.post(url + "/notes", data={"body": "sneaky"}).status_code == 404
    auth.login(coordinator)
    assert "Week 2: first patch merged." in client.get(url).get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(InternNote.id))).scalar_one() == 1


def test_only_coordinators_manage_rounds(auth, client, ctx):
    make_round()
    reviewer = make_user(roles=[Role.REVIEWER, Role.ADMIN])
    db.session.commit()
    slug = db.session.execute(db.select(Round.slug)).scalar_one()
    assert client.get("/rounds/new").headers["Location"].startswith("/login")
    auth.login(reviewer)
    assert client.get("/rounds/new").status_code == 403
    assert client.get(f"/rounds/{slug}/edit").status_code == 403
    assert client.post(f"/rounds/{slug}/interns", data={"name": "X", "email": "x@example.org"}).status_code == 403
