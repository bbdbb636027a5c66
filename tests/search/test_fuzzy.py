"""Typo words are expanded to the index words Whoosh's own terms_within finds, in C.

search/fuzzy.py finds them with rapidfuzz's optimal-string-alignment distance over a word list read
once per reader. Whoosh's IndexReader.terms_within measures the same distance in Python (its
damerau_levenshtein); a reader of one segment uses a Levenshtein automaton instead, where swapped
letters count two edits, so before this a typo's fate depended on how many segments the index had.
These tests index real vocabularies (the demo catalogue, the search corpus, words in other
alphabets) and compare with IndexReader.terms_within for typed words one and two edits off.
"""

import random
import re
from pathlib import Path

import pytest
from whoosh import fields
from whoosh.filedb.filestore import RamStorage
from whoosh.reading import IndexReader

from pioneer.search.fuzzy import Corrector, FuzzyTerm, terms_within
from pioneer.search.schema import PLAIN

ROOT = Path(__file__).resolve().parents[2]
TEXT = "\n".join([
    (ROOT / "pioneer/demo/catalogue.md").read_text(encoding="utf-8"),
    (ROOT / "tests/data/search_corpus.md").read_text(encoding="utf-8"),
    "Übersetzung Straße straßen Ελληνικά κείμενα οδός Перевод документации Русский naïve café résumé "
    "ocaml ocamls camel caml cmal",
])


@pytest.fixture(scope="module")
def reader():
    schema = fields.Schema(spelling=fields.TEXT(analyzer=PLAIN, spelling=True, phrase=False))
    index = RamStorage().create_index(schema)
    writer = index.writer()
    for paragraph in TEXT.split("\n\n"):
        writer.add_document(spelling=paragraph)
    writer.commit()
    with index.searcher() as searcher:
        yield searcher.reader()


def typos(word, rng):
    """A word one edit off and one two edits off: a letter dropped, doubled, swapped or changed."""
    def edit(text):
        i = rng.randrange(len(text))
        kind = rng.randrange(4)
        if kind == 0 and len(text) > 1:
            return text[:i] + text[i + 1:]
        if kind == 1:
            return text[:i] + text[i] + text[i:]
        if kind == 2 and i + 1 < len(text):
            return text[:i] + text[i + 1] + text[i] + text[i + 2:]
        return text[:i] + rng.choice("aeiouxyzéö") + text[i + 1:]
    once = edit(word)
    return [once, edit(once)]


def test_the_same_words_as_whoosh_for_typos_of_every_word(reader):
    rng = random.Random(5)
    words = sorted({w for w in re.findall(r"\w+", TEXT.lower()) if len(w) >= 3})
    assert len(words) > 500
    compared = 0
    for word in words[::8]:
        for typed in [word, *typos(word, rng)]:
            for maxdist, prefix in ((1, 1), (2, 1), (1, 0), (2, 2)) if rng.random() < 0.5 else ((2, 1),):
                expected = list(IndexReader.terms_within(reader, "spelling", typed, maxdist, prefix=prefix))
                assert terms_within(reader, "spelling", typed, maxdist, prefix) == expected, (typed, maxdist, prefix)
                compared += bool(expected)
    assert compared > 100  # most typed words have close words: the comparison is not of empty lists


def test_a_fuzzy_term_expands_to_those_words_and_counts_swapped_letters_as_one_edit(reader):
    for typed in ("ocmal", "camle", "strase", "перевд", "documentatoin", "zzzzqq"):
        expanded = [text for _field, text in FuzzyTerm("spelling", typed, maxdist=2, prefixlength=1)
                    .expanded_terms(reader)]
        assert expanded == list(IndexReader.terms_within(reader, "spelling", typed, 2, prefix=1))
    one_edit = FuzzyTerm("spelling", "ocmal", maxdist=1, prefixlength=1)
    assert [text for _field, text in one_edit.expanded_terms(reader)] == ["ocaml"]


def test_the_corrector_offers_the_closest_word_then_the_most_frequent(reader):
    corrector = Corrector(reader, "spelling", reader.schema["spelling"])
    assert corrector.suggest("ocmal", limit=1, maxdist=1, prefix=1) == ["ocaml"]
    assert corrector.suggest("перевд", limit=1, maxdist=1, prefix=1) == ["перевод"]
    # "ocaml" appears in many paragraphs, "ocamls" and "caml" in one: equally close, the frequent first.
    assert corrector.suggest("ocamlx", limit=2, maxdist=1, prefix=1) == ["ocaml", "ocamls"]
    assert corrector.suggest("zzzzqq", limit=1, maxdist=2, prefix=1) == []
