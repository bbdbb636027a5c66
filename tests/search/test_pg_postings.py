"""PostgreSQL search from the postings table answers as the vectors do, and the postings follow every change.

pg_postings.py answers word searches from `search_postings` and per-version facet sets instead of
the GIN index and the projects' rows. These tests put both answers side by side (ids in order,
total, every facet count, fuzzy fallback, "Did you mean") over the demo catalogue and the search
corpus, for words of every kind, with filters and pages; then change the catalogue every way the
site can and check the postings against their vectors (`pioneer search check`).
"""

import itertools
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from pioneer import search
from pioneer.catalogue.filters import Filters
from pioneer.database import db
from pioneer.models import ProjectStatus
from pioneer.search import pg_postings, pg_schema
from tests import factories

from ..conftest import backend_config

pytestmark = pytest.mark.postgres
DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def pg_app(tmp_path_factory, request):
    """The demo catalogue and the search corpus on PostgreSQL, searched with its own backend."""
    import os

    from pioneer import create_app
    from pioneer.provision import build_index_if_missing

    saved = os.environ.get("PIONEER_INSTANCE_PATH")
    os.environ["PIONEER_INSTANCE_PATH"] = str(tmp_path_factory.mktemp("postings"))
    try:
        app = create_app({"TESTING": True, "SEARCH_STORAGE": "memory", "SECRET_KEY": "postings-tests-key-0123456789"}
                         | backend_config(request, "postgres"))
    finally:
        os.environ.pop("PIONEER_INSTANCE_PATH") if saved is None else os.environ.update(PIONEER_INSTANCE_PATH=saved)
    with app.app_context():
        db.create_all()
        build_index_if_missing()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    result = runner.invoke(args=["import", str(DATA / "search_corpus.md")])
    assert "Imported 34 projects" in result.output and "0 problems" in result.output, result.output
    yield app
    with app.app_context():
        search.backend().close()
        db.engine.dispose()


def vocabulary(app):
    """Words of public titles and summaries, as people would type them."""
    with app.app_context():
        texts = db.session.execute(text(
            f"SELECT title || ' ' || coalesce(summary, '') FROM projects WHERE status IN ({pg_schema.PUBLIC})"
        )).scalars().all()
    return sorted({word for line in texts for word in re.findall(r"[A-Za-z][A-Za-z'-]{2,}", line)})


def queries(words):
    every = words[::3]
    pairs = [f"{a} {b}" for a, b in zip(words[::11], words[5::11], strict=False)]
    operators = [f"{a} OR {b}" for a, b in zip(words[::17], words[8::17], strict=False)]
    operators += [f"{a} -{b}" for a, b in zip(words[1::17], words[9::17], strict=False)]
    operators += [f"+{a} {b}" for a, b in zip(words[2::19], words[4::19], strict=False)]
    odd = ["the ocaml", "unikernel the and", "NOT ocaml", "ocaml NOT tests", "tests AND (ocaml OR rust)",
           "ocmal", "unikernl clock", "zzzqqq", "perevod", "Ocaml OCAML ocaml", "testing tested tests"]
    return every + pairs + operators + odd


FILTERS = [Filters(sort="relevance"), Filters(stars=[1, 2], sort="relevance"),
           Filters(skills=["ocaml"], sort="relevance"), Filters(area="networking", sort="relevance"),
           Filters(status=ProjectStatus.AVAILABLE, stars=[0, 3], sort="relevance")]


def both(app, q, filters, page=1, per_page=3):
    backend = search.backend()
    with app.app_context():
        fast = backend._from_postings(db.session, filters, q, search.query.text_query(q), page, per_page)
        slow = backend._search(db.session, filters, q, page, per_page, postings=False)
        db.session.rollback()
    return fast, slow


def test_postings_give_the_vectors_answer_for_every_kind_of_word_query(pg_app):
    words = vocabulary(pg_app)
    assert len(words) > 100
    compared = answered = 0
    for q, filters in itertools.product(queries(words), FILTERS):
        if filters is not FILTERS[0] and hash(q) % 3:  # every query unfiltered, a third with each filter
            continue
        with pg_app.app_context():
            try:
                fast, slow = both(pg_app, q, filters)
            except pg_postings.Unanswerable:
                continue
        answered += bool(fast.total)
        for page in (1, 2) if fast.total > 3 else (1,):
            if page == 2:
                with pg_app.app_context():
                    fast, slow = both(pg_app, q, filters, page=2)
            assert (fast.ids, fast.total, fast.fuzzy, fast.suggestion) == (slow.ids, slow.total, slow.fuzzy,
                                                                          slow.suggestion), (q, filters, page)
            assert fast.counts == slow.counts, (q, filters)
            assert set(fast.snippets) <= set(fast.ids)
            compared += 1
    assert compared > 300 and answered > 150


def test_phrases_and_words_postgresql_splits_go_to_the_vectors(pg_app):
    # One word to Whoosh's parser, two lexemes in a row to PostgreSQL's: a phrase there.
    for q in ['"clock drift"', "snake_case", "ocaml snake_case"]:
        with pg_app.app_context(), pytest.raises(pg_postings.Unanswerable):
            search.backend()._from_postings(db.session, FILTERS[0], q, search.query.text_query(q), 1, 3)
    html = pg_app.test_client().get("/projects", query_string={"q": '"clock that can drift"'}).get_data(as_text=True)
    assert "NTP client for unikernels" in html


def test_ties_rank_newest_first_then_highest_id(pg_app):
    """Equal scores: the listing's order, as ts_rank's statement orders them."""
    from datetime import UTC, datetime

    with pg_app.app_context():
        same = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
        projects = [factories.make_project(title=f"Quintessa widget {n}", summary="Same words.", area=None)
                    for n in range(4)]
        db.session.flush()
        for project, approved in zip(projects, [same, same, same, datetime(2026, 11, 5, tzinfo=UTC)], strict=True):
            project.approved_at = approved
        db.session.commit()
        ids = [project.id for project in projects]
        fast, slow = both(pg_app, "quintessa", FILTERS[0], per_page=10)
        db.session.close()
    assert fast.ids == slow.ids == [ids[3], ids[2], ids[1], ids[0]]


def test_a_page_marks_the_searched_words_in_every_form(pg_app):
    html = pg_app.test_client().get("/projects", query_string={"q": "renewing"}).get_data(as_text=True)
    marked = {word.lower() for word in re.findall(r"<mark>([^<]*)</mark>", html)}
    assert marked and marked <= {"renew", "renews", "renewing", "renewal"}, marked


def test_the_postings_follow_every_change_and_check_finds_one_that_did_not(pg_app):
    client = pg_app.test_client()

    def found(q):
        return re.findall(r'class="project-title"><a href="/projects/([a-z0-9-]+)"',
                          client.get("/projects", query_string={"q": q}).get_data(as_text=True))

    with pg_app.app_context():
        backend = search.backend()
        mentor = factories.make_user(username="quillon", name="Quillon Ashby")
        project = factories.make_project(title="Zephyrine telemetry", summary="Counters.", mentors=[mentor])
        slug = project.slug
        db.session.commit()
        assert found("zephyrine") == [slug] and found("quillon") == [slug]
        project.title = "Marigoldish telemetry"
        db.session.commit()
        assert found("zephyrine") == [] and found("marigoldish") == [slug]
        mentor.name = "Quillon Brightwater"
        db.session.commit()
        assert found("brightwater") == [slug]
        project.status = ProjectStatus.PROPOSED
        db.session.commit()
        assert found("marigoldish") == []
        assert backend.check(db.engine) == []
        project.status = ProjectStatus.AVAILABLE
        db.session.commit()
        assert found("marigoldish") == [slug]
        db.session.execute(text("UPDATE search_postings SET score = score + 1 WHERE lexeme = 'marigoldish'"))
        db.session.execute(text("INSERT INTO search_postings VALUES ('zzstale', :id, 1)"), {"id": project.id})
        db.session.commit()
        problems = backend.check(db.engine)
        assert problems == [f"postings out of date: project id {project.id} (2 words;"
                            " `pioneer search rebuild` rewrites them)"]
        assert found("zzstale") == [slug]  # what a stale posting does: why check looks for them
        project_id = project.id
        db.session.close()  # a rebuild reinstalls the schema: no transaction may hold the tables
        backend.rebuild(db.engine)
        assert backend.check(db.engine) == [] and found("zzstale") == []
        db.session.delete(db.session.get(type(project), project_id))
        db.session.commit()
        assert found("marigoldish") == [] and backend.check(db.engine) == []


def test_an_import_posts_each_project_once_with_its_tags(pg_app, tmp_path):
    page = tmp_path / "more.md"
    page.write_text("# More\n\n## Tooling\n\n### Wobbleferry formatter (2-star)\n\nFormat wobbleferry files.\n\n"
                    "Summary: A formatter.\nMentors: Orla Quennell\nSkills: ocaml (some experience)\n",
                    encoding="utf-8")
    result = pg_app.test_cli_runner().invoke(args=["import", str(page)])
    assert "1 new" in result.output, result.output
    with pg_app.app_context():
        assert search.backend().check(db.engine) == []
        words = db.session.execute(text(
            "SELECT lexeme FROM search_postings s JOIN projects p ON p.id = s.project_id"
            " WHERE p.title = 'Wobbleferry formatter' ORDER BY 1")).scalars().all()
    assert {"wobbleferri", "orla", "quennel", "ocaml", "formatt"} <= set(words), words


def test_a_word_is_read_from_the_index_alone(pg_app):
    with pg_app.app_context():
        search.backend().rebuild(db.engine)  # it vacuums the postings: every page is then all-visible
        plan = "\n".join(db.session.execute(text(
            "EXPLAIN (ANALYZE, COSTS OFF) " + pg_postings._POSTINGS.text), {"words": ["ocaml"]}).scalars())
    assert "Index Only Scan using search_postings_pkey" in plan and "Heap Fetches: 0" in plan, plan
