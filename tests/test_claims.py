"""Claims: newcomers claim, update and release projects; old claims expire with a notice by mail."""

from datetime import timedelta

import pytest

from pioneer.database import db
from pioneer.domain import claims
from pioneer.models import Claim, ClaimEnd, InternStatus, ProjectStatus, ReviewAction, utcnow

from .factories import make_claim, make_intern, make_project, make_round, make_user


def test_claiming_puts_the_project_in_progress_and_shows_who(auth, client, ctx):
    mentor = make_user("Mentor", username="mentor", capacity=2)
    newcomer = make_user("Nia Newcomer", username="nia")
    project = make_project("Claimable", mentors=[mentor])
    db.session.commit()
    assert "I want to work on this" in client.get("/projects/claimable").get_data(as_text=True)
    assert client.get("/projects/claimable/claim").headers["Location"] == "/login?next=/projects/claimable/claim"
    auth.login(newcomer)
    response = client.post("/projects/claimable/claim", data={"note": "Starting with the tests.", "action": "claim"})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.status is ProjectStatus.IN_PROGRESS
    assert project.review_events[-1].action is ReviewAction.START
    page = client.get("/projects/claimable").get_data(as_text=True)
    assert "Nia Newcomer, since" in page and "Update or release your claim" in page
    auth.login(mentor)
    account = client.get("/account").get_data(as_text=True)
    assert "Claimed by Nia Newcomer" in account and "Starting with the tests." in account
    assert "Can take on 1 more person" in client.get("/mentors/mentor").get_data(as_text=True)


def test_a_second_claim_is_refused_unless_the_mentors_allow_several(auth, client, ctx):
    first, second = make_user(username="first"), make_user(username="second")
    single = make_project("Single", status=ProjectStatus.IN_PROGRESS)
    several = make_project("Several", status=ProjectStatus.IN_PROGRESS, allow_multiple_claims=True)
    make_claim(single, first)
    make_claim(several, first)
    db.session.commit()
    auth.login(second)
    refused = client.post("/projects/single/claim", data={"action": "claim"})
    assert refused.status_code == 422 and "Someone already works on this project" in refused.get_data(as_text=True)
    assert client.post("/projects/several/claim", data={"action": "claim"}).status_code == 302
    assert len(db.session.execute(db.select(Claim).filter_by(ended_at=None)).scalars().all()) == 3


def test_mentors_cannot_claim_their_own_project(auth, client, ctx):
    mentor = make_user(username="own")
    make_project("Own project", mentors=[mentor])
    db.session.commit()
    auth.login(mentor)
    assert "I want to work on this" not in client.get("/projects/own-project").get_data(as_text=True)
    response = client.post("/projects/own-project/claim", data={"action": "claim"})
    assert response.status_code == 422 and "You mentor this project" in response.get_data(as_text=True)


def test_updating_restarts_the_clock_and_releasing_makes_the_project_available(auth, client, ctx):
    newcomer = make_user(username="worker")
    project = make_project("Worked on", status=ProjectStatus.IN_PROGRESS)
    claim = make_claim(project, newcomer, updated_at=utcnow() - timedelta(days=20))
    db.session.commit()
    auth.login(newcomer)
    client.post("/projects/worked-on/claim", data={"note": "Half way.", "action": "update"})
    db.session.refresh(claim)
    assert claim.note == "Half way." and utcnow() - claim.updated_at < timedelta(minutes=1)
    client.post("/projects/worked-on/claim", data={"action": "release"})
    db.session.refresh(claim)
    db.session.refresh(project)
    assert claim.end_reason is ClaimEnd.RELEASED and project.status is ProjectStatus.AVAILABLE


def test_claims_expire_releases_old_claims_and_mails_claimant_and_mentors(app, runner, ctx, mail_server):
    app.config.update(mail_server.config())
    mentors = [make_user("Mentor One", email="one@example.org"), make_user("Mentor Two", email="two@example.org"),
               make_user("Profile Only", password=None)]
    mentors[2].email = None
    stale_worker, fresh_worker = make_user("Stale Worker", email="stale@example.org"), make_user("Fresh Worker")
    old = make_project("Old claim", status=ProjectStatus.IN_PROGRESS, mentors=mentors)
    fresh = make_project("Fresh claim", status=ProjectStatus.IN_PROGRESS)
    make_claim(old, stale_worker, updated_at=utcnow() - timedelta(days=31))
    make_claim(fresh, fresh_worker, updated_at=utcnow() - timedelta(days=29))
    db.session.commit()
    result = runner.invoke(args=["claims", "expire"])
    assert result.exit_code == 0, result.output
    assert "Released 1 claim without an update for 30 days; sent 3 of 3 notices." in result.output
    db.session.expire_all()
    assert old.status is ProjectStatus.AVAILABLE and fresh.status is ProjectStatus.IN_PROGRESS
    assert old.claims[0].end_reason is ClaimEnd.EXPIRED
    mail_server.wait_for(3)
    received = {item.recipients[0]: item.message for item in mail_server.messages}
    assert set(received) == {"stale@example.org", "one@example.org", "two@example.org"}
    assert "has ended" in received["stale@example.org"]["Subject"]
    assert "/projects/old-claim" in received["one@example.org"].get_content()
    again = runner.invoke(args=["claims", "expire"])
    assert "Released 0 claims" in again.output and len(mail_server.messages) == 3


def test_claims_expire_keeps_the_release_when_mail_cannot_be_sent(app, runner, ctx):
    app.config.update({"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": 9, "MAIL_TIMEOUT": 2})
    project = make_project("Unlucky", status=ProjectStatus.IN_PROGRESS)
    make_claim(project, make_user(email="w@example.org"), updated_at=utcnow() - timedelta(days=40))
    db.session.commit()
    result = runner.invoke(args=["claims", "expire"])
    assert result.exit_code == 1
    assert "sent 0 of 1 notices" in result.output and "not sent to w@example.org" in result.output
    db.session.expire_all()
    assert project.status is ProjectStatus.AVAILABLE


def test_a_mentor_marks_a_project_done_with_its_hours_and_claims_end_as_finished(auth, client, ctx):
    mentor, worker, stranger = make_user(username="finisher"), make_user(), make_user()
    project = make_project("Nearly there", status=ProjectStatus.IN_PROGRESS, time_rating=2, mentors=[mentor])
    claim = make_claim(project, worker)
    db.session.commit()
    auth.login(stranger)
    assert client.post("/projects/nearly-there/finish", data={"actual_hours": "30"}).status_code == 403
    auth.login(mentor)
    page = client.get("/projects/nearly-there").get_data(as_text=True)
    assert "Mark as done" in page
    bad = client.post("/projects/nearly-there/finish", data={"actual_hours": "-3"}, follow_redirects=True)
    assert "between 1 and 5,000" in bad.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status is ProjectStatus.IN_PROGRESS
    assert client.post("/projects/nearly-there/finish", data={"actual_hours": "30"}).status_code == 302
    db.session.refresh(project)
    db.session.refresh(claim)
    assert project.status is ProjectStatus.DONE and project.actual_hours == 30
    assert claim.end_reason is ClaimEnd.FINISHED
    assert "it took 30 hours" in client.get("/projects/nearly-there").get_data(as_text=True)
    again = client.post("/projects/nearly-there/finish")
    assert again.status_code == 409
    # The refusal says why, in words, on the site's own error page.
    assert "A project that is done does not allow “marked done” now." in again.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status is ProjectStatus.DONE
    assert [event.action.value for event in project.review_events] == ["finish"]


# The claim rules themselves (pioneer/domain/claims.py), called directly.

def _working(project):
    return sorted(claim.user.username for claim in project.active_claims)


def test_make_claim_starts_an_available_project_and_keeps_the_note(ctx):
    newcomer = make_user(username="nia")
    project = make_project("Fresh one", mentors=[make_user()])
    db.session.commit()
    claim = claims.make_claim(project, newcomer, note="  I start with the parser.  ")
    assert project.status is ProjectStatus.IN_PROGRESS
    assert claim.note == "I start with the parser." and claim.is_active
    event = project.review_events[-1]
    assert (event.action, event.comment, event.actor) == (ReviewAction.START, "claimed", newcomer)
    assert claims.active_claim(project, newcomer) is claim


def test_make_claim_refuses_the_mentor_a_second_claim_and_a_taken_project(ctx):
    mentor, newcomer, other = make_user(), make_user(username="nia"), make_user(username="otto")
    project = make_project("Taken soon", mentors=[mentor])
    db.session.commit()

    def refusal(user):
        with pytest.raises(claims.ClaimError) as error:
            claims.make_claim(project, user)
        return str(error.value)

    assert refusal(mentor) == "You mentor this project, so you cannot claim it."
    claims.make_claim(project, newcomer)
    db.session.commit()
    assert refusal(newcomer) == "You already work on this project."
    assert refusal(other) == "Someone already works on this project. Look for a similar one that is available."
    assert _working(project) == ["nia"]


def test_a_claim_without_a_note_has_an_empty_note(ctx):
    project = make_project("No note")
    db.session.commit()
    assert claims.make_claim(project, make_user()).note == ""


@pytest.mark.parametrize("status", [ProjectStatus.DRAFT, ProjectStatus.PROPOSED, ProjectStatus.DONE,
                                    ProjectStatus.ARCHIVED])
def test_a_project_that_is_not_open_cannot_be_claimed_even_when_open_to_several(ctx, status):
    project = make_project("Not open", status=status, allow_multiple_claims=True)
    newcomer = make_user()
    db.session.commit()
    with pytest.raises(claims.ClaimError):
        claims.make_claim(project, newcomer)
    assert project.status is status and project.active_claims == []


def test_releasing_one_of_several_claims_keeps_the_project_in_progress(ctx):
    first, second = make_user(username="first"), make_user(username="second")
    project = make_project("Open to several", allow_multiple_claims=True)
    db.session.commit()
    claim_one = claims.make_claim(project, first)
    claims.make_claim(project, second)
    db.session.commit()
    claims.end_claim(claim_one, ClaimEnd.RELEASED, first)
    assert project.status is ProjectStatus.IN_PROGRESS and _working(project) == ["second"]
    assert claim_one.end_reason is ClaimEnd.RELEASED and utcnow() - claim_one.ended_at < timedelta(minutes=1)
    assert project.review_events[-1].action is ReviewAction.START  # no release recorded


def test_releasing_a_claim_beside_an_active_intern_keeps_the_project_in_progress(ctx):
    newcomer = make_user(username="nia")
    project = make_project("With an intern", status=ProjectStatus.IN_PROGRESS, allow_multiple_claims=True)
    make_intern(make_round(), project, status=InternStatus.ACTIVE)
    claim = make_claim(project, newcomer)
    db.session.commit()
    claims.end_claim(claim, ClaimEnd.RELEASED, newcomer)
    assert project.status is ProjectStatus.IN_PROGRESS and claim.ended_at is not None


def test_releasing_a_claim_beside_a_finished_intern_makes_the_project_available(ctx):
    newcomer = make_user(username="nia")
    project = make_project("Intern gone", status=ProjectStatus.IN_PROGRESS)
    make_intern(make_round(), project, status=InternStatus.COMPLETED)
    claim = make_claim(project, newcomer)
    db.session.commit()
    claims.end_claim(claim, ClaimEnd.EXPIRED, newcomer)
    assert project.status is ProjectStatus.AVAILABLE
    event = project.review_events[-1]
    assert (event.action, event.comment) == (ReviewAction.RELEASE, "claim expired")


def test_the_last_claim_released_makes_the_project_available_with_the_reason_in_its_history(ctx):
    newcomer = make_user(username="nia")
    project = make_project("Last one")
    db.session.commit()
    claim = claims.make_claim(project, newcomer)
    db.session.commit()
    claims.end_claim(claim, ClaimEnd.RELEASED, newcomer)
    assert project.status is ProjectStatus.AVAILABLE and project.active_claims == []
    event = project.review_events[-1]
    assert (event.action, event.comment, event.actor) == (ReviewAction.RELEASE, "claim released", newcomer)


def test_ending_a_claim_on_a_done_project_leaves_it_done(ctx):
    newcomer = make_user(username="nia")
    project = make_project("Finished", status=ProjectStatus.DONE)
    claim = make_claim(project, newcomer)
    db.session.commit()
    claims.end_claim(claim, ClaimEnd.FINISHED, newcomer)
    assert project.status is ProjectStatus.DONE and claim.end_reason is ClaimEnd.FINISHED


def test_updating_a_claim_keeps_the_new_note_and_restarts_the_clock(ctx):
    project = make_project("Going on", status=ProjectStatus.IN_PROGRESS)
    claim = make_claim(project, make_user(), note="old", updated_at=utcnow() - timedelta(days=25))
    db.session.commit()
    claims.update_claim(claim, "  half way  ")
    assert claim.note == "half way" and utcnow() - claim.updated_at < timedelta(minutes=1)


def test_expired_claims_are_the_active_ones_older_than_the_limit_oldest_first(ctx):
    project = make_project("Many claims", status=ProjectStatus.IN_PROGRESS, allow_multiple_claims=True)
    now = utcnow()
    # "More than 30 days": a claim updated exactly 30 days ago still stands.
    ages = {"fresh": 29, "exactly": 30, "old": 31, "older": 45, "ended": 60}
    made = {name: make_claim(project, make_user(username=name), updated_at=now - timedelta(days=days))
            for name, days in ages.items()}
    made["ended"].ended_at = now
    db.session.commit()
    assert [claim.user.username for claim in claims.expired_claims(30, now=now)] == ["older", "old"]
    assert [claim.user.username for claim in claims.expired_claims(40, now=now)] == ["older"]
    # Without a time given, it counts from now, a moment later: "exactly" is now just past its 30 days.
    assert [claim.user.username for claim in claims.expired_claims(30)] == ["older", "old", "exactly"]


def test_a_claim_takes_one_place_from_the_mentor_with_most_places_left(auth, client, ctx):
    busy = make_user("Busy Mentor", username="busy", capacity=2)
    free = make_user("Free Mentor", username="free", capacity=2)
    make_claim(make_project("Busy's other project", mentors=[busy]), make_user("Someone"))
    project = make_project("Shared project", mentors=[busy, free])
    newcomer = make_user("Nia Newcomer")
    db.session.commit()
    auth.login(newcomer)

    assert client.post(f"/projects/{project.slug}/claim", data={"action": "claim", "note": ""}).status_code == 302

    claim = db.session.execute(db.select(Claim).where(Claim.user_id == newcomer.id)).scalar_one()
    assert claim.mentor is free
    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    # Busy keeps their one place left; Free gave one of two. Before, both lost a place.
    assert page.count("1 place left") == 2 and "fully booked" not in page


def test_the_admin_list_names_roles_for_what_people_do(auth, client, ctx):
    admin = make_user("Ada Admin", username="ada-admin", roles=["admin"])
    make_user("Nico Newcomer", username="nico")
    make_project("Mentored", mentors=[make_user("Mo Mentor", username="mo")])
    db.session.commit()
    auth.login(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    rows = {username: page.split(f">{username}</a>")[1].split("</tr>")[0] for username in ("nico", "mo", "ada-admin")}
    assert "<td>newcomer</td>" in rows["nico"] and "mentor" not in rows["nico"]
    assert "<td>mentor</td>" in rows["mo"]
    assert "<td>admin</td>" in rows["ada-admin"]
