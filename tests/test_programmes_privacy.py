"""Intern emails and notes, applicants and withdrawn interns reach no public page or feed.

Outreachy publishes accepted, active and completed interns; applicants and withdrawn interns stay
with coordinators (and the intern's own mentors), whoever else looks.
"""

import re
from datetime import timedelta

import pytest

from pioneer.calls.services import rsvp_token
from pioneer.database import db
from pioneer.domain.interns import add_note
from pioneer.models import Call, CallRepeat, InternStatus, Invitation, ProjectStatus, Role, utcnow

from .factories import make_intern, make_project, make_round, make_user

SECRET_EMAIL = "private.intern@example.org"
SECRET_NOTE = "Struggling with the build; talked on Tuesday."
# Interns the public never learns about, and one it does.
HIDDEN_INTERNS = {"Apple Applicant": InternStatus.APPLICANT, "Willa Withdrawn": InternStatus.WITHDRAWN}


@pytest.fixture
def programme(ctx):
    """A round with an active intern on a public project, a private note, a call and an invitation."""
    mentor = make_user("Intern Mentor", username="intern-mentor")
    unrelated = make_user("Unrelated Mentor", username="unrelated")
    newcomer = make_user("New Comer", username="newcomer")
    coordinator = make_user("Cora", username="cora", roles=[Role.COORDINATOR])
    project = make_project("Time sync", mentors=[mentor], status=ProjectStatus.IN_PROGRESS)
    make_project("Unrelated project", mentors=[unrelated])
    round_ = make_round()
    intern = make_intern(round_, project, mentors=[mentor], name="Ivy Intern", email=SECRET_EMAIL)
    make_intern(round_, project, name="Aubrey Accepted", status=InternStatus.ACCEPTED)
    hidden = [make_intern(round_, project, name=name, status=status) for name, status in HIDDEN_INTERNS.items()]
    add_note(intern, coordinator, SECRET_NOTE)
    call = Call(title="Weekly community call", starts_at=utcnow() + timedelta(days=3), duration_minutes=60,
                join_url="https://meet.example.org/weekly", repeat=CallRepeat.WEEKLY,
                repeat_until=(utcnow() + timedelta(days=60)).date())
    db.session.add(call)
    db.session.add(Invitation(call=call, intern=intern, name=intern.name, email=SECRET_EMAIL, sent_at=utcnow()))
    db.session.add(Invitation(call=call, intern=hidden[0], name=hidden[0].name, email=hidden[0].email))
    db.session.commit()
    return {"intern": intern, "call": call, "users": {"newcomer": newcomer, "unrelated": unrelated,
                                                      "mentor": mentor, "coordinator": coordinator}}


def every_get_page(app, programme):
    """Every GET route of the app with its placeholders filled from the programme."""
    intern, call = programme["intern"], programme["call"]
    values = {"slug": None, "username": "intern-mentor", "call_id": str(call.id), "intern_id": str(intern.id),
              "filename": "css/pioneer.css", "id": str(call.id),
              # The mailed RSVP page of the call's invitation: it greets the invitee by name, nothing more.
              "token": rsvp_token(call.invitations[0])}
    paths = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        slug = intern.round.slug if "round" in rule.endpoint or "intern" in rule.endpoint else intern.project.slug
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match, slug=slug: values[match.group(1)] or slug, rule.rule)
        paths.add(path)
    # Open data with the filters that reach the intern's project (docs/api.md): the API, feed, embed, downloads.
    open_data = {f"{path}?{query}" for path in ("/api/v1/projects", "/feeds/projects.atom", "/embed/projects",
                                               "/downloads/projects.csv", "/downloads/projects.json")
                 for query in ("q=time+sync", "status=in_progress", "mentor=intern-mentor")}
    return sorted(paths | open_data | {"/projects?q=time+sync", "/projects?status=in_progress", "/calls.ics"})


@pytest.mark.parametrize("actor", ["anonymous", "newcomer", "unrelated"])
def test_no_page_or_feed_shows_an_intern_email_or_note(app, auth, client, programme, actor):
    if actor != "anonymous":
        auth.login(programme["users"][actor])
    paths = every_get_page(app, programme)
    assert len(paths) >= 20
    seen = []
    for path in paths:
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert SECRET_EMAIL not in body and SECRET_NOTE not in body, (actor, path)
        if response.status_code == 200:
            seen.append(path)
    # The public pages were really looked at: the round shows the intern by name.
    assert f"/rounds/{programme['intern'].round.slug}" in seen
    assert {"/api/v1/rounds", "/api/v1/calls", "/feeds/projects.atom?status=in_progress",
            "/downloads/projects.csv?q=time+sync", f"/api/v1/projects/{programme['intern'].project.slug}"} <= set(seen)
    assert "Ivy Intern" in client.get(f"/rounds/{programme['intern'].round.slug}").get_data(as_text=True)


@pytest.mark.parametrize("actor", ["mentor", "coordinator"])
def test_the_interns_mentors_and_coordinators_do_see_them(auth, client, programme, actor):
    auth.login(programme["users"][actor])
    intern = programme["intern"]
    round_page = client.get(f"/rounds/{intern.round.slug}").get_data(as_text=True)
    assert SECRET_EMAIL in round_page
    assert SECRET_NOTE in client.get(f"/rounds/{intern.round.slug}/interns/{intern.id}").get_data(as_text=True)


@pytest.mark.parametrize("actor", ["anonymous", "newcomer", "unrelated", "mentor"])
def test_applicants_and_withdrawn_interns_are_on_no_public_page(app, auth, client, programme, actor):
    if actor != "anonymous":
        auth.login(programme["users"][actor])
    for path in every_get_page(app, programme):
        body = client.get(path).get_data(as_text=True)
        assert not any(name in body for name in HIDDEN_INTERNS), (actor, path)
    round_page = client.get(f"/rounds/{programme['intern'].round.slug}").get_data(as_text=True)
    assert "Ivy Intern" in round_page and "Aubrey Accepted" in round_page
    assert "not chosen yet" not in round_page
    # The round's count is of the interns the page lists: accepted and active, not the two hidden.
    assert re.search(r"Interns <span class=\"count\">2</span>", round_page)
    assert re.search(r"</a></td>\s*<td>[^<]*</td>\s*<td>2</td>", client.get("/rounds").get_data(as_text=True))
    # The project page names who works on it now: the active intern.
    assert "Ivy Intern" in client.get(f"/projects/{programme['intern'].project.slug}").get_data(as_text=True)


def test_coordinators_see_applicants_and_withdrawn_interns_on_the_round(auth, client, programme):
    auth.login(programme["users"]["coordinator"])
    round_page = client.get(f"/rounds/{programme['intern'].round.slug}").get_data(as_text=True)
    assert all(name in round_page for name in HIDDEN_INTERNS)
    # One count everywhere (as /rounds): the two hidden ones are listed to coordinators but not counted.
    assert "Interns <span class=\"count\">2</span>" in round_page
    assert "Also shown to you: 2 applicants or withdrawn interns, not counted." in round_page
