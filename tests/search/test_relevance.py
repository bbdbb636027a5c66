"""Relevance: a corpus written for it, and queries with the projects that must rank where."""

import re
import tomllib
from pathlib import Path

import pytest

from ..conftest import BACKENDS, backend_config

DATA = Path(__file__).parent.parent / "data"
QUERIES = tomllib.loads((DATA / "search_queries.toml").read_text())["query"]


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_app(tmp_path_factory, request):
    """One app with the corpus imported and indexed, shared by every query; once per search backend."""
    yield from corpus(tmp_path_factory, request, request.param)


def corpus(tmp_path_factory, request, backend):
    """Yield an app searching the corpus with backend; close it after."""
    import os

    from pioneer import create_app, search
    from pioneer.database import db
    from pioneer.provision import build_index_if_missing

    saved = os.environ.get("PIONEER_INSTANCE_PATH")
    os.environ["PIONEER_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("corpus"))
    try:
        app = create_app({"TESTING": True, "SEARCH_STORAGE": "memory", "SECRET_KEY": "relevance-tests-key-0123456789"}
                         | backend_config(request, backend))
    finally:
        os.environ.pop("PIONEER_INSTANCE_PATH") if saved is None else os.environ.update(PIONEER_INSTANCE_PATH=saved)
    with app.app_context():
        db.create_all()
        build_index_if_missing()
    result = app.test_cli_runner().invoke(args=["import", str(DATA / "search_corpus.md")])
    assert "34 new" in result.output and "0 problems" in result.output, result.output
    yield app
    with app.app_context():
        search.backend().close()
        db.engine.dispose()


def results(app, q):
    html = app.test_client().get("/projects", query_string={"q": q}).get_data(as_text=True)
    slugs = re.findall(r'class="project-title"><a href="/projects/([a-z0-9-]+)"', html)
    suggestion = re.search(r'Did you mean <a href="[^"]*">([^<]*)</a>', html)
    return slugs, html, suggestion.group(1) if suggestion else None


def test_the_suite_covers_what_the_issue_asks():
    assert len(QUERIES) >= 20
    kinds = " ".join(query["why"].lower() for query in QUERIES)
    for word in ("stemming", "phrase", "minus sign", "prefix", "corrected", "fuzzy"):
        assert word in kinds, word


@pytest.mark.parametrize("case", QUERIES, ids=[query["q"] for query in QUERIES])
def test_query_ranks_the_right_projects(corpus_app, case):
    slugs, html, suggestion = results(corpus_app, case["q"])
    if "first" in case:
        assert slugs and slugs[0] == case["first"], (case["why"], slugs[:5])
    for slug in case.get("top3", []):
        assert slug in slugs[:3], (case["why"], slugs[:5])
    for slug in case.get("absent", []):
        assert slug not in slugs, (case["why"], slugs)
    if "count" in case:
        assert len(slugs) == case["count"], (case["why"], slugs)
    if "suggest" in case:
        assert suggestion == case["suggest"], (case["why"], suggestion)
    assert ("these projects match words close to it" in html) == case.get("fuzzy", False), case["why"]


def test_matched_words_are_highlighted(corpus_app):
    _slugs, html, _suggestion = results(corpus_app, "firewall")
    assert re.search(r"<mark>[Ff]irewall</mark>", html)


def test_did_you_mean_links_to_the_corrected_search(corpus_app):
    _slugs, html, suggestion = results(corpus_app, "congestoin")
    assert suggestion == "congestion"
    assert 'href="/projects?q=congestion"' in html
