"""/start as a person uses it: the form without script, ranked and explained results, facets, widening, pages."""

import html
import re
from urllib.parse import parse_qsl, urlsplit

from pioneer.database import db

from ..factories import make_project
from ..query_counter import counted_queries
from .conftest import ranked_slugs


def text_of(response):
    return html.unescape(response.get_data(as_text=True))


def test_the_home_page_links_to_the_fit_finder(client):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<a class="more" href="/start">Find projects that fit you', page)


def test_without_a_profile_the_page_is_only_the_form(corpus, client):
    page = client.get("/start").get_data(as_text=True)
    assert 'name="know"' in page and 'name="time"' in page and 'name="learn"' in page and 'name="first"' in page
    assert "fit-results" not in page and "projects fit you" not in page
    # The skill pickers suggest the catalogue's skills (a <datalist>: script not needed).
    assert '<datalist id="skill-names">' in page and '<option value="données">' in page
    assert '<option value="proposed-only">' not in page


def test_the_form_without_script_sends_skill_and_level_apart_and_gets_the_short_url(corpus, client):
    response = client.get("/start?know=OCaml&level=concepts&know=&level=some&time=2&hours=&learn=profiling,+dns"
                          "&first=1")
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == "/start"
    assert parse_qsl(location.query) == [("know", "ocaml:concepts"), ("time", "2"), ("learn", "profiling"),
                                         ("learn", "dns"), ("first", "1")]
    page = client.get(response.location).get_data(as_text=True)
    # The form keeps what was typed.
    assert 'id="know-0" type="text" name="know" value="ocaml"' in page
    assert re.search(r'id="level-0".*?<option value="concepts" selected>', page, re.S)
    assert '<option value="2" selected>a week' in page
    assert 'type="text" name="learn" value="profiling, dns"' in page
    assert 'name="first" value="1" checked' in page


def test_results_link_to_projects_in_ranked_order_each_with_its_explanation(corpus, client):
    page = text_of(client.get("/start?know=ocaml:concepts&know=http:some&time=2&first=1"))
    slugs = ranked_slugs(page)
    assert slugs[0] == "ocaml-first-steps" and "http-router-tests" in slugs
    items = re.findall(r'<li class="fit-result">(.*?)</ul>\s*</li>', page, re.S)
    assert len(items) == len(slugs)
    for slug, item in zip(slugs, items, strict=True):
        assert f'href="/projects/{slug}"' in item
        assert 'class="fit-reasons"' in item
    first, router = items[0], items[slugs.index("http-router-tests")]
    assert "you know the required skill (ocaml)" in first
    assert "takes about a day, within your time" in first
    assert "1 of 5 stars: made for a first contribution" in first
    assert "the mentor has 1 place left" in first  # Ana: two places, one taken by Wendy's claim
    assert "nobody has claimed it yet" in first
    assert "it asks for ocaml at “some experience”; you said “concepts”" in router
    assert "you know 1 of 2 required skills (http)" in router
    # Screen readers hear which way each reason counts.
    assert "For it: " in first and "Against it: " in router
    assert "2 projects fit you" not in page and re.search(r"\d+ projects fit you", page)


def test_the_facets_beside_the_results_keep_the_profile_and_narrow_it(corpus, client):
    page = client.get("/start?know=ocaml:some&time=4").get_data(as_text=True)
    facet_form = page.split('class="facet-form"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="know" value="ocaml:some">' in facet_form
    assert '<input type="hidden" name="time" value="4">' in facet_form
    assert 'name="stars" value="1"' in facet_form and 'name="area" value="security"' in facet_form
    assert 'name="time" value="1"' not in facet_form  # time is the person's own, not a facet here
    narrowed = text_of(client.get("/start?know=ocaml:some&time=4&stars=1"))
    slugs = ranked_slugs(narrowed)
    assert slugs == ["ocaml-first-steps", "issue-triage"]
    # The chip that removes the filter keeps the profile.
    chip = re.search(r'<a class="chip" href="([^"]+)"', narrowed).group(1)
    assert parse_qsl(urlsplit(html.unescape(chip)).query) == [("know", "ocaml:some"), ("time", "4")]
    # A facet's count is what the results would hold with that value ticked.
    assert re.search(r'name="stars" value="1" checked>.*?\(2\)', narrowed, re.S)


def test_when_nothing_fits_the_page_says_what_would_widen_it(corpus, client):
    page = text_of(client.get("/start?know=javascript:some&time=1"))
    assert ranked_slugs(page) == []
    assert "No project you can claim fits what you told us yet." in page
    widen = re.search(r'<a href="([^"]+)">With a week instead of a day, 2 more projects fit</a>', page)
    assert widen, page
    assert re.search(r"\d+ projects ask for ocaml, which you did not list", page)
    wider = ranked_slugs(client.get(widen.group(1)).get_data(as_text=True))
    assert sorted(wider) == ["issue-triage", "js-dashboard"]


def test_a_skill_no_project_lists_is_pointed_out(corpus, client):
    page = text_of(client.get("/start?know=cobol&know=ocaml&time=2"))
    assert "No project you can claim lists cobol as a skill right now" in page
    assert ranked_slugs(page)[0] == "ocaml-first-steps"


def test_odd_input_gives_a_page_with_notices(corpus, client):
    for query in ("know=" + "x" * 10_000, "know=Ada\u2028Lovelace:comfortable", "time=²&hours=-1",
                  "know=:::&learn=,,,", "know=ocaml&page=99999999999", "first=yes&stars=9&area=%E2%80%A8"):
        response = client.get("/start?" + query)
        assert response.status_code in (200, 302), query
        if response.status_code == 302:
            response = client.get(response.location)
        assert response.status_code == 200, query
    page = text_of(client.get("/start?time=²"))
    assert "Ignored time=²" in page


def test_results_come_in_pages_that_keep_the_profile(corpus, client, app):
    app.config["PROJECTS_PER_PAGE"] = 2
    first = client.get("/start?know=ocaml:comfortable&time=5").get_data(as_text=True)
    second = client.get("/start?know=ocaml:comfortable&time=5&page=2").get_data(as_text=True)
    assert len(ranked_slugs(first)) == 2 and len(ranked_slugs(second)) == 2
    assert not set(ranked_slugs(first)) & set(ranked_slugs(second))
    assert '<ol class="fit-results" start="3">' in second
    assert 'href="/start?know=ocaml:comfortable&amp;time=5&amp;page=2" rel="next"' in first


def test_the_page_sends_as_many_statements_whatever_the_number_of_projects(corpus, client, app):
    counts = []
    for extra in (0, 30):
        with app.app_context():
            for number in range(extra):
                make_project(f"More ocaml work {number}", stars=1 + number % 5, time_rating=1 + number % 3,
                             skills=("ocaml", f"skill-{number % 4}"))
            db.session.commit()
        with app.app_context(), counted_queries() as statements:
            assert client.get("/start?know=ocaml:some&time=3&first=1").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[1] <= 25, counts
