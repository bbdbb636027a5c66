"""The index's fields: weighted, stemmed text to rank; plain fields to filter, sort and count."""

from whoosh import fields
from whoosh.analysis import StandardAnalyzer, StemmingAnalyzer

# English stemming, so "tests" finds "testing"; common words ("a", "of") are dropped, but one-letter
# skill names such as "c" are kept.
STEMMED = StemmingAnalyzer(minsize=1)
# The spelling field keeps words as typed, so corrections and fuzzy terms are real words.
PLAIN = StandardAnalyzer(minsize=2)

# A word in the title counts more than one in the description. Few fields keep queries fast: each
# word of a query is looked up once per field.
TEXT_FIELDS = {
    "title": 5.0,
    "tags": 2.5,  # skills, area, mentors and the time label
    "summary": 2.5,
    "body": 1.0,  # description and outcomes
}

SCHEMA = fields.Schema(
    id=fields.ID(stored=True, unique=True),
    title=fields.TEXT(analyzer=STEMMED, field_boost=TEXT_FIELDS["title"], stored=True),
    summary=fields.TEXT(analyzer=STEMMED, field_boost=TEXT_FIELDS["summary"], stored=True),
    tags=fields.TEXT(analyzer=STEMMED, field_boost=TEXT_FIELDS["tags"]),
    # Descriptions are highlighted from the database's copy, so the index does not store them.
    body=fields.TEXT(analyzer=STEMMED, field_boost=TEXT_FIELDS["body"]),
    # Only spelling and fuzzy terms read this field: no positions, which halves its index time.
    spelling=fields.TEXT(analyzer=PLAIN, spelling=True, phrase=False),
    stars=fields.NUMERIC(int, bits=8, signed=False, sortable=True, stored=True),  # 0 = not rated
    time=fields.NUMERIC(int, bits=8, signed=False, sortable=True),  # 0 = not rated
    # Sort keys put "not rated" (6) after 5.
    stars_sort=fields.NUMERIC(int, bits=8, signed=False, sortable=True),
    time_sort=fields.NUMERIC(int, bits=8, signed=False, sortable=True),
    area=fields.ID(sortable=True),
    skills=fields.KEYWORD(commas=True, lowercase=True, scorable=False),
    mentor=fields.KEYWORD(commas=True, lowercase=True, scorable=False),
    status=fields.ID(sortable=True),
    approved=fields.NUMERIC(int, bits=64, sortable=True),  # approval time, seconds
    title_sort=fields.ID(sortable=True),
    digest=fields.STORED,  # what `pioneer search check` compares with the database
)
