"""Catalogues other communities write: titles and descriptions in other languages, on both backends."""

import os
import re

import pytest

from pioneer.database import db

from ..factories import make_project

PROJECTS = {
    "ubersetzung": ("Übersetzung der Anleitung ins Deutsche", "Eine Übersetzung der Anleitung für Einsteiger."),
    "cafe": ("Café finder for Zürich meetups", "List the cafés near each meetup in Zürich."),
    "resume": ("Résumé parser for mentors' profiles", "Read a naïve résumé and fill the profile."),
    "greek": ("Μετάφραση του οδηγού", "ΜΕΤΆΦΡΑΣΗ της τεκμηρίωσης στα ελληνικά."),
    "russian": ("Перевод документации", "Перевод руководства для новичков."),
    "plain": ("Packet capture for the network stack", "Capture packets and replay them."),
}


@pytest.fixture
def app(any_backend_app):
    return any_backend_app


@pytest.fixture
def slugs(ctx):
    made = {key: make_project(title, summary=summary, slug=key).slug for key, (title, summary) in PROJECTS.items()}
    db.session.commit()
    return made


def found(client, q):
    page = client.get("/projects", query_string={"q": q}).get_data(as_text=True)
    return re.findall(r'class="project-title"><a href="/projects/([a-z0-9-]+)"', page), page


@pytest.mark.parametrize("q, key", [
    ("Übersetzung", "ubersetzung"), ("übersetzung", "ubersetzung"), ("ÜBERSETZUNG", "ubersetzung"),
    ("Zürich", "cafe"), ("zürich", "cafe"), ("café", "cafe"), ("résumé", "resume"), ("naïve", "resume"),
    ("Μετάφραση", "greek"), ("μετάφραση", "greek"), ("Перевод", "russian"), ("перевод", "russian"),
])
def test_a_word_in_another_alphabet_finds_its_project_in_any_case(client, slugs, q, key):
    shown, page = found(client, q)
    assert shown and shown[0] == slugs[key], (q, shown)
    assert slugs["plain"] not in shown
    assert "<mark>" in page


@pytest.mark.postgres
def test_search_check_says_when_the_database_cannot_fold_case_outside_ascii(cluster, tmp_path, monkeypatch):
    """Under LC_CTYPE C, PostgreSQL folds only A-Z: "перевод" misses "Перевод". The test cluster is
    C.UTF-8 (tests/postgres.py), where the words above are found; an operator is told which one they have."""
    import psycopg

    from pioneer import create_app, search

    with psycopg.connect(f"host=127.0.0.1 port={cluster.port} user=postgres dbname=postgres",
                         autocommit=True) as connection:
        connection.execute("CREATE DATABASE case_blind LOCALE 'C' TEMPLATE template0")
    for name in list(os.environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    outputs = {}
    for database, url in (("case_blind", cluster.url("case_blind")), ("utf8", cluster.create_database("utf8_ctype"))):
        monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path / database))
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SEARCH_BACKEND": "postgres"})
        runner = app.test_cli_runner()
        assert runner.invoke(args=["init"]).exit_code == 0
        outputs[database] = runner.invoke(args=["search", "check"])
        with app.app_context():
            search.backend().close()
            db.engine.dispose()
    assert outputs["case_blind"].exit_code != 0
    assert "LC_CTYPE is C" in outputs["case_blind"].output and "UTF-8 locale" in outputs["case_blind"].output
    assert outputs["utf8"].exit_code == 0, outputs["utf8"].output
    assert "LC_CTYPE" not in outputs["utf8"].output


@pytest.fixture
def languages(ctx):
    made = {slug: make_project(title, summary=summary, slug=slug, skills=skills).slug
            for slug, title, summary, skills in (
                ("cpp", "Port the allocator to C++", "Rewrite the C allocator in modern C++.", ("c++",)),
                ("rstats", "R package for the survey data", "Publish the survey tables as an R package.", ("r",)),
                ("node", "Node.js client", "A client library for Node.js.", ("node.js",)),
                ("donnees", "Données ouvertes", "Publier les données.", ("données",)))}
    db.session.commit()
    return made


@pytest.mark.parametrize("q, expected, absent", [
    ("C++", "cpp", ("node", "donnees")),
    ("c++ allocator", "cpp", ("node", "donnees")),
    ("R", "rstats", ("cpp", "node", "donnees")),
])
def test_one_letter_languages_are_words_people_can_search(client, languages, q, expected, absent):
    """"C", "R", "C++", "C#" are skills of real catalogues: they were dropped as too short, and the
    page then said "4 projects match “C++”" over the whole unfiltered catalogue."""
    shown, page = found(client, q)
    assert languages[expected] in shown, (q, shown)
    assert not set(shown) & {languages[slug] for slug in absent}, (q, shown)
    assert re.search(f"match(es)? “{re.escape(q)}”", page) and "holds no word to search for" not in page


def test_a_plus_after_a_word_is_part_of_it_not_the_required_operator(client, languages):
    """"C++ allocator" is C++ or allocator, ranked; before, the + made "allocator" required."""
    shown, _ = found(client, "C++ survey")
    assert {languages["cpp"], languages["rstats"]} <= set(shown)


@pytest.mark.parametrize("q", ["++", "the", "#"])
def test_text_without_a_word_to_search_says_so_instead_of_claiming_matches(client, languages, q):
    shown, page = found(client, q)
    assert len(shown) == len(languages)
    assert "holds no word to search for" in page
    assert "match “" not in page
