"""Forms that keep the reader's place: rows come back to their section, errors link to their fields; the header
and a draft's page offer what their visitor can do next (issue 16)."""

import re

from pioneer.database import db
from pioneer.models import ProjectStatus, ReviewAction, Role

from .factories import make_area, make_project, make_user
from .test_proposals import FORM, project_called, signed_in_mentor


def test_adding_a_skill_comes_back_to_the_skills_with_the_new_row_focused(auth, client, ctx):
    signed_in_mentor(auth)
    page = client.post("/projects/new", data=FORM | {"title": "Übersetzung des Handbuchs", "action": "add_skill"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    # The buttons send the form to the page's own address with the section's fragment.
    assert re.search(r'value="add_skill" formaction="/projects/new#skills-rows"', html)
    assert 'id="skills-rows"' in html
    # The third (new) row's name field holds focus, and nothing typed is lost.
    assert re.search(r'<input[^>]*autofocus[^>]*id="skills-2-name"|<input[^>]*id="skills-2-name"[^>]*autofocus', html)
    assert 'value="Übersetzung des Handbuchs"' in html and 'value="ntp"' in html


def test_removing_a_link_focuses_the_add_a_link_button(auth, client, ctx):
    signed_in_mentor(auth)
    html = client.post("/projects/new", data=FORM | {"action": "remove_link:0"}).get_data(as_text=True)
    assert re.search(r'value="add_link" formaction="/projects/new#links-rows" autofocus>Add a link', html)
    assert 'autofocus' not in html.split('value="add_link"')[0].split('id="links-rows"')[1]


def test_the_error_summary_links_each_field_that_needs_another_look(auth, client, ctx):
    signed_in_mentor(auth)
    response = client.post("/projects/new", data=FORM | {
        "title": "ab", "summary": "", "stars": "9", "links-0-url": "ftp://例え.jp/", "action": "draft"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html.split('class="form-problems"')[1].split("</div>")[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>: ([^<]+)</li>', summary)
    assert [(target, label) for target, label, _message in links] == [
        ("title", "Title"), ("summary", "Summary"), ("stars-0", "Difficulty"), ("links-0-url", "Links, row 1: Address")]
    assert "Give an http or https address." in summary
    # Every link leads to a control that exists on the page.
    for target, _label, _message in links:
        assert f'id="{target}"' in html
    # Script focuses the first one.
    assert 'data-focus="title"' in html


def test_a_mentor_submits_a_draft_from_its_page(auth, client, ctx):
    mentor = signed_in_mentor(auth)
    project = make_project("Ñandú: a first draft", status=ProjectStatus.DRAFT, mentors=[mentor],
                           description="Write the **first** part.")
    db.session.commit()
    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert f'action="/projects/{project.slug}/submit"' in page and ">Submit for review</button>" in page
    response = client.post(f"/projects/{project.slug}/submit")
    assert response.status_code == 302 and response.headers["Location"] == f"/projects/{project.slug}"
    db.session.expire_all()
    assert project_called(project.slug).status is ProjectStatus.PROPOSED
    assert [event.action for event in project_called(project.slug).review_events][-1] is ReviewAction.SUBMIT
    page = client.get(f"/projects/{project.slug}").get_data(as_text=True)
    assert "Submit for review" not in page and "The project waits for a reviewer" in page


def test_a_draft_without_a_description_goes_back_to_the_form_instead(auth, client, ctx):
    mentor = signed_in_mentor(auth)
    project = make_project("Empty draft", status=ProjectStatus.DRAFT, mentors=[mentor], description="  ")
    db.session.commit()
    response = client.post(f"/projects/{project.slug}/submit", follow_redirects=True)
    assert "Describe the project before you submit it for review." in response.get_data(as_text=True)
    db.session.expire_all()
    assert project_called(project.slug).status is ProjectStatus.DRAFT


def test_nobody_else_submits_a_draft_or_sees_the_button(auth, client, ctx):
    owner = make_user("Owner Ōno", username="owner")
    project = make_project("Someone's draft", status=ProjectStatus.DRAFT, mentors=[owner])
    other = make_user("Other", username="other")
    db.session.commit()
    auth.login(other)
    assert client.get(f"/projects/{project.slug}").status_code == 404
    assert client.post(f"/projects/{project.slug}/submit").status_code == 404
    db.session.expire_all()
    assert project_called(project.slug).status is ProjectStatus.DRAFT
    auth.logout()
    assert client.post(f"/projects/{project.slug}/submit").headers["Location"].startswith("/login")
    db.session.expire_all()
    assert project_called(project.slug).status is ProjectStatus.DRAFT


def test_an_available_project_offers_no_submit_button(auth, client, ctx):
    mentor = signed_in_mentor(auth)
    project = make_project("Public already", mentors=[mentor])
    db.session.commit()
    assert "Submit for review" not in client.get(f"/projects/{project.slug}").get_data(as_text=True)
    refused = client.post(f"/projects/{project.slug}/submit")
    assert refused.status_code == 409 and "does not allow" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert project_called(project.slug).status is ProjectStatus.AVAILABLE


def test_admins_find_the_admin_pages_in_the_header_and_others_do_not(auth, client, ctx):
    make_area("Storage")
    admin = make_user("Ada Admin", username="ada", roles=[Role.ADMIN])
    reviewer = make_user("Rey Reviewer", username="rey", roles=[Role.REVIEWER])
    db.session.commit()
    auth.login(admin)
    header = client.get("/projects").get_data(as_text=True).split("</header>")[0]
    assert '<a href="/admin/users">Admin</a>' in header
    auth.logout()
    auth.login(reviewer)
    header = client.get("/projects").get_data(as_text=True).split("</header>")[0]
    assert "/admin/users" not in header and ">Review</a>" in header
