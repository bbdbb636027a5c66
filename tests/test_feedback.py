"""Feedback that can be acted on, and credit: a comment is needed to send back or reject, it heads the edit
form, mentors and reviewers talk in the history (privately), and finished work names who did it."""

import pytest

from pioneer.database import db
from pioneer.models import ProjectStatus, ReviewAction, ReviewEvent

from .factories import make_claim, make_project, make_user

COMMENT = "Split it in two: the parser first, then the “pretty” printer ✂"


@pytest.fixture
def people(ctx):
    mentor = make_user("Mía Mentor", username="mia")
    reviewer = make_user("Rey Viewer", username="rey", roles=["reviewer"])
    other = make_user("Other Person", username="other")
    db.session.commit()
    return mentor, reviewer, other


def decide(client, project, action, **fields):
    data = {"action": action, "expected_status": project.status.value, "stars": "0", "time_rating": "0"} | fields
    return client.post(f"/review/{project.slug}", data=data)


@pytest.mark.parametrize("action", ["request_changes", "reject"])
@pytest.mark.parametrize("comment", ["", "   \n "])
def test_sending_back_or_rejecting_without_a_comment_is_refused(auth, client, people, action, comment):
    mentor, reviewer, _other = people
    project = make_project("Vague idea", status=ProjectStatus.PROPOSED, mentors=[mentor])
    db.session.commit()
    auth.login(reviewer)

    response = decide(client, project, action, comment=comment)

    assert response.status_code == 422
    assert "needs a comment" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.status is ProjectStatus.PROPOSED
    assert [event.action for event in project.review_events] == []


def test_approving_without_a_comment_still_works(auth, client, people):
    mentor, reviewer, _other = people
    project = make_project("Clear idea", status=ProjectStatus.PROPOSED, mentors=[mentor])
    db.session.commit()
    auth.login(reviewer)
    assert decide(client, project, "approve", stars="1", time_rating="1").status_code == 302


def test_the_reviewers_comment_heads_the_edit_form(auth, client, people):
    mentor, reviewer, _other = people
    project = make_project("Vague idea", status=ProjectStatus.PROPOSED, mentors=[mentor])
    db.session.commit()
    auth.login(reviewer)
    assert decide(client, project, "request_changes", comment=COMMENT).status_code == 302
    auth.logout()
    auth.login(mentor)

    page = client.get(f"/projects/{project.slug}/edit").get_data(as_text=True)

    assert "What the reviewer said" in page
    assert page.index("What the reviewer said") < page.index('name="title"')
    assert "Split it in two: the parser first, then the “pretty” printer ✂" in page
    assert "Rey Viewer" in page


def test_the_history_thread_is_for_mentors_and_reviewers_only(auth, client, people):
    mentor, reviewer, other = people
    project = make_project("Public project", mentors=[mentor])
    db.session.commit()
    auth.login(mentor)
    response = client.post(f"/projects/{project.slug}/comments", data={"comment": "Ready for another look? 🙏"})
    assert response.status_code == 302
    auth.logout()
    auth.login(reviewer)
    assert client.post(f"/projects/{project.slug}/comments", data={"comment": "Looks good to me."}).status_code == 302
    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert "Ready for another look? 🙏" in page and "Looks good to me." in page
    assert page.index("Looks good to me.") < page.index("Ready for another look?")  # newest first

    auth.logout()
    auth.login(other)
    assert client.post(f"/projects/{project.slug}/comments", data={"comment": "Let me in"}).status_code == 403
    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert "Ready for another look?" not in page and 'name="comment"' not in page
    auth.logout()
    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert "Looks good to me." not in page
    comments = db.session.execute(db.select(ReviewEvent).where(ReviewEvent.action == ReviewAction.COMMENT)).scalars()
    assert [event.comment for event in comments] == ["Ready for another look? 🙏", "Looks good to me."]


def test_a_draft_thread_is_hidden_from_everyone_else(auth, client, people):
    mentor, _reviewer, other = people
    draft = make_project("Secret draft", status=ProjectStatus.DRAFT, mentors=[mentor])
    db.session.commit()
    auth.login(other)
    assert client.post(f"/projects/{draft.slug}/comments", data={"comment": "Hello"}).status_code == 404


def test_an_empty_or_huge_comment_is_refused_with_a_reason(auth, client, people):
    mentor, _reviewer, _other = people
    project = make_project("Public project", mentors=[mentor])
    db.session.commit()
    auth.login(mentor)
    for text in ("  ", "x" * 2001):
        response = client.post(f"/projects/{project.slug}/comments", data={"comment": text}, follow_redirects=True)
        assert "Write a comment of 1 to 2,000 characters." in response.get_data(as_text=True)
    assert project.review_events == []


def test_finished_work_is_credited_on_the_project_account_and_profile(auth, client, people):
    mentor, _reviewer, _other = people
    newcomer = make_user("Zoë Ångström", username="zoe")
    project = make_project("Tiny TCP stack", mentors=[mentor], status=ProjectStatus.IN_PROGRESS)
    make_claim(project, newcomer)
    db.session.commit()
    # Before: a newcomer who finished nothing and mentors nothing has no public page.
    assert client.get("/mentors/zoe").status_code == 404
    auth.login(mentor)
    assert client.post(f"/projects/{project.slug}/finish", data={"actual_hours": "35"}).status_code == 302
    auth.logout()

    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert "Done by" in page and 'href="/mentors/zoe">Zoë Ångström</a> (35 h)' in page
    profile = client.get("/mentors/zoe")
    assert profile.status_code == 200
    text = profile.get_data(as_text=True)
    assert "Finished" in text and "Tiny TCP stack" in text and "(35 h)" in text
    assert "Can take on" not in text and "Fully booked" not in text  # not offered as a mentor
    assert newcomer.email not in text
    auth.login(newcomer)
    account = client.get("/account").get_data(as_text=True)
    assert "Tiny TCP stack" in account and "None yet: projects you finish" not in account


def test_a_mentors_contact_ways_show_in_how_to_start(auth, client, people):
    mentor, _reviewer, _other = people
    project = make_project("Open project", mentors=[mentor])
    db.session.commit()
    auth.login(mentor)
    response = client.post("/account/profile", data={
        "name": "Mía Mentor", "email": mentor.email, "capacity": "2", "contact_chat": "@mía on Zulip",
        "contact_forum": "https://forum.example.org/c/starters", "public_email": "mia.public@example.org",
        "office_hours": "Tuesdays 14:00–16:00 UTC", "office_hours_url": "https://meet.example.org/mia"})
    assert response.status_code == 302
    auth.logout()

    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert "How to start" in page and "@mía on Zulip" in page
    assert 'href="https://forum.example.org/c/starters"' in page
    assert 'href="mailto:mia.public@example.org"' in page
    assert '<a href="https://meet.example.org/mia" rel="nofollow noopener">Tuesdays 14:00–16:00 UTC</a>' in page
    assert mentor.email not in page
    mentor_page = client.get("/mentors/mia").get_data(as_text=True)
    assert "How to reach Mía Mentor" in mentor_page and "@mía on Zulip" in mentor_page


def test_contact_links_must_be_web_addresses(auth, client, people):
    mentor, _reviewer, _other = people
    auth.login(mentor)
    response = client.post("/account/profile", data={
        "name": "Mía Mentor", "email": mentor.email, "capacity": "2", "contact_chat": "@mia",
        "contact_forum": "javascript:alert(1)"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give an http or https address." in page and 'value="@mia"' in page
