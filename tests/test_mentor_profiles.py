"""Mentors an import names: profiles without a login that keep a web address, never an email, and that an
admin merges into the account of the same person."""

import pytest

from pioneer.database import db
from pioneer.models import Project, ReviewAction, Role, User

from .factories import make_intern, make_round, make_user
from .test_catalogue import listed_slugs

PAGE = """# Ideas

## Networking

### Packet tracer for Zürich's mesh

Trace packets on the mesh.

- Difficulty: easy
- Mentors: [Ann Lee](https://gitlab.example/annlee), [Bo Chen](mailto:bo.chen@private.example)

### Faster checksums

Make checksums faster.

- Difficulty: hard
- Mentors: [Ann Lee](https://gitlab.example/annlee)
"""


@pytest.fixture
def imported(runner, ctx, tmp_path):
    page = tmp_path / "ideas.md"
    page.write_text(PAGE, encoding="utf-8")
    result = runner.invoke(args=["import", str(page)])
    assert result.exit_code == 0, result.output
    return {user.name: user for user in db.session.execute(db.select(User)).scalars()}


def test_a_profile_keeps_the_address_the_page_gave_and_shows_it(client, imported):
    ann = imported["Ann Lee"]
    assert ann.links == ["https://gitlab.example/annlee"] and ann.email is None and ann.password_hash is None
    page = client.get(f"/mentors/{ann.username}").get_data(as_text=True)
    assert 'href="https://gitlab.example/annlee"' in page


def test_an_email_on_the_page_is_never_kept_nor_shown(client, imported):
    bo = imported["Bo Chen"]
    assert bo.email is None and bo.links == []
    for path in ("/projects/packet-tracer-for-zurich-s-mesh", f"/mentors/{bo.username}", "/mentors", "/projects"):
        assert "private.example" not in client.get(path).get_data(as_text=True), path


def merge(client, auth, profile, account_name):
    admin = make_user("Admin", username="admin", roles=[Role.ADMIN])
    db.session.commit()
    auth.login(admin)
    return client.post(f"/admin/users/{profile.username}/merge", data={"account": account_name})


def test_an_admin_merges_a_profile_into_the_account_of_the_same_person(client, auth, imported):
    ann = imported["Ann Lee"]
    account = make_user("Ann Lee-Park", username="annlp")
    shared = db.session.execute(db.select(Project).where(Project.slug == "faster-checksums")).scalar_one()
    shared.mentors.append(account)  # she already co-mentors one of them under her account
    intern = make_intern(make_round(), shared, mentors=[ann])
    db.session.commit()
    profile_id = ann.id

    response = merge(client, auth, ann, "@AnnLP")
    assert response.status_code == 302 and response.location.endswith("/admin/users/annlp")
    db.session.expire_all()
    assert db.session.get(User, profile_id) is None
    for slug in ("packet-tracer-for-zurich-s-mesh", "faster-checksums"):
        project = db.session.execute(db.select(Project).where(Project.slug == slug)).scalar_one()
        assert [m.username for m in project.mentors].count("annlp") == 1
        assert profile_id not in [m.id for m in project.mentors]
        assert project.review_events[-1].action is ReviewAction.MERGE_MENTOR
        assert "@annlp" in project.review_events[-1].comment
    assert [m.username for m in db.session.get(type(intern), intern.id).mentors] == ["annlp"]
    # Search follows: the account's name finds both projects, the profile's old username none.
    assert sorted(listed_slugs(client.get("/projects", query_string={"q": "annlp"}))) == [
        "faster-checksums", "packet-tracer-for-zurich-s-mesh"]
    assert client.get(f"/mentors/{ann.username}").status_code == 404


def test_only_a_profile_without_a_login_is_merged_and_only_into_an_account(client, auth, imported):
    ann, bo = imported["Ann Lee"], imported["Bo Chen"]
    grace = make_user("Grace Hopper", username="grace")
    db.session.commit()
    # Into another profile without a login: refused, with the reason, and nothing changes.
    response = merge(client, auth, ann, bo.username)
    assert response.status_code == 422
    assert "has no login either" in response.get_data(as_text=True)
    # An account that can sign in offers no merge at all, and a forged post is refused.
    assert "Merge into an account" not in client.get("/admin/users/grace").get_data(as_text=True)
    response = client.post("/admin/users/grace/merge", data={"account": "admin"})
    assert response.status_code == 422 and "only profiles without a login" in response.get_data(as_text=True)
    # A typo: said plainly, and what was typed is kept.
    response = client.post(f"/admin/users/{ann.username}/merge", data={"account": "no-such-person"})
    assert response.status_code == 422
    assert "No account is called" in response.get_data(as_text=True)
    assert 'value="no-such-person"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, ann.id) is not None and db.session.get(User, grace.id) is not None


@pytest.mark.parametrize("role", [None, Role.REVIEWER, Role.COORDINATOR])
def test_only_admins_merge(client, auth, imported, role):
    ann = imported["Ann Lee"]
    someone = make_user("Someone", username="someone", roles=[role] if role else [])
    db.session.commit()
    auth.login(someone)
    assert client.post(f"/admin/users/{ann.username}/merge", data={"account": "someone"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, ann.id) is not None
