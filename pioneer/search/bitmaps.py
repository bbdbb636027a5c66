"""Sets of documents as compressed bitmaps: the matched set, the filters, the facet counts.

Whoosh ranks; counting is done here (docs/search.md, "Counting without walking documents"). For each
index generation, every facet value (a star rating, a time rating, an area, a status, a skill, a
mentor) has a bitmap of the documents that have it, and every searched term the bitmap of its
postings. A search then computes its matched set once, as set operations in C over those bitmaps,
and takes from it the total, every facet count (each one an intersection) and the "nothing matched,
try fuzzy" decision.

Segments never change once written, so a segment's facet bitmaps are built once and reused by every
later generation that still holds it; a commit only costs the bitmaps of its new, small segment.
Deleted documents are dropped by intersecting with the generation's live documents.
"""

import heapq
import struct
import threading
from collections import OrderedDict, defaultdict

import numpy
from pyroaring import BitMap, FrozenBitMap
from whoosh import columns, matching, query, scoring
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.util.numeric import _length_byte_cache

# Facets read from a column (one value a document) and from postings (several values a document).
COLUMN_FACETS = ("stars", "time", "area", "status")
POSTING_FACETS = ("skills", "mentor")
# Sort keys, by the listing's sort names; "newest" sorts the approval time descending.
SORT_COLUMNS = {
    "newest": ("approved",),
    "stars": ("stars_sort", "title_sort"),
    "time": ("time_sort", "title_sort"),
    "title": ("title_sort",),
}
TERM_CACHE = 4096  # term bitmaps kept per generation (the frequent words stay)
# Above this many values (mentors, on a large catalogue), a facet is counted per document in numpy.
MANY_VALUES = 64
EMPTY = FrozenBitMap()
NO_DOCNUMS = numpy.array([], dtype=numpy.int64)
NO_SCORES = numpy.array([], dtype=numpy.float64)
# Whoosh stores a field's length in a byte; this is its table back to a length.
LENGTH_OF_BYTE = numpy.array(_length_byte_cache, dtype=numpy.float64)


class SegmentSets:
    """The facet bitmaps and sort columns of one segment, in the segment's own document numbers."""

    def __init__(self, reader):
        count = reader.doc_count_all()
        self.facets = {}
        for name in COLUMN_FACETS:
            by_value = defaultdict(list)
            for docnum, value in enumerate(column_values(reader, name)):
                by_value[value].append(docnum)
            self.facets[name] = {value: BitMap(docnums) for value, docnums in by_value.items()}
        # Per document, its values of the multi-valued facets: counting a small matched set walks these.
        self.values = {}
        for name in POSTING_FACETS:
            self.facets[name] = {}
            per_doc = [() for _ in range(count)]
            for term in reader.lexicon(name):
                value = term.decode("utf-8")
                docnums = BitMap(reader.postings(name, term).all_ids())
                self.facets[name][value] = docnums
                for docnum in docnums:
                    per_doc[docnum] = (*per_doc[docnum], value)
            self.values[name] = per_doc
        self.columns = {}
        for names in SORT_COLUMNS.values():
            for name in names:
                if name not in self.columns:
                    self.columns[name] = column_values(reader, name)


def column_values(reader, name):
    """Every document's value in a segment's column, read in one piece.

    Whoosh's own column iterator seeks and reads once per document (half a second for a 10,000-document
    segment's columns); these two column kinds are read whole and sliced. The result is the same as
    `list(reader.column_reader(name))` (tests/search/test_counting.py checks it).
    """
    raw = reader.column_reader(name, translate=False)
    field = reader.schema[name]
    if isinstance(raw, columns.NumericColumn.Reader):
        blob = raw._dbfile.get(raw._basepos, raw._count * raw._fixedlen)
        values = [field.from_column_value(value) for (value,) in struct.iter_unpack(raw._unpack.__self__.format, blob)]
        return values + [field.from_column_value(raw._default)] * (reader.doc_count_all() - raw._count)
    if isinstance(raw, columns.VarBytesColumn.Reader):
        lengths, offsets = raw._lengths, raw._offsets
        blob = raw._dbfile.get(raw._basepos, offsets[-1] + lengths[-1]) if len(lengths) else b""
        return [field.from_column_value(blob[offset:offset + length])
                for offset, length in zip(offsets, lengths, strict=True)]
    return list(reader.column_reader(name))


class FacetSets:
    """Facet bitmaps and per-document values, and what filters and counts need of them.

    Subclasses set `live` (the documents there are), `facets` ({facet: {value: bitmap}}), `values`
    ({multi-valued facet: each document's values, by document number}) and `_flat`/`_lock`. Whoosh's
    generations number documents by index position; the PostgreSQL backend's catalogue sets by
    project id (postgres.CatalogueSets).
    """

    def value(self, facet, value):
        return self.facets[facet].get(value, EMPTY)

    def any_of(self, facet, values):
        return BitMap.union(EMPTY, *(self.value(facet, value) for value in values))

    def counts(self, facet, base):
        """{value: how many documents of base have it}, zeros left out."""
        by_value = self.facets[facet]
        if facet in self.values and len(by_value) > MANY_VALUES:
            return self._counted_per_document(facet, base)
        if facet in self.values and len(base) < len(by_value):
            # Fewer documents than values: walking the documents' own values is cheaper.
            per_doc, counts = self.values[facet], defaultdict(int)
            for docnum in base:
                for value in per_doc[docnum]:
                    counts[value] += 1
            return dict(counts)
        counts = {}
        for value, docnums in by_value.items():
            count = base.intersection_cardinality(docnums)
            if count:
                counts[value] = count
        return counts

    def _counted_per_document(self, facet, base):
        """counts() for a facet of many values (mentors: 5,000 at 100,000 projects), in numpy: each
        document of base contributes its own values, looked up in a flat array built once per
        generation, and bincount adds them up. One intersection per value cost 2 ms a search there."""
        with self._lock:
            flat = self._flat.get(facet)
        if flat is None:
            flat = _flatten(self.values[facet])
            with self._lock:
                self._flat[facet] = flat
        names, offsets, codes = flat
        docnums = numpy.frombuffer(base.to_array(), dtype=numpy.uint32).astype(numpy.int64)
        starts, ends = offsets[docnums], offsets[docnums + 1]
        lengths = ends - starts
        # Positions starts[i] .. ends[i] - 1 of every document, in one array.
        positions = numpy.arange(lengths.sum()) + numpy.repeat(starts - numpy.cumsum(lengths) + lengths, lengths)
        totals = numpy.bincount(codes[positions], minlength=len(names))
        return {names[code]: int(totals[code]) for code in numpy.flatnonzero(totals)}


class GenerationSets(FacetSets):
    """The bitmaps of one index generation: live documents, facet values, terms, sort keys."""

    def __init__(self, searcher, segments):
        reader = searcher.reader()
        self.searcher = searcher
        self.reader = reader
        leaves = reader.leaf_readers()
        self.live = FrozenBitMap(reader.all_doc_ids())
        self.size = reader.doc_count_all()
        self.facets = {name: defaultdict(BitMap) for name in (*COLUMN_FACETS, *POSTING_FACETS)}
        self.values = {name: [] for name in POSTING_FACETS}
        self.columns = defaultdict(list)
        for leaf, offset in leaves:
            if not leaf.doc_count_all():
                continue
            sets = segments(leaf)
            for name, by_value in sets.facets.items():
                for value, docnums in by_value.items():
                    self.facets[name][value] |= docnums.shift(offset) if offset else docnums
            for name, per_doc in sets.values.items():
                self.values[name].extend(per_doc)
            for name, column in sets.columns.items():
                self.columns[name].extend(column)
        self.facets = {name: {value: FrozenBitMap(docnums & self.live) for value, docnums in by_value.items()}
                       for name, by_value in self.facets.items()}
        self._terms = OrderedDict()
        self._field_lengths = {}
        self._flat = {}
        self._lock = threading.Lock()

    # The matched set --------------------------------------------------------------------------------

    def term(self, fieldname, text):
        """The live documents holding a term (cached: frequent words cost one read per generation)."""
        return self._term(fieldname, text)[0]

    def _term(self, fieldname, text):
        """(bitmap of live documents, their document numbers, Whoosh's score of the term in each)."""
        key = (fieldname, text)
        with self._lock:
            if key in self._terms:
                self._terms.move_to_end(key)
                return self._terms[key]
        entry = (EMPTY, NO_DOCNUMS, NO_SCORES)
        if key in self.reader:
            docnums, scores = self._scored_postings(fieldname, text)
            live = FrozenBitMap(BitMap(docnums) & self.live)
            if len(live) != len(docnums):  # deleted documents still have postings
                keep = numpy.isin(docnums, numpy.frombuffer(live.to_array(), dtype=numpy.uint32))
                docnums, scores = docnums[keep], scores[keep]
            entry = (live, docnums, scores)
        with self._lock:
            self._terms[key] = entry
            while len(self._terms) > TERM_CACHE:
                self._terms.popitem(last=False)
        return entry

    def _scored_postings(self, fieldname, text):
        """(document numbers, Whoosh's BM25F score of the term in each), every segment's postings.

        BM25F is computed here with numpy over whole posting blocks, exactly as BM25FScorer computes
        it one posting at a time (same formula, same order of operations, the index's idf and average
        length); a frequent word of 100,000 documents costs milliseconds instead of a second. Anything
        else (another weighting, a field without lengths) is scored by Whoosh's own matcher.
        tests/search/test_counting.py compares both.
        """
        weighting = self.searcher.weighting
        fast = type(weighting) is scoring.BM25F and fieldname not in weighting._field_B
        parts = []
        if fast:
            idf = self.searcher.idf(fieldname, text)
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            b, k1 = weighting.B, weighting.K1
        for subsearcher, offset in self.searcher.leaf_searchers():
            leaf = subsearcher.reader()
            if (fieldname, text) not in leaf:
                continue
            lengths = self._lengths(leaf, fieldname) if fast else None
            matcher = leaf.postings(fieldname, text)
            # Deleted documents come wrapped in a filter; they are dropped against the live set anyway.
            matcher = matcher.child if isinstance(matcher, matching.FilterMatcher) else matcher
            if lengths is None or not hasattr(matcher, "_read_ids"):
                # The matcher Whoosh itself ranks with: BM25F, with the whole index's statistics.
                matcher = query.Term(fieldname, text).matcher(subsearcher, self.searcher.context())
                ids, scores = [], []
                while matcher.is_active():
                    ids.append(matcher.id())
                    scores.append(matcher.score())
                    matcher.next()
                parts.append((numpy.array(ids, dtype=numpy.int64) + offset, numpy.array(scores, dtype=numpy.float64)))
                continue
            ids, weights = _postings_blocks(matcher)
            fl = lengths[ids]
            scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))
            parts.append((ids + offset, scores))
        if not parts:
            return NO_DOCNUMS, NO_SCORES
        return numpy.concatenate([p[0] for p in parts]), numpy.concatenate([p[1] for p in parts])

    def _lengths(self, leaf, fieldname):
        """Every document's length in a field of one segment, as Whoosh decodes it (None if unknown)."""
        key = (leaf.segment().segment_id(), fieldname)
        with self._lock:
            if key in self._field_lengths:
                return self._field_lengths[key]
        lengths = None
        try:
            raw = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            if isinstance(raw, columns.NumericColumn.Reader):
                codes = numpy.frombuffer(raw._dbfile.get(raw._basepos, raw._count * raw._fixedlen), dtype=numpy.uint8)
                codes = numpy.concatenate([codes, numpy.zeros(leaf.doc_count_all() - len(codes), dtype=numpy.uint8)])
                lengths = LENGTH_OF_BYTE[codes]
        except AttributeError:  # not Whoosh 2.7's on-disk codec: score one posting at a time
            lengths = None
        with self._lock:
            self._field_lengths[key] = lengths
        return lengths

    def top(self, terms, docnums, count):
        """The count best of docnums by the sum of the terms' scores, as Whoosh ranks an Or of them.

        Ties go to the lower document number, as in Whoosh's collector.
        """
        if not docnums or count <= 0:
            return []
        total = numpy.zeros(self.size, dtype=numpy.float64)
        for fieldname, text in terms:
            _live, term_docnums, scores = self._term(fieldname, text)
            total[term_docnums] += scores
        candidates = numpy.frombuffer(docnums.to_array(), dtype=numpy.uint32).astype(numpy.int64)
        candidate_scores = total[candidates]
        if count < len(candidates):
            # Everything scoring at least the count-th best: ties at the edge are settled below.
            threshold = numpy.partition(candidate_scores, len(candidates) - count)[len(candidates) - count]
            keep = candidate_scores >= threshold
            candidates, candidate_scores = candidates[keep], candidate_scores[keep]
        order = numpy.lexsort((candidates, -candidate_scores))[:count]
        return [int(docnum) for docnum in candidates[order]]

    def matched(self, q):
        """The live documents a query matches, as a bitmap; Whoosh's own walk only for phrases and the like."""
        if q is None or isinstance(q, query.Every):
            return self.live
        if q is query.NullQuery:
            return EMPTY
        if isinstance(q, query.Term):
            return self.term(q.fieldname, q.text)
        if isinstance(q, query.MultiTerm):  # fuzzy terms: every word they expand to
            return BitMap.union(EMPTY, *(self.term(fieldname, text) for fieldname, text in q.expanded_terms(
                self.reader)))
        if isinstance(q, query.AndNot):
            return self.matched(q.a) - self.matched(q.b)
        if isinstance(q, query.AndMaybe):
            return self.matched(q.a)
        if isinstance(q, query.Require):
            return self.matched(q.a) & self.matched(q.b)
        if isinstance(q, query.Not):
            return self.live - self.matched(q.query)
        if isinstance(q, query.And):
            wanted = [self.matched(child) for child in q.subqueries if not isinstance(child, query.Not)]
            unwanted = [self.matched(child.query) for child in q.subqueries if isinstance(child, query.Not)]
            result = BitMap.intersection(*wanted) if wanted else BitMap(self.live)
            return result - BitMap.union(EMPTY, *unwanted) if unwanted else result
        if isinstance(q, (query.Or, query.DisjunctionMax)):
            return BitMap.union(EMPTY, *(self.matched(child) for child in q.subqueries))
        # Phrases: Whoosh checks the positions.
        return BitMap(self.searcher.docs_for_query(q)) & self.live

    # Sorting ----------------------------------------------------------------------------------------

    def first(self, docnums, sort, count):
        """The first count documents of docnums in a listing sort (ties by document number)."""
        names = SORT_COLUMNS[sort]
        columns = [self.columns[name] for name in names]
        if sort == "newest":
            approved = columns[0]
            return heapq.nsmallest(count, docnums, key=lambda docnum: (-approved[docnum], docnum))
        return heapq.nsmallest(count, docnums, key=lambda docnum: (*(c[docnum] for c in columns), docnum))


def _flatten(per_doc):
    """(value names, offsets, codes): document d's values are names[codes[offsets[d]:offsets[d + 1]]]."""
    names = sorted({value for values in per_doc for value in values})
    code = {name: index for index, name in enumerate(names)}
    lengths = numpy.fromiter((len(values) for values in per_doc), dtype=numpy.int64, count=len(per_doc))
    offsets = numpy.zeros(len(per_doc) + 1, dtype=numpy.int64)
    numpy.cumsum(lengths, out=offsets[1:])
    codes = numpy.fromiter((code[value] for values in per_doc for value in values), dtype=numpy.int64,
                           count=int(offsets[-1]))
    return names, offsets, codes


def _postings_blocks(matcher):
    """(document numbers, weights) of a segment's posting list, read a block at a time."""
    ids, weights = [], []
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        ids.append(numpy.asarray(matcher._ids, dtype=numpy.int64))
        weights.append(numpy.asarray(matcher._weights, dtype=numpy.float64))
        matcher._next_block()
    if not ids:  # a term whose every posting here was deleted
        return NO_DOCNUMS, NO_SCORES
    return numpy.concatenate(ids), numpy.concatenate(weights)


class SetCache:
    """The GenerationSets of the current generation and the SegmentSets of the segments it holds."""

    def __init__(self):
        self._lock = threading.Lock()
        self._generation = None  # (key, GenerationSets)
        self._segments = {}

    def sets(self, key, searcher):
        with self._lock:
            if self._generation is not None and self._generation[0] == key:
                return self._generation[1]
        used = set()
        built = GenerationSets(searcher, lambda leaf: self._segment(leaf, used))
        with self._lock:
            self._generation = (key, built)
            # Forget segments no generation in use holds any more.
            self._segments = {segment_id: sets for segment_id, sets in self._segments.items() if segment_id in used}
        return built

    def _segment(self, leaf, used):
        segment_id = leaf.segment().segment_id()
        used.add(segment_id)
        with self._lock:
            sets = self._segments.get(segment_id)
        if sets is None:
            sets = SegmentSets(leaf)
            with self._lock:
                self._segments[segment_id] = sets
        return sets
