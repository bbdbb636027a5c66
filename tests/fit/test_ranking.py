"""The ranking suite: profiles over a corpus written for it (corpus.py), through /start as a person uses it.

For each profile: the projects that must come first (in that order), pairs that must come in that
order, and projects that must not appear at all.
"""

from dataclasses import dataclass, field

import pytest

from .conftest import ranked_slugs

NEVER_CLAIMABLE = ["taken-project", "proposed-project", "done-project", "archived-project"]


@dataclass
class Case:
    query: str
    first: list
    never: list = field(default_factory=list)
    before: list = field(default_factory=list)  # (earlier, later)


CASES = {
    "a newcomer who knows a little ocaml and has a week": Case(
        "know=ocaml:concepts&time=2&first=1",
        first=["ocaml-first-steps"],
        never=NEVER_CLAIMABLE + ["tls-handshake-fuzzing", "compiler-internship", "xen-console-cleanup",
                                 "js-dashboard", "donnees-pipeline", "profiling-tutorial"],
        before=[("ocaml-first-steps", "shared-project"), ("shared-project", "http-router-tests"),
                ("unrated-ocaml", "http-router-tests")],
    ),
    "someone at ease with ocaml and tls, with a season": Case(
        "know=ocaml:comfortable&know=tls:comfortable&time=4",
        first=["tls-handshake-fuzzing"],
        never=NEVER_CLAIMABLE + ["js-dashboard", "donnees-pipeline", "xen-console-cleanup"],
        # One level short on ocaml and longer than a season: shown, but last.
        before=[("tls-handshake-fuzzing", "http-router-tests"), ("http-router-tests", "compiler-internship")],
    ),
    "only a day, nothing else said": Case(
        "time=1",
        first=["ocaml-first-steps"],
        never=NEVER_CLAIMABLE + ["tls-handshake-fuzzing", "xen-console-cleanup", "js-dashboard",
                                 "compiler-internship", "issue-triage"],
        # A week is known to be too long; a project whose time nobody rated might still fit.
        before=[("ocaml-first-steps", "unrated-ocaml"), ("unrated-ocaml", "http-router-tests")],
    ),
    "wants to learn profiling": Case(
        "learn=profiling",
        first=["profiling-tutorial"],
        never=NEVER_CLAIMABLE,
    ),
    "a first contribution, nothing else said": Case(
        "first=1",
        first=["ocaml-first-steps", "issue-triage"],
        never=NEVER_CLAIMABLE,
        before=[("profiling-tutorial", "xen-console-cleanup"), ("shared-project", "tls-handshake-fuzzing"),
                ("js-dashboard", "compiler-internship")],
    ),
    "a xen and C hacker with a few weeks": Case(
        "know=xen:comfortable&know=c:comfortable&know=ocaml:some&time=3",
        first=["xen-console-cleanup"],
        never=NEVER_CLAIMABLE + ["compiler-internship", "js-dashboard", "cpp-bindings"],
        before=[("xen-console-cleanup", "ocaml-first-steps")],
    ),
    "thirty hours, said in hours": Case(
        "know=ocaml:some&hours=30",
        first=["ocaml-first-steps"],
        never=NEVER_CLAIMABLE + ["tls-handshake-fuzzing", "compiler-internship", "xen-console-cleanup"],
        before=[("ocaml-first-steps", "http-router-tests"), ("shared-project", "issue-triage")],
    ),
    "too low a level weighs most": Case(
        "know=ocaml:concepts&time=5",
        first=["ocaml-first-steps"],
        never=NEVER_CLAIMABLE + ["js-dashboard", "donnees-pipeline"],
        before=[("unrated-ocaml", "compiler-internship"), ("http-router-tests", "compiler-internship"),
                ("http-router-tests", "tls-handshake-fuzzing")],
    ),
    "a skill written in capitals and accents": Case(
        "know=Donn%C3%A9es:some&time=2",
        first=["donnees-pipeline"],
        never=NEVER_CLAIMABLE + ["ocaml-first-steps", "http-router-tests", "cpp-bindings"],
    ),
    "a skill with punctuation": Case(
        "know=c%2B%2B:comfortable&time=3",
        first=["cpp-bindings"],
        never=NEVER_CLAIMABLE + ["ocaml-first-steps", "xen-console-cleanup"],
    ),
    "a mentor with places left counts for it": Case(
        "know=dns:concepts&time=2",
        first=["dns-twin-with-places", "dns-twin-mentor-full"],
        never=NEVER_CLAIMABLE + ["ocaml-first-steps", "http-router-tests"],
    ),
    "first contribution at ease with ocaml and all the time": Case(
        "know=ocaml:challenge&time=5&first=1",
        first=["ocaml-first-steps"],
        never=NEVER_CLAIMABLE + ["js-dashboard", "donnees-pipeline", "xen-console-cleanup"],
        before=[("ocaml-first-steps", "compiler-internship"), ("shared-project", "compiler-internship"),
                ("http-router-tests", "tls-handshake-fuzzing")],
    ),
    "narrowed to one area beside the results": Case(
        "know=ocaml:some&time=4&area=security",
        first=["tls-handshake-fuzzing"],
        never=NEVER_CLAIMABLE + ["ocaml-first-steps", "http-router-tests", "unrated-ocaml"],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_each_profile_sees_the_right_projects_first_and_never_the_wrong_ones(corpus, client, name):
    case = CASES[name]
    response = client.get(f"/start?{case.query}")
    assert response.status_code == 200
    slugs = ranked_slugs(response.get_data(as_text=True))
    assert slugs[:len(case.first)] == case.first, slugs
    assert not set(case.never) & set(slugs), slugs
    for earlier, later in case.before:
        assert earlier in slugs and later in slugs, (earlier, later, slugs)
        assert slugs.index(earlier) < slugs.index(later), (earlier, later, slugs)


def test_the_suite_covers_at_least_ten_profiles():
    assert len(CASES) >= 10
