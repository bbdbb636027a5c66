"""Counting and ranking with bitmaps give what Whoosh's own grouping and collector give, on every generation."""

import pytest
from whoosh import sorting
from whoosh.query import Term

from pioneer import search
from pioneer.catalogue.filters import Filters
from pioneer.database import db
from pioneer.models import ProjectStatus, Stars, TimeRating
from pioneer.search import service
from pioneer.search.bitmaps import SORT_COLUMNS, SetCache, column_values
from pioneer.search.query import filter_query, text_query

from ..factories import make_project, make_user
from .test_relevance import QUERIES, corpus


@pytest.fixture(scope="module")
def corpus_app(tmp_path_factory, request):
    """The relevance corpus on Whoosh only: bitmaps are the Whoosh backend's."""
    yield from corpus(tmp_path_factory, request, "whoosh")


FILTERS = [
    Filters(),
    Filters(stars=[1, 2]),
    Filters(time=[2], area="networking"),
    Filters(skills=["ocaml"]),
    Filters(status=ProjectStatus.AVAILABLE, stars=[0, 3]),
]


def whoosh_counts(searcher, q, filters):
    """The facet counts as Whoosh's grouping collectors count them (the way before bitmaps)."""
    counts = {}
    for name, field in service.FACET_FIELDS.items():
        skip = service.FACET_SKIPS[name]
        own = skip is not None and bool(getattr(filters, skip))
        facets = sorting.Facets()
        facets.add_field(field, allow_overlap=name in ("skill", "mentor"), maptype=sorting.Count)
        results = searcher.search(q, filter=filter_query(filters, skip=skip if own else None), groupedby=facets,
                                  limit=1)
        counts[name] = {value: count for value, count in results.groups(field).items() if value not in (None, "")}
    return counts


@pytest.fixture
def sets(corpus_app):  # noqa: F811
    with corpus_app.app_context():
        searcher = search.backend().searcher()
        yield searcher, SetCache().sets(("test", searcher.reader().generation()), searcher)


@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_totals_and_facet_counts_match_whoosh(sets, filters):
    searcher, generation = sets
    for case in QUERIES:
        q = text_query(case["q"])
        if q is None:
            continue
        matched = generation.matched(q)
        total = len(matched & service.filtered(generation, filters))
        assert total == len(searcher.search(q, filter=filter_query(filters), limit=None)), case["q"]
        mine = {name: {value: count for value, count in counts.items()}
                for name, counts in service.facet_counts(generation, matched, filters).items()}
        assert mine == whoosh_counts(searcher, q, filters), case["q"]


def test_ranking_matches_whoosh_on_the_relevance_corpus(sets):
    searcher, generation = sets
    compared = 0
    for case in QUERIES + [{"q": "tcp -congestion"}, {"q": "+unikernel storage"}, {"q": "ocaml AND http"}]:
        q = text_query(case["q"])
        if q is None or not service._sums_terms(q):
            continue
        expected = [hit.docnum for hit in searcher.search(q, limit=10)]
        terms = list(service._wanted_terms(q, searcher.reader()))
        assert generation.top(terms, generation.matched(q), 10) == expected, case["q"]
        compared += 1
    assert compared >= 20


def test_columns_are_read_whole_as_whoosh_reads_them(sets):
    searcher, _generation = sets
    for leaf, _offset in searcher.reader().leaf_readers():
        for name in ("stars", "time", "area", "status", *{n for names in SORT_COLUMNS.values() for n in names}):
            assert column_values(leaf, name) == list(leaf.column_reader(name)), name


def test_a_new_generation_counts_changes_and_reuses_unchanged_segments(client, ctx):
    mentor = make_user("Wren Mentor", username="wren")
    first = make_project("Quokka parser", stars=Stars.ONE, time_rating=TimeRating.DAY, mentors=[mentor])
    make_project("Quokka printer", stars=Stars.TWO, time_rating=TimeRating.DAY)
    db.session.commit()
    cache = SetCache()
    backend = search.backend()
    searcher = backend.searcher()
    before = cache.sets(("g", searcher.reader().generation()), searcher)
    assert len(before.matched(text_query("quokka"))) == 2
    segments = dict(cache._segments)

    make_project("Quokka plotter", stars=Stars.ONE, time_rating=TimeRating.WEEK)
    db.session.delete(first)
    db.session.commit()
    searcher = backend.searcher()
    after = cache.sets(("g", searcher.reader().generation()), searcher)
    matched = after.matched(text_query("quokka"))
    counts = service.facet_counts(after, matched, Filters())
    assert len(matched) == 2
    assert counts["stars"] == {1: 1, 2: 1} and counts["mentor"] == {}
    # The segment written before is reused, not read again.
    assert any(cache._segments.get(segment_id) is sets_ for segment_id, sets_ in segments.items())


def test_term_scores_are_whoosh_own_scores(sets):
    """BM25F summed with numpy over posting blocks gives exactly what Whoosh's matcher scores."""
    searcher, generation = sets
    checked = 0
    for fieldname in ("title", "summary", "tags", "body"):
        for term in list(searcher.reader().lexicon(fieldname))[:40]:
            text = term.decode("utf-8")
            docnums, scores = generation._scored_postings(fieldname, text)
            expected = {}
            for subsearcher, offset in searcher.leaf_searchers():
                if (fieldname, text) not in subsearcher.reader():
                    continue
                matcher = Term(fieldname, text).matcher(subsearcher, searcher.context())
                while matcher.is_active():
                    expected[matcher.id() + offset] = matcher.score()
                    matcher.next()
            assert dict(zip(docnums.tolist(), scores.tolist(), strict=True)) == expected, (fieldname, text)
            checked += 1
    assert checked >= 100


def test_a_facet_of_many_values_counts_per_document_as_the_intersections_do(sets):
    """Mentors on a large catalogue are counted in numpy (bitmaps.MANY_VALUES); same counts as one
    intersection per value, for every query of the corpus and for every document."""
    _searcher, generation = sets
    bases = [generation.live] + [generation.matched(text_query(case["q"])) for case in QUERIES
                                 if text_query(case["q"]) is not None]
    compared = 0
    for facet in ("mentor", "skills"):
        for base in bases:
            expected = {value: base.intersection_cardinality(docnums)
                        for value, docnums in generation.facets[facet].items()}
            expected = {value: count for value, count in expected.items() if count}
            assert generation._counted_per_document(facet, base) == expected
            compared += bool(expected)
    assert compared > 20


def test_the_top_facet_values_are_the_most_common_then_by_name():
    from pioneer.catalogue.facets import FACET_LIMIT, _top

    groups = {f"mentor-{n:04}": n % 7 for n in range(5000)}  # many ties at every count
    expected = sorted(groups.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
    assert _top(groups) == expected
    assert [count for _name, count in expected] == [6] * FACET_LIMIT
    assert _top({"b": 1, "a": 1, "c": 2}) == [("c", 2), ("a", 1), ("b", 1)]
