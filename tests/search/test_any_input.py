"""Any input is safe: whatever is typed gives results or a friendly message, shown escaped."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

from pioneer.database import db

from ..factories import make_project

NASTY = [
    '"unbalanced quote', "((((", "-", "AND OR NOT", "title:", "stars:", "stars:9", "time:x", "skill:",
    "{{7*7}}", "{% raw %}", "<script>alert(1)</script>", "\x00\x01\x1f", "☃ 𝕏 ‮reversed", "*" * 50,
    "x" * 10000, "a" * 300 + " " + "b" * 300, "ocaml~2", "ocaml^3", "[a TO z]", "\\", "'; DROP TABLE projects; --",
]


@pytest.fixture
def indexed(ctx):
    for title in ("TCP tests for the stack", "Fuzzing the DNS parser", "Screencast of a first unikernel"):
        make_project(title, summary=f"{title}: a summary.")
    db.session.commit()


def assert_safe(client, q, **params):
    response = client.get("/projects", query_string={"q": q, **params}, follow_redirects=True)
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


@pytest.mark.parametrize("sort", ["relevance", "stars", "time", "title", "newest"])
def test_every_sort_works_with_text(client, indexed, sort):
    assert_safe(client, "tcp", sort=sort, stars="1", page="2")


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
