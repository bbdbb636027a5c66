"""The JSON API as its users meet it: the same listing as /projects, one record format, errors, caching."""

import json
import re

from openapi_spec_validator import validate as validate_spec

from pioneer.database import db
from pioneer.domain.records import project_record, projects_for_records
from pioneer.importer import export_json, projects_to_export
from pioneer.models import Project

from ..factories import make_project, make_user
from ..query_counter import counted_queries
from .conftest import DRAFT_TITLE, SECRET_EMAIL
from .openapi import assert_matches_description

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
ROW_SLUG = re.compile(r'class="project-title"><a href="/projects/([^"]+)"')


def spec_of(client):
    return client.get("/api/v1/openapi.json").get_json()


def page_slugs(client, query):
    """The slugs /projects shows for a query, in order, over every page."""
    slugs, page = [], 1
    while True:
        html = client.get(f"/projects?{query}&page={page}").get_data(as_text=True)
        found = ROW_SLUG.findall(html)
        slugs += found
        if 'rel="next"' not in html:
            return slugs
        page += 1


def api_slugs(client, query, per_page=2):
    """The slugs the API lists for a query, following its next links."""
    slugs, url = [], f"/api/v1/projects?{query}&per_page={per_page}"
    while url:
        body = client.get(url).get_json()
        slugs += [project["slug"] for project in body["projects"]]
        url = body["links"]["next"]
    return slugs


def test_the_description_is_valid_openapi_3_1_with_examples(client):
    spec = spec_of(client)
    validate_spec(spec)
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {
        "/api/v1/projects", "/api/v1/projects/{slug}", "/api/v1/mentors", "/api/v1/mentors/{username}",
        "/api/v1/areas", "/api/v1/skills", "/api/v1/rounds", "/api/v1/calls",
    }
    for path, item in spec["paths"].items():
        assert "example" in item["get"]["responses"]["200"]["content"]["application/json"], path
    filters = {parameter["name"] for parameter in spec["paths"]["/api/v1/projects"]["get"]["parameters"]}
    assert filters == {"q", "stars", "time", "area", "skill", "status", "mentor", "sort", "page", "per_page"}
    problem = spec["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(problem) == ["application/problem+json"]
    for path in ("/api/v1/projects/{slug}", "/api/v1/mentors/{username}"):
        assert spec["paths"][path]["get"]["responses"]["404"]["content"]["application/problem+json"]["example"]
    assert spec["components"]["responses"]["BAD_REQUEST"]["content"]["application/problem+json"]["example"][
        "invalid-params"] == [{"name": "stars", "reason": "stars goes from 1 to 5, or 0 for not rated."}]


def test_every_answer_matches_the_description(client, catalogue):
    spec = spec_of(client)
    requests = {
        "/api/v1/projects": ["/api/v1/projects", "/api/v1/projects?stars=1&stars=0&sort=title&per_page=1",
                             "/api/v1/projects?q=tcp", "/api/v1/projects?status=done", "/api/v1/projects?stars=9",
                             "/api/v1/projects?per_page=500", "/api/v1/projects?status=draft"],
        "/api/v1/projects/{slug}": [f"/api/v1/projects/{catalogue['tcp']}", f"/api/v1/projects/{catalogue['busy']}",
                                    f"/api/v1/projects/{catalogue['draft']}", "/api/v1/projects/nope"],
        "/api/v1/mentors": ["/api/v1/mentors", "/api/v1/mentors?page=2", "/api/v1/mentors?page=x"],
        "/api/v1/mentors/{username}": ["/api/v1/mentors/zoe", "/api/v1/mentors/rhea"],
        "/api/v1/areas": ["/api/v1/areas"],
        "/api/v1/skills": ["/api/v1/skills"],
        "/api/v1/rounds": ["/api/v1/rounds"],
        "/api/v1/calls": ["/api/v1/calls"],
    }
    statuses = set()
    for template, urls in requests.items():
        for url in urls:
            response = client.get(url)
            statuses.add(response.status_code)
            assert_matches_description(spec, template, response)
    assert statuses == {200, 400, 404}


def test_the_listing_is_the_catalogue_pages_listing(client, catalogue):
    for query in ("stars=1", "sort=title", "stars=1&stars=0&sort=stars", "time=2&time=3", "skill=ocaml",
                  "status=in_progress", "mentor=zoe&sort=time", "area=storage", "q=tcp", "q=stars:1"):
        assert api_slugs(client, query) == page_slugs(client, query), query
    assert api_slugs(client, "sort=newest", per_page=100) == [
        catalogue[key] for key in ("busy", "dns", "tcp", "unrated", "done")]


def test_pages_link_to_each_other_in_the_body_and_the_link_header(client, catalogue):
    first = client.get("/api/v1/projects?sort=title&per_page=2&skill=ocaml&skill=tcp/ip")
    body = first.get_json()
    assert (body["total"], body["page"], body["per_page"], len(body["projects"])) == (1, 1, 2, 1)
    assert body["links"]["next"] is None and body["links"]["prev"] is None
    response = client.get("/api/v1/projects?sort=title&per_page=2")
    body = response.get_json()
    assert body["total"] == 5 and body["links"]["prev"] is None
    assert body["links"]["next"] == "http://localhost/api/v1/projects?sort=title&per_page=2&page=2"
    assert response.headers["Link"] == f'<{body["links"]["self"]}>; rel="self", <{body["links"]["next"]}>; rel="next"'
    second = client.get(body["links"]["next"]).get_json()
    assert second["page"] == 2
    assert second["links"]["prev"] == "http://localhost/api/v1/projects?sort=title&per_page=2&page=1"
    assert {p["slug"] for p in body["projects"]}.isdisjoint({p["slug"] for p in second["projects"]})


def test_a_project_is_the_json_exports_record_plus_its_address(app, client, catalogue):
    with app.app_context():
        exported = {record["slug"]: record for record in json.loads(export_json(projects_to_export()))["projects"]}
    answer = client.get(f"/api/v1/projects/{catalogue['tcp']}").get_json()
    assert answer == {**exported[catalogue["tcp"]], "url": f"http://localhost/projects/{catalogue['tcp']}"}
    assert answer["title"] == "Tests for the TCP/IP stack — ünïcode"
    assert answer["links"] == [{"title": "Repository «tcp»", "url": "https://example.org/tcp", "kind": "repository"}]
    listed = client.get("/api/v1/projects?per_page=100").get_json()["projects"]
    assert listed and all(project == {**exported[project["slug"]], "url": project["url"]} for project in listed)
    done = client.get(f"/api/v1/projects/{catalogue['done']}").get_json()
    assert (done["status"], done["hours"]) == ("done", 12)


def test_hidden_and_unknown_projects_are_a_404_problem(client, catalogue):
    for slug in (catalogue["draft"], catalogue["archived"], "no-such-project", "ünïcode-slug"):
        response = client.get(f"/api/v1/projects/{slug}")
        assert response.status_code == 404 and response.mimetype == "application/problem+json"
        problem = response.get_json()
        assert problem == {"type": "about:blank", "title": "Not Found", "status": 404,
                           "detail": "No public project has this slug."}
    unknown = client.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"


def test_bad_filter_values_are_a_400_naming_the_parameter_and_why(client, catalogue):
    cases = {
        "stars=7": ("stars", "stars goes from 1 to 5, or 0 for not rated."),
        "stars=two": ("stars", "Not a valid integer."),
        "stars=1&stars=-1": ("stars", "stars goes from 1 to 5, or 0 for not rated."),
        "time=0": ("time", "time goes from 1 (a day) to 5 (an internship)."),
        "status=draft": ("status", "choose available, in_progress or done."),
        "sort=popular": ("sort", "choose one of relevance, newest, stars, time, title."),
        "per_page=101": ("per_page", "per_page goes from 1 to 100."),
        "page=0": ("page", "page goes from 1 to 99999."),
        "q=a%00b": (None, "NUL character"),
        # int() reads "١" (Arabic-Indic one) as 1, the page does not: refused like on the page.
        "stars=%D9%A1": ("stars", "Ignored stars=١: stars goes from 1 to 5, or 0 for not rated."),
    }
    for query, (name, reason) in cases.items():
        response = client.get(f"/api/v1/projects?{query}")
        assert response.status_code == 400, query
        assert response.mimetype == "application/problem+json", query
        problem = response.get_json()
        assert problem["status"] == 400 and problem["title"] == "Bad Request"
        assert reason in problem["detail"], (query, problem)
        if name:
            assert [param["name"] for param in problem["invalid-params"]] == [name], problem
            assert reason in problem["invalid-params"][0]["reason"]
    # The site's own page takes the same values as a notice, and keeps the rest of the listing.
    page = client.get("/projects?stars=7").get_data(as_text=True)
    assert "Ignored stars=7: stars goes from 1 to 5, or 0 for not rated." in page


def test_an_etag_answers_304_until_the_project_changes(app, client, catalogue):
    for url in (f"/api/v1/projects/{catalogue['tcp']}", "/api/v1/projects?stars=1", "/api/v1/openapi.json"):
        first = client.get(url)
        etag = first.headers["ETag"]
        assert first.status_code == 200 and etag
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
        assert again.headers["Cache-Control"] == "public, max-age=60"
    url = f"/api/v1/projects/{catalogue['tcp']}"
    etag = client.get(url).headers["ETag"]
    listing_etag = client.get("/api/v1/projects?stars=1").headers["ETag"]
    with app.app_context():
        project = db.session.execute(db.select(Project).where(Project.slug == catalogue["tcp"])).scalar_one()
        project.summary = "A new summary, ça change."
        db.session.commit()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["summary"] == "A new summary, ça change."
    assert client.get("/api/v1/projects?stars=1", headers={"If-None-Match": listing_etag}).status_code == 200


def test_public_answers_may_be_cached_and_read_from_any_site(client, catalogue):
    for url in ("/api/v1/projects", "/api/v1/mentors", "/api/v1/areas", "/api/v1/openapi.json",
                "/api/v1/projects/nope", "/api/v1/projects?stars=9"):
        response = client.get(url)
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
        assert "Set-Cookie" not in response.headers, url
        if response.status_code == 200:
            assert response.headers["Cache-Control"] == "public, max-age=60", url
    # The site's pages are not for other origins' scripts.
    assert "Access-Control-Allow-Origin" not in client.get("/projects").headers


def test_mentors_areas_skills_rounds_and_calls(client, catalogue):
    mentors = client.get("/api/v1/mentors").get_json()
    assert [(m["username"], m["name"], m["projects"]) for m in mentors["mentors"]] == [
        ("ravi", "Ravi Şahin", 2), ("zoe", "Zoë Ångström", 3)]
    zoe = client.get("/api/v1/mentors/ZOE").get_json()
    assert (zoe["bio"], zoe["availability"], zoe["capacity"]) == ("Knows TCP/IP.", "Tuesdays 14:00 UTC", 2)
    # Ivy (an intern) takes one of Zoë's two places.
    assert zoe["places_left"] == 1
    assert [project["slug"] for project in zoe["mentored"]] == [catalogue["busy"], catalogue["tcp"], catalogue["done"]]
    assert client.get("/api/v1/mentors/rhea").status_code == 404
    areas = {area["slug"]: area["projects"] for area in client.get("/api/v1/areas").get_json()["areas"]}
    assert areas == {"networking": 3, "storage": 1}
    skills = client.get("/api/v1/skills").get_json()["skills"]
    assert skills[0] == {"name": "ocaml", "projects": 3}
    assert {"name": "fuzzing", "projects": 1} in skills
    rounds = client.get("/api/v1/rounds").get_json()["rounds"]
    assert [(r["name"], r["starts_on"], r["ends_on"]) for r in rounds] == [
        ("Outreachy December 2026 – March 2027", "2026-12-07", "2027-03-07")]
    calls = client.get("/api/v1/calls").get_json()["calls"]
    assert [(call["title"], call["duration_minutes"], call["join_url"]) for call in calls] == [
        ("Weekly call ☕", 45, "https://meet.example.org/weekly")]
    assert calls[0]["starts_at"].endswith("Z")


def test_no_answer_holds_an_email_a_draft_or_an_intern(client, catalogue):
    urls = ["/api/v1/projects?per_page=100", "/api/v1/projects?q=tcp", "/api/v1/projects?q=draft",
            "/api/v1/projects?mentor=zoe", "/api/v1/mentors", "/api/v1/mentors/zoe", "/api/v1/mentors/ravi",
            "/api/v1/areas", "/api/v1/skills", "/api/v1/rounds", "/api/v1/calls",
            *(f"/api/v1/projects/{slug}" for slug in catalogue.values())]
    for url in urls:
        text = client.get(url).get_data(as_text=True)
        assert not EMAIL.findall(text.replace("https://", "")), url
        assert DRAFT_TITLE not in text and SECRET_EMAIL not in text and "Archived TCP thing" not in text, url
        assert "ivy" not in text.lower(), url


def test_a_page_of_projects_costs_the_same_queries_for_5_or_100_projects(app, client, catalogue):
    def statements(url):
        client.get(url)  # warm the counts cache, as a busy site has it
        with app.app_context(), counted_queries() as sent:
            client.get(url)
        return len(sent)

    small = statements("/api/v1/projects?per_page=100")
    with app.app_context():
        mentors = [make_user(f"Mentor {n}", username=f"m{n}") for n in range(5)]
        for number in range(95):
            make_project(f"Extra project {number}", mentors=mentors[number % 5:number % 5 + 2],
                         skills=("ocaml", f"skill-{number}"))
        db.session.commit()
    assert statements("/api/v1/projects?per_page=100") == small
    assert small <= 15


def test_the_record_loader_keeps_the_order_it_was_given(app, catalogue):
    with app.app_context():
        ids = db.session.execute(db.select(Project.id).order_by(Project.title.desc())).scalars().all()
        assert [project.id for project in projects_for_records(ids)] == ids
        assert project_record(projects_for_records(ids[:1])[0])["slug"]


def test_a_signed_in_persons_cookie_never_rides_on_a_public_answer(app, client, auth, catalogue):
    with app.app_context():
        user = make_user("Signed In", username="signed-in")
        db.session.commit()
        auth.login(user)
    for path in ("/api/v1/projects", f"/api/v1/projects/{catalogue['tcp']}", "/api/v1/openapi.json",
                 "/feeds/projects.atom", "/embed/projects", "/downloads/projects.csv"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=60", path
        assert "Set-Cookie" not in response.headers, path
        assert "Cookie" not in response.headers.get("Vary", ""), path
    # The site's own pages still refresh the session, and the person is still signed in.
    page = client.get("/account")
    assert page.status_code == 200 and "Set-Cookie" in page.headers
