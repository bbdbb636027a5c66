"""The listing URL contract: what /projects reads from its query string, what it ignores and says so,
which projects each filter keeps, and the order of every sort."""

import os
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

import pytest
from werkzeug.datastructures import MultiDict

from pioneer.catalogue.filters import MAX_SKILLS, SORTS, Filters
from pioneer.database import db
from pioneer.models import Project, ProjectStatus

from .factories import make_project, make_user


def read(query_string):
    """The filters of a URL's query string, as the listing reads them."""
    return Filters.from_args(MultiDict(parse_qsl(query_string, keep_blank_values=True)))


# Reading the URL ---------------------------------------------------------------------------------

def test_an_empty_query_string_lists_everything_newest_first():
    filters = read("")
    assert filters == Filters()
    assert (filters.q, filters.sort, filters.page, filters.notices) == ("", "newest", 1, [])
    assert not filters.active


def test_search_text_is_kept_with_single_spaces_and_at_most_500_characters():
    assert read("q=  tcp \t  stack\n ").q == "tcp stack"
    assert read("q=" + "x" * 600).q == "x" * 500
    assert read("q=" + "a%20" * 300).q == "a " * 250


def test_stars_and_time_keep_valid_ratings_once_in_order():
    filters = read("stars=3&stars=1&stars=3&stars=0&time=5&time=2&time=%202%20")
    assert (filters.stars, filters.time, filters.notices) == ([0, 1, 3], [2, 5], [])
    assert read("stars=5&time=1") == Filters(stars=[5], time=[1])


@pytest.mark.parametrize("query_string, notice", [
    ("stars=6", "Ignored stars=6: stars goes from 1 to 5, or 0 for not rated."),
    ("stars=-1", "Ignored stars=-1: stars goes from 1 to 5, or 0 for not rated."),
    ("stars=two", "Ignored stars=two: stars goes from 1 to 5, or 0 for not rated."),
    ("stars=", "Ignored stars=: stars goes from 1 to 5, or 0 for not rated."),
    ("time=0", "Ignored time=0: time goes from 1 (a day) to 5 (an internship)."),
    ("time=6", "Ignored time=6: time goes from 1 (a day) to 5 (an internship)."),
    ("time=1.5", "Ignored time=1.5: time goes from 1 (a day) to 5 (an internship)."),
])
def test_a_rating_out_of_range_is_ignored_with_a_notice(query_string, notice):
    filters = read(query_string)
    assert (filters.stars, filters.time, filters.notices) == ([], [], [notice])


def test_every_ignored_value_gets_its_own_notice_and_the_valid_ones_stay():
    filters = read("stars=9&stars=2&time=x&time=3&status=draft&sort=random")
    assert (filters.stars, filters.time, filters.status, filters.sort) == ([2], [3], None, "newest")
    assert filters.notices == [
        "Ignored stars=9: stars goes from 1 to 5, or 0 for not rated.",
        "Ignored time=x: time goes from 1 (a day) to 5 (an internship).",
        "Ignored status=draft: choose available, in progress or done.",
        "Ignored sort=random: choose one of relevance, newest, stars, time, title.",
    ]


def test_area_and_mentor_are_read_trimmed_and_lower_case():
    filters = read("area=%20Networking%20&mentor=%20Mina%20")
    assert (filters.area, filters.mentor) == ("networking", "mina")
    assert (read("area=%20&mentor=%20").area, read("area=%20&mentor=%20").mentor) == (None, None)


def test_skills_are_lower_case_single_spaced_once_each_and_at_most_ten():
    filters = read("skill=OCaml&skill=%20tcp%20%20/ip&skill=ocaml&skill=%20&skill=c")
    assert filters.skills == ["ocaml", "tcp /ip", "c"]
    many = read("&".join(f"skill=s{number}" for number in range(MAX_SKILLS + 5)))
    assert many.skills == [f"s{number}" for number in range(MAX_SKILLS)]


@pytest.mark.parametrize("typed, status", [
    ("available", ProjectStatus.AVAILABLE),
    ("in_progress", ProjectStatus.IN_PROGRESS),
    ("In-Progress", ProjectStatus.IN_PROGRESS),
    ("in%20progress", ProjectStatus.IN_PROGRESS),
    ("%20DONE%20", ProjectStatus.DONE),
])
def test_a_public_status_is_read_as_people_write_it(typed, status):
    filters = read(f"status={typed}")
    assert (filters.status, filters.notices) == (status, [])


@pytest.mark.parametrize("typed", ["draft", "proposed", "rejected", "archived", "secret", "changes_requested"])
def test_other_statuses_are_ignored_with_a_notice(typed):
    filters = read(f"status={typed}")
    assert filters.status is None
    assert filters.notices == [f"Ignored status={typed}: choose available, in progress or done."]


def test_a_blank_status_is_no_status_and_no_notice():
    filters = read("status=%20%20")
    assert (filters.status, filters.notices) == (None, [])


@pytest.mark.parametrize("query_string, sort", [
    ("", "newest"),
    ("q=tcp", "relevance"),
    ("sort=stars", "stars"),
    ("sort=time", "time"),
    ("sort=title", "title"),
    ("sort=newest", "newest"),
    ("q=tcp&sort=title", "title"),
    ("q=tcp&sort=relevance", "relevance"),
])
def test_the_sort_is_the_one_asked_for_else_relevance_for_a_search_and_newest_otherwise(query_string, sort):
    filters = read(query_string)
    assert (filters.sort, filters.notices) == (sort, [])
    assert filters.sort in SORTS


def test_relevance_without_search_text_quietly_becomes_newest():
    filters = read("sort=relevance")
    assert (filters.sort, filters.notices) == ("newest", [])


@pytest.mark.parametrize("query_string, default", [("sort=random", "newest"), ("sort=Stars", "newest"),
                                                   ("q=tcp&sort=best", "relevance")])
def test_an_unknown_sort_is_ignored_with_a_notice(query_string, default):
    filters = read(query_string)
    asked = query_string.rsplit("=", 1)[1]
    assert filters.sort == default
    assert filters.notices == [f"Ignored sort={asked}: choose one of relevance, newest, stars, time, title."]


@pytest.mark.parametrize("typed, page", [
    ("1", 1), ("2", 2), ("007", 7), ("99999", 99999),
    ("0", 1), ("100000", 1), ("-3", 1), ("2.5", 1), ("two", 1), ("", 1), ("%203", 1),
])
def test_the_page_is_a_whole_number_below_100000_else_the_first(typed, page):
    filters = read(f"page={typed}")
    assert (filters.page, filters.notices) == (page, [])


# What a listing depends on -----------------------------------------------------------------------

def test_counts_are_shared_by_listings_that_differ_only_in_sort_or_page():
    assert read("stars=1&sort=title&page=3").cache_key == read("stars=1").cache_key


@pytest.mark.parametrize("other", ["q=dns", "stars=2", "time=2", "area=storage", "skill=c",
                                   "status=done", "mentor=omar"])
def test_counts_are_kept_apart_for_listings_that_filter_differently(other):
    base = "q=tcp&stars=1&time=1&area=networking&skill=ocaml&status=available&mentor=mina"
    name = other.split("=")[0]
    changed = "&".join(other if pair.split("=")[0] == name else pair for pair in base.split("&"))
    assert read(changed).cache_key != read(base).cache_key
    assert read(changed).cache_key == read(changed).cache_key


@pytest.mark.parametrize("query_string", ["q=tcp", "stars=0", "time=1", "area=x", "skill=c", "status=done",
                                          "mentor=mina"])
def test_any_filter_makes_the_listing_filtered(query_string):
    assert read(query_string).active


def test_sort_page_and_ignored_values_do_not_make_the_listing_filtered():
    assert not read("sort=title&page=2&stars=9&status=draft").active


# Which projects each filter keeps ----------------------------------------------------------------

@pytest.fixture(scope="module")
def shelf(tmp_path_factory):
    """Projects chosen so each filter and sort keeps or orders them differently; read-only, so one
    database serves the whole module."""
    from pioneer import create_app, search
    from pioneer.provision import build_index_if_missing

    with pytest.MonkeyPatch.context() as patch:
        for name in [name for name in os.environ if name.startswith("PIONEER_")]:
            patch.delenv(name)
        patch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path_factory.mktemp("shelf")))
        app = create_app({"TESTING": True, "SECRET_KEY": "filters-tests-key-0123456789", "SEARCH_STORAGE": "memory"})
    with app.app_context():
        db.create_all()
        build_index_if_missing()
        mina, omar = make_user("Mina Mentor", username="mina"), make_user("Omar Mentor", username="omar")
        make_project("Block driver", stars=1, time_rating=2, area="Storage", skills=("c",), mentors=[omar],
                     age_days=5)
        make_project("Alpha parser", stars=2, time_rating=1, area="Networking", skills=("ocaml", "c"),
                     mentors=[mina], summary="Parse 100% of the packets.", age_days=1)
        make_project("Cache layer", stars=None, time_rating=None, area="Storage", skills=("ocaml",),
                     mentors=[mina, omar], summary="Keep_it close.", age_days=3)
        make_project("Done work", stars=1, time_rating=5, area="Networking", skills=(), status=ProjectStatus.DONE,
                     age_days=10)
        make_project("Zeta five", stars=5, time_rating=None, area=None, skills=("c",), mentors=[omar],
                     status=ProjectStatus.IN_PROGRESS, age_days=2)
        make_project("Draft thing", stars=1, time_rating=1, status=ProjectStatus.DRAFT, mentors=[mina])
        make_project("Proposed thing", stars=1, time_rating=1, status=ProjectStatus.PROPOSED, mentors=[mina])
        db.session.commit()
        yield
        search.backend().close()
        db.session.remove()
        db.engine.dispose()


def titles(filters, skip=None):
    """The titles of the projects the filters keep, in the filters' sort order."""
    return db.session.execute(
        db.select(Project.title).where(*filters.conditions(skip=skip)).order_by(*filters.order_by())
    ).scalars().all()


def kept(query_string, skip=None):
    return set(titles(read(query_string), skip))


EVERY_PUBLIC = {"Block driver", "Alpha parser", "Cache layer", "Done work", "Zeta five"}


def test_without_filters_every_public_project_is_listed(shelf):
    assert kept("") == EVERY_PUBLIC


@pytest.mark.parametrize("query_string, expected", [
    ("stars=1", {"Block driver", "Done work"}),
    ("stars=0", {"Cache layer"}),
    ("stars=0&stars=5", {"Cache layer", "Zeta five"}),
    ("stars=2&stars=5", {"Alpha parser", "Zeta five"}),
    ("stars=3", set()),
    ("time=1&time=2", {"Alpha parser", "Block driver"}),
    ("time=5", {"Done work"}),
    ("area=storage", {"Block driver", "Cache layer"}),
    ("area=nowhere", set()),
    ("skill=c", {"Block driver", "Alpha parser", "Zeta five"}),
    ("skill=c&skill=ocaml", {"Alpha parser"}),
    ("skill=rust", set()),
    ("mentor=omar", {"Block driver", "Cache layer", "Zeta five"}),
    ("mentor=nobody", set()),
    ("status=available", {"Block driver", "Alpha parser", "Cache layer"}),
    ("status=in%20progress", {"Zeta five"}),
    ("status=done", {"Done work"}),
    ("status=draft", EVERY_PUBLIC),
    ("stars=1&area=storage&mentor=omar&status=available&time=2&skill=c", {"Block driver"}),
])
def test_each_filter_keeps_only_matching_public_projects(shelf, query_string, expected):
    assert kept(query_string) == expected


@pytest.mark.parametrize("skip, expected", [
    # Every filter but the skipped one: stars 1, time 2, area storage, skill c, status available, mentor mina.
    ("stars", set()),
    ("time", set()),
    ("area", set()),
    ("status", set()),
    ("mentor", {"Block driver"}),
])
def test_a_facet_counts_without_its_own_filter(shelf, skip, expected):
    assert kept("stars=1&time=2&area=storage&skill=c&status=available&mentor=mina", skip) == expected


@pytest.mark.parametrize("skip, query_string, expected", [
    ("stars", "stars=2&time=2", {"Block driver"}),
    ("time", "time=1&stars=1", {"Block driver", "Done work"}),
    ("area", "area=networking&mentor=omar", {"Block driver", "Cache layer", "Zeta five"}),
    ("status", "status=done&stars=1", {"Block driver", "Done work"}),
    ("mentor", "mentor=mina&area=storage", {"Block driver", "Cache layer"}),
])
def test_skipping_a_facet_leaves_out_that_filter_only(shelf, skip, query_string, expected):
    assert kept(query_string, skip) == expected


def test_skipping_the_status_facet_still_hides_drafts(shelf):
    assert kept("status=done", "status") == EVERY_PUBLIC


def test_skills_narrow_even_when_a_facet_is_skipped(shelf):
    for skip in ("stars", "time", "area", "status", "mentor", "skill"):
        assert kept("skill=ocaml", skip) == {"Alpha parser", "Cache layer"}, skip


# Search text, before the search service answers --------------------------------------------------

@pytest.mark.parametrize("q, expected", [
    ("parser", {"Alpha parser"}),  # a title
    ("PACKETS", {"Alpha parser"}),  # a summary, in any case
    ("alpha packets", {"Alpha parser"}),  # every word, each in the title or the summary
    ("alpha block", set()),
    ("100%", {"Alpha parser"}),  # % and _ are plain characters, not wildcards
    ("0%", {"Alpha parser"}),
    ("%", {"Alpha parser"}),
    ("p_ck", set()),
    ("X", set()),  # a lone letter is a word too
    ("keep_it", {"Cache layer"}),
    ('block - driver \' "', {"Block driver"}),  # lone quotes and dashes are no words
])
def test_search_text_keeps_projects_with_every_word_in_title_or_summary(shelf, q, expected):
    assert set(titles(Filters.from_args(MultiDict({"q": q})))) == expected


def test_only_the_first_ten_words_of_search_text_count(shelf):
    nine = " ".join(["a"] * 9)
    assert kept(f"q={nine} driver") == {"Block driver"}
    assert kept(f"q={nine} driver zzz") == {"Block driver"}
    assert kept(f"q={nine} zzz driver") == set()


# Sorts -------------------------------------------------------------------------------------------

def test_every_sort_orders_the_listing_with_unrated_projects_last(shelf):
    assert titles(read("sort=stars")) == ["Block driver", "Done work", "Alpha parser", "Zeta five", "Cache layer"]
    assert titles(read("sort=time")) == ["Alpha parser", "Block driver", "Done work", "Cache layer", "Zeta five"]
    assert titles(read("sort=title")) == ["Alpha parser", "Block driver", "Cache layer", "Done work", "Zeta five"]
    assert titles(read("sort=newest")) == ["Alpha parser", "Zeta five", "Cache layer", "Block driver", "Done work"]
    assert titles(read("")) == titles(read("sort=newest"))


@pytest.fixture
def twins(ctx):
    """Projects equal on every sort key but the order they were added in."""
    approved = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    first = make_project("Twin", slug="twin-first", stars=2, time_rating=2)
    db.session.flush()
    second = make_project("Twin", slug="twin-second", stars=2, time_rating=2)
    older = make_project("Twin", slug="twin-older", stars=2, time_rating=2)
    first.approved_at = second.approved_at = approved
    older.approved_at = approved - timedelta(days=1)
    db.session.commit()


def slugs(filters):
    return db.session.execute(
        db.select(Project.slug).where(*filters.conditions()).order_by(*filters.order_by())
    ).scalars().all()


def test_ties_keep_the_order_projects_were_added_in_and_newest_puts_the_last_added_first(twins):
    for sort in ("stars", "time", "title"):
        assert slugs(read(f"sort={sort}")) == ["twin-first", "twin-second", "twin-older"], sort
    assert slugs(read("sort=newest")) == ["twin-second", "twin-first", "twin-older"]
