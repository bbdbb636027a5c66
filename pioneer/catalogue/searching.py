"""The catalogue's full-text path: `/projects?q=...` through the search service."""

from dataclasses import dataclass, field, replace

from flask import current_app
from flask_sqlalchemy.pagination import Pagination

from .. import search
from ..domain.rows import load_rows
from ..search.query import searchable, split_prefixes
from . import queries
from .facets import facet_rows


@dataclass
class SearchInfo:
    """What the listing says about a search besides its rows."""

    snippets: dict = field(default_factory=dict)
    suggestion: str | None = None
    fuzzy: bool = False
    unavailable: bool = False
    problems: list = field(default_factory=list)
    # The text held no word to search for ("++", "the"): the page lists everything and says so.
    nothing_to_search: bool = False


class FoundPagination(Pagination):
    """A page whose rows were found by the search service, in rank order."""

    def _query_items(self):
        loaded = self._query_args["loaded"]
        if [project.id for project in loaded] == list(self._query_args["ids"]):
            return loaded  # the projects the highlighter read their descriptions from
        return load_rows(self._query_args["ids"])

    def _query_count(self):
        return self._query_args["total"]


def merge_prefixes(filters, parsed):
    """The filters with those written in the query (`stars:1`, `skill:ocaml`...) added."""
    return replace(
        filters,
        stars=sorted(set(filters.stars) | set(parsed.stars)),
        time=sorted(set(filters.time) | set(parsed.time)),
        skills=list(dict.fromkeys(filters.skills + parsed.skills)),
        area=parsed.area or filters.area,
        mentor=parsed.mentor or filters.mentor,
    )


def search_listing(filters, per_page):
    """Search with filters; return (pagination, facets, info). Falls back to titles when search is down."""
    parsed = split_prefixes(filters.q)
    merged = merge_prefixes(filters, parsed)
    info = SearchInfo(problems=parsed.problems)
    if not parsed.text or not searchable(parsed.text):
        # Only prefixes, or no word the index keeps: an ordinary filtered listing.
        info.nothing_to_search = bool(parsed.text)
        pagination, facets = queries.project_page(replace(merged, q="", sort=_plain_sort(merged)), per_page)
        return pagination, facets, info
    loaded = []

    def texts(ids):
        """(summary, description) to highlight, from the page's projects, loaded once for the page too."""
        loaded[:] = load_rows(ids, with_description=True)
        return {project.id: (project.summary, project.description) for project in loaded}

    try:
        found = search.backend().search(merged, parsed.text, merged.page, per_page, texts=texts)
    except Exception as error:  # Never an error page for a search: degrade to the title match.
        if not isinstance(error, search.SearchUnavailable):
            current_app.logger.exception("Search failed for %r", filters.q)
        info.unavailable = True
        # The prefixes are filters already: the title match looks for the words alone.
        pagination, facets = queries.project_page(replace(merged, q=parsed.text, sort=_plain_sort(merged)), per_page)
        return pagination, facets, info
    pagination = FoundPagination(page=merged.page, per_page=per_page, max_per_page=per_page, error_out=False,
                                 ids=found.ids, total=found.total, loaded=loaded)
    info.snippets, info.suggestion, info.fuzzy = found.snippets, found.suggestion, found.fuzzy
    return pagination, facet_rows(found.counts, merged), info


def _plain_sort(filters):
    return "newest" if filters.sort == "relevance" else filters.sort
