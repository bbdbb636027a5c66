"""Search the public catalogue: ranked ids, facet counts, highlights, corrections, fuzzy fallback."""

import threading
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape
from pyroaring import BitMap
from whoosh import query
from whoosh.analysis import CompositeAnalyzer, RegexTokenizer
from whoosh.searching import Searcher

from ..domain import cache
from .backend import WhooshBackend
from .bitmaps import SORT_COLUMNS, SetCache
from .fuzzy import Corrector
from .query import ListingFilters, fuzzy_query, text_query, words
from .schema import SCHEMA

FACET_FIELDS = {"stars": "stars", "time": "time", "area": "area", "status": "status", "skill": "skills",
                "mentor": "mentor"}
# Each facet counts without its own filter, so ticking a second value shows what it adds.
FACET_SKIPS = {"stars": "stars", "time": "time", "area": "area", "status": "status", "skill": None,
               "mentor": "mentor"}
# Highlighted passages: at most this many characters, starting this many before the first match.
SNIPPET_WIDTH = 240
SNIPPET_CONTEXT = 60
# Below this many results a search also looks for misspelt words ("Did you mean").
SUGGEST_BELOW = 5


@dataclass
class Found:
    ids: list
    total: int
    counts: dict
    snippets: dict = field(default_factory=dict)
    suggestion: str | None = None
    fuzzy: bool = False


def search(backend: WhooshBackend, filters: ListingFilters, text: str, page: int, per_page: int,
           texts: Callable[[list[int]], dict[int, tuple[str, str]]] = lambda ids: {}) -> Found:
    """Run text with filters; return a page of ranked ids and everything the listing shows beside them.

    Results are cached per index generation: every index commit makes a new generation, so a cached
    answer never outlives the documents it came from. Traffic seldom repeats a query, so the work
    itself is kept small (docs/search.md, "Counting without walking documents").
    """
    searcher = backend.searcher()
    generation = ("index", backend.identity(), searcher.reader().generation())
    key = ("search", text, filters.cache_key, filters.sort, page, per_page)

    def compute():
        sets = _set_cache(backend).sets(generation, searcher)
        return _search(searcher, sets, filters, text, page, per_page, texts)

    return cache.cached(key, compute, version=generation)


_SET_CACHES = weakref.WeakKeyDictionary()
_SET_CACHES_LOCK = threading.Lock()


def _set_cache(backend):
    with _SET_CACHES_LOCK:
        return _SET_CACHES.setdefault(backend, SetCache())


def _search(searcher, sets, filters, text, page, per_page, texts):
    exact = text_query(text)
    selected = filtered(sets, filters)
    matched = sets.matched(exact)
    fuzzy = False
    if exact is not None and not matched & selected:
        # Words one edit away first; two edits only when those find nothing.
        for fallback in (fuzzy_query(text, closest=True), fuzzy_query(text)):
            if fallback is None:
                break
            fuzzy_matched = sets.matched(fallback)
            if fuzzy_matched & selected:
                exact, matched, fuzzy = fallback, fuzzy_matched, True
                break
    found = _page(searcher, sets, exact, matched, selected, filters, page, per_page, texts)
    found.fuzzy = fuzzy
    # "Did you mean" when the words found little: a corrector per word is not free.
    if fuzzy or found.total < SUGGEST_BELOW:
        found.suggestion = suggest(searcher, text)
    return found


def filtered(sets, filters, skip=None):
    """The live documents the listing's filters keep (all of them when nothing filters)."""
    parts = []
    if filters.stars and skip != "stars":
        parts.append(sets.any_of("stars", filters.stars))
    if filters.time and skip != "time":
        parts.append(sets.any_of("time", filters.time))
    if filters.area and skip != "area":
        parts.append(sets.value("area", filters.area))
    parts += [sets.value("skills", name) for name in filters.skills]
    if filters.status and skip != "status":
        parts.append(sets.value("status", filters.status.value))
    if filters.mentor and skip != "mentor":
        parts.append(sets.value("mentor", filters.mentor))
    return BitMap.intersection(*parts) if parts else sets.live


def _page(searcher, sets, text_q, matched, selected, filters, page, per_page, texts):
    found_set = matched & selected
    start = (page - 1) * per_page
    if start >= len(found_set):
        docnums = []
    elif filters.sort == "relevance" and text_q is not None and _sums_terms(text_q):
        # Whoosh's scores of each word, summed in C over the documents found (docs/search.md, "Ranking").
        docnums = sets.top(list(_wanted_terms(text_q, searcher.reader())), found_set, start + per_page)
        docnums = docnums[start:start + per_page]
    elif filters.sort == "relevance" and text_q is not None:
        # Phrases and fuzzy words: Whoosh ranks, among the documents the filters keep.
        allow = None if len(found_set) == len(matched) else set(found_set)
        results = searcher.search(text_q, limit=start + per_page, filter=allow)
        docnums = [hit.docnum for hit in results][start:start + per_page]
    else:
        docnums = sets.first(found_set, filters.sort if filters.sort in SORT_COLUMNS else "newest", start + per_page)
        docnums = docnums[start:start + per_page]
    stored = [searcher.stored_fields(docnum) for docnum in docnums]
    ids = [int(fields["id"]) for fields in stored]
    snippets = _snippets(searcher, text_q, stored, ids, texts) if text_q is not None and ids else {}
    return Found(ids=ids, total=len(found_set), counts=facet_counts(sets, matched, filters), snippets=snippets)


def _snippets(searcher, text_q, stored, ids, texts):
    """Highlighted passages: from the summary when it holds a searched word, else from the description."""
    terms = defaultdict(set)
    for fieldname, text in _wanted_terms(text_q, searcher.reader()):
        terms[fieldname].add(text.decode("utf-8") if isinstance(text, bytes) else text)
    # Descriptions are not stored in the index: their text comes from the database, (summary,
    # description) by id, read with the page's rows (catalogue/searching.py).
    descriptions = {project_id: description for project_id, (_summary, description) in texts(ids).items()}
    snippets = {}
    for fields, project_id in zip(stored, ids, strict=True):
        snippet = ""
        if terms["summary"]:
            summary = fields.get("summary", "")
            snippet = highlighted(summary, terms["summary"], SCHEMA["summary"].analyzer, top=1)
        if not snippet and terms["body"]:
            snippet = highlighted(descriptions.get(project_id, ""), terms["body"], SCHEMA["body"].analyzer, top=2)
        if snippet:
            snippets[project_id] = snippet
    return snippets


def highlighted(text, terms, analyzer, top=1, width=SNIPPET_WIDTH, before=SNIPPET_CONTEXT):
    """Up to top passages of text around the words the analyzer turns into one of terms, each at most
    width characters with before characters ahead of its first match, matches in <mark>, the rest escaped.

    Written here rather than with whoosh.highlight: ours needs no fragment scoring, and whoosh's
    highlighter crashed the interpreter under load on Python 3.11.7 (docs/search.md, "Highlighting").
    """
    if not text:
        return Markup("")
    spans = matching_spans(text, terms, analyzer)
    passages, index = [], 0
    while index < len(spans) and len(passages) < top:
        start = _word_start(text, max(0, spans[index][0] - before), spans[index][0])
        end = min(len(text), start + width)
        inside = [span for span in spans[index:] if span[1] <= end]
        passages.append((start, _word_end(text, end, inside[-1][1]), inside))
        index += len(inside) or 1
    parts = []
    for start, end, inside in passages:
        piece, position = [], start
        for span_start, span_end in inside:
            piece += [escape(text[position:span_start]), Markup("<mark>"), escape(text[span_start:span_end]),
                      Markup("</mark>")]
            position = span_end
        piece.append(escape(text[position:end]))
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(text) else ""
        parts.append(Markup(prefix) + Markup("").join(piece).strip() + Markup(suffix))
    return Markup(" ").join(parts)


def matching_spans(text, terms, analyzer):
    """(start, end) of each word of text that the analyzer turns into one of terms.

    Only the words that begin as some term does go through the analyzer's filters: a Porter stem keeps
    all but at most the last three letters of its word ("relational" gives "relat"), so no other word
    can stem to a term. The spans are those of analysing the whole text (tests/search/test_highlight.py
    compares both), at a fraction of the cost: most words are only tokenized.
    """
    tokenizer = analyzer.items[0] if isinstance(analyzer, CompositeAnalyzer) else None
    if not isinstance(tokenizer, RegexTokenizer) or tokenizer.gaps or not terms:
        return [(token.startchar, token.endchar)
                for token in analyzer(text, chars=True, mode="query", removestops=False) if token.text in terms]
    starts = tuple({term[:max(1, len(term) - 3)] for term in terms})
    stems, spans = {}, []
    # The tokenizer's own expression, as RegexTokenizer applies it, without a Token per word.
    for match in tokenizer.expression.finditer(text):
        word = match.group(0)
        if not word.lower().startswith(starts):
            continue
        if word not in stems:
            # A token analysed alone gives what it gives inside the text: the filters look at one token.
            stems[word] = any(t.text in terms for t in analyzer(word, mode="query", removestops=False))
        if stems[word]:
            spans.append(match.span())
    return spans


def _word_start(text, position, at_most):
    """position moved forward to the start of a word (never past at_most), unless it is the start of text."""
    while 0 < position < at_most and not text[position - 1].isspace():
        position += 1
    return position


def _word_end(text, position, at_least):
    """position moved back to the end of a word, never before at_least."""
    while position > at_least and position < len(text) and not text[position].isspace():
        position -= 1
    return position


def _sums_terms(q):
    """Tell whether Whoosh's score for q is the sum of its wanted terms' scores: true for words combined
    with OR, AND, +word and -word; not for phrases (positions) nor fuzzy words (constant scores)."""
    if isinstance(q, (query.Phrase, query.MultiTerm)):
        return False
    if isinstance(q, query.Term):
        return q.boost == 1
    if isinstance(q, (query.Or, query.And, query.AndNot, query.AndMaybe, query.Require, query.Not)):
        return q.boost == 1 and getattr(q, "scale", None) is None and all(_sums_terms(c) for c in q.children())
    return False


def _wanted_terms(q, reader):
    """The (field, word) pairs a query looks for, fuzzy words expanded, excluded words (-word) left out."""
    if isinstance(q, query.MultiTerm):
        yield from q.expanded_terms(reader)
    elif isinstance(q, query.Phrase):
        yield from ((q.fieldname, word) for word in q.words)
    elif isinstance(q, query.Term):
        yield q.fieldname, q.text
    elif isinstance(q, query.Not):
        return
    elif isinstance(q, query.BinaryQuery) and isinstance(q, query.AndNot):
        yield from _wanted_terms(q.a, reader)
    else:
        for child in q.children():
            yield from _wanted_terms(child, reader)


def facet_counts(sets, matched, filters) -> dict[str, dict[str | int, int]]:
    """Count matches per facet value, each facet without its own filter, from one matched set."""
    counts, bases = {}, {}
    for name, skip in FACET_SKIPS.items():
        own = skip is not None and bool(getattr(filters, skip))
        key = skip if own else None
        if key not in bases:
            bases[key] = matched & filtered(sets, filters, skip=key)
        counts[name] = sets.counts(FACET_FIELDS[name], bases[key])
    return counts


def suggest(searcher: Searcher, text: str) -> str | None:
    """A corrected version of text when some word looks misspelt, else None."""
    typed = words(text)
    if not typed:
        return None
    reader = searcher.reader()
    corrector = Corrector(reader, "spelling", reader.schema["spelling"])
    corrected, changed = [], False
    for word in typed:
        if len(word) >= 3 and not reader.doc_frequency("spelling", word):
            # The best suggestion is the closest: one edit away first (cheap), two only when none is.
            options = (corrector.suggest(word, limit=1, maxdist=1, prefix=1)
                       or corrector.suggest(word, limit=1, maxdist=2, prefix=1))
            if options:
                corrected.append(options[0])
                changed = True
                continue
        corrected.append(word)
    return " ".join(corrected) if changed else None


__all__ = ["Found", "facet_counts", "filtered", "search", "suggest"]
