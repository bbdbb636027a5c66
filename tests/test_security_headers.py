"""The headers every response carries: what a browser may load, frame, send and share, exactly.

Each directive is checked whole: a looser policy (`default-src *`, `https:` scripts, a directive
dropped) must fail here, not only a missing `script-src 'self'`.
"""

import pytest

from .factories import make_project

# What each directive allows. Scripts and styles only from our own files; pictures also from https
# hosts (descriptions link them); no plugins, no <base>, forms post only to us, nobody frames us.
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "https:", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
COMPANIONS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def directives(header):
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"{name} appears twice"
        parsed[name] = sources
    return parsed


@pytest.fixture
def paths(ctx):
    project = make_project("A public project")
    from pioneer.database import db

    db.session.commit()
    # A page, a form, a listing, a 404, a POST answered with a redirect, a static file, the calls feed.
    return [("GET", "/"), ("GET", "/login"), ("GET", f"/projects/{project.slug}"), ("GET", "/projects?q=public"),
            ("GET", "/projects/does-not-exist"), ("POST", "/logout"), ("GET", "/static/css/pioneer.css"),
            ("GET", "/calls.ics"), ("GET", "/api/v1/projects"), ("GET", "/api/v1/projects/nope"),
            ("GET", "/feeds/projects.atom"), ("GET", "/downloads/projects.csv"), ("GET", "/api"),
            ("GET", "/embedded"), ("GET", "/embed")]


def test_every_response_carries_the_exact_policy_and_its_companions(client, paths):
    for method, path in paths:
        with client.open(path, method=method) as response:
            assert response.status_code < 500, path
            headers = response.headers
            assert directives(headers["Content-Security-Policy"]) == POLICY, path
            for name, value in COMPANIONS.items():
                assert headers.get(name) == value, f"{path}: {name}"


def test_a_page_may_not_be_framed_by_another_site(client, ctx):
    headers = client.get("/").headers
    assert directives(headers["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]
    assert headers["X-Frame-Options"] == "DENY"


def test_no_source_allows_inline_code_or_any_host(client, ctx):
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    for name, sources in policy.items():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, name
        assert "*" not in sources, name
        if name != "img-src":
            assert "https:" not in sources and "http:" not in sources, name


def test_only_the_embeddable_list_may_be_framed_and_keeps_the_rest_of_the_policy(client, paths):
    """/embed/... is for other sites' <iframe>s (docs/api.md): framing is its one difference."""
    for path in ("/embed/projects", "/embed/projects?stars=1&limit=3", "/embed/nothing-here"):
        headers = client.get(path).headers
        assert directives(headers["Content-Security-Policy"]) == {**POLICY, "frame-ancestors": ["*"]}, path
        assert "X-Frame-Options" not in headers, path
        for name, value in COMPANIONS.items():
            if name != "X-Frame-Options":
                assert headers.get(name) == value, f"{path}: {name}"
