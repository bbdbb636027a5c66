"""Pickers: an intern's project and mentors by title and name, suggestions as JSON, "did you mean" (issue 16)."""

import pytest

from pioneer.database import db
from pioneer.domain import pickers
from pioneer.models import Intern, MentorInvitation, ProjectStatus, Role

from .factories import make_project, make_round, make_user


@pytest.fixture
def round_page(ctx, auth):
    """A coordinator signed in on a round, with three public projects, a draft and three accounts."""
    coordinator = make_user("Cora Coordinator", username="cora", roles=[Role.COORDINATOR])
    hannes = make_user("Hannes Mehnert", username="hannes")
    make_user("Hanna Ødegård", username="hodegard")
    make_user("Quiet Person", username="quiet")
    make_project("NTP client for unikernels", mentors=[hannes])
    make_project("Übersetzung des Handbuchs", mentors=[hannes])
    make_project("Network tests on virtual interfaces", mentors=[hannes])
    make_project("Secret draft", status=ProjectStatus.DRAFT, mentors=[hannes])
    round_ = make_round("Outreachy June 2027")
    db.session.commit()
    auth.login(coordinator)
    return f"/rounds/{round_.slug}"


def add(client, url, **fields):
    return client.post(url + "/interns", data={"name": "Jane Doe", "email": "jane@example.org",
                                                "status": "applicant"} | fields)


def test_part_of_a_title_and_a_mentor_s_name_add_the_intern(client, round_page):
    response = add(client, round_page, project="übersetzung", mentors="Hannes Mehnert")
    assert response.status_code == 302
    intern = db.session.execute(db.select(Intern)).scalar_one()
    assert intern.project.slug == pickers.find_project("Übersetzung des Handbuchs").found.slug
    assert [mentor.username for mentor in intern.mentors] == ["hannes"]


def test_a_picked_suggestion_and_an_address_name_still_work(client, round_page):
    response = add(client, round_page, project="NTP client for unikernels (ntp-client-for-unikernels)",
                   mentors="Hanna Ødegård (hodegard), @hannes")
    assert response.status_code == 302
    intern = db.session.execute(db.select(Intern)).scalar_one()
    assert intern.project.title == "NTP client for unikernels"
    assert sorted(mentor.username for mentor in intern.mentors) == ["hannes", "hodegard"]


def test_a_typo_answers_did_you_mean_keeps_what_was_typed_and_offers_the_suggestions(client, round_page):
    response = add(client, round_page, project="NTP clinet for unikernel", mentors="hannes, Quite Persn")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "No public project matches “NTP clinet for unikernel”. Did you mean “NTP client for unikernels" in html
    assert "No account matches “Quite Persn”. Did you mean “Quiet Person (quiet)”?" in html
    # The datalists offer the suggestions without script; the typed text stays in the fields.
    assert '<option value="NTP client for unikernels (ntp-client-for-unikernels)">' in html
    assert '<option value="hannes, Quiet Person (quiet)">' in html
    assert 'value="NTP clinet for unikernel"' in html and 'value="hannes, Quite Persn"' in html
    assert db.session.execute(db.select(Intern)).first() is None


def test_a_part_that_several_titles_share_lists_them(client, round_page):
    html = add(client, round_page, project="n").get_data(as_text=True)
    assert "More than one public project matches “n”" in html
    assert "Secret draft" not in html


def test_a_draft_is_never_picked_nor_suggested(client, round_page):
    html = add(client, round_page, project="secret-draft").get_data(as_text=True)
    assert "No public project matches “secret-draft”" in html and "Secret draft" not in html
    assert client.get("/suggest/projects?q=secret").get_json() == {"suggestions": []}


def test_suggestions_as_json_name_public_projects_and_public_mentors_only(client, round_page):
    assert client.get("/suggest/projects?q=UNIKERNEL").get_json() == {
        "suggestions": ["NTP client for unikernels (ntp-client-for-unikernels)"]}
    assert client.get("/suggest/projects?q=%25").get_json() == {"suggestions": []}
    assert client.get("/suggest/people?q=han").get_json() == {"suggestions": ["Hannes Mehnert (hannes)"]}
    # Accounts that mentor no public project are not listed (their names are not public).
    assert client.get("/suggest/people?q=quiet").get_json() == {"suggestions": []}
    assert client.get("/suggest/people?q=").get_json() == {"suggestions": []}


def test_the_intern_page_shows_the_project_and_mentors_by_name(client, round_page):
    add(client, round_page, project="ntp-client-for-unikernels", mentors="hannes")
    intern = db.session.execute(db.select(Intern)).scalar_one()
    html = client.get(f"{round_page}/interns/{intern.id}").get_data(as_text=True)
    assert 'value="NTP client for unikernels (ntp-client-for-unikernels)"' in html
    assert 'value="Hannes Mehnert (hannes)"' in html


@pytest.mark.parametrize(("typed", "zone"), [
    ("europe/paris", "Europe/Paris"), ("Paris", "Europe/Paris"), ("new york", "America/New_York"),
    ("UTC", "UTC"), ("São_Paulo", None)])
def test_time_zones_by_name_or_city(ctx, typed, zone):
    assert pickers.find_time_zone(typed).found == zone


def test_a_misspelt_city_suggests_its_zone(ctx):
    pick = pickers.find_time_zone("Pariss")
    assert pick.found is None and "Europe/Paris" in pick.suggestions
    assert pickers.did_you_mean("time zone", "Pariss", pick).startswith("No time zone matches “Pariss”. Did you mean")


def test_the_profile_takes_a_city_for_its_time_zone_and_suggests_for_a_typo(auth, client, ctx):
    user = make_user("Zoë Zone", username="zoe")
    db.session.commit()
    auth.login(user)
    form = {"name": "Zoë Zone", "email": "zoe@example.org", "capacity": "1"}
    page = client.get("/account/profile").get_data(as_text=True)
    assert 'list="time-zones"' in page and '<option value="Europe/Paris">' in page
    bad = client.post("/account/profile", data=form | {"timezone": "Pariss"})
    assert bad.status_code == 422
    assert "No time zone matches “Pariss”. Did you mean" in bad.get_data(as_text=True)
    assert 'value="Pariss"' in bad.get_data(as_text=True)
    assert client.post("/account/profile", data=form | {"timezone": "paris"}).status_code == 302
    db.session.refresh(user)
    assert user.timezone == "Europe/Paris"


def test_the_review_queue_filters_by_an_area_s_name(auth, client, ctx):
    reviewer = make_user("Rey Reviewer", username="rey", roles=[Role.REVIEWER])
    make_project("Stockage chiffré", status=ProjectStatus.PROPOSED, area="Storage")
    make_project("Paquets réseau", status=ProjectStatus.PROPOSED, area="Networking")
    db.session.commit()
    auth.login(reviewer)
    page = client.get("/review?area=storage").get_data(as_text=True)
    assert "Stockage chiffré" in page and "Paquets réseau" not in page
    assert 'value="Storage"' in page and '<option value="Networking">' in page
    typo = client.get("/review?area=Netwrking").get_data(as_text=True)
    assert "No area matches “Netwrking”. Did you mean “Networking”?" in typo


def test_co_mentors_by_a_public_mentor_s_name_or_a_picked_suggestion(auth, client, ctx):
    from .test_proposals import FORM, project_called, signed_in_mentor

    def invited_to(slug):
        project = project_called(slug)
        return db.session.execute(db.select(MentorInvitation.username).filter_by(project_id=project.id)).scalars().all()

    signed_in_mentor(auth)
    public = make_user("Ünal Öztürk", username="unal")
    make_project("A public project", mentors=[public])
    make_user("Private Person", username="private-person")
    db.session.commit()
    page = client.get("/projects/new").get_data(as_text=True)
    assert 'list="comentor-options"' in page and 'data-suggest="/suggest/people"' in page
    response = client.post("/projects/new", data=FORM | {"mentors": "mira, ünal öztürk", "action": "draft"})
    assert response.status_code == 302
    assert invited_to("ntp-client-for-unikernels") == ["unal"]
    # A name that is no public mentor's is not looked up (it would say whether an account exists): it is
    # refused as a username, as before.
    refused = client.post("/projects/new", data=FORM | {"title": "Second one", "mentors": "mira, Private Person",
                                                        "action": "draft"})
    assert refused.status_code == 422 and "a username has 3 to 40 lowercase letters" in refused.get_data(as_text=True)
    picked = client.post("/projects/new", data=FORM | {"title": "Third one",
                                                       "mentors": "mira, Private Person (private-person)",
                                                       "action": "draft"})
    assert picked.status_code == 302
    assert invited_to("third-one") == ["private-person"]
