"""The Atom feed, the embeddable list and the downloads, as a feed reader, another site and a spreadsheet see them."""

import csv
import io
import json
import re

import feedparser

from pioneer.database import db
from pioneer.importer import parse_json
from pioneer.models import ProjectStatus, User
from pioneer.security import CONTENT_SECURITY_POLICY

from ..factories import make_project
from .conftest import DRAFT_TITLE

ROW_SLUG = re.compile(r'class="project-title"><a href="/projects/([^"]+)"')


def feed_of(client, query=""):
    response = client.get(f"/feeds/projects.atom{query}")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed


def test_the_feed_shows_a_newly_approved_project_first(app, client, auth, catalogue):
    with app.app_context():
        make_project("Fresh proposal: émoji-safe parser 🦀", status=ProjectStatus.PROPOSED, stars=None,
                     time_rating=None)
        db.session.commit()
        reviewer = db.session.execute(db.select(User).where(User.username == "rhea")).scalar_one()
    before = feed_of(client, "?stars=1")
    assert "Fresh proposal" not in before.feed.title + "".join(entry.title for entry in before.entries)
    auth.login(reviewer)
    response = client.post("/review/fresh-proposal-emoji-safe-parser", data={
        "action": "approve", "expected_status": "proposed", "stars": "1", "time_rating": "1", "comment": "Good."})
    assert response.status_code == 302
    auth.logout()
    feed = feed_of(client, "?stars=1")
    assert [entry.title for entry in feed.entries] == [
        "Fresh proposal: émoji-safe parser 🦀", "Tests for the TCP/IP stack — ünïcode", "Finished fuzzing"]
    first = feed.entries[0]
    assert first.link == "http://localhost/projects/fresh-proposal-emoji-safe-parser"
    assert "1 of 5 stars; a day" in first.summary
    assert feed.entries[1].authors[0].name == "Zoë Ångström"
    assert {tag.term for tag in feed.entries[1].tags} >= {"networking", "ocaml", "tcp/ip"}


def test_the_feed_takes_every_filter_of_the_listing(client, catalogue):
    feed = feed_of(client, "?stars=1&time=2")
    assert [entry.title for entry in feed.entries] == ["Tests for the TCP/IP stack — ünïcode"]
    assert feed.feed.title == "Pioneer: new projects (1-star, a week)"
    self_link = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_link == ["http://localhost/feeds/projects.atom?stars=1&time=2"]
    alternate = [link.href for link in feed.feed.links if link.rel == "alternate"]
    assert alternate == ["http://localhost/projects?stars=1&time=2"]
    for query, titles in {
        "?mentor=ravi": ["Busy with a claim", "DNS resolver in 日本語 docs"],
        "?area=storage": ["DNS resolver in 日本語 docs"],
        "?skill=fuzzing&status=done": ["Finished fuzzing"],
        "?stars=0": ["Not rated yet: an idea"],
        "?q=resolver": ["DNS resolver in 日本語 docs"],
        "?q=draft": [],
    }.items():
        assert [entry.title for entry in feed_of(client, query).entries] == titles, query
    everything = feed_of(client)
    assert len(everything.entries) == 5 and DRAFT_TITLE not in str(everything)
    refused = client.get("/feeds/projects.atom?stars=9&status=proposed")
    assert refused.status_code == 400
    assert "Ignored stars=9: stars goes from 1 to 5, or 0 for not rated." in refused.get_data(as_text=True)
    assert "Ignored status=proposed" in refused.get_data(as_text=True)


def test_listing_pages_link_their_feed(client, catalogue):
    page = client.get("/projects?stars=1&time=2&page=1&sort=title").get_data(as_text=True)
    assert ('<link rel="alternate" type="application/atom+xml" title="New projects in this listing (Atom)" '
            'href="/feeds/projects.atom?stars=1&amp;time=2">') in page
    assert re.search(r'<a href="/feeds/projects.atom\?stars=1&amp;time=2"[^>]*>Follow: ', page)
    mentor = client.get("/mentors/zoe").get_data(as_text=True)
    assert 'type="application/atom+xml" title="New projects mentored by Zoë Ångström (Atom)" ' \
           'href="/feeds/projects.atom?mentor=zoe"' in mentor
    assert ">Follow: new projects mentored by Zoë Ångström (Atom feed)</a>" in mentor
    home = client.get("/").get_data(as_text=True)
    assert 'href="/feeds/projects.atom?stars=1">Follow new 1-star projects' in home.replace(
        ' type="application/atom+xml"', "")


def test_the_embed_may_be_framed_anywhere_and_nothing_else_may(client, catalogue):
    embed = client.get("/embed/projects?stars=1&limit=1")
    assert embed.status_code == 200
    assert "X-Frame-Options" not in embed.headers
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "script-src 'self'" in embed.headers["Content-Security-Policy"]
    assert "Set-Cookie" not in embed.headers
    for path in ("/", "/projects", "/api", "/feeds/projects.atom", "/api/v1/projects", "/embedding",
                 "/projects/" + catalogue["tcp"], "/no-such-page", "/embed"):
        response = client.get(path)
        assert response.headers["X-Frame-Options"] == "DENY", path
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path


def test_the_embed_lists_cards_with_the_filters_and_a_limit(client, catalogue):
    html = client.get("/embed/projects?stars=1&limit=1").get_data(as_text=True)
    cards = re.findall(r'<li class="card">.*?</li>', html, re.S)
    assert len(cards) == 1
    assert "Tests for the TCP/IP stack — ünïcode" in cards[0] and "1 of 5 stars" in cards[0]
    assert f'href="http://localhost/projects/{catalogue["tcp"]}"' in cards[0]
    assert '<base target="_blank">' in html
    assert 'See all 2 projects on Pioneer' in html and 'href="http://localhost/projects?stars=1"' in html
    all_cards = client.get("/embed/projects").get_data(as_text=True)
    assert all_cards.count('<li class="card">') == 5 and DRAFT_TITLE not in all_cards
    # Whatever the limit says, it stays between 1 and 50.
    assert client.get("/embed/projects?limit=0").get_data(as_text=True).count('<li class="card">') == 1
    assert client.get("/embed/projects?limit=²").get_data(as_text=True).count('<li class="card">') == 5


def test_the_csv_download_has_the_rows_of_the_pages_filter_state(client, catalogue):
    for query in ("stars=1&stars=0", "q=tcp", "mentor=zoe&sort=title", "", "skill=ocaml&time=3"):
        page = client.get(f"/projects?{query}").get_data(as_text=True)
        shown = ROW_SLUG.findall(page)
        match = re.search(r'Download these (\d+) projects?: <a href="([^"]+)" download>CSV</a>', page)
        assert match, query
        assert int(match.group(1)) == len(shown)
        download = client.get(match.group(2).replace("&amp;", "&"))
        assert download.mimetype == "text/csv"
        assert download.headers["Content-Disposition"] == 'attachment; filename="pioneer-projects.csv"'
        rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True), newline="")))
        assert [row["slug"] for row in rows] == shown, query
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(
        client.get("/downloads/projects.csv?stars=1").get_data(as_text=True), newline=""))}
    tcp = rows[catalogue["tcp"]]
    assert tcp["title"] == "Tests for the TCP/IP stack — ünïcode"
    assert tcp["mentors"] == "Zoë Ångström (@zoe)"
    assert tcp["skills"] == "ocaml (concepts, required); tcp/ip (concepts, required)"
    assert tcp["links"] == "https://example.org/tcp"
    assert tcp["description"] == "Move tests onto **virtual** links."
    assert tcp["url"] == f"http://localhost/projects/{catalogue['tcp']}"


def test_the_json_download_is_the_export_format_and_imports_back(client, catalogue):
    page = client.get("/projects?mentor=ravi").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)" download>JSON</a>', page).group(1).replace("&amp;", "&")
    assert link == "/downloads/projects.json?mentor=ravi"
    text = client.get(link).get_data(as_text=True)
    document = json.loads(text)
    assert document["format"] == 1
    assert [project["slug"] for project in document["projects"]] == ROW_SLUG.findall(page)
    parsed = parse_json(text)
    assert parsed.problems == [] and [draft.slug for draft in parsed.projects] == ROW_SLUG.findall(page)
    assert client.get("/downloads/projects.json?time=6").status_code == 400


def test_the_api_page_explains_the_api_feeds_and_the_embed_snippet(client):
    page = client.get("/api").get_data(as_text=True)
    assert '<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>' in page
    assert "&lt;iframe src=&#34;http://localhost/embed/projects?stars=1&amp;limit=5&#34;" in page \
        or '&lt;iframe src="http://localhost/embed/projects?stars=1&amp;limit=5"' in page
    assert "/feeds/projects.atom?stars=1&amp;time=1" in page
    footer = client.get("/").get_data(as_text=True)
    assert '<a href="/api">Open data: API, feeds, embedding</a>' in footer
