"""Mentors propose and edit projects: drafts, rows, preview, submission, co-mentors and re-review flags."""

import re

from pioneer.database import db
from pioneer.models import Project, ProjectStatus, ReviewAction, Role, SkillLevel, Stars, TimeRating

from .factories import make_area, make_project, make_user

FORM = {
    "title": "NTP client for unikernels", "summary": "Keep a unikernel's clock right.",
    "description": "Write an **NTP** client.\n\n<script>alert(1)</script>", "outcomes": "- it syncs",
    "stars": "3", "time_rating": "4", "area": "networking",
    "skills-0-name": "OCaml", "skills-0-level": "comfortable", "skills-0-required": "required",
    "skills-1-name": "ntp", "skills-1-level": "concepts", "skills-1-required": "nice",
    "links-0-kind": "repository", "links-0-url": "https://github.com/example/ntp", "links-0-title": "Code",
}


def signed_in_mentor(auth, username="mira", **fields):
    make_area("Networking")
    mentor = make_user("Mira Mentor", username=username, **fields)
    db.session.commit()
    auth.login(mentor)
    return mentor


def has_input(page, name, value, checked=False):
    """Tell whether the page has an input called name with value (and checked, for a radio)."""
    for tag in re.findall(r"<input[^>]*>", page):
        if f'name="{name}"' in tag and f'value="{value}"' in tag and (not checked or " checked" in tag):
            return True
    return False


def project_called(slug):
    return db.session.execute(db.select(Project).filter_by(slug=slug)).scalar_one()


def test_a_draft_is_saved_with_every_field_and_stays_private(auth, client, app, ctx):
    mentor = signed_in_mentor(auth)
    form_page = client.get("/projects/new").get_data(as_text=True)
    assert has_input(form_page, "mentors", "mira")
    response = client.post("/projects/new", data=FORM | {"mentors": "mira", "action": "draft"})
    assert response.status_code == 302 and response.headers["Location"] == "/projects/ntp-client-for-unikernels"
    project = project_called("ntp-client-for-unikernels")
    assert project.status is ProjectStatus.DRAFT and project.proposed_by == mentor and project.mentors == [mentor]
    assert (project.stars, project.time_rating, project.area.slug) == (Stars.THREE, TimeRating.SEASON, "networking")
    assert [(row.name, row.level, row.required) for row in project.skills] == [
        ("ocaml", SkillLevel.COMFORTABLE, True), ("ntp", SkillLevel.CONCEPTS, False)]
    assert [(link.url, link.title) for link in project.links] == [("https://github.com/example/ntp", "Code")]
    page = client.get("/projects/ntp-client-for-unikernels").get_data(as_text=True)
    assert "Draft saved" in page and "<strong>NTP</strong>" in page and "&lt;script&gt;" in page
    auth.logout()
    assert client.get("/projects/ntp-client-for-unikernels").status_code == 404
    assert "NTP client" not in client.get("/projects?q=ntp").get_data(as_text=True)


def test_failed_validation_keeps_everything_typed_and_says_why_beside_the_field(auth, client, ctx):
    signed_in_mentor(auth)
    response = client.post("/projects/new", data=FORM | {"title": "", "links-0-url": "javascript:alert(1)",
                                                          "action": "draft", "mentors": "mira"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="title-error"' in page and "This field is required." in page
    assert "Give an http or https address." in page
    assert has_input(page, "summary", "Keep a unikernel&#39;s clock right.")
    assert has_input(page, "skills-0-name", "OCaml")
    assert db.session.execute(db.select(db.func.count(Project.id))).scalar_one() == 0


def test_skill_rows_are_added_and_removed_without_saving(auth, client, ctx):
    signed_in_mentor(auth)
    added = client.post("/projects/new", data=FORM | {"action": "add_skill"}).get_data(as_text=True)
    assert has_input(added, "skills-2-name", "") and has_input(added, "skills-1-name", "ntp")
    removed = client.post("/projects/new", data=FORM | {"action": "remove_skill:0"}).get_data(as_text=True)
    assert not has_input(removed, "skills-1-name", "ntp") and has_input(removed, "skills-0-name", "ntp")
    assert 'name="skills-1-name"' not in removed
    assert db.session.execute(db.select(db.func.count(Project.id))).scalar_one() == 0


def test_preview_renders_the_markdown_through_the_same_sanitiser_and_saves_nothing(auth, client, ctx):
    signed_in_mentor(auth)
    page = client.post("/projects/new", data=FORM | {
        "description": "Read [the RFC](https://www.rfc-editor.org/rfc/rfc5905) and [x](javascript:alert(1))",
        "action": "preview",
    }).get_data(as_text=True)
    assert "Preview" in page
    assert '<a href="https://www.rfc-editor.org/rfc/rfc5905" rel="nofollow noopener">the RFC</a>' in page
    assert 'href="javascript' not in page.split('id="preview-title"')[1].split("</section>")[0]
    assert db.session.execute(db.select(db.func.count(Project.id))).scalar_one() == 0


def test_submitting_needs_a_description_then_records_the_submission(auth, client, ctx):
    mentor = signed_in_mentor(auth)
    refused = client.post("/projects/new", data=FORM | {"description": "", "action": "submit", "mentors": "mira"})
    assert refused.status_code == 422 and "Describe the project" in refused.get_data(as_text=True)
    client.post("/projects/new", data=FORM | {"action": "submit", "mentors": "mira"})
    project = project_called("ntp-client-for-unikernels")
    assert project.status is ProjectStatus.PROPOSED
    [event] = project.review_events
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        ReviewAction.SUBMIT, mentor, ProjectStatus.DRAFT, ProjectStatus.PROPOSED)
    account = client.get("/account").get_data(as_text=True)
    assert "Proposed" in account and "NTP client for unikernels" in account


def test_co_mentors_are_named_by_username_and_invited(auth, client, ctx):
    make_user("Co Mentor", username="comentor")
    signed_in_mentor(auth)
    without_me = client.post("/projects/new", data=FORM | {"mentors": "comentor", "action": "draft"})
    assert without_me.status_code == 422 and "Keep your own username" in without_me.get_data(as_text=True)
    client.post("/projects/new", data=FORM | {"mentors": "mira, @comentor", "action": "draft"})
    # A co-mentor joins once they accept the invitation (tests/test_comentors.py).
    assert {user.username for user in project_called("ntp-client-for-unikernels").mentors} == {"mira"}


def test_edit_page_fills_from_the_project_and_resubmits_after_changes_were_requested(auth, client, ctx):
    mentor = signed_in_mentor(auth)
    project = make_project("Packet parser fuzzing", status=ProjectStatus.CHANGES_REQUESTED, mentors=[mentor],
                           skills=("ocaml", "fuzzing"), stars=None, time_rating=2)
    db.session.commit()
    page = client.get("/projects/packet-parser-fuzzing/edit").get_data(as_text=True)
    assert has_input(page, "skills-1-name", "fuzzing") and "Resubmit for review" in page
    assert has_input(page, "time_rating", "2", checked=True) and has_input(page, "stars", "0", checked=True)
    client.post("/projects/packet-parser-fuzzing/edit", data=FORM | {
        "title": "Packet parser fuzzing", "mentors": "mira", "action": "submit"})
    db.session.refresh(project)
    assert project.status is ProjectStatus.PROPOSED and project.slug == "packet-parser-fuzzing"
    assert project.review_events[-1].action is ReviewAction.RESUBMIT


def test_a_mentor_changing_the_rating_of_an_available_project_flags_it_for_re_review(auth, client, ctx):
    mentor = signed_in_mentor(auth)
    project = make_project("Live project", stars=1, time_rating=1, mentors=[mentor])
    db.session.commit()
    client.post("/projects/live-project/edit", data=FORM | {"title": "Live project", "stars": "2", "time_rating": "1",
                                                           "mentors": "mira", "action": "save"})
    db.session.refresh(project)
    assert project.status is ProjectStatus.AVAILABLE and project.stars is Stars.TWO and project.needs_review
    [event] = project.review_events
    assert (event.action, event.from_stars, event.to_stars) == (ReviewAction.RATE, Stars.ONE, Stars.TWO)
    history = client.get("/projects/live-project").get_data(as_text=True)
    assert "stars 1 → 2" in history


def test_a_reviewer_edits_any_project_without_flagging_it(auth, client, ctx):
    reviewer = make_user("Rev", username="rev", roles=[Role.REVIEWER])
    mentor = make_user("Owner", username="owner")
    project = make_project("Reviewed project", stars=1, time_rating=1, mentors=[mentor])
    db.session.commit()
    auth.login(reviewer)
    response = client.post("/projects/reviewed-project/edit", data=FORM | {
        "title": "Reviewed project", "stars": "3", "time_rating": "1", "mentors": "owner", "action": "save"})
    assert response.status_code == 302
    db.session.refresh(project)
    assert project.stars is Stars.THREE and not project.needs_review and project.mentors == [mentor]
    assert project.review_events[-1].actor == reviewer


def test_a_title_never_takes_a_page_path(auth, client, ctx):
    signed_in_mentor(auth)
    client.post("/projects/new", data=FORM | {"title": "New!!", "mentors": "mira", "action": "draft"})
    client.post("/projects/new", data=FORM | {"title": "New!!", "mentors": "mira", "action": "draft"})
    slugs = set(db.session.execute(db.select(Project.slug)).scalars())
    assert slugs == {"new-2", "new-3"}
