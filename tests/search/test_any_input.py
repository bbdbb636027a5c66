"""Any input is safe: whatever is typed gives results or a friendly message, shown escaped."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from pioneer.database import db

from ..factories import make_project

NASTY = [
    '"unbalanced quote', "((((", "-", "AND OR NOT", "title:", "stars:", "stars:9", "time:x", "skill:",
    "{{7*7}}", "{% raw %}", "<script>alert(1)</script>", "\x00\x01\x1f", "\x01\x1f\x7f", "☃ 𝕏 \u202ereversed", "*" * 50,
    "x" * 10000, "a" * 300 + " " + "b" * 300, "ocaml~2", "ocaml^3", "[a TO z]", "\\", "'; DROP TABLE projects; --",
]


@pytest.fixture
def app(any_backend_app):
    """Every test here runs on both search backends: Whoosh on SQLite, and PostgreSQL."""
    return any_backend_app


@pytest.fixture
def indexed(ctx):
    for title in ("TCP tests for the stack", "Fuzzing the DNS parser", "Screencast of a first unikernel"):
        make_project(title, summary=f"{title}: a summary.")
    db.session.commit()


def assert_safe(client, q, **params):
    response = client.get("/projects", query_string={"q": q, **params}, follow_redirects=True)
    if "\x00" in q:
        # A NUL byte is refused before any page runs (no database takes it): a plain, friendly 400.
        assert response.status_code == 400, (q, response.status_code)
        assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
        return response.get_data(as_text=True)
    assert response.status_code == 200, (q, response.status_code)
    page = response.get_data(as_text=True)
    shown = " ".join(q.split())[:500]
    # What the user typed is shown back escaped, as text: a tag or template never runs.
    assert "<script>alert(1)</script>" not in page
    if shown:
        assert f"“{escape(shown)}”" in page, shown
    return page


@pytest.mark.parametrize("q", NASTY)
def test_nasty_input_gives_a_page(client, indexed, q):
    page = assert_safe(client, q)
    main = page.split("<main", 1)[1].split("</main>")[0]
    assert "49" not in main  # {{7*7}} was not evaluated


@pytest.fixture
def about_tcp(ctx):
    """Four projects about TCP that every sort puts in a different order, and one about something else."""
    make_project("TCP congestion control", stars=3, time_rating=2, age_days=4, summary="Tune how TCP backs off.")
    make_project("Add TCP keepalive", stars=2, time_rating=3, age_days=3, summary="Keep idle connections open.")
    make_project("Zero-copy buffers", stars=1, time_rating=None, age_days=2, summary="Fewer copies.",
                 description="Helps TCP and UDP alike.")
    make_project("Benchmark the network stack", stars=None, time_rating=1, age_days=1,
                 summary="Measure TCP throughput.")
    make_project("DNS resolver", stars=1, time_rating=1, summary="Names to addresses.")
    db.session.commit()


@pytest.mark.parametrize("sort, expected", [
    # Where the word is: title and summary, title, summary, description.
    ("relevance", ["tcp-congestion-control", "add-tcp-keepalive", "benchmark-the-network-stack",
                   "zero-copy-buffers"]),
    ("stars", ["zero-copy-buffers", "add-tcp-keepalive", "tcp-congestion-control", "benchmark-the-network-stack"]),
    ("time", ["benchmark-the-network-stack", "tcp-congestion-control", "add-tcp-keepalive", "zero-copy-buffers"]),
    ("title", ["add-tcp-keepalive", "benchmark-the-network-stack", "tcp-congestion-control", "zero-copy-buffers"]),
    ("newest", ["benchmark-the-network-stack", "zero-copy-buffers", "add-tcp-keepalive", "tcp-congestion-control"]),
])
def test_every_sort_works_with_text(client, about_tcp, sort, expected):
    assert listed(assert_safe(client, "tcp", sort=sort)) == expected
    # A filter keeps the order of what is left.
    one_or_two_stars = [slug for slug in expected if slug in ("zero-copy-buffers", "add-tcp-keepalive")]
    assert listed(assert_safe(client, "tcp", sort=sort, stars=["1", "2"])) == one_or_two_stars


def listed(page):
    """The project slugs a listing shows, in page order."""
    return re.findall(r'class="project-title"><a href="/projects/([a-z0-9-]+)"', page)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(min_size=1, max_size=300))
def test_arbitrary_text_never_breaks_search(client, indexed, q):
    assert_safe(client, q)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.lists(st.sampled_from(['"', "-", "stars:", "skill:", "(", ")", "AND", "OR", "NOT", "tcp", "dns",
                                   "fuzzing", "*", "~", "^", ":", "time:1", "area:", "mentor:x", " "]),
                  min_size=1, max_size=12).map("".join))
def test_query_syntax_soup_never_breaks_search(client, indexed, q):
    assert_safe(client, q)
