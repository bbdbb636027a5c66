"""PostgreSQL search from the postings table: matches, counts and ranking without visiting the projects.

The GIN index on the vector gives a word's rows, and each row is then read from the table: one page
per match, 10 ms for a word of 3,500 projects at 100,000, before any counting. The `search_postings`
table (pg_schema.py) holds the same words in word order with each word's share of `ts_rank`'s score,
read from its primary key alone: the same word costs 0.5 ms. The facets come from `CatalogueSets`,
every public project's facet values as bitmaps, loaded once per catalogue version in each process, and
counted with the Whoosh backend's code (bitmaps.FacetSets, service.facet_counts).

What this answers: words combined with AND, OR, `+word`, `-word`, ranked by relevance. Phrases,
prefixes, words PostgreSQL splits in several (`e-mail`) and the other sorts go to the vector and its
GIN index (postgres.PostgresBackend._search), which decide the same way; tests/search/
test_pg_postings.py compares both on every kind of query. docs/search.md, "Postings", has the design.
"""

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
from ..models import Project
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

_PROJECTS = text(f"""
SELECT p.id, p.stars, p.time_rating, a.slug, CAST(p.status AS text), extract(epoch FROM p.approved_at),
       p.search_skill_ids, p.search_mentor_ids
  FROM projects p LEFT JOIN areas a ON a.id = p.area_id
 WHERE p.status IN ({pg_schema.PUBLIC})""")
# Highlighting as PostgreSQL's english configuration matches: words folded to lower case and reduced by
# the Snowball English stemmer (Porter2), so the marks fall on the words that made a project match.
SNOWBALL = RegexTokenizer() | LowercaseFilter() | StemFilter(stemfn=porter2.stem)
_TEXTS = select(Project.id, Project.summary, Project.description).where(
    Project.id.in_(bindparam("ids", expanding=True)))
_SKILLS = text("SELECT id, name FROM skills")
_MENTORS = text("SELECT u.id, u.username FROM users u WHERE u.id IN (SELECT user_id FROM project_mentors)")


class CatalogueSets(FacetSets):
    """Every public project's facet values as bitmaps of project ids, and its approval time."""

    def __init__(self, rows, skill_names, usernames):
        rows = list(rows)
        size = max((row[0] for row in rows), default=0) + 1
        facets = {name: {} for name in ("stars", "time", "area", "status", "skills", "mentor")}
        self.values = {"skills": [()] * size, "mentor": [()] * size}
        # Approval times, newest first among equal scores; a project never approved sorts first, as
        # PostgreSQL puts NULL first in a descending order.
        self.approved = numpy.full(size, numpy.inf)
        for project_id, stars, time_rating, area, status, approved, skill_ids, mentor_ids in rows:
            for name, value in (("stars", int(stars or 0)), ("time", int(time_rating or 0)), ("area", area),
                                ("status", status)):
                if value is not None:
                    facets[name].setdefault(value, []).append(project_id)
            skills = tuple(skill_names[skill_id] for skill_id in skill_ids if skill_id in skill_names)
            mentors = tuple(usernames[user_id] for user_id in mentor_ids if user_id in usernames)
            for name, values in (("skills", skills), ("mentor", mentors)):
                self.values[name][project_id] = values
                for value in values:
                    facets[name].setdefault(value, []).append(project_id)
            if approved is not None:
                self.approved[project_id] = float(approved)
        self.live = FrozenBitMap(row[0] for row in rows)
        self.size = size
        self.facets = {name: {value: FrozenBitMap(ids) for value, ids in by_value.items()}
                       for name, by_value in facets.items()}
        self._flat = {}
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
        skill_names = dict(connection.execute(_SKILLS).all())
        usernames = dict(connection.execute(_MENTORS).all())
        built = CatalogueSets(connection.execute(_PROJECTS), skill_names, usernames)
        _sets[address] = (version, built)
        return built


@dataclass
class Term:
    """A typed word's lexeme (None for a word the dictionary drops, as "the") and its postings."""

    lexeme: str | None
    ids: numpy.ndarray
    scores: numpy.ndarray
    matched: BitMap


class Unanswerable(Exception):
    """The query needs the vector itself: a phrase, a prefix, a word of several lexemes."""


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


def snippets(session, ids, terms, words) -> dict[int, Markup]:
    """Highlighted passages of the projects ids, from the summary when it holds a searched word, else
    up to two from the description: the Whoosh backend's passages (service.highlighted), with the words
    found by their lexemes. ts_headline took 4 ms for a page of twenty."""
    from .service import highlighted

    lexemes = {terms[word].lexeme for word in words if terms[word].lexeme is not None}
    found = {}
    if not lexemes:
        return found
    for project_id, summary, description in session.connection().execute(_TEXTS, {"ids": ids}):
        passage = (highlighted(summary or "", lexemes, SNOWBALL, top=1)
                   or highlighted(description or "", lexemes, SNOWBALL, top=2))
        if passage:
            found[project_id] = passage
    return found
