"""The words of the index within a few edits of a typed word: the fuzzy fallback and "Did you mean".

Whoosh finds them with `IndexReader.terms_within`, which reads every word sharing the typed word's
first letter from the term index and measures each in Python: 8 ms a query at 10,000 projects, the
slowest searches of the benchmark (docs/search.md, "Typos"). The same words come from rapidfuzz's
optimal-string-alignment distance, Whoosh's `damerau_levenshtein`, computed in C over a word list
read once per index reader. tests/search/test_fuzzy.py compares both on real vocabularies.
"""

import threading
import weakref

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh import query
from whoosh.spelling import ReaderCorrector

_WORDS = weakref.WeakKeyDictionary()  # reader -> {(fieldname, prefix): [words]}
_LOCK = threading.Lock()


def terms_within(reader, fieldname: str, text: str, maxdist: int, prefix: int = 0) -> list[str]:
    """The words of fieldname at most maxdist edits from text and sharing its first prefix letters,
    as reader.terms_within(fieldname, text, maxdist, prefix) finds them (in no particular order)."""
    candidates = _words(reader, fieldname, text[:prefix])
    found = process.extract(text, candidates, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
    # In the index's order, as Whoosh yields them.
    return [word for word, _distance, index in sorted(found, key=lambda match: match[2])]


def _words(reader, fieldname, start):
    with _LOCK:
        per_reader = _WORDS.setdefault(reader, {})
        words = per_reader.get((fieldname, start))
    if words is None:
        field = reader.schema[fieldname]
        words = [field.from_bytes(text) for text in reader.expand_prefix(fieldname, start)]
        with _LOCK:
            per_reader[(fieldname, start)] = words
    return words


class FuzzyTerm(query.FuzzyTerm):
    """Whoosh's FuzzyTerm, its words found by terms_within above."""

    def _btexts(self, ixreader):
        return terms_within(ixreader, self.fieldname, self.text, self.maxdist, prefix=self.prefixlength)


class Corrector(ReaderCorrector):
    """Whoosh's ReaderCorrector (closest first, then the most frequent), its words found by terms_within."""

    def _suggestions(self, text, maxdist, prefix):
        frequency = self.reader.frequency
        spelling = self.fieldobj.spelling_fieldname(self.fieldname)
        for word in terms_within(self.reader, spelling, text, maxdist, prefix=prefix):
            yield 0 - (maxdist + (1.0 / (frequency(self.fieldname, word) or 1) * 0.5)), word
