"""Turn what a person typed, plus the listing's filters, into Whoosh queries."""

import re
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Protocol

from whoosh import qparser, query

from ..models import ProjectStatus
from ..text import whole_number
from .fuzzy import FuzzyTerm
from .schema import PLAIN, SCHEMA, STEMMED, TEXT_FIELDS

PREFIX_RE = re.compile(r"(?<!\S)(stars|time|skill|area|mentor):(\"[^\"]*\"|\S+)", re.IGNORECASE)
MAX_WORDS = 32


@dataclass
class ParsedText:
    """The free text of a search, and the filters its prefixes asked for."""

    text: str
    stars: list = field(default_factory=list)
    time: list = field(default_factory=list)
    skills: list = field(default_factory=list)
    area: str | None = None
    mentor: str | None = None
    problems: list = field(default_factory=list)


class ListingFilters(Protocol):
    """What search reads of the listing's filters (the catalogue's Filters), without importing a page package."""

    stars: list[int]
    time: list[int]
    area: str | None
    skills: list[str]
    status: ProjectStatus | None
    mentor: str | None
    sort: str

    @property
    def cache_key(self) -> Hashable: ...

    # The PostgreSQL backend filters and sorts with the listing's own SQL (docs/search.md).
    def conditions(self, skip: str | None = None) -> list: ...

    def order_by(self) -> list: ...


def clean(text: str) -> str:
    """Drop control characters and odd spacing; keep every printable character."""
    kept = "".join(" " if unicodedata.category(char)[0] in "CZ" else char for char in text)
    return " ".join(kept.split())


def split_prefixes(text: str) -> ParsedText:
    """Take `stars:1`, `time:2`, `skill:ocaml`, `area:networking` and `mentor:name` out of text."""
    parsed = ParsedText(text="")

    def take(match: re.Match[str]) -> str:
        key, value = match.group(1).lower(), match.group(2).strip('"').lower()
        if key in ("stars", "time"):
            low = 0 if key == "stars" else 1
            number = whole_number(value)
            if number is not None and low <= number <= 5:
                getattr(parsed, key).append(number)
            else:
                parsed.problems.append(f"{key}:{value} is not a rating ({low} to 5); left out")
        elif key == "skill":
            parsed.skills.append(value)
        else:
            setattr(parsed, key, value)
        return " "

    parsed.text = clean(PREFIX_RE.sub(take, clean(text)))
    return parsed


def _parser():
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), SCHEMA, group=qparser.OrGroup.factory(0.9))
    # People type words, phrases and -exclusions; field names, wildcards and ranges are not for them.
    for plugin in (qparser.FieldsPlugin, qparser.WildcardPlugin, qparser.RangePlugin, qparser.BoostPlugin,
                   qparser.RegexPlugin, qparser.PrefixPlugin, qparser.FuzzyTermPlugin):
        parser.remove_plugin_class(plugin)
    parser.add_plugin(qparser.PlusMinusPlugin())
    return parser


_PARSER = _parser()


# "C++", "C#", "F#": a + or # right after a letter belongs to the word, not to the parser's "+word"
# operator ("C++ allocator" made "allocator" required); the analyzers drop the symbols anyway.
WORD_SYMBOLS_RE = re.compile(r"(?<=\w)[+#]+")


def as_parsed(text: str) -> str:
    """text as the parser reads it: "C++ allocator" is "C allocator"; its positions are those of the
    parse tree's terms (the PostgreSQL backend reads words there)."""
    return WORD_SYMBOLS_RE.sub("", text)


def text_query(text: str) -> query.Query | None:
    """Parse free text; None when it holds no searchable word."""
    text = as_parsed(text)
    if not searchable(text):
        return None
    try:
        parsed = _PARSER.parse(text)
    except Exception:  # The parser is forgiving; if it still fails, search the plain words.
        parsed = _PARSER.parse(" ".join(words(text)))
    if parsed is query.NullQuery:
        return None
    return parsed


def searchable(text: str) -> bool:
    """Tell whether text holds a word the index keeps: one letter is one ("C", "R"), "the" is not."""
    return any(True for _ in STEMMED(as_parsed(text)))


def words(text: str) -> list[str]:
    """The plain words of text, as the spelling field sees them."""
    return [token.text for token in PLAIN(text)][:MAX_WORDS]


def fuzzy_query(text: str, closest: bool = False) -> query.Query | None:
    """Close matches for each word: the fallback when nothing matches exactly.

    closest=True allows one edit per word only: most typos are one letter off, and looking two edits
    away walks much more of the vocabulary, so the search tries the closest matches first.
    """
    terms = [
        FuzzyTerm("spelling", word, maxdist=1 if closest or len(word) <= 4 else 2, prefixlength=1)
        for word in words(text) if len(word) >= 3
    ]
    return query.Or(terms) if terms else None


def filter_query(filters: ListingFilters, skip: str | None = None) -> query.Query | None:
    """The listing's filters as one Whoosh query (None when nothing filters)."""
    parts = []
    if filters.stars and skip != "stars":
        parts.append(query.Or([query.Term("stars", value) for value in filters.stars]))
    if filters.time and skip != "time":
        parts.append(query.Or([query.Term("time", value) for value in filters.time]))
    if filters.area and skip != "area":
        parts.append(query.Term("area", filters.area))
    for name in filters.skills:
        parts.append(query.Term("skills", name))
    if filters.status and skip != "status":
        parts.append(query.Term("status", filters.status.value))
    if filters.mentor and skip != "mentor":
        parts.append(query.Term("mentor", filters.mentor))
    return query.And(parts) if parts else None
