"""Highlighted passages find every word the index would match, and only those.

service.matching_spans sends only the words that begin as a searched term does through the
analyzer's filters (a Porter stem keeps all but at most the last three letters of its word). These
tests compare it with analysing the whole text, on the demo catalogue, the search corpus and text in
other alphabets, for every word of the text as a searched term.
"""

from pathlib import Path

import pytest
from whoosh.lang import porter2
from whoosh.lang.porter import stem

from pioneer.search.pg_postings import SNOWBALL
from pioneer.search.schema import STEMMED
from pioneer.search.service import highlighted, matching_spans

ROOT = Path(__file__).resolve().parents[2]
TEXTS = [
    (ROOT / "pioneer/demo/catalogue.md").read_text(encoding="utf-8"),
    (ROOT / "tests/data/search_corpus.md").read_text(encoding="utf-8"),
    (ROOT / "tests/data/wiki_page.md").read_text(encoding="utf-8"),
    "Relational, RELATIONALLY and relate; generalization, generalizations; possibility, possibilities; "
    "happy, happiness, happily; running, runs, ran; agreed, agreement; hopefulness, hopeful.",
    "Übersetzung der Straße; Ελληνικά κείμενα ΟΔΟΣ οδός; Перевод документации на Русский; "
    "naïve café résumé; C, R, C++ and C# skills; İstanbul and ǅemal.",
]


def full_analysis(tokens, terms):
    return [(start, end) for text, start, end in tokens if text in terms]


# Whoosh's analyzer (Porter), and the one PostgreSQL's passages are marked with (Porter2, pg_postings.py).
ANALYZERS = pytest.mark.parametrize("analyzer", [STEMMED, SNOWBALL], ids=["porter", "porter2"])


@ANALYZERS
@pytest.mark.parametrize("source", TEXTS, ids=["demo", "corpus", "wiki", "suffixes", "alphabets"])
def test_every_word_as_a_search_term_is_found_where_the_analyzer_finds_it(source, analyzer):
    # Paragraph by paragraph, as passages are cut from one project's text.
    for text in [part for part in source.split("\n\n") if part.strip()]:
        every_word_is_found_as_the_analyzer_finds_it(text, analyzer)
    assert len({token.text for token in analyzer(source, mode="query")}) > 10


def every_word_is_found_as_the_analyzer_finds_it(text, analyzer):
    tokens = [(token.text, token.startchar, token.endchar)
              for token in analyzer(text, chars=True, mode="query", removestops=False)]
    terms = sorted({token.text for token in analyzer(text, mode="query")})
    for term in terms:
        assert matching_spans(text, {term}, analyzer) == full_analysis(tokens, {term}), term
    # Several terms at once, as a two-word search asks.
    for first, second in zip(terms[::7], terms[3::7], strict=False):
        assert matching_spans(text, {first, second}, analyzer) == full_analysis(tokens, {first, second})


@pytest.mark.parametrize("stemmer", [stem, porter2.stem], ids=["porter", "porter2"])
def test_a_stem_keeps_all_but_the_last_three_letters_of_its_word(stemmer):
    """What matching_spans relies on, over every word of the texts above."""
    words = {token.text for text in TEXTS for token in STEMMED(text, mode="query", removestops=False)}
    words |= {token.text for text in TEXTS for token in SNOWBALL(text, mode="query", removestops=False)}
    for word in words:
        term = stemmer(word)
        assert word.startswith(term[:max(1, len(term) - 3)]), (word, term)


def test_a_passage_marks_every_form_of_the_word_and_escapes_the_rest():
    text = "Relate <b>relational</b> data: RELATIONS & relating, not reliable."
    html = str(highlighted(text, {stem("relation")}, STEMMED, top=1))
    assert html == ("<mark>Relate</mark> &lt;b&gt;<mark>relational</mark>&lt;/b&gt; data: <mark>RELATIONS</mark> "
                    "&amp; <mark>relating</mark>, not reliable.")
