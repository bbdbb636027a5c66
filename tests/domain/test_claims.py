"""pioneer/domain/claims.py, called directly: which projects are open to claims, what the claim button offers
each visitor, who may claim, when ending a claim releases the project, and which claims have expired.

tests/test_claims.py holds the HTTP side and a first set of direct calls; these cover the other cases."""

from datetime import timedelta

import pytest

from pioneer.database import db
from pioneer.domain import claims
from pioneer.models import ClaimEnd, ProjectStatus, ReviewAction, utcnow
from tests.factories import make_claim, make_user

Status, Action = ProjectStatus, ReviewAction






def claimed(project, user):
    """A claim already made and committed, as a page would leave it."""
    claim = claims.make_claim(project, user)
    db.session.commit()
    return claim


# open_to_claims

@pytest.mark.parametrize("several", [False, True])
@pytest.mark.parametrize("status", list(Status))
def test_only_an_available_project_or_one_in_progress_open_to_several_is_open(people, status, several, project_in):
    project = project_in(status, allow_multiple_claims=several)
    expected = status is Status.AVAILABLE or (status is Status.IN_PROGRESS and several)
    assert claims.open_to_claims(project) is expected


# claim_state

def test_the_claimant_sees_mine_even_when_the_project_is_no_longer_open(people, project_in):
    project = project_in(Status.AVAILABLE)
    claimed(project, people["newcomer"])
    assert not claims.open_to_claims(project)
    assert claims.claim_state(project, people["newcomer"]) == "mine"
    assert claims.claim_state(project, people["other"]) is None


def test_a_mentor_is_offered_nothing_on_their_own_project(people, project_in):
    assert claims.claim_state(project_in(Status.AVAILABLE), people["mentor"]) is None
    several = project_in(Status.IN_PROGRESS, allow_multiple_claims=True)
    assert claims.claim_state(several, people["mentor"]) is None


@pytest.mark.parametrize("status", [Status.DRAFT, Status.PROPOSED, Status.DONE, Status.ARCHIVED, Status.IN_PROGRESS])
def test_a_project_not_open_offers_nothing_to_a_newcomer_or_a_visitor(people, status, project_in):
    project = project_in(status)
    assert claims.claim_state(project, people["newcomer"]) is None
    assert claims.claim_state(project, None) is None


def test_an_open_project_offers_a_claim_to_a_newcomer_and_to_an_anonymous_visitor(people, project_in):
    project = project_in(Status.AVAILABLE)
    assert claims.claim_state(project, people["newcomer"]) == "open"
    assert claims.claim_state(project, None) == "open"


def test_a_project_open_to_several_is_mine_for_its_claimant_and_open_for_the_others(people, project_in):
    project = project_in(Status.IN_PROGRESS, allow_multiple_claims=True)
    claimed(project, people["newcomer"])
    assert claims.claim_state(project, people["newcomer"]) == "mine"
    assert claims.claim_state(project, people["other"]) == "open"
    assert claims.claim_state(project, None) == "open"


# make_claim

def test_claiming_an_available_project_records_the_start_from_available_to_in_progress(people, project_in):
    project = project_in(Status.AVAILABLE)
    claim = claimed(project, people["newcomer"])
    assert project.status is Status.IN_PROGRESS and project.active_claims == [claim]
    assert claim.user is people["newcomer"] and claim.project is project
    assert [(event.action, event.from_status, event.to_status) for event in project.review_events] == [
        (Action.START, Status.AVAILABLE, Status.IN_PROGRESS)]


def test_a_second_person_is_refused_a_single_claim_project_and_nothing_changes(people, project_in):
    project = project_in(Status.AVAILABLE)
    first = claimed(project, people["newcomer"])
    with pytest.raises(claims.ClaimError, match="Someone already works on this project"):
        claims.make_claim(project, people["other"])
    db.session.flush()
    assert project.status is Status.IN_PROGRESS and project.active_claims == [first]
    assert len(project.review_events) == 1


def test_a_project_open_to_several_takes_a_second_claim_without_a_second_start(people, project_in):
    project = project_in(Status.AVAILABLE, allow_multiple_claims=True)
    first = claimed(project, people["newcomer"])
    second = claimed(project, people["other"])
    assert project.status is Status.IN_PROGRESS
    assert {claim.user.name for claim in project.active_claims} == {"Nia Newcomer", "Otto Other"}
    assert first.is_active and second.is_active
    assert [event.action for event in project.review_events] == [Action.START]


def test_a_mentor_is_refused_even_on_a_project_open_to_several(people, project_in):
    project = project_in(Status.IN_PROGRESS, allow_multiple_claims=True)
    with pytest.raises(claims.ClaimError, match="You mentor this project"):
        claims.make_claim(project, people["mentor"])
    db.session.flush()
    assert project.active_claims == [] and project.review_events == []


def test_the_same_person_is_refused_a_second_claim_even_on_a_project_open_to_several(people, project_in):
    project = project_in(Status.IN_PROGRESS, allow_multiple_claims=True)
    first = claimed(project, people["newcomer"])
    with pytest.raises(claims.ClaimError, match="You already work on this project"):
        claims.make_claim(project, people["newcomer"], note="again")
    db.session.flush()
    assert project.active_claims == [first] and first.note == ""


def test_someone_whose_claim_ended_may_claim_again(people, project_in):
    project = project_in(Status.AVAILABLE)
    old = claimed(project, people["newcomer"])
    claims.end_claim(old, ClaimEnd.RELEASED, people["newcomer"])
    db.session.commit()
    again = claimed(project, people["newcomer"])
    assert again is not old and project.active_claims == [again]
    assert project.status is Status.IN_PROGRESS
    assert [event.action for event in project.review_events] == [Action.START, Action.RELEASE, Action.START]


# end_claim

def test_the_project_is_released_only_when_the_last_worker_leaves(people, project_in):
    project = project_in(Status.AVAILABLE, allow_multiple_claims=True)
    first, second = claimed(project, people["newcomer"]), claimed(project, people["other"])
    claims.end_claim(first, ClaimEnd.EXPIRED, None)
    assert first.end_reason is ClaimEnd.EXPIRED and first.ended_at is not None
    assert project.status is Status.IN_PROGRESS and project.active_claims == [second]
    assert [event.action for event in project.review_events] == [Action.START]
    claims.end_claim(second, ClaimEnd.EXPIRED, None)
    assert project.status is Status.AVAILABLE and project.active_claims == []
    release = project.review_events[-1]
    assert (release.action, release.from_status, release.to_status) == (
        Action.RELEASE, Status.IN_PROGRESS, Status.AVAILABLE)
    # The expiry command has no user: the entry has no actor and says why.
    assert (release.actor, release.comment) == (None, "claim expired")


# expired_claims

def test_expired_claims_are_the_active_ones_older_than_the_limit_across_projects_oldest_first(people, project_in):
    now = utcnow()
    one = project_in(Status.IN_PROGRESS, allow_multiple_claims=True)
    two = project_in(Status.IN_PROGRESS)

    def claim_on(project, name, days):
        return make_claim(project, make_user(name), updated_at=now - timedelta(days=days, hours=1))

    week_old = claim_on(one, "Week Old", 7)
    month_old = claim_on(two, "Month Old", 30)
    fresh = claim_on(one, "Fresh", 0)
    year_old = claim_on(one, "Year Old", 365)
    ended = claim_on(two, "Ended Long Ago", 400)
    ended.end(ClaimEnd.RELEASED)
    db.session.commit()
    assert claims.expired_claims(30, now=now) == [year_old, month_old]
    assert claims.expired_claims(7, now=now) == [year_old, month_old, week_old]
    assert claims.expired_claims(0, now=now) == [year_old, month_old, week_old, fresh]
    assert claims.expired_claims(365, now=now) == [year_old]
    assert claims.expired_claims(366, now=now) == []


def test_a_claim_just_made_is_the_claimants_before_anything_is_flushed(people, project_in):
    project = project_in(Status.AVAILABLE)
    with db.session.no_autoflush:
        claim = claims.make_claim(project, people["newcomer"])
        assert claim.user_id is None  # not flushed yet: the ids are not set
        assert claims.active_claim(project, people["newcomer"]) is claim
        assert claims.active_claim(project, people["other"]) is None
        assert claims.claim_state(project, people["newcomer"]) == "mine"
