"""Throttles: sign-in failures per account and per client address, accounts opened per address.

Here a counter holds three failures a minute, and the clock only moves when a test moves it.
"""

from datetime import UTC, datetime, timedelta

import pytest

from pioneer.accounts import throttle
from pioneer.database import db
from pioneer.domain.people import find_user
from pioneer.models import LoginFailure

from .factories import make_user

LIMIT, WINDOW = 3, 60


class Clock:
    """A clock the test moves by hand; it starts far from the real time on purpose."""

    def __init__(self):
        self.now = datetime(2021, 6, 1, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(app, ctx, monkeypatch):
    app.config["LOGIN_FAILURE_LIMIT"] = LIMIT
    app.config["LOGIN_FAILURE_WINDOW_SECONDS"] = WINDOW
    clock = Clock()
    monkeypatch.setattr(throttle, "utcnow", clock)
    return clock


def fail(keys, clock, times=1, every=0):
    """Record `times` failed sign-ins, `every` seconds apart (the clock ends on the last one)."""
    for number in range(times):
        if number:
            clock.advance(every)
        throttle.record_failure(keys)
    db.session.commit()


def stored_failures():
    return db.session.execute(db.select(LoginFailure.key, LoginFailure.created_at)
                              .order_by(LoginFailure.created_at)).all()


def test_a_counter_blocks_at_the_limit_until_its_oldest_failure_leaves_the_window(clock):
    keys = throttle.keys_for("ada", "192.0.2.1")
    fail(keys, clock, times=LIMIT - 1, every=10)
    assert throttle.retry_after(keys) == 0
    clock.advance(10)
    fail(keys, clock)
    # Failures at 0 s, 10 s and 20 s: the one at 0 s leaves the window at 60 s.
    assert throttle.retry_after(keys) == 40
    clock.advance(39)
    assert throttle.retry_after(keys) == 1
    clock.advance(1)
    assert throttle.retry_after(keys) == 0


def test_only_the_last_failures_up_to_the_limit_set_the_wait(clock):
    keys = throttle.keys_for("ada", "192.0.2.1")
    fail(keys, clock, times=6, every=10)
    # Failures at 0, 10 ... 50 s, now 50 s: the third most recent (30 s) leaves the window at 90 s.
    assert throttle.retry_after(keys) == 40


def test_a_wait_in_part_seconds_is_rounded_up(clock):
    keys = throttle.keys_for("ada", "192.0.2.1")
    fail(keys, clock, times=LIMIT)
    clock.advance(20.25)
    assert throttle.retry_after(keys) == 40


def test_the_longest_wait_of_the_full_counters_applies(clock):
    account, address = throttle.keys_for("ada", "192.0.2.1")
    fail([address], clock, times=LIMIT)
    clock.advance(30)
    fail([account], clock, times=LIMIT)
    assert throttle.retry_after([account]) == 60 and throttle.retry_after([address]) == 30
    assert throttle.retry_after([account, address]) == throttle.retry_after([address, account]) == 60


def test_failures_are_stamped_with_the_time_of_the_attempt(clock):
    keys = throttle.keys_for("ada", "192.0.2.1")
    fail(keys, clock)
    assert stored_failures() == [("login:ada", clock.now), ("address:192.0.2.1", clock.now)]


def test_failures_a_window_old_are_deleted_when_the_next_one_is_recorded(clock):
    old, recent = throttle.keys_for("old", "192.0.2.1"), throttle.keys_for("recent", "192.0.2.2")
    fail(old, clock)
    clock.advance(1)
    fail(recent, clock)
    clock.advance(WINDOW - 1)
    # The first failures are exactly a window old: they no longer count, and are forgotten.
    assert throttle.retry_after(old) == 0
    fail(throttle.keys_for("new", "192.0.2.3"), clock)
    assert [key for key, _when in stored_failures()] == [
        "login:recent", "address:192.0.2.2", "login:new", "address:192.0.2.3",
    ]


def test_signing_in_clears_the_account_counter_but_not_the_address_or_other_accounts(clock):
    ada_user, bob_user = make_user(username="ada"), make_user(username="bob")
    db.session.commit()
    ada, bob = throttle.keys_for("ada", "192.0.2.1", ada_user), throttle.keys_for("bob", "192.0.2.9", bob_user)
    fail(ada, clock, times=LIMIT)
    fail(bob, clock, times=LIMIT)
    throttle.forget_account_failures(ada_user)
    db.session.commit()
    assert throttle.retry_after([ada[0]]) == 0
    assert throttle.retry_after([ada[1]]) == WINDOW
    assert throttle.retry_after(bob) == WINDOW
    assert len(stored_failures()) == 3 * LIMIT


def test_a_login_counts_the_same_whatever_its_case_and_surrounding_spaces(clock):
    fail(throttle.keys_for("  Ada@Example.ORG ", "192.0.2.1"), clock, times=LIMIT)
    assert throttle.retry_after(throttle.keys_for("ada@example.org", "198.51.100.1")) == WINDOW


def test_logins_that_differ_only_once_upper_cased_are_different_accounts(clock):
    # "ß" upper-cases to "SS": lower-casing keeps straße and strasse apart.
    fail(throttle.keys_for("strasse@example.de", "192.0.2.1"), clock, times=LIMIT)
    assert throttle.retry_after(throttle.keys_for("straße@example.de", "198.51.100.1")) == 0
    assert throttle.retry_after(throttle.keys_for("STRASSE@example.de", "198.51.100.1")) == WINDOW


def test_a_very_long_login_counts_under_its_first_250_characters(clock):
    keys = throttle.keys_for("a" * 250 + "first", "192.0.2.1")
    assert len(keys[0]) <= LoginFailure.key.type.length
    fail(keys, clock, times=LIMIT)
    assert throttle.retry_after(throttle.keys_for("a" * 250 + "second", "198.51.100.1")) == WINDOW
    assert throttle.retry_after(throttle.keys_for("a" * 249 + "third", "198.51.100.1")) == 0


def test_clients_without_a_known_address_share_one_counter(clock):
    fail(throttle.keys_for("ada", None), clock, times=LIMIT)
    assert throttle.retry_after(throttle.keys_for("bob", "")) == WINDOW
    assert throttle.retry_after(throttle.keys_for("bob", "192.0.2.1")) == 0


def test_an_accounts_username_and_email_share_one_counter(clock):
    make_user(username="ada", email="ada@example.org")
    db.session.commit()

    def keys(login, address):
        return throttle.keys_for(login, address, find_user(login))

    # Guesses spread over the two ways of naming one account, from two networks.
    fail(keys("ada", "192.0.2.1"), clock, times=LIMIT - 1)
    assert throttle.retry_after(keys(" ADA@example.org ", "198.51.100.1")) == 0
    fail(keys(" ADA@example.org ", "198.51.100.1"), clock)
    for login in ("ada", "ada@example.org", "Ada"):
        assert throttle.retry_after(keys(login, "203.0.113.5")) == WINDOW


def test_unknown_logins_count_under_their_own_text_apart_from_accounts(clock):
    user = make_user(username="ada", email="ada@example.org")
    db.session.commit()
    fail(throttle.keys_for("ada-typo", "192.0.2.1"), clock, times=LIMIT)
    assert throttle.retry_after(throttle.keys_for("Ada-Typo", "198.51.100.1")) == WINDOW
    assert throttle.retry_after(throttle.keys_for("ada", "198.51.100.1", user)) == 0


def test_a_client_address_opens_a_limited_number_of_accounts_per_window(clock, app):
    app.config.update(REGISTRATION_LIMIT=2, REGISTRATION_WINDOW_SECONDS=600)
    keys = throttle.registration_keys("192.0.2.1")
    fail(keys, clock, times=2, every=100)
    assert throttle.retry_after(keys) == 500
    assert throttle.retry_after(throttle.registration_keys("192.0.2.2")) == 0
    # Sign-in failures keep their own, shorter window: registrations are not forgotten with them.
    clock.advance(WINDOW + 1)
    fail(throttle.keys_for("ada", "192.0.2.1"), clock)
    assert throttle.retry_after(keys) == 500 - WINDOW - 1
    assert [key for key, _when in stored_failures()] == ["register:192.0.2.1"] * 2 + ["login:ada", "address:192.0.2.1"]
