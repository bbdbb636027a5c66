"""CSRF switched on: every state-changing request without this session's token answers 400 and changes nothing."""

import re

import pytest

from pioneer.database import db
from pioneer.models import Role

from .factories import DEFAULT_PASSWORD, make_project, make_user


@pytest.fixture
def csrf_app(app):
    app.config["CSRF_ENABLED"] = True
    return app


def token_from(page):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def sign_in(client):
    token = token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"login": "owner", "password": DEFAULT_PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return token_from(client.get("/account").get_data(as_text=True))


def snapshot():
    """Every row of every table, so any change at all shows."""
    return {
        table.name: sorted(map(repr, db.session.execute(table.select()).all()))
        for table in db.metadata.sorted_tables
    }


def post_routes(app, slug, username):
    """Every route that accepts POST, with its placeholders filled in."""
    rules = [rule for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and not getattr(app.view_functions[rule.endpoint], "csrf_exempt", False)]
    assert len(rules) >= 9, "a POST route is missing from the app"
    values = {"slug": slug, "username": username, "call_id": "1", "intern_id": "1", "invitation_id": "1",
              "token": "a-token", "search_id": "1"}
    return [re.sub(r"<(?:\w+:)?(\w+)>", lambda match: values[match.group(1)], rule.rule) for rule in rules]


def test_every_post_without_a_valid_token_is_refused_and_changes_nothing(csrf_app, client, ctx):
    owner = make_user(username="owner", roles=[Role.ADMIN, Role.REVIEWER])
    make_project("Guarded project", mentors=[owner])
    make_user(username="other")
    db.session.commit()
    good_token = sign_in(client)
    before = snapshot()
    forged = {
        "title": "Changed by a forged form", "summary": "x", "name": "Forged", "email": "forged@example.org",
        "password": "forged password 123", "password_confirm": "forged password 123",
        "current_password": DEFAULT_PASSWORD,
        "action": "draft", "login": "owner", "username": "forged", "note": "forged", "admin": "y", "reviewer": "y",
        "capacity": "9",
    }
    routes = post_routes(csrf_app, "guarded-project", "other")
    for path in routes:
        for token in (None, "", "##0123", good_token[:-1] + ("0" if good_token[-1] != "0" else "1")):
            data = forged | ({} if token is None else {"csrf_token": token})
            response = client.post(path, data=data)
            assert response.status_code == 400, (path, token, response.status_code)
            assert "not sent from a page of this site" in response.get_data(as_text=True)
    db.session.expire_all()
    assert snapshot() == before
    # Still signed in: a refused forgery did not sign the person out either.
    assert client.get("/account").status_code == 200


def test_a_token_from_another_session_is_refused(csrf_app, ctx):
    make_user(username="owner")
    db.session.commit()
    attacker, victim = csrf_app.test_client(), csrf_app.test_client()
    attacker_token = token_from(attacker.get("/login").get_data(as_text=True))
    sign_in(victim)
    response = victim.post("/logout", data={"csrf_token": attacker_token})
    assert response.status_code == 400
    assert victim.get("/account").status_code == 200


def test_the_token_from_the_page_works(csrf_app, client, ctx):
    make_user(username="owner")
    db.session.commit()
    token = sign_in(client)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/account").status_code == 302


def test_a_fresh_visitor_without_a_session_gets_400_not_an_error(csrf_app, client, ctx):
    response = client.post("/login", data={"login": "x", "password": "y", "csrf_token": "##abc"})
    assert response.status_code == 400


def test_only_the_unsubscribe_link_takes_posts_without_a_token(csrf_app):
    """A view without the CSRF check must carry its own signed token (tests/fit/test_alerts.py proves it)."""
    exempt = sorted(rule.rule for rule in csrf_app.url_map.iter_rules()
                    if getattr(csrf_app.view_functions[rule.endpoint], "csrf_exempt", False))
    assert exempt == ["/alerts/unsubscribe/<token>"]
