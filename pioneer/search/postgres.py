"""Search on PostgreSQL: the same service as the Whoosh backend, answered by the database every host shares.

Chosen with `PIONEER_SEARCH_BACKEND=postgres` (docs/search.md, "The PostgreSQL backend"). The
documents are a generated, weighted `tsvector` on the projects table (pg_schema.py), so there is
nothing to apply after a commit and nothing a host can miss: every web host searches the rows it
reads. What people type is parsed by the same parser as on Whoosh (query.text_query), so words,
phrases, `-word`, `+word` and the operators mean the same on both; its leaves become
`websearch_to_tsquery` queries and its structure the tsquery operators.

Searches of plain words ranked by relevance are answered from the postings table instead
(pg_postings.py; docs/search.md, "Postings"); the statements below answer the rest.
"""

import heapq
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

import sqlalchemy as sa
from markupsafe import Markup, escape
from pyroaring import BitMap
from sqlalchemy import Engine, func, literal, select, text, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import ClauseAdapter
from whoosh import query as wq

from ..database import db
from ..domain import cache
from ..models import PUBLIC_STATUSES, Area, Project, SearchPending, Skill, User
from . import pg_postings, pg_schema
from .backend import SearchUnavailable
from .bitmaps import EMPTY
from .query import ListingFilters, as_parsed, text_query, words
from .schema import STEMMED

CONFIG = "english"
# ts_rank's weights for D, C, B, A: description and outcomes count 1, summary and tags 2.5, the title 5,
# as the Whoosh schema's field boosts (schema.TEXT_FIELDS), scaled to PostgreSQL's 0-1 range.
WEIGHTS = sa.literal_column("'{0.0, 0.2, 0.5, 1.0}'::real[]")
FACET_LIMIT = 12
SUGGEST_BELOW = 5
# Words are folded to lower case by the database's LC_CTYPE: under C or POSIX only A-Z are, so
# "перевод" would not find "Перевод" (tests/search/test_unicode.py). `pioneer search check` says so.
CASE_BLIND = ("the database's LC_CTYPE is {ctype}: search folds only A-Z to lower case, so a word outside "
              "ASCII is found only as it was written; create the database with a UTF-8 locale "
              "(e.g. CREATE DATABASE ... LOCALE 'C.UTF-8' TEMPLATE template0) and restore into it")
# The highlight markers: private-use characters, removed from the text first, then turned into <mark>.
START, STOP, GAP = "\ue000", "\ue001", "\ue002"
SUMMARY_HEADLINE = f'StartSel="{START}", StopSel="{STOP}", HighlightAll=true'
BODY_HEADLINE = (f'StartSel="{START}", StopSel="{STOP}", MaxFragments=2, MaxWords=30, MinWords=12, '
                 f'FragmentDelimiter="{GAP}"')
# Trigram similarity below which a word is not even considered a close spelling (pg_trgm's default is
# 0.3, too strict for short words: "ocmal" shares 2 of 10 trigrams with "ocaml").
TRIGRAM_THRESHOLD = "0.1"
MAX_FUZZY_WORDS = 40
VECTOR = sa.literal_column("projects.search_vector")


class PostgresBackend:
    """Search answered by PostgreSQL's full-text search; no index of our own to keep."""

    kind = "postgres"
    # Documents follow commits inside the database: the search_pending outbox is not used.
    uses_outbox = False

    def identity(self) -> str:
        return "postgres"

    # The service ------------------------------------------------------------------------------

    def search(self, filters: ListingFilters, typed: str, page: int, per_page: int,
               texts: Callable[[list[int]], dict[int, tuple[str, str]]] | None = None):
        """Ranked ids, total, facet counts, snippets and corrections: the Whoosh service's Found.

        Cached per catalogue version (kept in the database, so every host agrees when it moves on).
        """
        key = ("pg-search", typed, filters.cache_key, filters.sort, page, per_page)
        version = cache.current_version()
        try:
            return cache.cached(key, lambda: self._search(db.session, filters, typed, page, per_page, version=version,
                                                          texts=texts), version=version)
        except Exception:
            # A failed statement aborts the transaction: end it, so the page's fallback can still read.
            db.session.rollback()
            raise

    def _search(self, session, filters, typed, page, per_page, postings=True, version=None, texts=None):
        """postings=False answers from the vectors alone (tests/search/test_pg_postings.py compares)."""
        from .service import Found

        # Positions in the parse tree are positions in this text: "C++" is parsed as "C" (query.py).
        typed = as_parsed(typed)
        parsed = text_query(typed)
        if postings and parsed is not None and filters.sort == "relevance":
            try:
                return self._from_postings(session, filters, typed, parsed, page, per_page, version, texts)
            except pg_postings.Unanswerable:
                pass  # a phrase or a word of several lexemes: the vectors answer below
        match = rank = None
        if parsed is not None:
            match, rank = translate(parsed, typed)
        filters = replace(filters, q="")
        # Ranked by relevance, the page comes out of the same statement as the counts: one pass over
        # the matched rows, whose vectors are read there anyway.
        ranked = filters.sort == "relevance" and rank is not None
        window = (page, per_page) if ranked else None
        total, counts, ids = self._counts(session, match, filters, rank if ranked else None, window)
        fuzzy = False
        if parsed is not None and total == 0:
            # Words one edit away first; two edits only when those find nothing (as on Whoosh).
            for closest in (True, False):
                fallback = self._fuzzy(session, typed, closest)
                if fallback is None:  # no word of the catalogue that close
                    continue
                fuzzy_total, fuzzy_counts, fuzzy_ids = self._counts(
                    session, fallback, filters, fallback if ranked else None, window)
                if fuzzy_total:
                    match = rank = fallback
                    total, counts, ids, fuzzy = fuzzy_total, fuzzy_counts, fuzzy_ids, True
                    break
        if not total:
            ids, snippets = [], {}
        elif ranked:
            snippets = self._snippets(session, ids, rank) if ids else {}
        else:
            ids, snippets = self._page(session, match, rank, filters, page, per_page)
        found = Found(ids=ids, total=total, counts=counts, snippets=snippets, fuzzy=fuzzy)
        if parsed is not None and (fuzzy or total < SUGGEST_BELOW):
            found.suggestion = self.suggest(session, typed)
        return found

    def _from_postings(self, session, filters, typed, parsed, page, per_page, version=None, texts=None):
        """The same Found as the statement below gives, from the postings table and the catalogue's
        sets (pg_postings.py): words and their operators, ranked by relevance."""
        from .service import Found, facet_counts, filtered

        words = pg_postings.typed_words(parsed, typed)
        sets = pg_postings.catalogue_sets(session, version)
        terms = pg_postings.postings(session, words, sets)
        filters = replace(filters, q="")
        selected = filtered(sets, filters)
        matched = pg_postings.matched_by(parsed, typed, terms, sets.live)
        ranked = pg_postings.ranked_words(parsed, typed)
        fuzzy = False
        if not matched.intersection_cardinality(selected):
            # Words one edit away first; two edits only when those find nothing (as on Whoosh).
            for closest in (True, False):
                close = self._fuzzy_words(session, typed, closest)
                if not close:
                    continue
                close_terms = pg_postings.postings(session, close, sets)
                close_matched = BitMap.union(EMPTY, *(term.matched for term in close_terms.values()))
                if close_matched.intersection_cardinality(selected):
                    terms, matched, ranked, fuzzy = close_terms, close_matched, close, True
                    break
        found = matched & selected
        start = (page - 1) * per_page
        ids = pg_postings.top(terms, ranked, found, sets, start + per_page)[start:]
        counts = facet_counts(sets, matched, filters)
        for name in ("skill", "mentor"):  # as the statement below names them: the most common
            counts[name] = dict(heapq.nsmallest(FACET_LIMIT, counts[name].items(),
                                                key=lambda item: (-item[1], item[0])))
        result = Found(ids=ids, total=len(found), counts=counts,
                       snippets=pg_postings.snippets(session, ids, terms, ranked, texts) if ids else {}, fuzzy=fuzzy)
        if fuzzy or result.total < SUGGEST_BELOW:
            result.suggestion = self.suggest(session, typed)
        return result

    def _counts(self, session, match, filters, rank=None, window=None):
        """The total and every facet's counts (each without its own filter) in one grouped query; with
        rank and window (page, per_page), that page's ids by relevance too. Returns (total, counts, ids)."""
        conditions = [Project.status.in_(PUBLIC_STATUSES)]
        if match is not None:
            conditions.append(VECTOR.op("@@")(match))
        columns = [Project.id, Project.stars, Project.time_rating, Project.area_id, Project.status,
                   Project.approved_at, sa.literal_column("projects.search_skill_ids").label("skill_ids"),
                   sa.literal_column("projects.search_mentor_ids").label("mentor_ids")]
        if rank is not None:
            columns.append(func.ts_rank(WEIGHTS, VECTOR, rank).label("score"))
        matched = select(*columns).where(*conditions).cte("matched").prefix_with("MATERIALIZED")
        adapter = ClauseAdapter(matched)

        def where(skip=None):
            return [adapter.traverse(condition) for condition in filters.conditions(skip=skip)]

        def grouped(name, value, skip, *joins):
            statement = select(literal(name).label("facet"), sa.cast(value, sa.Text).label("value"),
                               func.count().label("number")).select_from(matched)
            for table, on in joins:
                statement = statement.join(table, on)
            return statement.where(*where(skip)).group_by(value)

        def top(name, ids, named, name_column, skip):
            """The FACET_LIMIT most common skills or mentors, counted from the matched rows' id arrays
            (kept by the triggers), and only those named."""
            number = func.count().label("number")
            groups = (select(func.unnest(ids).label("linked"), number).select_from(matched)
                      .where(*where(skip)).group_by(sa.text("1")).subquery())
            ranked = (select(literal(name).label("facet"), sa.cast(name_column, sa.Text).label("value"),
                             groups.c.number)
                      .join(named, named.id == groups.c.linked)
                      .order_by(groups.c.number.desc(), name_column).limit(FACET_LIMIT))
            return select(ranked.subquery())

        parts = []
        if rank is not None:
            page, per_page = window
            # Ties as the listing's "newest" breaks them (domain.queries.newest_first).
            order = (matched.c.score.desc(), matched.c.approved_at.desc(), matched.c.id.desc())
            best = (select(matched.c.id, func.row_number().over(order_by=order).label("position")).where(*where())
                    .order_by(*order).limit(per_page).offset((page - 1) * per_page).subquery())
            parts.append(select(literal("page").label("facet"), sa.cast(best.c.id, sa.Text).label("value"),
                                best.c.position.label("number")).select_from(best))
        statement = union_all(
            *parts,
            select(literal("total").label("facet"), sa.cast(None, sa.Text).label("value"),
                   func.count().label("number")).select_from(matched).where(*where()),
            grouped("stars", matched.c.stars, "stars"),
            grouped("time", matched.c.time_rating, "time"),
            grouped("status", matched.c.status, "status"),
            grouped("area", Area.slug, "area", (Area, Area.id == matched.c.area_id)),
            top("skill", matched.c.skill_ids, Skill, Skill.name, None),
            top("mentor", matched.c.mentor_ids, User, User.username, "mentor"),
        )
        counts = {"stars": {}, "time": {}, "status": {}, "area": {}, "skill": {}, "mentor": {}}
        total, page_ids = 0, []
        for facet, value, number in session.execute(statement):
            if facet == "page":
                page_ids.append((number, int(value)))
            elif facet == "total":
                total = number
            elif facet in ("stars", "time"):
                counts[facet][int(value or 0)] = number
            else:
                counts[facet][value] = number
        return total, counts, [project_id for _position, project_id in sorted(page_ids)]

    def _page(self, session, match, rank, filters, page, per_page):
        """The page's ids in order, and highlighted passages computed for those rows only."""
        statement = select(Project.id).where(*filters.conditions())
        if match is not None:
            statement = statement.where(VECTOR.op("@@")(match))
        if filters.sort == "relevance" and rank is not None:
            score = func.ts_rank(WEIGHTS, VECTOR, rank)
            statement = statement.order_by(score.desc(), *filters.order_by())
        else:
            statement = statement.order_by(*filters.order_by())
        ids = session.execute(statement.limit(per_page).offset((page - 1) * per_page)).scalars().all()
        if rank is None or not ids:
            return list(ids), {}
        return list(ids), self._snippets(session, ids, rank)

    def _snippets(self, session, ids, rank):
        """From the summary when it holds a searched word, else up to two passages of the description."""
        def clean(column):
            return func.translate(column, START + STOP + GAP, "")

        summary_matches = func.to_tsvector(CONFIG, Project.summary).op("@@")(rank)
        passage = sa.case(
            (summary_matches, func.ts_headline(CONFIG, clean(Project.summary), rank, SUMMARY_HEADLINE)),
            else_=func.ts_headline(CONFIG, clean(Project.description), rank, BODY_HEADLINE),
        )
        snippets = {}
        for project_id, headline in session.execute(select(Project.id, passage).where(Project.id.in_(ids))):
            if headline and START in headline:
                snippets[project_id] = marked(headline)
        return snippets

    # Corrections ---------------------------------------------------------------------------------

    def _close_words(self, session, word, distance, limit):
        """Words of the catalogue within distance edits of word, same first letter, closest first."""
        session.execute(text("SELECT set_config('pg_trgm.similarity_threshold', :value, true)"),
                        {"value": TRIGRAM_THRESHOLD})
        return session.execute(text(
            "SELECT word FROM search_words"
            " WHERE word % :word AND left(word, 1) = left(:word, 1)"
            " AND levenshtein_less_equal(word, :word, :distance) <= :distance"
            " ORDER BY levenshtein_less_equal(word, :word, :distance), similarity(word, :word) DESC,"
            " documents DESC, word LIMIT :limit"
        ), {"word": word, "distance": distance, "limit": limit}).scalars().all()

    def _fuzzy_words(self, session, typed, closest):
        """Close spellings of each word (three letters or more), each once."""
        candidates = []
        for word in words(typed):
            if len(word) >= 3:
                distance = 1 if closest or len(word) <= 4 else 2
                candidates += self._close_words(session, word, distance, MAX_FUZZY_WORDS)
        return list(dict.fromkeys(candidates))

    def _fuzzy(self, session, typed, closest):
        """Close spellings of each word (three letters or more) as one OR query, or None."""
        candidates = self._fuzzy_words(session, typed, closest)
        if not candidates:
            return None
        return _either([func.websearch_to_tsquery(CONFIG, word) for word in candidates])

    def suggest(self, session, typed: str) -> str | None:
        """A corrected version of typed when some word is not a word of the catalogue, else None."""
        typed_words = words(typed)
        if not typed_words:
            return None
        known = set(session.execute(
            text("SELECT word FROM search_words WHERE word = ANY(:words)"), {"words": typed_words}).scalars())
        corrected, changed = [], False
        for word in typed_words:
            if len(word) >= 3 and word not in known:
                options = self._close_words(session, word, 1, 1) or self._close_words(session, word, 2, 1)
                if options:
                    corrected.append(options[0])
                    changed = True
                    continue
            corrected.append(word)
        return " ".join(corrected) if changed else None

    # Keeping it right ----------------------------------------------------------------------------

    def probe(self) -> int:
        """Run a small search; raise SearchUnavailable when the schema is missing or the query fails."""
        try:
            with db.engine.connect() as connection:
                missing = pg_schema.installed(connection)
                if missing:
                    raise SearchUnavailable(f"the search schema is incomplete ({', '.join(missing)})")
                return connection.execute(select(func.count()).select_from(
                    select(Project.id).where(VECTOR.op("@@")(func.websearch_to_tsquery(CONFIG, "probe")))
                    .limit(1).subquery())).scalar_one()
        except SearchUnavailable:
            raise
        except Exception as error:
            reason = str(getattr(error, "orig", None) or error).splitlines()[0][:200]
            raise SearchUnavailable(f"PostgreSQL search failed: {reason}") from error

    def usable(self) -> bool:
        try:
            self.probe()
            return True
        except SearchUnavailable:
            return False

    def apply_pending(self, engine: Engine, **_options) -> int:
        """Nothing to apply: the database keeps the documents. Drop rows a Whoosh era left behind."""
        with engine.begin() as connection:
            return connection.execute(sa.delete(SearchPending)).rowcount or 0

    def pending_count(self, engine: Engine) -> int:
        return 0

    def rebuild(self, engine: Engine, progress: Callable[[Iterator], Iterable] = lambda items: items) -> int:
        """Reinstall the schema, recompute every project's tags (with progress), refresh the vocabulary."""
        with engine.begin() as connection:
            for statement in pg_schema.STATEMENTS:
                connection.execute(text(statement))
            ids = connection.execute(select(Project.id).order_by(Project.id)).scalars().all()
            public = connection.execute(select(func.count()).where(Project.status.in_(PUBLIC_STATUSES))).scalar_one()

        def batches() -> Iterator[int]:
            yield from ids

        batch = []
        for project_id in progress(batches()):
            batch.append(project_id)
            if len(batch) >= 1000:
                _touch(engine, batch)
                batch = []
        _touch(engine, batch)
        with engine.begin() as connection:
            pg_schema.rewrite_postings(connection)
            # Answers cached per catalogue version came from the old postings: a new version drops them.
            cache.bump_version(connection)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE search_postings"))
        self.refresh_words(engine)
        self.apply_pending(engine)
        return public

    def refresh_words(self, engine: Engine) -> int:
        """Recount the vocabulary exactly from public projects (words of archived projects go)."""
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM search_words"))
            connection.execute(text(
                "INSERT INTO search_words (word, documents)"
                " SELECT word, count(*) FROM projects, pioneer_spelling_words(id, area_id, title, summary) AS word"
                f" WHERE status IN ({pg_schema.PUBLIC}) GROUP BY word"))
            return connection.execute(text("SELECT count(*) FROM search_words")).scalar_one()

    def check(self, engine: Engine) -> list[str]:
        """The schema's missing parts, a database that cannot fold case, and the public projects whose
        tags differ from their sources."""
        self.probe()
        with engine.connect() as connection:
            ctype = connection.execute(text(
                "SELECT datctype FROM pg_database WHERE datname = current_database()")).scalar_one()
            problems = [CASE_BLIND.format(ctype=ctype)] if ctype.upper() in ("C", "POSIX") else []
            rows = connection.execute(text(
                "SELECT id, slug FROM projects"
                f" WHERE status IN ({pg_schema.PUBLIC})"
                " AND (search_tags IS DISTINCT FROM pioneer_search_tags(id, area_id, time_rating)"
                "  OR search_skill_ids IS DISTINCT FROM"
                "   ARRAY(SELECT skill_id FROM project_skills WHERE project_id = projects.id ORDER BY 1)"
                "  OR search_mentor_ids IS DISTINCT FROM"
                "   ARRAY(SELECT user_id FROM project_mentors WHERE project_id = projects.id ORDER BY 1))"
                " ORDER BY id"))
            problems += [f"out of date in the index: {slug} (id {project_id})" for project_id, slug in rows]
            # The postings against the vectors they come from: a missing, extra or mis-scored posting.
            rows = connection.execute(text(
                f"SELECT coalesce(kept.project_id, due.project_id) AS id, count(*) FROM search_postings AS kept"
                f" FULL JOIN ({pg_schema.POSTINGS_OF}) AS due"
                "  ON due.project_id = kept.project_id AND due.lexeme = kept.lexeme"
                " WHERE kept.project_id IS NULL OR due.project_id IS NULL OR kept.score <> due.score"
                " GROUP BY 1 ORDER BY 1"))
            problems += [f"postings out of date: project id {project_id} ({number} words;"
                         " `pioneer search rebuild` rewrites them)" for project_id, number in rows]
            return problems

    def close(self) -> None:
        """Nothing held open: connections belong to the database's pool."""


def _touch(engine, ids):
    """Recompute the tags and vectors of ids, leaving the postings to rewrite_postings (PostgresBackend.rebuild)."""
    if ids:
        with Session(engine) as session, session.begin():
            session.execute(text("SELECT set_config(:name, :value, true)"),
                            {"name": pg_schema.DEFERRED, "value": pg_schema.REWRITE})
            session.execute(text("UPDATE projects SET search_tags = search_tags WHERE id = ANY(:ids)"),
                            {"ids": list(ids)})


# Translating a parsed query -----------------------------------------------------------------------


def translate(parsed: wq.Query, typed: str):
    """The tsquery that decides what matches, and the one that ranks (without excluded words)."""
    phrases = iter(_quoted_phrases(typed))
    return _translate(parsed, typed, phrases)


def _quoted_phrases(typed):
    """The quoted phrases of typed, in order, that Whoosh turns into Phrase queries (two words or more)."""
    return [piece for piece in re.findall(r'"([^"]*)"', typed)
            if len([token for token in STEMMED(piece)]) >= 2]


def _translate(q, typed, phrases):
    if isinstance(q, wq.Term):
        word = typed[q.startchar:q.endchar] if q.startchar is not None else q.text
        leaf = func.websearch_to_tsquery(CONFIG, word)
        return leaf, leaf
    if isinstance(q, wq.Phrase):
        words_of = next(phrases, " ".join(q.words))
        leaf = func.websearch_to_tsquery(CONFIG, f'"{words_of}"')
        return leaf, leaf
    if isinstance(q, wq.Or):
        parts = [_translate(child, typed, phrases) for child in _one_per_word(q.children())]
        return _either([match for match, _ in parts]), _either([rank for _, rank in parts])
    if isinstance(q, (wq.And, wq.Require)):
        parts = [_translate(child, typed, phrases) for child in q.children()]
        return _all([match for match, _ in parts]), _either([rank for _, rank in parts])
    if isinstance(q, wq.AndMaybe):
        (must, must_rank), (_maybe, maybe_rank) = (_translate(child, typed, phrases) for child in (q.a, q.b))
        return must, _either([must_rank, maybe_rank])
    if isinstance(q, wq.AndNot):
        (positive, positive_rank), (negative, _) = (_translate(child, typed, phrases) for child in (q.a, q.b))
        return func.tsquery_and(positive, func.tsquery_not(negative)), positive_rank
    if isinstance(q, wq.Not):
        negative, _ = _translate(q.query, typed, phrases)
        return func.tsquery_not(negative), func.tsquery_not(negative)
    # Anything else the parser could make is a group of words: search its words.
    leaf = func.websearch_to_tsquery(CONFIG, " ".join(words(typed)))
    return leaf, leaf


def _one_per_word(children):
    """Whoosh asks for each word once per text field; PostgreSQL's vector holds every field: once."""
    seen = set()
    for child in children:
        if isinstance(child, wq.Term):
            key = ("term", child.startchar, child.endchar, child.text)
        elif isinstance(child, wq.Phrase):
            key = ("phrase", tuple(child.words))  # its copies, one per field, count once
        else:
            key = ("other", id(child))
        if key not in seen:
            seen.add(key)
            yield child


def _either(parts):
    combined = parts[0]
    for part in parts[1:]:
        combined = func.tsquery_or(combined, part)
    return combined


def _all(parts):
    combined = parts[0]
    for part in parts[1:]:
        combined = func.tsquery_and(combined, part)
    return combined


def marked(headline: str) -> Markup:
    """ts_headline's passage with its markers as <mark> and everything else escaped."""
    passages = [piece.strip() for piece in headline.split(GAP) if piece.strip()]
    out = []
    for passage in passages:
        html = str(escape(passage)).replace(START, "<mark>").replace(STOP, "</mark>")
        out.append(Markup(html))
    return Markup(" … ").join(out)
