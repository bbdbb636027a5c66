"""Accounts: registration, sign-in and its throttle, sessions that end everywhere, safe redirects."""

import statistics
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from pioneer.database import db
from pioneer.models import LoginFailure, User

from .factories import DEFAULT_PASSWORD, make_user
from .test_server_processes import servers  # noqa: F401 (a fixture: two real server processes)

NEW_ACCOUNT = {
    "username": "ada", "email": "ada@example.org", "name": "Ada Newcomer",
    "password": "lovelace engine notes", "password_confirm": "lovelace engine notes",
}


def test_registering_signs_in_and_keeps_the_password_hashed(client, ctx):
    response = client.post("/register", data=NEW_ACCOUNT)
    assert response.status_code == 302 and response.headers["Location"] == "/register/sent"
    user = db.session.execute(db.select(User).filter_by(username="ada")).scalar_one()
    assert user.password_hash.startswith("$argon2id$") and "lovelace" not in user.password_hash
    page = client.get("/account").get_data(as_text=True)
    assert "Ada Newcomer" in page and "ada@example.org" in page


@pytest.mark.parametrize("changes, field_message", [
    ({"password": "short", "password_confirm": "short"}, "at least 8 characters"),
    ({"password": "password123", "password_confirm": "password123"}, "very common password"),
    ({"password": "qwertyuiop", "password_confirm": "qwertyuiop"}, "common password"),
    ({"password_confirm": "something else"}, "The two passwords differ"),
    ({"username": "Not OK!"}, "lowercase letters, digits or dashes"),
    ({"email": "not-an-email"}, "Invalid email address"),
])
def test_registration_refuses_with_a_reason_and_keeps_what_was_typed(client, ctx, changes, field_message):
    response = client.post("/register", data=NEW_ACCOUNT | changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_message in page
    assert 'value="Ada Newcomer"' in page
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 0


def test_long_passphrases_and_any_characters_are_welcome(client, ctx):
    passphrase = "ünïcode 🦀 パスワード " * 20
    response = client.post("/register", data=NEW_ACCOUNT | {"password": passphrase, "password_confirm": passphrase})
    assert response.status_code == 302
    client.post("/logout")
    assert client.post("/login", data={"login": "ada", "password": passphrase}).status_code == 302


def test_a_taken_username_is_refused_but_a_taken_email_is_not_revealed(client, ctx):
    # Usernames are public (/mentors/<username>); emails are private, so a taken one answers like a free one
    # (tests/test_password_reset.py follows the mail its owner gets instead).
    make_user(username="ada", email="other@example.org")
    make_user(username="someone", email="ada@example.org")
    db.session.commit()
    page = client.post("/register", data=NEW_ACCOUNT).get_data(as_text=True)
    assert "This username is taken" in page and "cannot be used" not in page and "already" not in page
    response = client.post("/register", data=NEW_ACCOUNT | {"username": "ada-two"})
    assert response.status_code == 302 and response.headers["Location"] == "/register/sent"
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 2


def test_sign_in_by_username_or_email_and_the_same_message_for_every_failure(client, ctx):
    user = make_user(username="grace", email="grace@example.org")
    db.session.commit()
    for login in ("grace", "GRACE@example.org"):
        assert client.post("/login", data={"login": login, "password": DEFAULT_PASSWORD}).status_code == 302
        client.post("/logout")
    wrong_password = client.post("/login", data={"login": "grace", "password": "not the password"})
    unknown = client.post("/login", data={"login": "nobody-here", "password": "not the password"})
    assert wrong_password.status_code == unknown.status_code == 422
    message = "That username or email and password do not match an account."
    assert message in wrong_password.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    user.is_active = False
    db.session.commit()
    # Told so, but only with the right password: a guess still gets the usual words.
    disabled = client.post("/login", data={"login": "grace", "password": DEFAULT_PASSWORD})
    assert disabled.status_code == 403 and "This account is disabled" in disabled.get_data(as_text=True)
    guess = client.post("/login", data={"login": "grace", "password": "not the password"})
    assert guess.status_code == 422 and "disabled" not in guess.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_ten_failures_answer_429_with_a_retry_time_even_for_the_right_password(client, app, ctx):
    make_user(username="target")
    db.session.commit()
    for _attempt in range(10):
        assert client.post("/login", data={"login": "target", "password": "guess"}).status_code == 422
    response = client.post("/login", data={"login": "target", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 300
    assert "Try again in 5 minutes" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_the_address_counter_catches_guesses_spread_over_many_accounts(client, ctx):
    make_user(username="victim")
    db.session.commit()
    for number in range(10):
        client.post("/login", data={"login": f"user-{number}", "password": "guess"})
    response = client.post("/login", data={"login": "victim", "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    other_address = client.post("/login", data={"login": "victim", "password": DEFAULT_PASSWORD},
                                environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_address.status_code == 302


def test_failures_older_than_the_window_stop_counting(client, app, ctx):
    make_user(username="patient")
    db.session.commit()
    app.config["LOGIN_FAILURE_WINDOW_SECONDS"] = 1
    for _attempt in range(10):
        client.post("/login", data={"login": "patient", "password": "guess"})
    for failure in db.session.execute(db.select(LoginFailure)).scalars():
        failure.created_at -= timedelta(seconds=5)
    db.session.commit()
    assert client.post("/login", data={"login": "patient", "password": DEFAULT_PASSWORD}).status_code == 302


def test_signing_out_ends_every_session_and_a_replayed_cookie_is_refused(app, ctx):
    make_user(username="hopper")
    db.session.commit()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        assert device.post("/login", data={"login": "hopper", "password": DEFAULT_PASSWORD}).status_code == 302
    copied_cookie = laptop.get_cookie("session").value
    assert laptop.post("/logout").status_code == 302
    assert phone.get("/account").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied_cookie)
    assert thief.get("/account").status_code == 302


def test_a_new_password_signs_out_other_devices_but_not_this_one(app, ctx):
    make_user(username="lamarr")
    db.session.commit()
    this, other = app.test_client(), app.test_client()
    for device in (this, other):
        device.post("/login", data={"login": "lamarr", "password": DEFAULT_PASSWORD})
    response = this.post("/account/password", data={
        "current_password": DEFAULT_PASSWORD, "password": "frequency hopping torpedo",
        "password_confirm": "frequency hopping torpedo",
    })
    assert response.status_code == 302
    assert this.get("/account").status_code == 200
    assert other.get("/account").status_code == 302
    assert app.test_client().post("/login", data={"login": "lamarr", "password": DEFAULT_PASSWORD}).status_code == 422


def test_a_wrong_current_password_changes_nothing(auth, client, ctx):
    user = make_user()
    db.session.commit()
    auth.login(user)
    before = user.password_hash
    response = client.post("/account/password", data={
        "current_password": "wrong one", "password": "frequency hopping torpedo",
        "password_confirm": "frequency hopping torpedo",
    })
    assert response.status_code == 422 and "not your current password" in response.get_data(as_text=True)
    db.session.refresh(user)
    assert user.password_hash == before


def test_disabling_an_account_ends_its_sessions(app, auth, client, ctx):
    admin = make_user(roles=["admin"])
    target = make_user(username="leaving")
    db.session.commit()
    victim_device = app.test_client()
    victim_device.post("/login", data={"login": "leaving", "password": DEFAULT_PASSWORD})
    assert victim_device.get("/account").status_code == 200
    auth.login(admin)
    assert client.post("/admin/users/leaving", data={}).status_code == 302
    assert victim_device.get("/account").status_code == 302
    db.session.refresh(target)
    assert not target.is_active


@pytest.mark.parametrize("target, expected", [
    ("/projects?stars=1", "/projects?stars=1"),
    ("https://evil.example/", "/account"),
    ("//evil.example/", "/account"),
    ("/\\evil.example", "/account"),
    ("javascript:alert(1)", "/account"),
    ("/%0d%0aSet-Cookie:x=1", "/%0d%0aSet-Cookie:x=1"),
])
def test_next_redirects_only_to_this_site(client, ctx, target, expected):
    make_user(username="redirected")
    db.session.commit()
    response = client.post("/login", data={"login": "redirected", "password": DEFAULT_PASSWORD, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == expected


def test_a_page_behind_sign_in_comes_back_after_signing_in(client, ctx):
    make_user(username="returning")
    db.session.commit()
    response = client.get("/projects/new")
    assert response.status_code == 302 and response.headers["Location"] == "/login?next=/projects/new"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/projects/new"' in page


def test_session_cookie_is_http_only_and_lax(client, ctx):
    make_user(username="cookie")
    db.session.commit()
    response = client.post("/login", data={"login": "cookie", "password": DEFAULT_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    from pioneer import create_app

    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"ENV": "production", "SECRET_KEY": "a-real-secret-key-of-enough-length-1234"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        db.engine.dispose()


def test_profile_edits_show_on_the_account_page_and_keep_the_email_private(auth, client, ctx):
    user = make_user(username="kay")
    db.session.commit()
    auth.login(user)
    response = client.post("/account/profile", data={
        "name": "Kay Mentor", "email": "kay.private@example.org", "bio": "I like **parsers**.",
        "links": "https://github.com/kay\nhttps://chat.example.org/@kay", "timezone": "Europe/Paris",
        "capacity": "3", "availability": "Tuesdays 14:00–16:00 UTC",
    })
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "<strong>parsers</strong>" in page and "Europe/Paris" in page and "3 at once" in page
    bad = client.post("/account/profile", data={"name": "Kay", "email": "kay@example.org", "timezone": "Mars/Olympus",
                                                "capacity": "-1", "links": "javascript:alert(1)"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Unknown time zone" in text and "not an http or https address" in text
    db.session.refresh(user)
    assert user.timezone == "Europe/Paris" and user.capacity == 3


def test_templates_hold_no_inline_script_or_style():
    import pathlib
    import re

    templates = pathlib.Path(__file__).parent.parent / "templates"
    for template in templates.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert not re.search(r"\son[a-z]+\s*=", text), template
        assert not re.search(r"\sstyle\s*=|<style", text), template


def test_a_profile_saves_without_links(auth, client, ctx):
    user = make_user(username="plain", links=["https://example.org/old"])
    db.session.commit()
    auth.login(user)
    response = client.post("/account/profile", data={"name": "Plain", "email": "plain@example.org", "capacity": "1"})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.links == []


def test_behind_a_proxy_the_throttle_counts_each_forwarded_client_apart(monkeypatch, tmp_path):
    from pioneer import create_app

    from .web_client import isolate_environment

    isolate_environment(monkeypatch, tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "proxy-test-secret-key-0123456789", "CSRF_ENABLED": False,
                      "SEARCH_STORAGE": "memory", "PROXY_COUNT": 1})
    with app.app_context():
        db.create_all()
        make_user(username="behind")
        db.session.commit()
        client = app.test_client()
        for number in range(10):
            client.post("/login", data={"login": f"nobody-{number}", "password": "guess"},
                        headers={"X-Forwarded-For": "198.51.100.1"})
        # The proxy's own address (127.0.0.1) is not what counts: another client still signs in.
        other = client.post("/login", data={"login": "behind", "password": DEFAULT_PASSWORD},
                            headers={"X-Forwarded-For": "198.51.100.2"})
        same = client.post("/login", data={"login": "behind", "password": DEFAULT_PASSWORD},
                           headers={"X-Forwarded-For": "198.51.100.1"})
        assert (other.status_code, same.status_code) == (302, 429)
        db.session.remove()
        db.engine.dispose()


def registration(number, password="lovelace engine notes"):
    return {"username": f"newcomer-{number}", "email": f"newcomer{number}@example.org", "name": f"Newcomer {number}",
            "password": password, "password_confirm": password}


def test_one_address_opens_five_accounts_an_hour_then_waits(app, ctx):
    for number in range(5):
        device = app.test_client()
        assert device.post("/register", data=registration(number)).status_code == 302
    refused = app.test_client().post("/register", data=registration(5))
    assert refused.status_code == 429
    assert 3500 < int(refused.headers["Retry-After"]) <= 3600
    assert "Too many accounts were opened from this network. Try again in 60 minutes." in refused.get_data(True)
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 5
    other_network = app.test_client().post("/register", data=registration(6),
                                           environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other_network.status_code == 302


def test_probing_which_usernames_are_taken_counts_against_the_address(app, client, ctx):
    make_user(username="taken-name")
    db.session.commit()
    for number in range(5):
        probe = client.post("/register", data=registration(number) | {"username": "taken-name"})
        assert probe.status_code == 422 and "This username is taken" in probe.get_data(as_text=True)
    # A form refused for another reason (a typo) does not count.
    assert client.post("/register", data=registration(9) | {"password_confirm": "typo"}).status_code == 429


def test_mistyped_registrations_do_not_count(client, ctx):
    for _attempt in range(6):
        assert client.post("/register", data=registration(1) | {"password_confirm": "typo"}).status_code == 422
    assert client.post("/register", data=registration(1)).status_code == 302


def test_behind_a_proxy_registrations_count_per_forwarded_client(monkeypatch, tmp_path):
    from pioneer import create_app

    from .web_client import isolate_environment

    isolate_environment(monkeypatch, tmp_path)
    app = create_app({"TESTING": True, "SECRET_KEY": "proxy-test-secret-key-0123456789", "CSRF_ENABLED": False,
                      "SEARCH_STORAGE": "memory", "PROXY_COUNT": 1, "REGISTRATION_LIMIT": 2})
    with app.app_context():
        db.create_all()
        statuses = [app.test_client().post("/register", data=registration(number),
                                           headers={"X-Forwarded-For": f"198.51.100.{1 + number // 3}"}).status_code
                    for number in range(6)]
        assert statuses == [302, 302, 429, 302, 302, 429]
        db.session.remove()
        db.engine.dispose()


def test_the_registration_limit_holds_across_two_server_processes(servers):  # noqa: F811 (the fixture)
    from .web_client import Browser

    first, second = servers
    statuses = []
    for number in range(6):
        url = servers[number % 2]
        status, _page, _headers = Browser().post_form(f"{url}/register", f"{url}/register", registration(number))
        statuses.append(status)
    assert statuses == [302] * 5 + [429]
    status, page, _headers = Browser().post_form(f"{first}/register", f"{second}/register", registration(7))
    assert status == 429 and "Too many accounts" in page


def test_an_accounts_username_and_email_share_one_sign_in_counter(client, ctx):
    make_user(username="twofaced", email="twofaced@example.org")
    db.session.commit()
    for attempt in range(10):
        login = "twofaced" if attempt % 2 else "TwoFaced@Example.org"
        assert client.post("/login", data={"login": login, "password": "guess"},
                           environ_base={"REMOTE_ADDR": f"192.0.2.{attempt}"}).status_code == 422
    for login in ("twofaced", "twofaced@example.org"):
        response = client.post("/login", data={"login": login, "password": DEFAULT_PASSWORD},
                               environ_base={"REMOTE_ADDR": "198.51.100.9"})
        assert response.status_code == 429


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_only_a_post_signs_out_get_and_head_only_ask(app, method, ctx):
    make_user(username="stays")
    db.session.commit()
    laptop, phone = app.test_client(), app.test_client()
    for device in (laptop, phone):
        assert device.post("/login", data={"login": "stays", "password": DEFAULT_PASSWORD}).status_code == 302
    response = laptop.open("/logout", method=method)
    assert response.status_code == 200
    if method == "GET":
        assert "Sign out everywhere" in response.get_data(as_text=True)
    assert laptop.get("/account").status_code == phone.get("/account").status_code == 200


def test_head_logout_without_a_token_signs_no_one_out_with_csrf_on(app, ctx):
    app.config["CSRF_ENABLED"] = True
    make_user(username="guarded")
    db.session.commit()
    device = app.test_client()
    page = device.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert device.post("/login", data={"login": "guarded", "password": DEFAULT_PASSWORD,
                                       "csrf_token": token}).status_code == 302
    assert device.head("/logout").status_code == 200
    assert device.post("/logout").status_code == 400
    assert device.get("/account").status_code == 200


def test_a_session_cookie_lasts_fourteen_days(client, ctx):
    make_user(username="fortnight")
    db.session.commit()
    before = datetime.now(UTC)
    cookie = client.post("/login", data={"login": "fortnight", "password": DEFAULT_PASSWORD}).headers["Set-Cookie"]
    parts = dict(part.strip().partition("=")[::2] for part in cookie.split(";"))
    expires = parsedate_to_datetime(parts["Expires"])
    assert timedelta(days=14) - timedelta(seconds=5) <= expires - before <= timedelta(days=14, seconds=5)
    if "Max-Age" in parts:
        assert int(parts["Max-Age"]) == 14 * 24 * 3600


def median_sign_in_seconds(client, logins_by_kind):
    """The median time of a failed sign-in for each kind of login, one try per login (each a different name).

    The kinds take turns, so a busy machine slows them all alike.
    """
    timings = {kind: [] for kind in logins_by_kind}
    for logins in zip(*logins_by_kind.values(), strict=True):
        for kind, login in zip(logins_by_kind, logins, strict=True):
            started = time.perf_counter()
            response = client.post("/login", data={"login": login, "password": "not the password"})
            timings[kind].append(time.perf_counter() - started)
            assert response.status_code == 422
    return {kind: statistics.median(values) for kind, values in timings.items()}


def test_a_sign_in_takes_as_long_for_an_unknown_or_disabled_account_as_for_an_existing_one(app, client, ctx):
    app.config["LOGIN_FAILURE_LIMIT"] = 1000
    tries = 7
    for number in range(tries):
        make_user(username=f"existing-{number}")
        make_user(username=f"disabled-{number}", is_active=False)
        make_user(username=f"profile-{number}", password=None)
    db.session.commit()
    # One sign-in first, so the process's one-off costs (the dummy hash, templates) count for no one.
    median_sign_in_seconds(client, {"warm-up": ["warm-up"]})
    medians = median_sign_in_seconds(client, {
        kind: [f"{prefix}-{number}" for number in range(tries)]
        for kind, prefix in (("existing", "existing"), ("unknown", "unknown"), ("disabled", "disabled"),
                             ("without a password", "profile"))
    })
    print("median sign-in:", ", ".join(f"{kind} {seconds * 1000:.0f} ms" for kind, seconds in medians.items()))
    for seconds in medians.values():
        assert 0.5 < seconds / medians["existing"] < 2, medians
