"""Search the public catalogue: ranked ids, facet counts, highlights, corrections, fuzzy fallback."""

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from whoosh import highlight, query, sorting
from whoosh.analysis import Token
from whoosh.searching import Searcher

from ..domain import cache
from .backend import WhooshBackend
from .query import ListingFilters, filter_query, fuzzy_query, text_query, words

FACET_FIELDS = {"stars": "stars", "time": "time", "area": "area", "status": "status", "skill": "skills",
                "mentor": "mentor"}
# Each facet counts without its own filter, so ticking a second value shows what it adds.
FACET_SKIPS = {"stars": "stars", "time": "time", "area": "area", "status": "status", "skill": None,
               "mentor": "mentor"}
SORTS = {
    "newest": [sorting.FieldFacet("approved", reverse=True)],
    "stars": [sorting.FieldFacet("stars_sort"), sorting.FieldFacet("title_sort")],
    "time": [sorting.FieldFacet("time_sort"), sorting.FieldFacet("title_sort")],
    "title": [sorting.FieldFacet("title_sort")],
}


class MarkFormatter(highlight.Formatter):
    """Wrap matched words in <mark>, escaping everything else."""

    between = " … "

    def _text(self, text):
        return str(escape(text))

    def format_token(self, text: str, token: Token, replace: bool = False) -> str:
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"


@dataclass
class Found:
    ids: list
    total: int
    counts: dict
    snippets: dict = field(default_factory=dict)
    suggestion: str | None = None
    fuzzy: bool = False


def search(backend: WhooshBackend, filters: ListingFilters, text: str, page: int, per_page: int,
           descriptions: Callable[[list[int]], dict[int, str]] = lambda ids: {}) -> Found:
    """Run text with filters; return a page of ranked ids and everything the listing shows beside them.

    Results are cached per index generation: every index commit makes a new generation, so a cached
    answer never outlives the documents it came from.
    """
    searcher = backend.searcher()
    generation = ("index", backend.identity(), searcher.reader().generation())
    key = ("search", text, filters.cache_key, filters.sort, page, per_page)
    return cache.cached(key, lambda: _search(searcher, filters, text, page, per_page, descriptions),
                        version=generation)


def _search(searcher, filters, text, page, per_page, descriptions):
    exact = text_query(text)
    found = _run(searcher, exact, filters, page, per_page, descriptions)
    if found.total == 0 and exact is not None:
        fallback = fuzzy_query(text)
        if fallback is not None:
            found = _run(searcher, fallback, filters, page, per_page, descriptions)
            found.fuzzy = found.total > 0
    found.suggestion = suggest(searcher, text)
    return found


def _run(searcher, text_q, filters, page, per_page, descriptions):
    base = text_q if text_q is not None else query.Every()
    sortedby = None if filters.sort == "relevance" and text_q is not None else SORTS.get(filters.sort, SORTS["newest"])
    # No terms=True: in whoosh 2.7.5 it makes the total ignore the filter; highlights work without it.
    results = searcher.search_page(base, page, pagelen=per_page, filter=filter_query(filters), sortedby=sortedby)
    ids = [int(hit["id"]) for hit in results]
    snippets = {}
    if text_q is not None:
        results.results.formatter = MarkFormatter()
        results.results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        # Descriptions are not stored in the index: their text comes from the database.
        texts = descriptions(ids)
        for hit in results:
            snippet = hit.highlights("summary", top=1) or hit.highlights(
                "body", text=texts.get(int(hit["id"]), ""), top=2)
            if snippet:
                snippets[int(hit["id"])] = Markup(snippet)
    return Found(ids=ids, total=results.total, counts=facet_counts(searcher, base, filters), snippets=snippets)


def facet_counts(searcher: Searcher, base: query.Query, filters: ListingFilters) -> dict[str, dict[str | int, int]]:
    """Count matches per facet value; facets whose own filter is unset share one search."""
    by_filter = {}
    for name, skip in FACET_SKIPS.items():
        own = skip is not None and bool(getattr(filters, skip if skip != "status" else "status"))
        key = skip if own else None
        by_filter.setdefault(key, []).append(name)
    counts = {}
    for skip, names in by_filter.items():
        facets = sorting.Facets()
        for name in names:
            facets.add_field(FACET_FIELDS[name], allow_overlap=name in ("skill", "mentor"), maptype=sorting.Count)
        results = searcher.search(base, filter=filter_query(filters, skip=skip), groupedby=facets, limit=1)
        for name in names:
            counts[name] = results.groups(FACET_FIELDS[name])
    return counts


def suggest(searcher: Searcher, text: str) -> str | None:
    """A corrected version of text when some word looks misspelt, else None."""
    typed = words(text)
    if not typed:
        return None
    reader = searcher.reader()
    corrector = searcher.corrector("spelling")
    corrected, changed = [], False
    for word in typed:
        if len(word) >= 3 and not reader.doc_frequency("spelling", word):
            options = corrector.suggest(word, limit=1, maxdist=2, prefix=1)
            if options:
                corrected.append(options[0])
                changed = True
                continue
        corrected.append(word)
    return " ".join(corrected) if changed else None


__all__ = ["Found", "search", "suggest"]
