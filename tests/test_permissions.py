"""Every protected route × every kind of visitor: the status each one gets, and no one else's email."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from pioneer.database import db
from pioneer.models import Claim, Project, ProjectStatus, Role, User

from .factories import DEFAULT_PASSWORD, make_claim, make_intern, make_project, make_round, make_user

ACTORS = ("anonymous", "other", "owner", "reviewer", "coordinator", "admin")
ROLES = {"reviewer": Role.REVIEWER, "coordinator": Role.COORDINATOR, "admin": Role.ADMIN}
# A 302 to /login?next=<the path asked for>.
LOGIN = "login"
# A one-letter alias keeps the table below in columns.
L = LOGIN

# Hidden projects: the titles a 404 must not give away.
HIDDEN = {"draft-idea": "Draft idea", "proposed-idea": "Proposed idea", "archived-project": "Archived project"}
# Who mentors what; the edit forms below keep the mentors as they are.
MENTORS = {"draft-idea": "owner", "proposed-idea": "target", "open-project": "owner", "archived-project": "owner"}
NEW_PASSWORD = "quartz lantern migrates at dusk"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# Rows run in this order for one actor: GETs first, then POSTs, so a change (a claim, a sign-out)
# cannot alter a later row; the claim on the open project, the password and the sign-out come last.
MATRIX = [
    # method path                                    anonymous other owner reviewer coordinator admin
    ("GET", "/projects/draft-idea",                    (404, 404, 200, 200, 404, 200)),
    ("GET", "/projects/proposed-idea",                 (404, 404, 404, 200, 404, 200)),
    ("GET", "/projects/open-project",                  (200, 200, 200, 200, 200, 200)),
    ("GET", "/projects/archived-project",              (404, 404, 200, 200, 404, 200)),
    ("GET", "/projects/no-such-project",               (404, 404, 404, 404, 404, 404)),
    ("GET", "/projects/new",                           (L, 200, 200, 200, 200, 200)),
    ("GET", "/projects/draft-idea/edit",               (L, 404, 200, 200, 404, 403)),
    ("GET", "/projects/proposed-idea/edit",            (L, 404, 404, 200, 404, 403)),
    ("GET", "/projects/open-project/edit",             (L, 403, 200, 200, 403, 403)),
    ("GET", "/projects/archived-project/edit",         (L, 404, 200, 200, 404, 403)),
    ("GET", "/projects/no-such-project/edit",          (L, 404, 404, 404, 404, 404)),
    ("GET", "/projects/open-project/claim",            (L, 200, 200, 200, 200, 200)),
    ("GET", "/projects/draft-idea/claim",              (L, 404, 404, 404, 404, 404)),
    ("GET", "/projects/proposed-idea/claim",           (L, 404, 404, 404, 404, 404)),
    ("GET", "/projects/archived-project/claim",        (L, 404, 404, 404, 404, 404)),
    ("GET", "/projects/no-such-project/claim",         (L, 404, 404, 404, 404, 404)),
    ("GET", "/account",                                (L, 200, 200, 200, 200, 200)),
    ("GET", "/account/profile",                        (L, 200, 200, 200, 200, 200)),
    ("GET", "/account/password",                       (L, 200, 200, 200, 200, 200)),
    ("GET", "/admin/users",                            (L, 403, 403, 403, 403, 200)),
    ("GET", "/admin/users/target",                     (L, 403, 403, 403, 403, 200)),
    # Non-admins get 403 before the lookup, so they cannot probe which usernames exist.
    ("GET", "/admin/users/no-such-user",               (L, 403, 403, 403, 403, 404)),
    # The confirm page: a link must not sign anyone out.
    ("GET", "/logout",                                 (200, 200, 200, 200, 200, 200)),
    ("POST", "/projects/new",                          (L, 302, 302, 302, 302, 302)),
    ("POST", "/projects/draft-idea/edit",              (L, 404, 302, 302, 404, 403)),
    ("POST", "/projects/proposed-idea/edit",           (L, 404, 404, 302, 404, 403)),
    ("POST", "/projects/open-project/edit",            (L, 403, 302, 302, 403, 403)),
    ("POST", "/projects/archived-project/edit",        (L, 404, 302, 302, 404, 403)),
    ("POST", "/projects/no-such-project/edit",         (L, 404, 404, 404, 404, 404)),
    ("POST", "/projects/draft-idea/claim",             (L, 404, 404, 404, 404, 404)),
    ("POST", "/projects/proposed-idea/claim",          (L, 404, 404, 404, 404, 404)),
    ("POST", "/projects/archived-project/claim",       (L, 404, 404, 404, 404, 404)),
    ("POST", "/projects/no-such-project/claim",        (L, 404, 404, 404, 404, 404)),
    # A mentor cannot claim their own project: the form comes back with the reason (422).
    ("POST", "/projects/open-project/claim",           (L, 302, 422, 302, 302, 302)),
    ("POST", "/account/profile",                       (L, 302, 302, 302, 302, 302)),
    ("POST", "/account/password",                      (L, 302, 302, 302, 302, 302)),
    ("POST", "/admin/users/target",                    (L, 403, 403, 403, 403, 302)),
    # Signing out when no one is signed in changes nothing and goes home.
    ("POST", "/logout",                                (302, 302, 302, 302, 302, 302)),
]

# Words a response must carry, beyond its status.
EXPLANATIONS = {
    ("POST", "/projects/open-project/claim", "owner"): "You mentor this project, so you cannot claim it.",
}

PUBLIC_PAGES = ["/", "/projects", "/projects?q=project", "/projects/open-project", "/projects/busy-project",
                "/mentors", "/mentors/owner"]


@pytest.fixture
def world(app):
    """The six actors, an account to manage, and projects in every visibility; return the emails."""
    # The setup runs in its own app context, and requests run without one held open: a shared
    # context would share one database session (and g) between the test and every request.
    with app.app_context():
        users = {name: make_user(name.capitalize(), username=name, email=f"{name}-secret@example.org",
                                 roles=[ROLES[name]] if name in ROLES else [])
                 for name in ACTORS[1:] + ("target",)}
        owner, target = users["owner"], users["target"]
        make_project("Draft idea", status=ProjectStatus.DRAFT, mentors=[owner])
        make_project("Proposed idea", status=ProjectStatus.PROPOSED, mentors=[target])
        make_project("Open project", mentors=[owner])
        make_project("Archived project", status=ProjectStatus.ARCHIVED, mentors=[owner])
        # A public project with a claimant and an intern: the page names them, never their emails.
        busy = make_project("Busy project", status=ProjectStatus.IN_PROGRESS, mentors=[owner])
        make_claim(busy, target)
        make_intern(make_round(), busy, mentors=[owner], email="intern-secret@example.org")
        db.session.commit()
        return {name: user.email for name, user in users.items()}


def snapshot(app):
    """Read what a POST could change, fresh from the database."""
    with app.app_context():
        projects = {p.slug: (p.title, p.status, [m.username for m in p.mentors])
                    for p in db.session.execute(db.select(Project)).scalars()}
        users = {u.username: (u.name, u.email, u.password_hash, sorted(u.roles), u.is_active, u.session_version)
                 for u in db.session.execute(db.select(User)).scalars()}
        claims = [(c.project_id, c.user_id, c.ended_at) for c in db.session.execute(db.select(Claim)).scalars()]
        return projects, users, claims


def sign_in(app, auth, actor):
    """Sign the client in as actor (once per test: Argon2 is slow on purpose)."""
    if actor == "anonymous":
        return
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.username == actor)).scalar_one()
    auth.login(user)


def form_data(path, actor):
    """Data that would be valid for path, so only a permission can refuse it."""
    if path == "/projects/new" or path.endswith("/edit"):
        slug = path.split("/")[2]
        return {
            "title": f"Changed by {actor}", "summary": "A summary.", "description": "Some words.",
            "stars": "1", "time_rating": "1", "area": "networking", "action": "save",
            "mentors": MENTORS.get(slug, actor),
            "skills-0-name": "ocaml", "skills-0-level": "concepts", "skills-0-required": "required",
        }
    if path.endswith("/claim"):
        return {"action": "claim", "note": "I start today."}
    if path == "/account/profile":
        return {"name": f"{actor.capitalize()} Renamed", "email": f"{actor}-secret@example.org", "capacity": "2"}
    if path == "/account/password":
        return {"current_password": DEFAULT_PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    if path.startswith("/admin/users/"):
        return {"reviewer": "y", "is_active": "y"}
    return {}


def status_problem(response, expected, path):
    """Say how the response differs from the expected status, or None."""
    if expected == LOGIN:
        location = urlsplit(response.location or "")
        if response.status_code != 302 or location.path != "/login" or parse_qs(location.query).get("next") != [path]:
            return f"{response.status_code} {response.location!r}, expected 302 to /login?next={path}"
        return None
    if response.status_code != expected:
        return f"{response.status_code}, expected {expected}"
    return None


def foreign_emails(response, own_email):
    return sorted(set(EMAIL.findall(response.get_data(as_text=True))) - {own_email})


@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(app, client, auth, world, actor):
    """Walk every protected route as one actor: statuses, refused POSTs change nothing, no other emails."""
    column = ACTORS.index(actor)
    own_email = world.get(actor)
    sign_in(app, auth, actor)
    # Collect every wrong cell rather than stop at the first, so one run shows the whole hole.
    problems = []
    for method, path, statuses in MATRIX:
        expected = statuses[column]
        before = snapshot(app) if method == "POST" else None
        response = client.open(path, method=method, data=form_data(path, actor) if method == "POST" else None)
        cell = f"{method} {path} as {actor}"
        if problem := status_problem(response, expected, path):
            problems.append(f"{cell}: {problem}")
        # Admins see emails on the account pages they manage; that is what those pages are for.
        if not (actor == "admin" and path.startswith("/admin/")) and (emails := foreign_emails(response, own_email)):
            problems.append(f"{cell}: shows {emails}")
        if response.status_code == 404 and any(title in response.get_data(as_text=True) for title in HIDDEN.values()):
            problems.append(f"{cell}: the 404 names a hidden project")
        if (words := EXPLANATIONS.get((method, path, actor))) and words not in response.get_data(as_text=True):
            problems.append(f"{cell}: does not say {words!r}")
        if method == "POST":
            changed = snapshot(app) != before
            accepted = actor != "anonymous" and expected == 302
            if changed != accepted:
                problems.append(f"{cell}: {'changed' if changed else 'did not change'} the database")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("actor", ACTORS)
def test_public_pages_show_no_email_but_your_own(app, client, auth, world, actor):
    """Public pages answer everyone and show no email, except the signed-in person's own."""
    sign_in(app, auth, actor)
    for path in PUBLIC_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert foreign_emails(response, world.get(actor)) == [], path
