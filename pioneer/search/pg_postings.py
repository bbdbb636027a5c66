"""PostgreSQL search from the postings table: matches, counts and ranking without visiting the projects.

The GIN index on the vector gives a word's rows, and each row is then read from the table: one page
per match, 10 ms for a word of 3,500 projects at 100,000, before any counting. The `search_postings`
table (pg_schema.py) holds the same words in word order with each word's share of `ts_rank`'s score,
read from its primary key alone: the same word costs 0.5 ms. The facets come from `CatalogueSets`,
every public project's facet values as bitmaps, loaded once per catalogue version in each process, and
counted with the Whoosh backend's code (bitmaps.FacetSets, service.facet_counts).

What this answers: words combined with AND, OR, `+word`, `-word`, ranked by relevance. Phrases,
words PostgreSQL splits in several (`snake_case`, one word to Whoosh's parser) and the other sorts go
to the vector and its GIN index (postgres.PostgresBackend._search), which decide the same way; tests/search/
test_pg_postings.py compares both on every kind of query. docs/search.md, "Postings", has the design.
"""

import array
import itertools
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy
from markupsafe import Markup
from pyroaring import BitMap, FrozenBitMap
from sqlalchemy import bindparam, select, text
from whoosh import query as wq
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemFilter
from whoosh.lang import porter2

from ..domain import cache
from ..models import PUBLIC_STATUSES, Project
from . import pg_schema
from .bitmaps import EMPTY, TERM_CACHE, FacetSets

CONFIG = "english"
# calc_rank_or's constant: sum(1/i^2) for i = 1..infinity (PostgreSQL's tsrank.c).
ZETA_2 = 1.64493406685

# Each typed word: how many lexemes PostgreSQL makes of it, and when one, its postings as two byte
# strings (big-endian project ids and scores) read from the key in one pass: in the key's order, which
# is id order (an ORDER BY in the aggregate would sort 27,000 postings of a frequent word again).
_POSTINGS = text(f"""
SELECT w.n, numnode(websearch_to_tsquery('{CONFIG}', w.word)) AS nodes, v.lexemes, p.ids, p.scores
  FROM unnest(CAST(:words AS text[])) WITH ORDINALITY AS w(word, n)
 CROSS JOIN LATERAL (SELECT tsvector_to_array(to_tsvector('{CONFIG}', w.word)) AS lexemes) AS v
  LEFT JOIN LATERAL (SELECT string_agg(int4send(s.project_id), ''::bytea) AS ids,
                            string_agg(float4send(s.score), ''::bytea) AS scores
                       FROM search_postings s
                      WHERE cardinality(v.lexemes) = 1 AND s.lexeme = v.lexemes[1]) AS p ON true
 ORDER BY w.n""")

# Every public project's facet columns, each as one byte string in the same row order, read from the
# listing's covering index (numpy reads them whole: a row a project through the driver, and the
# projects table itself, cost over a second at 100,000 projects). Statuses come from (id, status).
_PROJECTS = text(f"""
SELECT string_agg(int4send(p.id), ''::bytea),
       string_agg(int2send(CAST(coalesce(p.stars, 0) AS smallint)), ''::bytea),
       string_agg(int2send(CAST(coalesce(p.time_rating, 0) AS smallint)), ''::bytea),
       string_agg(int4send(coalesce(p.area_id, 0)), ''::bytea),
       string_agg(float8send(coalesce(CAST(extract(epoch FROM p.approved_at) AS float8), 'Infinity')), ''::bytea)
  FROM projects p WHERE p.status IN ({pg_schema.PUBLIC})""")
_STATUSES = text(f"""
SELECT string_agg(int4send(p.id), ''::bytea),
       string_agg(int2send(CAST(array_position(CAST(:statuses AS text[]), CAST(p.status AS text)) AS smallint)),
                  ''::bytea)
  FROM projects p WHERE p.status IN ({pg_schema.PUBLIC})""")
# (project id, linked id) pairs of every project's skills or mentors, as two byte strings.
_LINKS = {"skills": text("SELECT string_agg(int4send(project_id), ''::bytea), string_agg(int4send(skill_id), ''::bytea)"
                         " FROM project_skills"),
          "mentor": text("SELECT string_agg(int4send(project_id), ''::bytea), string_agg(int4send(user_id), ''::bytea)"
                         " FROM project_mentors")}
_NAMES = {"skills": text("SELECT id, name FROM skills"), "area": text("SELECT id, slug FROM areas"),
          "mentor": text("SELECT u.id, u.username FROM users u WHERE u.id IN (SELECT user_id FROM project_mentors)")}
STATUSES = [status.value for status in PUBLIC_STATUSES]
# Highlighting as PostgreSQL's english configuration matches: words folded to lower case and reduced by
# the Snowball English stemmer (Porter2), so the marks fall on the words that made a project match.
SNOWBALL = RegexTokenizer() | LowercaseFilter() | StemFilter(stemfn=porter2.stem)
_TEXTS = select(Project.id, Project.summary, Project.description).where(
    Project.id.in_(bindparam("ids", expanding=True)))


class CatalogueSets(FacetSets):
    """Every public project's facet values as bitmaps of project ids, and its approval time."""

    def __init__(self, columns, statuses, links, names):
        """columns: the byte strings of _PROJECTS; statuses: (ids, status codes); links: {facet:
        (project ids, linked ids)} of every project; names: {facet: {id: name}} for area, skills, mentor."""
        ids_blob, stars, times, areas, approved = columns
        ids = _numbers(ids_blob, ">i4")
        status_ids, status_codes = statuses
        self.size = size = int(max(ids.max(initial=0), status_ids.max(initial=0))) + 1
        self.live = _bitmap(ids)
        status_of = numpy.zeros(size, dtype=numpy.int64)
        status_of[status_ids] = status_codes
        # Approval times, newest first among equal scores; a project never approved sorts first, as
        # PostgreSQL puts NULL first in a descending order.
        self.approved = numpy.full(size, numpy.inf)
        self.approved[ids] = numpy.frombuffer(approved or b"", dtype=">f8")
        self.facets = {
            "stars": _grouped(ids, _numbers(stars, ">i2"), int),
            "time": _grouped(ids, _numbers(times, ">i2"), int),
            "area": _grouped(ids, _numbers(areas, ">i4"), names["area"].get),
            "status": _grouped(ids, status_of[ids], lambda code: STATUSES[code - 1] if code else None),
        }
        public = numpy.zeros(size, dtype=bool)
        public[ids] = True
        self.values, self._flat = {}, {}
        for facet, (project_ids, linked) in links.items():
            named = names[facet]
            inside = project_ids < size
            project_ids, linked = project_ids[inside], linked[inside]
            keep = public[project_ids] & numpy.isin(linked, numpy.fromiter(named, dtype=numpy.int64, count=len(named)))
            project_ids, linked = project_ids[keep], linked[keep]
            self.facets[facet] = _grouped(project_ids, linked, named.get)
            # Each project's values, flat (bitmaps._flatten's shape): counting walks these.
            value_names = sorted({named[value] for value in numpy.unique(linked).tolist()})
            code = {name: index for index, name in enumerate(value_names)}
            codes_of = {value: code[named[value]] for value in numpy.unique(linked).tolist()}
            order = numpy.argsort(project_ids, kind="stable")
            project_ids, linked = project_ids[order], linked[order]
            offsets = numpy.zeros(size + 1, dtype=numpy.int64)
            numpy.cumsum(numpy.bincount(project_ids, minlength=size), out=offsets[1:])
            codes = numpy.fromiter((codes_of[value] for value in linked.tolist()), dtype=numpy.int64,
                                   count=len(linked))
            self._flat[facet] = (value_names, offsets, codes)
            self.values[facet] = FlatValues(value_names, offsets, codes)
        self._lock = threading.Lock()
        # Each typed word's Term at this version, as Whoosh keeps its terms' bitmaps per generation
        # (bitmaps.TERM_CACHE): the frequent words, in most searches, are read once per version.
        self.terms = OrderedDict()

    def known(self, words):
        """{word: Term} for the words read at this version already."""
        with self._lock:
            found = {word: self.terms[word] for word in words if word in self.terms}
            for word in found:
                self.terms.move_to_end(word)
        return found

    def keep(self, terms):
        with self._lock:
            self.terms.update(terms)
            while len(self.terms) > TERM_CACHE:
                self.terms.popitem(last=False)


_sets_lock = threading.Lock()
_sets = {}  # database address: (catalogue version, CatalogueSets)


def catalogue_sets(session, version=None) -> CatalogueSets:
    """The public catalogue's sets at the catalogue version (the current one when None), built once
    per version and process."""
    address = session.get_bind().url.render_as_string()
    version = cache.current_version() if version is None else version
    with _sets_lock:  # one thread builds; the others wait for it rather than build it again
        held = _sets.get(address)
        if held is not None and held[0] == version:
            return held[1]
        connection = session.connection()
        columns = connection.execute(_PROJECTS).one()
        status_ids, codes = connection.execute(_STATUSES, {"statuses": STATUSES}).one()
        links = {facet: tuple(_numbers(blob, ">i4") for blob in connection.execute(statement).one())
                 for facet, statement in _LINKS.items()}
        names = {facet: dict(connection.execute(statement).all()) for facet, statement in _NAMES.items()}
        built = CatalogueSets(columns, (_numbers(status_ids, ">i4"), _numbers(codes, ">i2")), links, names)
        _sets[address] = (version, built)
        return built


class FlatValues:
    """A project's values of a multi-valued facet, by project id, from the flat arrays."""

    def __init__(self, names, offsets, codes):
        self.names, self.offsets, self.codes = names, offsets, codes

    def __getitem__(self, project_id):
        start, end = self.offsets[project_id], self.offsets[project_id + 1]
        return tuple(self.names[code] for code in self.codes[start:end].tolist())


def _numbers(blob, dtype):
    return numpy.frombuffer(blob or b"", dtype=dtype).astype(numpy.int64)


def _bitmap(ids):
    # From an array.array of unsigned ints pyroaring copies the buffer: 20 times faster than from numpy.
    return FrozenBitMap(array.array("I", ids.astype(numpy.uint32).tobytes()))


def _grouped(ids, values, name_of):
    """{name_of(value): bitmap of the ids having it}; values name_of names None are left out."""
    order = numpy.argsort(values, kind="stable")
    values, ids = values[order], ids[order]
    bounds = [0, *(numpy.flatnonzero(numpy.diff(values)) + 1).tolist(), len(values)]
    grouped = {}
    for start, end in itertools.pairwise(bounds):
        if start < end:
            name = name_of(int(values[start]))
            if name is not None:
                grouped[name] = _bitmap(ids[start:end])
    return grouped


@dataclass
class Term:
    """A typed word's lexeme (None for a word the dictionary drops, as "the") and its postings."""

    lexeme: str | None
    ids: numpy.ndarray
    scores: numpy.ndarray
    matched: BitMap


class Unanswerable(Exception):
    """The query needs the vector itself: a phrase, or a word of several lexemes."""


def typed_words(q, typed):
    """The typed words of a parsed query, in order; Unanswerable when some part is not a plain word."""
    found = []

    def walk(node):
        if isinstance(node, wq.Term):
            if node.startchar is None or node.boost != 1:
                raise Unanswerable
            found.append(typed[node.startchar:node.endchar])
        elif isinstance(node, (wq.Or, wq.And, wq.Require, wq.AndMaybe, wq.AndNot, wq.Not)):
            for child in node.children():
                walk(child)
        else:
            raise Unanswerable

    walk(q)
    return list(dict.fromkeys(found))


def postings(session, words, sets) -> dict[str, Term]:
    """Each word's Term, those not read at this version in one statement; Unanswerable when a word is
    more than one lexeme."""
    terms = sets.known(words)
    missing = [word for word in words if word not in terms]
    if not missing:
        return terms
    live = sets.live
    rows = session.connection().execute(_POSTINGS, {"words": missing}).all()
    read = {}
    for (_n, nodes, lexemes, ids, scores), word in zip(rows, missing, strict=True):
        if nodes == 0:
            read[word] = Term(None, numpy.empty(0, numpy.int64), numpy.empty(0, numpy.float32), EMPTY)
            continue
        if nodes != 1 or len(lexemes) != 1:
            raise Unanswerable
        id_array = numpy.frombuffer(ids or b"", dtype=">i4").astype(numpy.int64)
        score_array = numpy.frombuffer(scores or b"", dtype=">f4").astype(numpy.float32)
        if len(id_array) > 1 and not (id_array[1:] > id_array[:-1]).all():  # another plan's order
            order = numpy.argsort(id_array, kind="stable")
            id_array, score_array = id_array[order], score_array[order]
        matched = FrozenBitMap(BitMap(id_array.astype(numpy.uint32)) & live)
        read[word] = Term(lexemes[0], id_array, score_array, matched)
    sets.keep(read)
    return terms | read


def matched_by(q, typed, terms, live):
    """The public projects q matches, combining the words as the tsquery operators do: a dropped
    word (None here, an empty query there) leaves AND and OR to the other side; nothing left matches
    nothing."""
    found = _match(q, typed, terms, live)
    return EMPTY if found is None else found


def _match(q, typed, terms, live):
    if isinstance(q, wq.Term):
        term = terms[typed[q.startchar:q.endchar]]
        return None if term.lexeme is None else term.matched
    if isinstance(q, wq.Or):
        return _combine([_match(child, typed, terms, live) for child in q.children()], BitMap.union)
    if isinstance(q, (wq.And, wq.Require)):
        return _combine([_match(child, typed, terms, live) for child in q.children()], BitMap.intersection)
    if isinstance(q, wq.AndMaybe):
        return _match(q.a, typed, terms, live)
    if isinstance(q, wq.AndNot):
        positive = _match(q.a, typed, terms, live)
        negative = _match(q.b, typed, terms, live)
        return _combine([positive, None if negative is None else live - negative], BitMap.intersection)
    if isinstance(q, wq.Not):
        negative = _match(q.query, typed, terms, live)
        return None if negative is None else live - negative
    raise Unanswerable


def _combine(parts, operation):
    parts = [part for part in parts if part is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else operation(*parts)


def ranked_words(q, typed):
    """The typed words the ranking query holds: all but those after AND NOT (postgres.translate)."""
    if isinstance(q, wq.Term):
        return [typed[q.startchar:q.endchar]]
    if isinstance(q, wq.AndNot):
        return ranked_words(q.a, typed)
    return [word for child in q.children() for word in ranked_words(child, typed)]


def top(terms, words, found, sets, count):
    """The count best of found, ordered as ts_rank's score, then newest, then highest id, order them.

    The score is ts_rank's (tsrank.c, calc_rank_or), summed the same way: each distinct lexeme of
    the ranking query in byte order, in single precision, then divided by how many there are.
    """
    if not found or count <= 0:
        return []
    candidates = numpy.frombuffer(found.to_array(), dtype=numpy.uint32).astype(numpy.int64)
    by_lexeme = {}
    for word in words:
        term = terms[word]
        if term.lexeme is not None:
            by_lexeme.setdefault(term.lexeme, term)
    score = numpy.zeros(len(candidates), dtype=numpy.float32)
    for lexeme in sorted(by_lexeme, key=lambda lexeme: lexeme.encode()):
        term = by_lexeme[lexeme]
        if not len(term.ids):
            continue
        where = numpy.searchsorted(term.ids, candidates)
        where[where >= len(term.ids)] = 0
        present = term.ids[where] == candidates
        added = (score.astype(numpy.float64) + term.scores[where].astype(numpy.float64) / ZETA_2).astype(numpy.float32)
        score = numpy.where(present, added, score)
    if by_lexeme:
        score = (score / numpy.float32(len(by_lexeme))).astype(numpy.float32)
    approved = sets.approved[candidates]
    if count < len(candidates):
        threshold = numpy.partition(score, len(candidates) - count)[len(candidates) - count]
        keep = score >= threshold
        candidates, score, approved = candidates[keep], score[keep], approved[keep]
    order = numpy.lexsort((-candidates, -approved, -score))[:count]
    return [int(project_id) for project_id in candidates[order]]


def snippets(session, ids, terms, words, texts=None) -> dict[int, Markup]:
    """Highlighted passages of the projects ids, from the summary when it holds a searched word, else
    up to two from the description: the Whoosh backend's passages (service.highlighted), with the words
    found by their lexemes. ts_headline took 4 ms for a page of twenty. texts(ids) gives (summary,
    description) by id, read with the page's rows; without it they are read here."""
    from .service import highlighted

    lexemes = {terms[word].lexeme for word in words if terms[word].lexeme is not None}
    found = {}
    if not lexemes:
        return found
    if texts is None:
        rows = session.connection().execute(_TEXTS, {"ids": ids})
    else:
        rows = [(project_id, *pair) for project_id, pair in texts(ids).items()]
    for project_id, summary, description in rows:
        passage = (highlighted(summary or "", lexemes, SNOWBALL, top=1)
                   or highlighted(description or "", lexemes, SNOWBALL, top=2))
        if passage:
            found[project_id] = passage
    return found
