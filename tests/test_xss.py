"""Hostile input in every Markdown and text field renders inert wherever the site shows it."""

import re
from html.parser import HTMLParser

import pytest

from pioneer.database import db
from pioneer.models import LinkKind, Project, ProjectStatus, SkillLevel, utcnow
from tests.factories import DEFAULT_PASSWORD, make_area, make_project, make_user

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[c](java&#x09;script:alert(1))",
    "[c](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="javascript:alert(1)">',
    '"><script>alert(1)</script>',
    "' onmouseover='alert(1)",
    '<div style="background:url(javascript:alert(1))">',
    "<scr<script>ipt>alert(1)</script>",
    '<img src="x" onerror="alert(1)"',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "[x](vbscript:msgbox(1))",
    '<object data="javascript:alert(1)">',
    "<body onload=alert(1)>",
    "[x]: javascript:alert(1)\n\n[x]",
    "<<script>script>alert(1)<</script>/script>",
    "{{7*7}}",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<javascript:alert(1)>",
]

# Each field gets its own marker word, so a check can tell which field reached the page; the words
# are also what the search tests look for (summary and description snippets are highlighted).
TITLE, SUMMARY, DESCRIPTION, OUTCOMES = "Zebrafish", "Zebrafish summary", "Quokka description", "Axolotl outcome"
SKILL, LINK_TITLE, NAME, BIO, AVAILABILITY, NOTE = "skill", "Pangolin", "Wombat", "Narwhal", "Ocelot", "Capybara"

# The one script the base template loads: a static file, deferred; the policy forbids inline scripts.
SITE_SCRIPT = [("src", "/static/js/pioneer.js"), ("defer", None)]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background", "cite"}
SAFE_SCHEMES = {"http", "https", "mailto"}
# None of these belongs in a page of this site: the base template loads its style sheet with <link>.
FORBIDDEN_ELEMENTS = {"iframe", "object", "embed", "base", "style", "frame", "frameset", "applet", "math"}
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "srcset"}
# Any <meta http-equiv> is flagged: "refresh" can navigate to a script URL and the site sets none.
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def url_scheme(value):
    """Return the scheme a browser reads in an attribute value, or None for a relative reference."""
    # Browsers drop tabs and newlines anywhere in a URL and control characters around it; dropping
    # every control character and space is stricter still. HTMLParser has already decoded character
    # references, as a browser does, so "&#106;avascript:" arrives here as "javascript:".
    match = SCHEME.match(INVISIBLE.sub("", value).lower())
    return match.group(1) if match else None


class InertPageChecker(HTMLParser):
    """Walk a page, noting anything a browser could run and collecting the visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "script" and attrs != SITE_SCRIPT:
            self.problems.append(f"<script {attrs}>")
        if tag in FORBIDDEN_ELEMENTS:
            self.problems.append(f"<{tag}> element")
        # The clock icon of the ratings macro is the site's only inline SVG; user text must never make one.
        if tag == "svg" and ("class", "icon") not in attrs:
            self.problems.append(f"<svg {attrs}>")
        for name, value in attrs:
            self._check_attribute(tag, name, value or "")

    def _check_attribute(self, tag, name, value):
        if name.startswith("on"):
            self.problems.append(f"<{tag} {name}>: event handler")
        elif name in FORBIDDEN_ATTRIBUTES or (tag == "meta" and name == "http-equiv"):
            self.problems.append(f"<{tag} {name}={value!r}>")
        elif name in URL_ATTRIBUTES and url_scheme(value) not in SAFE_SCHEMES | {None}:
            # A relative reference (no scheme: "/x", "#x", "?x", "java%09script:x") resolves against
            # the page's own http(s) address, so only an explicit scheme can make a URL executable.
            self.problems.append(f"<{tag} {name}={value!r}>: scheme {url_scheme(value)}")

    def handle_data(self, data):
        self.texts.append(data)

    @property
    def text(self):
        return "".join(self.texts)


def check_html(html):
    """Return the problems found in html and its visible text."""
    checker = InertPageChecker()
    checker.feed(html)
    checker.close()
    return checker.problems, checker.text


def visible_text(response, status=200):
    """Assert the response has the status and nothing executable; return its text, spaces collapsed."""
    path = response.request.full_path
    assert response.status_code == status, (path, response.status_code)
    problems, text = check_html(response.get_data(as_text=True))
    assert not problems, (path, problems)
    return one_line(text)


def one_line(text):
    """Collapse runs of white space, as a browser shows text."""
    return " ".join(text.split())


def shows(text, *parts):
    """Tell whether every part appears in the page text (white space collapsed)."""
    return all(one_line(part) in text for part in parts)


def check_each(check):
    """Run check on every payload; fail once, naming each payload that failed and why."""
    # One app and one sign-in for all payloads keeps the module fast; collecting the failures
    # still reports every payload that gets through, not only the first.
    failures = []
    for payload in PAYLOADS:
        try:
            check(payload)
        except AssertionError as error:
            failures.append(f"{payload!r}: {error}")
    assert not failures, "\n\n".join(failures)


def sign_in(client, user):
    """Sign a second browser in through the sign-in page."""
    response = client.post("/login", data={"login": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def skill_for(payload):
    """Return the skill name as typed (the form takes 60 characters) and as the site stores it."""
    typed = f"{SKILL} {payload}"[:60]
    return typed, one_line(typed).lower()


def project_form(payload, username):
    """Fill the project form as a browser sends it, with payload in every text field."""
    return {
        "title": f"{TITLE} {payload}", "summary": f"{SUMMARY} {payload}",
        "description": f"{DESCRIPTION} {payload}", "outcomes": f"{OUTCOMES} {payload}",
        "stars": "1", "time_rating": "1", "area": "networking",
        "skills-0-name": skill_for(payload)[0], "skills-0-level": SkillLevel.CONCEPTS.value,
        "skills-0-required": "required", "mentors": username,
        "links-0-kind": LinkKind.REPOSITORY.value, "links-0-url": "https://example.org/repo",
        "links-0-title": f"{LINK_TITLE} {payload}", "action": "draft",
    }


def set_status(slug, status):
    """Move a project as a reviewer will (that workflow is not built yet); the commit updates the index."""
    project = db.session.execute(db.select(Project).where(Project.slug == slug)).scalar_one()
    project.status, project.approved_at = status, utcnow()
    db.session.commit()


def check_project_pages(client, payload):
    """Propose a project with payload everywhere; check the preview, its page and every listing."""
    form = project_form(payload, "mae")
    title, summary, skill = f"{TITLE} {payload}", form["summary"], skill_for(payload)[1]
    preview = visible_text(client.post("/projects/new", data={**form, "action": "preview"}))
    assert shows(preview, title, summary, DESCRIPTION, OUTCOMES), "preview"

    saved = client.post("/projects/new", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    slug = saved.headers["Location"].rsplit("/", 1)[-1]
    draft = visible_text(client.get(f"/projects/{slug}"))
    assert shows(draft, title, summary, DESCRIPTION, OUTCOMES, skill, f"{LINK_TITLE} {payload}"), "draft page"
    assert shows(visible_text(client.get(f"/projects/{slug}/edit")), title), "edit page"
    if "{{" in payload:
        # Template syntax in user text stays text: nothing evaluates it to 49.
        assert f"{TITLE} 49" not in draft and shows(draft, f"{DESCRIPTION} {payload}")

    set_status(slug, ProjectStatus.AVAILABLE)
    try:
        for path, query in [
            (f"/projects/{slug}", {}), ("/projects", {}), ("/projects", {"skill": skill}),
            ("/projects", {"q": "zebrafish"}), ("/projects", {"q": "quokka"}), ("/projects", {"q": "axolotl"}),
            ("/", {}), ("/mentors/mae", {}), ("/account", {}),
        ]:
            assert shows(visible_text(client.get(path, query_string=query)), title), (path, query)
    finally:
        # Out of the listings again, even after a failure, so each payload is judged on its own project.
        set_status(slug, ProjectStatus.ARCHIVED)


@pytest.mark.parametrize(
    "snippet",
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        '<script src="/static/js/other.js"></script>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" JaVa&#x09;Script:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
        '<form action="javascript:alert(1)"><button formaction="data:text/html,x">x</button></form>',
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        '<iframe src="https://example.org"></iframe>',
        '<object data="https://example.org/x.swf"></object>',
        '<embed src="https://example.org/x.swf">',
        '<meta http-equiv="refresh" content="0;url=https://example.org">',
        '<base href="https://evil.example/">',
        "<style>body { color: red }</style>",
        '<p style="color: red">x</p>',
        "<math><mi>x</mi></math>",
    ],
)
def test_checker_flags_what_a_browser_could_run(snippet):
    """The checker fails a page with any of these, so the tests below can fail."""
    problems, _text = check_html(f"<!doctype html><html><body><p>Fine</p>{snippet}</body></html>")
    assert problems


def test_checker_passes_the_sites_own_markup_and_inert_text():
    """The site's script, icon, relative and web links, and escaped tags are fine."""
    problems, text = check_html(
        '<script src="/static/js/pioneer.js" defer></script><svg class="icon" aria-hidden="true"></svg>'
        '<a href="https://example.org">w</a><a href="mailto:a@example.org">m</a><a href="/projects?q=x">r</a>'
        '<a href="#main">s</a><a href="java%09script:alert(1)">c</a><p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'
    )
    assert problems == []
    assert "<script>alert(1)</script>" in text


def test_project_fields_render_inert_in_preview_project_page_and_listings(auth, client, ctx):
    """Title, summary, description, outcomes, skill and link title, in every place they show."""
    mentor = make_user("Mae Mentor", username="mae")
    make_area("Networking")
    db.session.commit()
    auth.login(mentor)
    check_each(lambda payload: check_project_pages(client, payload))


def test_listing_echoes_hostile_query_arguments_inert(client, ctx):
    """The search words and every filter of the URL come back on the listing as text."""
    make_project("Public project")
    db.session.commit()

    def check(payload):
        arguments = {name: payload for name in ("q", "skill", "area", "mentor", "status", "sort", "stars", "time")}
        # The listing says which status it ignored, quoting what was typed.
        assert shows(visible_text(client.get("/projects", query_string=arguments)), payload.strip())

    check_each(check)


def test_profile_fields_render_inert_on_account_and_mentor_pages(auth, client, ctx):
    """Display name, bio and availability, on the account and mentor pages and beside projects."""
    mentor = make_user("Mae Mentor", username="mae")
    make_project("Public project", mentors=[mentor])
    db.session.commit()
    auth.login(mentor)

    def check(payload):
        name, availability = f"{NAME} {payload}".strip(), f"{AVAILABILITY} {payload}".strip()
        saved = client.post("/account/profile", data={
            "name": name, "email": "mae@example.org", "bio": f"{BIO} {payload}", "capacity": "2",
            "links": "https://example.org/mae", "timezone": "", "availability": availability,
        })
        assert saved.status_code == 302, saved.get_data(as_text=True)
        for path in ("/account", "/mentors/mae"):
            assert shows(visible_text(client.get(path)), name, availability, BIO), path
        # The display name also shows in every page's header and beside the projects it mentors.
        for path in ("/", "/projects", "/projects/public-project", "/mentors", "/account/profile"):
            assert shows(visible_text(client.get(path)), name), path

    check_each(check)


def test_contact_ways_and_history_comments_render_inert(auth, client, ctx):
    """How to reach a mentor (project and mentor pages) and a history comment (project and edit pages)."""
    mentor = make_user("Mae Mentor", username="mae")
    project = make_project("Public project", mentors=[mentor])
    db.session.commit()
    auth.login(mentor)

    def check(payload):
        chat, hours = f"{NAME} {payload}".strip()[:200], f"{AVAILABILITY} {payload}".strip()[:200]
        saved = client.post("/account/profile", data={
            "name": "Mae Mentor", "email": "mae@example.org", "capacity": "2", "contact_chat": chat,
            "office_hours": hours, "office_hours_url": "https://meet.example.org/mae"})
        assert saved.status_code == 302, saved.get_data(as_text=True)
        comment = f"{NOTE} {payload}"
        assert client.post("/projects/public-project/comments", data={"comment": comment}).status_code == 302
        page = visible_text(client.get("/projects/public-project"))
        assert shows(page, one_line(chat), one_line(hours), comment), "project page"
        assert shows(visible_text(client.get("/mentors/mae")), one_line(chat)), "mentor page"

    check_each(check)
    assert project.review_events


def test_claim_note_and_claimant_name_render_inert_for_the_mentor(app, auth, client, ctx):
    """A newcomer's claim note and name reach the mentor's account page as text."""
    mentor = make_user("Mae Mentor", username="mae")
    newcomer = make_user("New Comer", username="newcomer")
    db.session.commit()
    auth.login(mentor)
    newcomer_client = app.test_client()
    sign_in(newcomer_client, newcomer)

    def check(payload):
        project = make_project(f"Claimed project {PAYLOADS.index(payload)}", mentors=[mentor])
        db.session.commit()
        name, note, path = f"{NAME} {payload}".strip(), f"{NOTE} {payload}".strip(), f"/projects/{project.slug}"
        renamed = newcomer_client.post("/account/profile", data={
            "name": name, "email": "newcomer@example.org", "capacity": "0"})
        assert renamed.status_code == 302, renamed.get_data(as_text=True)
        claimed = newcomer_client.post(f"{path}/claim", data={"note": f"{NOTE} {payload}", "action": "claim"})
        assert claimed.status_code == 302, claimed.get_data(as_text=True)
        assert shows(visible_text(newcomer_client.get(f"{path}/claim")), note), "claim page"
        assert shows(visible_text(client.get("/account")), note, name), "mentor's account page"
        # An in-progress project names who works on it, on its page and in the listings' badges.
        for page in (path, "/projects", "/"):
            assert shows(visible_text(client.get(page)), name), page

    check_each(check)


def test_project_form_refuses_link_addresses_that_are_not_http(auth, client, ctx):
    """A script, data or scheme-less link address is refused with 422 and nothing is saved."""
    mentor = make_user("Mae Mentor", username="mae")
    make_area("Networking")
    db.session.commit()
    auth.login(mentor)
    for url in ["javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
                "mailto:mae@example.org", "//evil.example/x", "/projects"]:
        response = client.post("/projects/new", data={**project_form("links", "mae"), "links-0-url": url})
        assert "Give an http or https address." in visible_text(response, status=422), url
    assert db.session.execute(db.select(Project)).first() is None


def test_profile_refuses_link_addresses_that_are_not_http(auth, client, ctx):
    """The profile's links take only http and https addresses."""
    mentor = make_user("Mae Mentor", username="mae")
    db.session.commit()
    auth.login(mentor)
    for url in ["javascript:alert(1)", "data:text/html,x", "vbscript:msgbox(1)", "//evil.example/x"]:
        response = client.post("/account/profile", data={"name": "Mae", "email": mentor.email, "capacity": "1",
                                                         "links": f"https://example.org/mae\n{url}"})
        assert "is not an http or https address" in visible_text(response, status=422), url
    db.session.refresh(mentor)
    assert mentor.links in (None, [])


def test_mentor_page_renders_the_bio_as_markdown(client, ctx):
    """The profile form promises Markdown on the mentor page, sanitised like every other Markdown field."""
    mentor = make_user("Mae Mentor", username="mae", bio="I like **parsers**.\n\n[x](javascript:alert(1))")
    make_project("Public project", mentors=[mentor])
    db.session.commit()
    page = client.get("/mentors/mae")
    visible_text(page)
    assert "<strong>parsers</strong>" in page.get_data(as_text=True)

