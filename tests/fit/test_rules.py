"""Each rule of docs/fit.md, called directly on plain data: no database, no request."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from pioneer.domain import fit
from pioneer.domain.fit import Candidate, Profile, SkillNeed
from pioneer.models import SkillLevel, Stars, TimeRating

C, S, F, X, N = SkillLevel.CONCEPTS, SkillLevel.SOME, SkillLevel.COMFORTABLE, SkillLevel.CHALLENGE, SkillLevel.NONE


def profile(query):
    return Profile.from_args(MultiDict([pair.split("=", 1) for pair in query.split("&") if pair]))


def project(number=1, stars=2, time=2, skills=(("ocaml", C, True),), mentors=1, places=1, claimed=False,
            topics="", age=0):
    return Candidate(id=number, stars=Stars(stars) if stars else None, time_rating=TimeRating(time) if time else None,
                     skills=tuple(SkillNeed(*need) for need in skills), mentors=mentors, places_left=places,
                     claimed=claimed, topics=topics.lower(),
                     approved_at=datetime(2026, 12, 1, tzinfo=UTC) - timedelta(days=age))


def texts(result):
    return [reason.text for reason in result.reasons]


# Reading a profile -----------------------------------------------------------------------------------

def test_a_profile_reads_skills_levels_time_learning_and_first():
    read = profile("know=OCaml:comfortable&know=http&know=tcp/ip:a challenge&time=2&learn=Profiling,fuzzing"
                   "&learn=profiling&first=1")
    assert read.know == {"ocaml": F, "http": fit.DEFAULT_LEVEL, "tcp/ip": X}
    assert read.time is TimeRating.WEEK and read.learn == ("profiling", "fuzzing") and read.first
    assert read.query_args()[:3] == [("know", "ocaml:comfortable"), ("know", "http:some"),
                                     ("know", "tcp/ip:challenge")]


def test_a_level_the_form_sends_apart_joins_its_skill_and_a_colon_without_a_level_stays_in_the_name():
    read = profile("know=ocaml&level=concepts&know=&level=some&know=ns:x&level=comfortable")
    assert read.know == {"ocaml": C, "ns:x": F}


def test_hours_fall_in_the_time_level_that_holds_them_and_time_wins_over_hours():
    assert profile("hours=30").time_limit is TimeRating.WEEK
    assert profile("hours=41").time_limit is TimeRating.FEW_WEEKS
    assert profile("time=1&hours=300").time_limit is TimeRating.DAY


@pytest.mark.parametrize("query, notice", [("time=9", "Ignored time=9"), ("time=²", "Ignored time=²"),
                                           ("hours=-3", "Ignored hours=-3"), ("hours=99999", "Ignored hours=99999")])
def test_bad_time_or_hours_is_ignored_with_a_notice(query, notice):
    read = profile(query)
    assert read.time_limit is None and read.notices[0].startswith(notice)


def test_at_most_ten_skills_are_read_and_long_names_are_cut():
    read = profile("&".join(f"know=skill{n}" for n in range(15)) + "&know=" + "é" * 100)
    assert len(read.know) == fit.MAX_SKILLS and "skill10" not in read.know
    assert max(len(name) for name in profile("know=" + "é" * 100).know) == fit.MAX_NAME


# Skills weigh most -----------------------------------------------------------------------------------

def test_knowing_none_of_the_required_skills_means_it_does_not_fit():
    assert fit.judge(profile("know=http"), project(skills=[("ocaml", C, True), ("xen", S, True)])) is None


def test_a_project_that_needs_no_skill_fits_anyone():
    result = fit.judge(profile("know=http"), project(skills=[("git", N, True), ("docs", C, False)]))
    assert "it needs no particular skill" in texts(result)


def test_each_level_short_on_a_required_skill_costs_more():
    needs = [("ocaml", F, True)]
    at_ease, one_short, two_short = (fit.judge(profile(f"know=ocaml:{level}"), project(skills=needs)).score
                                     for level in ("comfortable", "some", "concepts"))
    # At ease, the skill also counts as one known at the level asked.
    assert at_ease - one_short == fit.SHORT_LEVEL + fit.MATCHED and one_short - two_short == fit.SHORT_LEVEL
    result = fit.judge(profile("know=ocaml:concepts"), project(skills=needs))
    assert "it asks for ocaml at “comfortable”; you said “concepts”" in texts(result)


def test_a_missing_required_skill_weighs_more_than_a_project_one_time_level_too_long():
    both = [("ocaml", C, True), ("http", C, True)]
    missing = fit.judge(profile("know=ocaml:concepts&time=2"), project(skills=both, time=2))
    too_long = fit.judge(profile("know=ocaml:concepts&know=http:concepts&time=2"), project(skills=both, time=3))
    assert too_long.score > missing.score
    assert "it needs http (concepts), which you did not list" in texts(missing)


def test_knowing_every_required_skill_is_said_and_uses_more_of_what_one_knows():
    both = fit.judge(profile("know=ocaml&know=http"), project(skills=[("ocaml", C, True), ("http", S, True)]))
    assert texts(both)[0] == "you know both required skills (ocaml, http)"
    one = fit.judge(profile("know=ocaml&know=http"), project(skills=[("ocaml", C, True)]))
    assert texts(one)[0] == "you know the required skill (ocaml)"
    assert both.score - one.score == fit.MATCHED


def test_a_nice_to_have_skill_one_knows_counts_a_little():
    plain = project(skills=[("ocaml", C, True)])
    nice = project(skills=[("ocaml", C, True), ("lwt", S, False)])
    result = fit.judge(profile("know=ocaml&know=lwt"), nice)
    assert result.score - fit.judge(profile("know=ocaml&know=lwt"), plain).score == fit.NICE_KNOWN
    assert "you also know lwt (nice to have)" in texts(result)


def test_without_skills_in_the_profile_skills_are_described_not_judged():
    result = fit.judge(profile("time=2"), project(skills=[("ocaml", C, True), ("xen", F, True)]))
    assert result is not None
    assert texts(result)[0] == "it asks for ocaml (concepts) and xen (comfortable)"


# Time weighs next ------------------------------------------------------------------------------------

def test_one_time_level_beyond_costs_and_two_means_it_does_not_fit():
    week = profile("know=ocaml&time=2")
    within, over = fit.judge(week, project(time=2)), fit.judge(week, project(time=3))
    assert within.score - over.score == fit.TIME_OVER
    assert "takes a few weeks, more than the week you have" in texts(over)
    assert "takes about a week, within your time" in texts(within)
    assert fit.judge(week, project(time=4)) is None
    assert "more than the 30 hours you have" in " ".join(texts(fit.judge(profile("hours=30"), project(time=3))))


def test_a_shorter_project_than_the_time_one_has_is_not_held_against_it():
    season = profile("know=ocaml&time=4")
    assert fit.judge(season, project(time=1)).score == fit.judge(season, project(time=4)).score


def test_time_not_rated_costs_a_little_only_when_the_person_said_their_time():
    assert fit.judge(profile("know=ocaml&time=2"), project(time=None)).score == \
        fit.judge(profile("know=ocaml&time=2"), project(time=2)).score - fit.TIME_UNRATED
    assert fit.judge(profile("know=ocaml"), project(time=None)).score == fit.judge(profile("know=ocaml"),
                                                                                  project(time=2)).score


# Then stars for a first contribution, places, claims and learning ------------------------------------

def test_a_first_contribution_puts_one_and_two_star_projects_first():
    first = profile("know=ocaml&first=1")
    scores = {stars: fit.judge(first, project(stars=stars)).score for stars in (1, 2, 3, 5)}
    assert scores[1] > scores[2] > scores[3] == scores[5]
    assert "1 of 5 stars: made for a first contribution" in texts(fit.judge(first, project(stars=1)))
    # Without first=1 the stars only break ties.
    plain = profile("know=ocaml")
    assert fit.judge(plain, project(stars=1)).score == fit.judge(plain, project(stars=4)).score


def test_the_first_contribution_bonus_weighs_less_than_time_and_skills():
    first = profile("know=ocaml:concepts&time=2&first=1")
    assert fit.judge(first, project(stars=3, time=2)).score > fit.judge(first, project(stars=1, time=3)).score


def test_a_mentor_with_places_left_counts_for_it():
    known = profile("know=ocaml")
    with_places, full = fit.judge(known, project(places=2)), fit.judge(known, project(places=0))
    assert with_places.score - full.score == fit.PLACES
    assert "the mentor has 2 places left" in texts(with_places)
    assert "the mentor has no place left right now" in texts(full)
    assert "its mentors have 1 place left" in texts(fit.judge(known, project(mentors=2, places=1)))
    assert "no mentor yet" in texts(fit.judge(known, project(mentors=0, places=0)))


def test_nobody_having_claimed_it_counts_for_it():
    known = profile("know=ocaml")
    free, shared = fit.judge(known, project()), fit.judge(known, project(claimed=True))
    assert free.score - shared.score == fit.UNCLAIMED
    assert "someone works on it already; it is open to more people" in texts(shared)


def test_what_one_would_learn_counts_for_it_whole_words_only():
    wants = profile("know=ocaml&learn=profiling&learn=dns")
    taught = fit.judge(wants, project(skills=[("ocaml", C, True), ("dns", C, False)],
                                      topics="Profiling the network stack"))
    assert "you would learn profiling and dns" in texts(taught)
    assert taught.score - fit.judge(wants, project()).score == 2 * fit.LEARN
    assert fit.learns(wants, project(topics="dnssec and unprofilingish words")) == []


# Ranking ---------------------------------------------------------------------------------------------

def test_ties_go_to_the_easier_then_the_shorter_then_the_newest():
    known = profile("know=ocaml")
    ranked = fit.rank(known, [project(1, stars=3), project(2, stars=2, time=3), project(3, stars=2, time=2, age=5),
                              project(4, stars=2, time=2, age=1), project(5, stars=None)])
    assert [result.candidate.id for result in ranked] == [4, 3, 2, 1, 5]


def test_what_would_widen_an_empty_result_is_said_in_words():
    assert fit.time_suggestion(profile("time=2"), 4) == "with a few weeks instead of a week, 4 more projects fit"
    assert fit.time_suggestion(profile("hours=6"), 1) == "with a week instead of 6 hours, 1 more project fits"
    assert fit.wider_time(profile("time=5")) is None
    assert fit.skill_suggestion("http", 3).startswith("3 projects ask for http, which you did not list")


# The fast score and the written reasons agree --------------------------------------------------------

NAMES = ["ocaml", "http", "xen", "c++", "données"]
needs = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(list(SkillLevel)), st.booleans()),
                 max_size=4, unique_by=lambda need: need[0])
candidates = st.builds(project, stars=st.sampled_from([None, 1, 2, 3, 4, 5]),
                       time=st.sampled_from([None, 1, 2, 3, 4, 5]), skills=needs, mentors=st.integers(0, 2),
                       places=st.integers(0, 3), claimed=st.booleans(),
                       topics=st.sampled_from(["", "Profiling the DNS resolver", "http2 and données"]))
profiles = st.builds(
    lambda know, time, learn, first: Profile(know=dict(know), time=time, learn=tuple(learn), first=first),
    st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(list(SkillLevel))), max_size=3,
             unique_by=lambda pair: pair[0]),
    st.sampled_from([None, *TimeRating]), st.lists(st.sampled_from(["profiling", "dns", "http", "données"]),
                                                   max_size=2, unique=True), st.booleans())


@settings(max_examples=400, deadline=None)
@given(profiles, candidates)
def test_the_ranking_score_is_the_sum_of_the_reasons_the_page_shows(read, candidate):
    judged = fit.judge(read, candidate)
    assert fit.score(read, candidate) == (None if judged is None else judged.score)
    if judged is not None:
        ranked = fit.rank(read, [candidate])
        assert [reason.text for reason in ranked[0].reasons] == [reason.text for reason in judged.reasons]
