"""The public pages as a newcomer uses them: start here, the filtered catalogue, a project, mentors."""

import re

import pytest

from pioneer.database import db
from pioneer.models import Project, ProjectStatus, Role, User

from .factories import (
    DEFAULT_PASSWORD,
    make_claim,
    make_intern,
    make_project,
    make_round,
    make_user,
    password_hash,
)


def listed_slugs(response):
    """The project slugs a listing shows, in page order."""
    html = response.get_data(as_text=True)
    return re.findall(r'class="project-title"><a href="/projects/([a-z0-9-]+)"', html)


def facet_count(response, name, value):
    html = response.get_data(as_text=True)
    pattern = rf'name="{name}" value="{re.escape(str(value))}"[^>]*>.*?<span class="count">\((\d+)\)</span>'
    match = re.search(pattern, html, re.DOTALL)
    return int(match.group(1))


@pytest.fixture
def catalogue(ctx):
    """A small catalogue: every stars × time pairing of 1-2, plus hidden and finished projects."""
    mentor = make_user("Mina Mentor", username="mina")
    projects = {}
    for stars in (1, 2, None):
        for time in (1, 2):
            title = f"Stars {stars} time {time}"
            projects[title] = make_project(title, stars=stars, time_rating=time, mentors=[mentor],
                                           area="Networking" if time == 1 else "Storage",
                                           skills=("ocaml", "tcp/ip") if stars == 1 else ("c",))
    make_project("Secret draft", status=ProjectStatus.DRAFT, mentors=[mentor])
    make_project("Proposed idea", status=ProjectStatus.PROPOSED)
    make_project("Finished work", status=ProjectStatus.DONE, stars=3, time_rating=3)
    db.session.commit()
    return projects


def test_home_puts_available_one_star_projects_first(client, catalogue):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    start_here = html.split('id="first-title"')[1].split('id="counts-title"')[0]
    assert set(re.findall(r'href="/projects/([a-z0-9-]+)"', start_here)) == {"stars-1-time-1", "stars-1-time-2"}
    assert "2 projects you can start this week" in html
    assert 'href="/projects?stars=1&amp;status=available"' in html
    assert "secret-draft" not in html and "proposed-idea" not in html


def test_filter_by_stars_and_time_lists_only_those(client, catalogue):
    response = client.get("/projects?stars=1&time=1")
    assert listed_slugs(response) == ["stars-1-time-1"]
    assert "1 project" in response.get_data(as_text=True)
    # Reloading the shared URL gives the same page.
    assert listed_slugs(client.get("/projects?time=1&stars=1")) == ["stars-1-time-1"]


def test_facet_counts_match_what_is_listed(client, catalogue):
    response = client.get("/projects?stars=1&time=1")
    listed = len(listed_slugs(response))
    # Within the selection, each ticked value counts what is listed ...
    assert facet_count(response, "stars", 1) == listed
    assert facet_count(response, "time", 1) == listed
    # ... and other values count what ticking them would add.
    assert facet_count(response, "stars", 2) == 1
    assert facet_count(response, "stars", 0) == 1
    assert facet_count(response, "time", 2) == 1
    assert facet_count(response, "area", "networking") == listed
    assert facet_count(response, "status", "available") == listed


def test_every_public_status_is_listed_and_hidden_ones_are_not(client, catalogue):
    slugs = listed_slugs(client.get("/projects"))
    assert "finished-work" in slugs
    assert "secret-draft" not in slugs and "proposed-idea" not in slugs
    assert listed_slugs(client.get("/projects?status=done")) == ["finished-work"]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("stars=0", {"stars-none-time-1", "stars-none-time-2"}),
        ("stars=1&stars=2&time=2", {"stars-1-time-2", "stars-2-time-2"}),
        ("area=storage", {"stars-1-time-2", "stars-2-time-2", "stars-none-time-2"}),
        ("skill=tcp/ip", {"stars-1-time-1", "stars-1-time-2"}),
        ("skill=ocaml&skill=c", set()),
        ("mentor=mina&time=1", {"stars-1-time-1", "stars-2-time-1", "stars-none-time-1"}),
    ],
)
def test_each_filter_narrows_the_catalogue(client, catalogue, query, expected):
    assert set(listed_slugs(client.get(f"/projects?{query}"))) == expected


@pytest.mark.parametrize("sort, expected", [
    # Easiest first, unrated last; equal ratings by title.
    ("stars", ["open-ended-work", "stars-1-time-1", "stars-1-time-2", "stars-2-time-1", "stars-2-time-2",
               "finished-work", "stars-none-time-1", "stars-none-time-2"]),
    # Shortest first, unrated last; equal ratings by title.
    ("time", ["stars-1-time-1", "stars-2-time-1", "stars-none-time-1", "stars-1-time-2", "stars-2-time-2",
              "stars-none-time-2", "finished-work", "open-ended-work"]),
    ("title", ["finished-work", "open-ended-work", "stars-1-time-1", "stars-1-time-2", "stars-2-time-1",
               "stars-2-time-2", "stars-none-time-1", "stars-none-time-2"]),
    # Most recently approved first: the fixture approves them in the order it makes them.
    ("newest", ["open-ended-work", "finished-work", "stars-none-time-2", "stars-none-time-1", "stars-2-time-2",
                "stars-2-time-1", "stars-1-time-2", "stars-1-time-1"]),
])
def test_sorts_order_the_rows(client, catalogue, sort, expected):
    make_project("Open-ended work", stars=1, time_rating=None)
    db.session.commit()
    assert listed_slugs(client.get(f"/projects?sort={sort}")) == expected
    if sort == "newest":
        assert listed_slugs(client.get("/projects")) == expected
    available = [slug for slug in expected if slug != "finished-work"]
    assert listed_slugs(client.get(f"/projects?sort={sort}&status=available")) == available


def test_nonsense_in_the_url_is_ignored_with_a_message(client, catalogue):
    response = client.get("/projects?stars=9&time=abc&status=secret&sort=random&page=-3")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ignored stars=9" in html and "Ignored time=abc" in html and "Ignored status=secret" in html
    assert len(listed_slugs(response)) == 7


def test_pages_split_a_long_listing(app, client, ctx):
    app.config["PROJECTS_PER_PAGE"] = 5
    for number in range(12):
        make_project(f"Paged project {number:02d}")
    db.session.commit()
    first, third = client.get("/projects?sort=title"), client.get("/projects?sort=title&page=3")
    assert listed_slugs(first)[0] == "paged-project-00" and len(listed_slugs(first)) == 5
    assert listed_slugs(third) == ["paged-project-10", "paged-project-11"]
    assert 'rel="next"' in first.get_data(as_text=True)
    beyond = client.get("/projects?page=9").get_data(as_text=True)
    assert "There is no page 9" in beyond and "page=3" in beyond


def test_project_page_shows_ratings_skills_mentors_and_who_works_on_it(client, ctx):
    mentor = make_user("Hana Mentor", capacity=2)
    project = make_project("NTP client", stars=3, time_rating=4, mentors=[mentor], skills=("ocaml", "udp"),
                           status=ProjectStatus.IN_PROGRESS, description="Build it. <script>alert(1)</script>")
    make_intern(make_round(), project, mentors=[mentor], name="Ines Intern")
    db.session.commit()
    html = client.get("/projects/ntp-client").get_data(as_text=True)
    assert "★★★" in html and "3 of 5 stars" in html
    assert "a season" in html and "up to 175 hours" in html
    assert "ocaml" in html and "udp" in html
    assert "Hana Mentor" in html and "1 place left" in html
    assert "Ines Intern, Outreachy December 2026" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "@example.org" not in html


def test_claims_use_up_mentor_places(client, ctx):
    mentor = make_user("Busy Mentor", capacity=1)
    project = make_project("Claimed thing", mentors=[mentor])
    make_claim(project, make_user("Newcomer One"))
    db.session.commit()
    html = client.get("/projects/claimed-thing").get_data(as_text=True)
    assert "fully booked" in html and "Newcomer One" in html


def test_project_without_mentor_says_so(client, ctx):
    make_project("Orphan project", mentors=[])
    db.session.commit()
    assert "has no mentor yet" in client.get("/projects/orphan-project").get_data(as_text=True)


def test_hidden_projects_are_not_found_by_strangers_but_seen_by_their_mentors(client, auth, ctx):
    mentor, stranger = make_user("Draft Mentor"), make_user("Stranger")
    reviewer = make_user("Rita Reviewer", roles=[Role.REVIEWER])
    make_project("Quiet draft", status=ProjectStatus.DRAFT, mentors=[mentor])
    db.session.commit()
    assert client.get("/projects/quiet-draft").status_code == 404
    auth.login(stranger)
    assert client.get("/projects/quiet-draft").status_code == 404
    auth.login(mentor)
    assert client.get("/projects/quiet-draft").status_code == 200
    auth.login(reviewer)
    assert client.get("/projects/quiet-draft").status_code == 200


def test_history_is_for_mentors_and_reviewers_only(client, auth, runner, ctx, tmp_path):
    page = tmp_path / "list.md"
    page.write_text("## Networking\n### Imported thing (1-star)\nText.\n\nMentors: Hist Mentor\nTime: a day\n")
    assert runner.invoke(args=["import", str(page)]).exit_code == 0
    assert "History" not in client.get("/projects/imported-thing").get_data(as_text=True)
    mentor = db.session.execute(db.select(User).filter_by(name="Hist Mentor")).scalar_one()
    mentor.password_hash = password_hash(DEFAULT_PASSWORD)
    reviewer = make_user("Rev", roles=[Role.REVIEWER])
    db.session.commit()
    for user in (mentor, reviewer):
        auth.login(user)
        html = client.get("/projects/imported-thing").get_data(as_text=True)
        assert "History" in html and "Imported from list.md" in html


def test_mentors_page_lists_mentors_with_places_left(client, ctx):
    free, full = make_user("Free Mentor", capacity=2), make_user("Full Mentor", capacity=0)
    make_user("Not A Mentor")
    make_project("Free project", mentors=[free])
    make_project("Full project", mentors=[full])
    make_project("Hidden mentoring", status=ProjectStatus.DRAFT, mentors=[make_user("Draft Only")])
    db.session.commit()
    html = client.get("/mentors").get_data(as_text=True)
    assert "2 people mentor the community" in html
    assert "Free Mentor" in html and "2 places left" in html
    assert "Full Mentor" in html and "fully booked" in html
    assert "Not A Mentor" not in html and "Draft Only" not in html
    assert "@example.org" not in html


def test_mentor_page_shows_profile_and_projects_but_not_email(client, ctx):
    mentor = make_user("Page Mentor", username="page-mentor", capacity=3, bio="Likes packets.",
                       availability="Tuesdays", timezone="Europe/Paris")
    make_project("Mentored project", mentors=[mentor])
    db.session.commit()
    html = client.get("/mentors/page-mentor").get_data(as_text=True)
    assert "Likes packets." in html and "Can take on 3 more people" in html and "mentored-project" in html
    assert mentor.email not in html
    assert client.get("/mentors/nobody-here").status_code == 404


def test_people_who_mentor_nothing_public_have_no_public_page(client, ctx):
    make_user("Private Person", username="private-person")
    db.session.commit()
    assert client.get("/mentors/private-person").status_code == 404


def test_not_found_page_is_friendly(client, ctx):
    response = client.get("/projects/no-such-project")
    assert response.status_code == 404
    assert "We can’t find that page" in response.get_data(as_text=True)


def test_unexpected_errors_show_a_calm_page(app, client, ctx):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = client.get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html and "kaboom" not in html


def test_healthz_reports_the_database(client, ctx):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json()["checks"] == {"database": "ok", "search": "ok"}


def test_healthz_answers_503_when_the_database_is_gone(tmp_path, monkeypatch):
    from pioneer import create_app

    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    broken = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
    assert response.get_json()["checks"]["database"] == "unavailable"


def test_empty_filter_values_redirect_to_a_short_url(client, catalogue):
    response = client.get("/projects?stars=1&status=&area=&mentor=&q=")
    assert response.status_code == 302 and response.headers["Location"] == "/projects?stars=1"
    assert client.get("/projects?status=").headers["Location"] == "/projects"


@pytest.mark.parametrize("query, notice", [
    ("page=%C2%B2", None),                     # "²": a digit to str.isdigit(), not to int()
    ("stars=%C2%B2", "Ignored stars=²"),
    ("time=%D9%A3", "Ignored time=٣"),         # Arabic-Indic three
    ("q=stars%3A%C2%B2", "stars:² is not a rating"),
])
def test_digits_that_are_not_0_to_9_in_the_url_give_a_page_not_an_error(client, catalogue, query, notice):
    response = client.get(f"/projects?{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    if notice:
        assert notice in page
    assert client.get("/mentors?page=%C2%B2").status_code == 200


def test_mentors_page_pages_through_every_mentor_with_the_shared_pager(client, ctx):
    mentors = [make_user(f"Mentor {number:02d}") for number in range(31)]
    for mentor in mentors:
        make_project(f"Project of {mentor.name}", mentors=[mentor])
    db.session.commit()
    first = client.get("/mentors").get_data(as_text=True)
    assert "31 people mentor the community" in first
    assert "Mentor 00" in first and "Mentor 29" in first and "Mentor 30" not in first
    assert 'aria-label="Pages of mentors"' in first and 'href="/mentors?page=2"' in first
    second = client.get("/mentors?page=2").get_data(as_text=True)
    assert "Mentor 30" in second and "Mentor 29" not in second


def test_a_page_of_a_common_skill_walks_the_listing_order_and_a_rare_skill_reads_its_few(client, ctx):
    """SQLite sorted every project with a common skill for each page (18 ms at 100,000 projects): a page
    of a common skill now walks the order's index and stops; a rare skill still reads its few projects
    (catalogue/filters.py, has_skill). Either way the page holds the same projects, in order."""
    from datetime import timedelta

    from sqlalchemy import event

    from pioneer.catalogue.filters import COMMON_SKILL
    from pioneer.models import Project, ProjectSkill, ProjectStatus, Skill, utcnow

    now = utcnow()
    common, rare = Skill(name="ocaml"), Skill(name="coq")
    db.session.add_all([common, rare])
    db.session.flush()
    count = COMMON_SKILL + 100
    db.session.execute(db.insert(Project), [
        {"slug": f"p-{i}", "title": f"Project {i:05d}", "summary": "s", "description": "d", "outcomes": "o",
         "stars": 1 + i % 5, "time_rating": 1 + i % 3, "status": ProjectStatus.AVAILABLE, "needs_review": False,
         "allow_multiple_claims": False, "created_at": now, "updated_at": now,
         "approved_at": now - timedelta(minutes=i % 700)} for i in range(count)])
    ids = dict(db.session.execute(db.select(Project.slug, Project.id)).all())
    db.session.execute(db.insert(ProjectSkill), [
        {"project_id": ids[f"p-{i}"], "skill_id": (rare if i % 97 == 0 else common).id, "level": "concepts",
         "required": True, "position": 0} for i in range(count)])
    db.session.commit()
    db.session.execute(db.text("ANALYZE"))

    def expected(every, key):
        chosen = [i for i in range(count) if every(i)]
        return [f"p-{i}" for i in sorted(chosen, key=key)][:20]

    newest = lambda i: (i % 700, -ids[f"p-{i}"])  # noqa: E731  approved_at desc, then id desc
    easiest = lambda i: (1 + i % 5, f"Project {i:05d}", ids[f"p-{i}"])  # noqa: E731
    statements = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        if statement.startswith("SELECT projects.id \nFROM projects"):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        pages = {
            "common": (client.get("/projects?skill=ocaml"), expected(lambda i: i % 97, newest)),
            "common, easiest": (client.get("/projects?skill=ocaml&sort=stars"), expected(lambda i: i % 97, easiest)),
            "rare": (client.get("/projects?skill=coq"), expected(lambda i: not i % 97, newest)),
        }
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    for name, (response, slugs) in pages.items():
        assert listed_slugs(response) == slugs, name
    plans = [" ".join(row[-1] for row in db.session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {statement}", parameters).all()) for statement, parameters in statements]
    assert len(plans) == 3
    assert "TEMP B-TREE" not in plans[0] and "TEMP B-TREE" not in plans[1], plans[:2]
    assert "LIST SUBQUERY" in plans[2], plans[2]


def test_a_row_shows_skills_mentors_area_and_who_works_on_it_on_every_listing(client, ctx):
    """Rows are a read model of their own (domain/rows.py): each listing shows what the project page knows."""
    from pioneer.models import ClaimEnd, ProjectSkill, SkillLevel

    from .factories import make_skill

    zoe, amal = make_user("Zoë Ångström", username="zoe"), make_user("Amal Ba", username="amal")
    claimant, gone = make_user("Chidi Claimant", username="chidi"), make_user("Gone Claimant", username="gone")
    busy = make_project("Packet capture in OCaml", status=ProjectStatus.IN_PROGRESS, mentors=[zoe, amal],
                        skills=("ocaml", "tcp/ip"), area="Networking")
    busy.skills.append(ProjectSkill(skill=make_skill("wireshark"), level=SkillLevel.CONCEPTS, required=False,
                                    position=2))
    make_intern(make_round(), busy, mentors=[zoe], name="Ada Intern")
    make_claim(busy, claimant)
    make_claim(busy, gone).end(ClaimEnd.RELEASED)
    free = make_project("A free project", mentors=[], skills=(), area=None)
    make_claim(free, claimant)  # a claim on an available project: its badge names no one
    db.session.commit()
    for path in ("/", "/projects", "/projects?q=packet", "/mentors/zoe", "/projects?status=in_progress"):
        html = client.get(path).get_data(as_text=True)
        row = html[html.index("Packet capture in OCaml"):]
        row = row[:row.index("</article>")]
        assert "in progress: Ada Intern, Outreachy December 2026 – March 2027; Chidi Claimant" in row, path
        assert "Gone Claimant" not in row, path
        if path != "/":  # the home page's newest rows are the same macro; its cards show mentors only
            assert re.findall(r'<span class="tag( tag-optional)?">([^<]+)</span>', row) == [
                ("", "ocaml"), ("", "tcp/ip"), (" tag-optional", "wireshark")], path
            assert '<span class="area">Networking</span>' in row, path
        # Mentors in name order, each linked to their page.
        assert re.findall(r'<a href="/mentors/(\w+)">([^<]+)</a>', row) == [("amal", "Amal Ba"),
                                                                            ("zoe", "Zoë Ångström")], path
    html = client.get("/projects").get_data(as_text=True)
    row = html[html.index("A free project"):]
    row = row[:row.index("</article>")]
    assert "No mentor yet" in row and "Chidi" not in row and 'class="area"' not in row


def test_mentors_page_counts_public_projects_from_indexes_alone(client, ctx):
    """/mentors counts each mentor's public projects reading no table row (migration 0016), and the
    counts and places left are right: proposed projects do not count, claims and interns take places."""
    from sqlalchemy import event

    ada = make_user("Ada Mentor", username="ada", capacity=2)
    bo = make_user("Bo Mentor", username="bo", capacity=1)
    for number in range(3):
        make_project(f"Public project {number}", mentors=[ada, bo] if number == 0 else [ada])
    make_project("A proposal", status=ProjectStatus.PROPOSED, mentors=[ada, bo])
    shared = db.session.execute(db.select(Project).where(Project.slug == "public-project-0")).scalar_one()
    make_claim(shared, make_user("Newcomer"), mentor=bo)
    db.session.commit()
    db.session.execute(db.text("ANALYZE"))
    statements = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        if "count(*)" in statement and "project_mentors" in statement:
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        html = client.get("/mentors").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert re.search(r"Ada Mentor</a></h2>\s*<p><a [^>]+>3 projects</a>\s*· <span class=\"places\">2 places left", html)
    assert re.search(r"Bo Mentor</a></h2>\s*<p><a [^>]+>1 project</a>\s*· <span class=\"muted\">fully booked", html)
    (statement, parameters), = statements
    plan = " ".join(row[-1] for row in db.session.connection().exec_driver_sql(
        f"EXPLAIN QUERY PLAN {statement}", parameters).all())
    assert "COVERING INDEX ix_project_mentors_user_id" in plan, plan
    assert "COVERING INDEX ix_projects_id_status" in plan, plan
