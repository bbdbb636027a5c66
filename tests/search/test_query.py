"""What a person types, turned into Whoosh queries, tried on a small index of four projects."""

import pytest
from whoosh.filedb.filestore import RamStorage

from pioneer.catalogue.filters import Filters
from pioneer.models import ProjectStatus
from pioneer.search import query as query_module
from pioneer.search.query import (
    MAX_WORDS,
    clean,
    filter_query,
    fuzzy_query,
    split_prefixes,
    text_query,
    words,
)
from pioneer.search.schema import SCHEMA

# Fields as pioneer.search.documents builds them; "spelling" holds every word as typed.
PROJECTS = {
    "tcp": {
        "title": "TCP tests for the network stack", "summary": "Testing the stack in a unikernel.",
        "tags": "ocaml tcp/ip Networking a week Mina Mentor mina", "body": "Retransmission and congestion.",
        "stars": 1, "time": 1, "area": "networking", "skills": "ocaml,tcp/ip", "mentor": "mina", "status": "available",
    },
    "fuzz": {
        "title": "Fuzzing the DNS parser", "summary": "Find crashes before attackers do.",
        "tags": "c Storage a month Mina Mentor mina Omar Mentor omar", "body": "Use afl on the wire format.",
        "stars": 2, "time": 2, "area": "storage", "skills": "c", "mentor": "mina,omar", "status": "in_progress",
    },
    "dns-tcp": {
        "title": "DNS over TCP", "summary": "Long answers need a stream.",
        "tags": "ocaml Networking a season Omar Mentor omar", "body": "",
        "stars": 0, "time": 3, "area": "networking", "skills": "ocaml", "mentor": "omar", "status": "done",
    },
    "block": {
        "title": "Block device driver", "summary": "Read and write sectors.", "tags": "c ocaml Storage a month",
        "body": "Benchmarks against the parser of the partition table.",
        "stars": 1, "time": 2, "area": "storage", "skills": "c,ocaml", "mentor": "", "status": "available",
    },
}


@pytest.fixture(scope="module")
def searcher():
    index = RamStorage().create_index(SCHEMA)
    writer = index.writer()
    for slug, fields in PROJECTS.items():
        spelling = " ".join([fields["title"], fields["summary"], fields["tags"], fields["body"]])
        writer.add_document(id=slug, spelling=spelling, title_sort=fields["title"].lower(), **fields)
    writer.commit()
    with index.searcher() as searcher:
        yield searcher


@pytest.fixture(autouse=True)
def parser_built_here(monkeypatch):
    """text_query's parser is built once, when the module is imported; build it again here, the same
    way, so these tests also cover how it is built."""
    monkeypatch.setattr(query_module, "_PARSER", query_module._parser())


def found(searcher, text_q=None, filter_q=None):
    """The slugs a query finds, best first; every project when there is no text query."""
    from whoosh import query

    hits = searcher.search(text_q if text_q is not None else query.Every(), filter=filter_q, limit=None)
    return [hit["id"] for hit in hits]


# Cleaning what was typed -------------------------------------------------------------------------

def test_control_characters_and_odd_spaces_become_single_spaces():
    typed = "  tcp\t\tstack\n\x00dns\u00a0parser\u200bfuzz\u202ereversed \u3000end  "
    assert clean(typed) == "tcp stack dns parser fuzz reversed end"


def test_every_printable_character_is_kept():
    typed = "C++ «tcp/ip» ☃ 𝕏 café -dns \"phrase\" (x)"
    assert clean(typed) == typed


# Prefixes ----------------------------------------------------------------------------------------

def test_each_prefix_becomes_a_filter_and_leaves_the_words():
    parsed = split_prefixes("tcp stars:1 time:2 skill:OCaml area:Networking mentor:Mina  stack")
    assert parsed.text == "tcp stack"
    assert (parsed.stars, parsed.time, parsed.skills) == ([1], [2], ["ocaml"])
    assert (parsed.area, parsed.mentor, parsed.problems) == ("networking", "mina", [])


def test_prefix_names_are_read_in_any_case():
    parsed = split_prefixes("STARS:2 Time:3 SKILL:c Area:storage MENTOR:omar")
    assert (parsed.text, parsed.stars, parsed.time, parsed.skills) == ("", [2], [3], ["c"])
    assert (parsed.area, parsed.mentor) == ("storage", "omar")


def test_values_keep_their_letters_and_lose_only_their_quotes():
    parsed = split_prefixes('skill:XML skill:"X11" area:"Xen" mentor:"Alex"')
    assert (parsed.skills, parsed.area, parsed.mentor) == (["xml", "x11"], "xen", "alex")


def test_quoted_values_may_hold_spaces():
    parsed = split_prefixes('skill:"Tcp/IP" area:"Web Apps" mentor:"" dns')
    assert (parsed.skills, parsed.area, parsed.mentor, parsed.text) == (["tcp/ip"], "web apps", "", "dns")


def test_repeated_prefixes_add_up_and_the_last_area_or_mentor_wins():
    parsed = split_prefixes("stars:2 stars:1 time:5 time:1 skill:c skill:ocaml area:a area:b mentor:x mentor:y")
    assert (parsed.stars, parsed.time, parsed.skills) == ([2, 1], [5, 1], ["c", "ocaml"])
    assert (parsed.area, parsed.mentor) == ("b", "y")


def test_ratings_cover_not_rated_to_five_stars_and_a_day_to_an_internship():
    parsed = split_prefixes("stars:0 stars:5 time:1 time:5")
    assert (parsed.stars, parsed.time, parsed.problems) == ([0, 5], [1, 5], [])


@pytest.mark.parametrize("typed, problem", [
    ("stars:6", "stars:6 is not a rating (0 to 5); left out"),
    ("stars:-1", "stars:-1 is not a rating (0 to 5); left out"),
    ("STARS:Two", "stars:two is not a rating (0 to 5); left out"),
    ("time:0", "time:0 is not a rating (1 to 5); left out"),
    ("time:6", "time:6 is not a rating (1 to 5); left out"),
    ('time:"a day"', "time:a day is not a rating (1 to 5); left out"),
])
def test_a_rating_out_of_range_is_left_out_with_a_reason(typed, problem):
    parsed = split_prefixes(f"dns {typed}")
    assert (parsed.text, parsed.stars, parsed.time, parsed.problems) == ("dns", [], [], [problem])


@pytest.mark.parametrize("typed", ["nostars:1", "stars:", "tcp:stack", "title:dns", "stars :1", "(stars:1"])
def test_words_that_only_look_like_prefixes_stay_words(typed):
    parsed = split_prefixes(typed)
    assert parsed.text == typed
    assert (parsed.stars, parsed.time, parsed.skills, parsed.area, parsed.mentor) == ([], [], [], None, None)


def test_prefixes_are_found_after_any_kind_of_space():
    parsed = split_prefixes("tcp\tstars:1\u00a0time:2\nstack")
    assert (parsed.text, parsed.stars, parsed.time) == ("tcp stack", [1], [2])


# Free text ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["", "   ", "a", "the of and", "AND", "-", "!!! ???", "-tcp", "(+)"])
def test_text_without_a_searchable_word_gives_no_text_query(typed):
    assert text_query(typed) is None


@pytest.mark.parametrize("typed, slugs", [
    ("stack", {"tcp"}),  # a title
    ("crashes", {"fuzz"}),  # a summary
    ("mina", {"tcp", "fuzz"}),  # the tags: skills, area, time, mentors
    ("retransmission", {"tcp"}),  # a description
])
def test_a_word_is_found_in_title_summary_tags_or_description(searcher, typed, slugs):
    assert set(found(searcher, text_query(typed))) == slugs


def test_words_match_their_other_forms(searcher):
    for typed in ("test", "tests", "testing", "Tested"):
        assert found(searcher, text_query(typed)) == ["tcp"], typed


def test_any_word_matches_and_projects_with_every_word_rank_first(searcher):
    results = found(searcher, text_query("tcp dns"))
    assert set(results) == {"tcp", "fuzz", "dns-tcp"}
    assert results[0] == "dns-tcp"


def test_title_words_rank_above_words_elsewhere(searcher):
    # "parser" is in the title of one project and in the description of another.
    assert found(searcher, text_query("parser")) == ["fuzz", "block"]


def test_a_minus_sign_leaves_out_projects_with_that_word(searcher):
    assert found(searcher, text_query("dns -tcp")) == ["fuzz"]
    assert set(found(searcher, text_query("ocaml -stream"))) == {"tcp", "block"}


def test_quotes_ask_for_the_words_together_in_that_order(searcher):
    assert found(searcher, text_query('"dns parser"')) == ["fuzz"]
    assert found(searcher, text_query('"parser dns"')) == []


@pytest.mark.parametrize("typed, slugs", [
    ("summary:fuzzing", {"fuzz"}),  # no field syntax: "fuzzing" is only in a title
    ("tc*", set()),  # no wildcards
    ("tcq~1", set()),  # no fuzzy syntax (the fuzzy fallback is separate)
    ("r/dn./", {"fuzz", "dns-tcp"}),  # no regular expressions: the letters are words
    ("[crashes TO stack]", {"tcp", "fuzz"}),  # no ranges: the ends are words
    ("parser^9 driver", {"fuzz", "block"}),  # no boosts
])
def test_query_syntax_beyond_words_phrases_and_minus_is_plain_text(searcher, typed, slugs):
    assert set(found(searcher, text_query(typed))) == slugs


def test_a_boost_typed_by_a_person_does_not_change_the_order(searcher):
    assert found(searcher, text_query("parser^9 driver")) == found(searcher, text_query("parser driver"))


def test_text_the_parser_chokes_on_still_searches_its_words(searcher):
    # Whoosh's parser raises on a lone minus inside brackets after a word.
    assert set(found(searcher, text_query("dns (tcp-)"))) == {"tcp", "fuzz", "dns-tcp"}
    assert set(found(searcher, text_query("crashes(-)"))) == {"fuzz"}


# Plain words, for spelling -----------------------------------------------------------------------

def test_plain_words_are_lower_case_without_short_or_common_words():
    assert words("The C parser, in OCaml: tcp/ip!") == ["parser", "ocaml", "tcp", "ip"]


def test_only_the_first_max_words_count():
    typed = " ".join(f"word{number}" for number in range(MAX_WORDS + 8))
    assert words(typed) == [f"word{number}" for number in range(MAX_WORDS)]
    assert len(words(" ".join(["stack"] * MAX_WORDS))) == MAX_WORDS


# The fuzzy fallback ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, slugs", [
    ("fuzing", {"fuzz"}),  # one letter missing
    ("crashs", {"fuzz"}),
    ("netwrk", {"tcp"}),
    ("retransmision congestoin", {"tcp"}),
    ("benchmaks", {"block"}),
    ("sectros", {"block"}),
    ("fzzing", {"fuzz"}),  # the second letter may be wrong
])
def test_close_spellings_find_the_word(searcher, typed, slugs):
    assert set(found(searcher, fuzzy_query(typed))) == slugs


@pytest.mark.parametrize("typed, slugs", [
    ("tcq", {"tcp", "dns-tcp"}),  # three letters, one change
    ("dnss", {"fuzz", "dns-tcp"}),  # four letters, one change
    ("dnxx", set()),  # four letters, two changes: too far
    ("stakk", {"tcp"}),  # five letters, one change
    ("sxbck", {"tcp"}),  # five letters, two changes
    ("sxazz", set()),  # five letters, three changes: too far
])
def test_short_words_allow_one_change_and_longer_words_two(searcher, typed, slugs):
    assert set(found(searcher, fuzzy_query(typed))) == slugs


def test_the_first_letter_must_be_right(searcher):
    assert found(searcher, fuzzy_query("guzzing")) == []
    assert found(searcher, fuzzy_query("fuzzing")) == ["fuzz"]


@pytest.mark.parametrize("typed", ["", "a", "tc", "xz -- ab", "the and of"])
def test_no_fuzzy_query_without_a_word_of_three_letters(typed):
    assert fuzzy_query(typed) is None


def test_a_two_letter_word_is_not_corrected_but_a_longer_one_beside_it_is(searcher):
    assert found(searcher, fuzzy_query("tc fuzing")) == ["fuzz"]


def test_fuzzy_matching_reads_only_the_first_max_words(searcher):
    filler = ["zzzzzz"] * (MAX_WORDS - 1)
    assert found(searcher, fuzzy_query(" ".join([*filler, "fuzing"]))) == ["fuzz"]
    assert found(searcher, fuzzy_query(" ".join([*filler, "zzzzzz", "fuzing"]))) == []


# Filters -----------------------------------------------------------------------------------------

def test_no_filter_gives_no_filter_query():
    assert filter_query(Filters()) is None
    assert filter_query(Filters(q="tcp", sort="title", page=3)) is None


@pytest.mark.parametrize("filters, slugs", [
    (Filters(stars=[1]), {"tcp", "block"}),
    (Filters(stars=[0, 2]), {"fuzz", "dns-tcp"}),
    (Filters(time=[2, 3]), {"fuzz", "dns-tcp", "block"}),
    (Filters(area="storage"), {"fuzz", "block"}),
    (Filters(skills=["ocaml"]), {"tcp", "dns-tcp", "block"}),
    (Filters(skills=["ocaml", "c"]), {"block"}),
    (Filters(status=ProjectStatus.DONE), {"dns-tcp"}),
    (Filters(status=ProjectStatus.IN_PROGRESS), {"fuzz"}),
    (Filters(mentor="omar"), {"fuzz", "dns-tcp"}),
    (Filters(stars=[1, 2], area="storage", mentor="mina"), {"fuzz"}),
    (Filters(time=[1, 2], status=ProjectStatus.AVAILABLE), {"tcp", "block"}),
])
def test_each_filter_narrows_and_filters_combine(searcher, filters, slugs):
    assert set(found(searcher, filter_q=filter_query(filters))) == slugs


EVERY_FILTER = Filters(stars=[1], time=[2], area="storage", skills=["c"], status=ProjectStatus.AVAILABLE,
                       mentor="omar")


def test_every_filter_at_once_can_find_nothing(searcher):
    assert found(searcher, filter_q=filter_query(EVERY_FILTER)) == []


@pytest.mark.parametrize("skip, slugs", [
    # The block driver matches every filter but the mentor's.
    ("mentor", {"block"}),
    ("stars", set()),
    ("status", set()),
    ("area", set()),
    ("time", set()),
])
def test_a_facet_counts_without_its_own_filter(searcher, skip, slugs):
    assert set(found(searcher, filter_q=filter_query(EVERY_FILTER, skip=skip))) == slugs


@pytest.mark.parametrize("skip, kept, slugs", [
    ("stars", Filters(stars=[2], time=[2]), {"fuzz", "block"}),
    ("time", Filters(stars=[1], time=[3]), {"tcp", "block"}),
    ("area", Filters(area="networking", mentor="mina"), {"tcp", "fuzz"}),
    ("status", Filters(status=ProjectStatus.DONE, skills=["c"]), {"fuzz", "block"}),
    ("mentor", Filters(mentor="omar", stars=[1]), {"tcp", "block"}),
])
def test_skipping_a_facet_leaves_out_that_filter_only(searcher, skip, kept, slugs):
    assert set(found(searcher, filter_q=filter_query(kept, skip=skip))) == slugs


def test_skipping_the_only_filter_leaves_nothing_to_filter():
    for skip, filters in [("stars", Filters(stars=[1])), ("time", Filters(time=[1])), ("area", Filters(area="x")),
                          ("status", Filters(status=ProjectStatus.DONE)), ("mentor", Filters(mentor="x"))]:
        assert filter_query(filters, skip=skip) is None, skip


def test_skills_always_filter_even_when_a_facet_is_skipped(searcher):
    for skip in ("stars", "time", "area", "status", "mentor", "skill", "skills"):
        assert set(found(searcher, filter_q=filter_query(Filters(skills=["c"]), skip=skip))) == {"fuzz", "block"}
