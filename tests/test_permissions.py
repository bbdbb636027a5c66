"""Every protected route × every kind of visitor: the status each one gets, and no one else's email."""

import html
import re
from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.exceptions import HTTPException

from pioneer.database import db
from pioneer.models import (
    AlertFrequency,
    Call,
    CallForProjects,
    CallRepeat,
    Invitation,
    MentorInvitation,
    ProjectStatus,
    Role,
    SavedSearch,
    SearchKind,
    User,
    utcnow,
)

from .factories import DEFAULT_PASSWORD, make_claim, make_intern, make_project, make_round, make_user

ACTORS = ("anonymous", "other", "owner", "reviewer", "coordinator", "admin")
ROLES = {"reviewer": Role.REVIEWER, "coordinator": Role.COORDINATOR, "admin": Role.ADMIN}
# A 302 to /login?next=<the path asked for>.
LOGIN = "login"
# Paths of open data (the API, feeds, the embed, downloads): they show public projects only, to everyone.
OPEN_DATA = ("/api", "/feeds/", "/embed/", "/downloads/")
# A one-letter alias keeps the table below in columns.
L = LOGIN

# Hidden projects: the titles a 404 must not give away.
HIDDEN = {"draft-idea": "Draft idea", "proposed-idea": "Proposed idea", "archived-project": "Archived project"}
# Who mentors what; the edit forms below keep the mentors as they are.
MENTORS = {"draft-idea": "owner", "proposed-idea": "target", "open-project": "owner", "archived-project": "owner"}
NEW_PASSWORD = "quartz lantern migrates at dusk"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# An iCalendar event's UID ("call-1@<site host>") has an address's shape but names no one.
CALENDAR_UID = re.compile(r"^UID:call-\d+@[\w.-]+\r?$", re.MULTILINE)

# People with no account among the actors: their emails are as private as any user's.
# Intern 1 is mentored by the owner, intern 2 by target; the invitee is invited to call 1 by email only.
INTERN_1 = "intern-secret@example.org"
INTERN_2 = "second-intern-secret@example.org"
INVITEE = "invitee-secret@example.org"
ROUND = "/rounds/round-one"
# Call 1 started long ago and repeats weekly for years: attendance can be recorded, and it is upcoming.
CALL_START, CALL_UNTIL = datetime(2025, 1, 6, 16, 0, tzinfo=UTC), date(2099, 12, 28)

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
    # "Still accurate": the project's mentors and reviewers; 403 for others who can see the project,
    # 404 for those who cannot. The page answers a mentor of a draft too (without the button).
    ("GET", "/projects/open-project/confirm",          (L, 403, 200, 200, 403, 403)),
    ("GET", "/projects/draft-idea/confirm",            (L, 404, 200, 200, 404, 403)),
    ("GET", "/projects/proposed-idea/confirm",         (L, 404, 404, 200, 404, 403)),
    ("GET", "/projects/archived-project/confirm",      (L, 404, 200, 200, 404, 403)),
    ("GET", "/projects/no-such-project/confirm",       (L, 404, 404, 404, 404, 404)),
    ("GET", "/account",                                (L, 200, 200, 200, 200, 200)),
    ("GET", "/account/profile",                        (L, 200, 200, 200, 200, 200)),
    ("GET", "/account/password",                       (L, 200, 200, 200, 200, 200)),
    ("GET", "/account/notifications",                  (L, 200, 200, 200, 200, 200)),
    ("GET", "/admin/users",                            (L, 403, 403, 403, 403, 200)),
    ("GET", "/admin/users/target",                     (L, 403, 403, 403, 403, 200)),
    # Non-admins get 403 before the lookup, so they cannot probe which usernames exist.
    ("GET", "/admin/users/no-such-user",               (L, 403, 403, 403, 403, 404)),
    # Reviewing: REVIEW_PROJECTS, checked before any lookup (non-reviewers learn nothing from 403 vs 404).
    ("GET", "/review",                                 (L, 403, 403, 200, 403, 403)),
    ("GET", "/review?section=proposed",                (L, 403, 403, 200, 403, 403)),
    ("GET", "/review/proposed-idea",                   (L, 403, 403, 200, 403, 403)),
    ("GET", "/review/draft-idea",                      (L, 403, 403, 200, 403, 403)),
    ("GET", "/review/no-such-project",                 (L, 403, 403, 404, 403, 403)),
    ("GET", "/review/gaps",                            (L, 403, 403, 200, 403, 403)),
    ("GET", "/review/import",                          (L, 403, 403, 200, 403, 403)),
    ("GET", "/review/gaps/calls/1",                    (L, 403, 403, 200, 403, 403)),
    ("GET", "/review/gaps/calls/999",                  (L, 403, 403, 404, 403, 403)),
    # Rounds: public names and projects; managing them is MANAGE_PROGRAMMES, checked before the lookup.
    ("GET", "/rounds",                                 (200, 200, 200, 200, 200, 200)),
    ("GET", "/rounds/new",                             (L, 403, 403, 403, 200, 403)),
    ("GET", ROUND,                                     (200, 200, 200, 200, 200, 200)),
    ("GET", "/rounds/no-such-round",                   (404, 404, 404, 404, 404, 404)),
    ("GET", f"{ROUND}/edit",                           (L, 403, 403, 403, 200, 403)),
    ("GET", "/rounds/no-such-round/edit",              (L, 403, 403, 403, 404, 403)),
    # An intern's private page: coordinators and the intern's mentors; 404 for everyone else.
    ("GET", f"{ROUND}/interns/1",                      (L, 404, 200, 404, 200, 404)),
    ("GET", f"{ROUND}/interns/2",                      (L, 404, 404, 404, 200, 404)),
    ("GET", f"{ROUND}/interns/999",                    (L, 404, 404, 404, 404, 404)),
    # Intern 1 exists, but not in that round.
    ("GET", "/rounds/no-such-round/interns/1",         (L, 404, 404, 404, 404, 404)),
    # Calls: public times and titles; who is invited, and managing, for coordinators.
    ("GET", "/calls",                                  (200, 200, 200, 200, 200, 200)),
    ("GET", "/calls/new",                              (L, 403, 403, 403, 200, 403)),
    ("GET", "/calls/1",                                (200, 200, 200, 200, 200, 200)),
    ("GET", "/calls/999",                              (404, 404, 404, 404, 404, 404)),
    ("GET", "/calls/1/edit",                           (L, 403, 403, 403, 200, 403)),
    ("GET", "/calls/999/edit",                         (L, 403, 403, 403, 404, 403)),
    ("GET", "/calls.ics",                              (200, 200, 200, 200, 200, 200)),
    # Open data (docs/api.md): public projects only, for everyone alike, signed in or not; a hidden
    # project is a 404 even to its own mentors and reviewers, and asking for a hidden status is a 400.
    ("GET", "/api",                                    (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/openapi.json",                    (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/projects",                        (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/projects?status=draft",           (400, 400, 400, 400, 400, 400)),
    ("GET", "/api/v1/projects?mentor=target",          (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/projects/open-project",           (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/projects/busy-project",           (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/projects/draft-idea",             (404, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/projects/proposed-idea",          (404, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/projects/archived-project",       (404, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/projects/no-such-project",        (404, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/mentors",                         (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/mentors/owner",                   (200, 200, 200, 200, 200, 200)),
    # target mentors only a proposal: like /mentors/target, no public profile.
    ("GET", "/api/v1/mentors/target",                  (404, 404, 404, 404, 404, 404)),
    ("GET", "/api/v1/areas",                           (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/skills",                          (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/rounds",                          (200, 200, 200, 200, 200, 200)),
    ("GET", "/api/v1/calls",                           (200, 200, 200, 200, 200, 200)),
    ("GET", "/feeds/projects.atom",                    (200, 200, 200, 200, 200, 200)),
    ("GET", "/feeds/projects.atom?mentor=owner",       (200, 200, 200, 200, 200, 200)),
    ("GET", "/feeds/projects.atom?status=archived",    (400, 400, 400, 400, 400, 400)),
    ("GET", "/embed/projects",                         (200, 200, 200, 200, 200, 200)),
    ("GET", "/embed/projects?status=proposed",         (200, 200, 200, 200, 200, 200)),
    ("GET", "/downloads/projects.csv",                 (200, 200, 200, 200, 200, 200)),
    ("GET", "/downloads/projects.json?mentor=owner",   (200, 200, 200, 200, 200, 200)),
    ("GET", "/downloads/projects.json?status=draft",   (400, 400, 400, 400, 400, 400)),
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
    # Those allowed to confirm a project that is not public get 409: only public projects are confirmed.
    ("POST", "/projects/open-project/confirm",         (L, 403, 302, 302, 403, 403)),
    ("POST", "/projects/draft-idea/confirm",           (L, 404, 409, 409, 404, 403)),
    ("POST", "/projects/proposed-idea/confirm",        (L, 404, 404, 409, 404, 403)),
    ("POST", "/projects/no-such-project/confirm",      (L, 404, 404, 404, 404, 404)),
    ("POST", "/review/open-project",                   (L, 403, 403, 302, 403, 403)),
    ("POST", "/review/no-such-project",                (L, 403, 403, 404, 403, 403)),
    ("POST", "/review/gaps",                           (L, 403, 403, 302, 403, 403)),
    ("POST", "/review/import",                         (L, 403, 403, 302, 403, 403)),
    ("POST", "/rounds/new",                            (L, 403, 403, 403, 302, 403)),
    ("POST", f"{ROUND}/edit",                          (L, 403, 403, 403, 302, 403)),
    ("POST", "/rounds/no-such-round/edit",             (L, 403, 403, 403, 404, 403)),
    ("POST", f"{ROUND}/interns",                       (L, 403, 403, 403, 302, 403)),
    ("POST", "/rounds/no-such-round/interns",          (L, 403, 403, 403, 404, 403)),
    # A mentor reads the intern's page and adds notes, but only coordinators change the intern (403).
    ("POST", f"{ROUND}/interns/1",                     (L, 404, 403, 404, 302, 404)),
    ("POST", f"{ROUND}/interns/2",                     (L, 404, 404, 404, 302, 404)),
    ("POST", f"{ROUND}/interns/1/notes",               (L, 404, 302, 404, 302, 404)),
    ("POST", f"{ROUND}/interns/2/notes",               (L, 404, 404, 404, 302, 404)),
    ("POST", "/rounds/no-such-round/interns/1/notes",  (L, 404, 404, 404, 404, 404)),
    ("POST", "/calls/new",                             (L, 403, 403, 403, 302, 403)),
    ("POST", "/calls/1/edit",                          (L, 403, 403, 403, 302, 403)),
    ("POST", "/calls/999/edit",                        (L, 403, 403, 403, 404, 403)),
    ("POST", "/calls/1/invite",                        (L, 403, 403, 403, 302, 403)),
    ("POST", "/calls/999/invite",                      (L, 403, 403, 403, 404, 403)),
    ("POST", "/calls/1/resend",                        (L, 403, 403, 403, 302, 403)),
    ("POST", "/calls/999/resend",                      (L, 403, 403, 403, 404, 403)),
    ("POST", "/calls/1/attendance",                    (L, 403, 403, 403, 302, 403)),
    ("POST", "/calls/999/attendance",                  (L, 403, 403, 403, 404, 403)),
    # RSVP on the call's page: one's own invitation only; nobody here is invited to call 1 by account.
    ("POST", "/calls/1/rsvp",                          (L, 404, 404, 404, 404, 404)),
    ("POST", "/calls/999/rsvp",                        (L, 404, 404, 404, 404, 404)),
    # Marking done: the project's mentors and reviewers, and only a project in progress (409 otherwise).
    ("POST", "/projects/draft-idea/finish",            (L, 404, 409, 409, 404, 403)),
    ("POST", "/projects/open-project/finish",          (L, 403, 409, 409, 403, 403)),
    ("POST", "/projects/busy-project/finish",          (L, 403, 302, 302, 403, 403)),
    # The history thread: the project's mentors and reviewers write in it, as they alone read it.
    ("POST", "/projects/open-project/comments",        (L, 403, 302, 302, 403, 403)),
    ("POST", "/projects/draft-idea/comments",          (L, 404, 302, 302, 404, 403)),
    ("POST", "/projects/no-such-project/comments",     (L, 404, 404, 404, 404, 404)),
    # Withdrawing an invitation to co-mentor: whoever may edit the project; 404 for another project's invitation.
    ("POST", "/projects/draft-idea/invitations/1/withdraw",   (L, 404, 302, 302, 404, 403)),
    ("POST", "/projects/open-project/invitations/1/withdraw", (L, 403, 404, 404, 403, 403)),
    ("POST", "/projects/draft-idea/invitations/999/withdraw", (L, 404, 404, 404, 404, 403)),
    # Saved searches: anyone signed in keeps one; search 1 is target's, so no actor may change it (404).
    # Before the invitations: accepting one flashes the draft's title, which a later 404 would show.
    ("POST", "/account/searches",                      (L, 302, 302, 302, 302, 302)),
    ("POST", "/account/searches/1",                    (L, 404, 404, 404, 404, 404)),
    ("POST", "/account/searches/999",                  (L, 404, 404, 404, 404, 404)),
    # "Submit for review" from a draft's page: its mentors and reviewers (as the edit form's button);
    # a project that is no draft refuses (409).
    ("POST", "/projects/open-project/submit",          (L, 403, 409, 409, 403, 403)),
    ("POST", "/projects/proposed-idea/submit",         (L, 404, 404, 409, 404, 403)),
    ("POST", "/projects/draft-idea/submit",            (L, 404, 302, 302, 404, 403)),
    # Answering one: only its invitee (other, invited to the draft); 404 for everyone else, who learns nothing.
    # Late in the column: accepting makes other a mentor of the draft.
    ("POST", "/account/invitations/999",               (L, 404, 404, 404, 404, 404)),
    ("POST", "/account/invitations/1",                 (L, 302, 404, 404, 404, 404)),
    # A mentor cannot claim their own project: the form comes back with the reason (422).
    ("POST", "/projects/open-project/claim",           (L, 302, 422, 302, 302, 302)),
    ("POST", "/account/profile",                       (L, 302, 302, 302, 302, 302)),
    ("POST", "/account/notifications",                 (L, 302, 302, 302, 302, 302)),
    ("POST", "/account/password",                      (L, 302, 302, 302, 302, 302)),
    ("POST", "/admin/users/target",                    (L, 403, 403, 403, 403, 302)),
    # Only a profile without a login merges; target can sign in, so even an admin is told why (422).
    ("POST", "/admin/users/target/merge",              (L, 403, 403, 403, 403, 422)),
    # Signing out when no one is signed in changes nothing and goes home.
    ("POST", "/logout",                                (302, 302, 302, 302, 302, 302)),
]

# Words a response must carry, beyond its status.
EXPLANATIONS = {
    ("POST", "/projects/open-project/claim", "owner"): "You mentor this project, so you cannot claim it.",
    ("POST", f"{ROUND}/interns/1", "owner"): "Only coordinators change interns; mentors add notes.",
    ("GET", "/projects/open-project/edit", "other"): "Only this project's mentors and reviewers can edit it.",
    ("GET", "/admin/users", "reviewer"): "Your account does not have the role this page needs.",
}

# The only cells where someone else's email may show, and exactly which: an intern's email is for
# coordinators and that intern's mentors (the round page, the intern's page); an invitee's email is
# for coordinators (the call page). Each listed email must also show, so the list cannot go stale.
# (Admins may also see account emails on the /admin/ pages; see allowed_emails.)
PRIVATE_EMAILS = {
    ("GET", ROUND, "coordinator"): {INTERN_1, INTERN_2},
    ("GET", ROUND, "owner"): {INTERN_1},                      # the owner mentors intern 1, not intern 2
    ("GET", f"{ROUND}/interns/1", "coordinator"): {INTERN_1},
    ("GET", f"{ROUND}/interns/1", "owner"): {INTERN_1},
    ("GET", f"{ROUND}/interns/2", "coordinator"): {INTERN_2},
    ("GET", "/calls/1", "coordinator"): {INVITEE, INTERN_1},  # both are invited to call 1
}

PUBLIC_PAGES = ["/", "/projects", "/projects?q=project", "/projects/open-project", "/projects/busy-project",
                "/mentors", "/mentors/owner", "/start?know=ocaml:concepts&time=2&first=1",
                "/suggest/projects?q=idea", "/suggest/people?q=e"]

# Routes outside the matrix, each on purpose: catalogue pages anyone may open (PUBLIC_PAGES, walked by
# test_public_pages_show_no_email_but_your_own), the sign-in and registration forms, the health check
# and static files.
# A new route must join MATRIX or this list, or test_every_route_is_in_the_matrix fails.
PUBLIC_ROUTES = {
    ("catalogue.home", "GET"), ("catalogue.list_projects", "GET"), ("catalogue.list_mentors", "GET"),
    ("catalogue.show_mentor", "GET"), ("catalogue.suggest_projects", "GET"), ("catalogue.suggest_people", "GET"),
    ("accounts.login", "GET"), ("accounts.login", "POST"), ("accounts.register", "GET"), ("accounts.register", "POST"),
    ("health.healthz", "GET"), ("static", "GET"),
    # Registration's answer, the password reset pages and the mailed confirmation link: for anyone, and
    # walked by tests/test_password_reset.py. Asking for a new confirmation link changes nothing for
    # the verified actors of this matrix; the same file tests it.
    ("accounts.registered", "GET"), ("accounts.request_password_reset", "GET"),
    ("accounts.request_password_reset", "POST"), ("accounts.reset_password", "GET"),
    ("accounts.reset_password", "POST"), ("accounts.confirm_email", "GET"), ("accounts.resend_verification", "POST"),
    ("health.healthz", "GET"), ("static", "GET"), ("catalogue.start", "GET"),
    # The signed token in the address is the permission: tests/fit/test_alerts.py proves a forged one changes nothing.
    ("accounts.unsubscribe", "GET"), ("accounts.unsubscribe", "POST"),
    # The mailed RSVP link: its signed token is the permission (tests/test_calls_local_time.py).
    ("calls.rsvp_by_link", "GET"), ("calls.rsvp_by_link", "POST"),
}


@pytest.fixture
def world(app, mail_server):
    """The six actors, an account to manage, projects in every visibility, a round, a call; return the emails."""
    # A real mail server, so a coordinator's invitations and resends are delivered and recorded.
    app.config.update(mail_server.config())
    # The setup runs in its own app context, and requests run without one held open: a shared
    # context would share one database session (and g) between the test and every request.
    with app.app_context():
        users = {name: make_user(name.capitalize(), username=name, email=f"{name}-secret@example.org",
                                 roles=[ROLES[name]] if name in ROLES else [])
                 for name in ACTORS[1:] + ("target",)}
        owner, target = users["owner"], users["target"]
        draft = make_project("Draft idea", status=ProjectStatus.DRAFT, mentors=[owner], description="A draft.")
        make_project("Proposed idea", status=ProjectStatus.PROPOSED, mentors=[target])
        make_project("Open project", mentors=[owner])
        make_project("Archived project", status=ProjectStatus.ARCHIVED, mentors=[owner])
        # A public project with a claimant and two interns: the pages name them, never their emails.
        busy = make_project("Busy project", status=ProjectStatus.IN_PROGRESS, mentors=[owner])
        make_claim(busy, target)
        round_ = make_round("Round one")
        first = make_intern(round_, busy, mentors=[owner], name="Ada Intern", email=INTERN_1)
        second = make_intern(round_, busy, mentors=[target], name="Bo Intern", email=INTERN_2)
        call = Call(title="Community call", starts_at=CALL_START, duration_minutes=60, repeat=CallRepeat.WEEKLY,
                    repeat_until=CALL_UNTIL)
        db.session.add_all([
            call,
            Invitation(call=call, name="Invited Guest", email=INVITEE, invited_at=utcnow()),
            Invitation(call=call, name="Ada Intern", email=INTERN_1, intern=first, invited_at=utcnow()),
            CallForProjects(subject="Call for starter projects", body="Hello all.", author=users["reviewer"]),
            # The owner invited other to co-mentor the draft; other has not answered.
            MentorInvitation(project=draft, username="other", invitee=users["other"], invited_by=owner),
            # Search 1 is target's: no actor may change or delete it.
            SavedSearch(user=target, kind=SearchKind.START, query="know=ocaml", name="Target's search",
                        frequency=AlertFrequency.WEEKLY),
        ])
        db.session.commit()
        # The paths in MATRIX name these ids.
        assert (first.id, second.id, call.id) == (1, 2, 1)
        assert sorted(invitation.id for invitation in call.invitations) == [1, 2]
        return {name: user.email for name, user in users.items()}


def snapshot(app):
    """Read every row of every table, fresh from the database: whatever a POST could change."""
    with app.app_context():
        return {table.name: db.session.execute(table.select().order_by(*table.primary_key.columns)).all()
                for table in db.metadata.sorted_tables}


def sign_in(app, auth, actor):
    """Sign the client in as actor (once per test: Argon2 is slow on purpose)."""
    if actor == "anonymous":
        return
    with app.app_context():
        user = db.session.execute(db.select(User).where(User.username == actor)).scalar_one()
    auth.login(user)


def form_data(path, actor):
    """Data that would be valid for path, so only a permission can refuse it."""
    if path.startswith("/rounds/"):
        if path == "/rounds/new" or path.endswith("/edit"):
            return {"name": f"Round by {actor}", "starts_on": "2027-06-01", "ends_on": "2027-09-01",
                    "description": "A round."}
        if path.endswith("/notes"):
            return {"body": f"A note by {actor}."}
        if path.endswith("/interns"):
            return {"name": "New Intern", "email": "new-intern@example.org", "project": "", "mentors": "",
                    "status": "applicant"}
        # An intern's page: the same email, project, mentors and status; a new name.
        first = path.endswith("/1")
        return {"name": f"Renamed by {actor}", "email": INTERN_1 if first else INTERN_2, "project": "busy-project",
                "mentors": "owner" if first else "target", "status": "active"}
    if path.startswith("/calls/"):
        if path == "/calls/new" or path.endswith("/edit"):
            # The same time as call 1, so attendance can still be recorded after an edit.
            return {"title": f"Call by {actor}", "starts_at": CALL_START.strftime("%Y-%m-%d %H:%M"),
                    "duration_minutes": "60", "join_url": "", "agenda_url": "", "repeat": "weekly",
                    "repeat_until": CALL_UNTIL.isoformat()}
        if path.endswith("/invite"):
            return {"name": "New Invitee", "email": "new-invitee@example.org"}
        if path.endswith("/attendance"):
            # Call 1 repeats: attendance is for one occurrence, here the first.
            return {"invitation": ["1", "2"], "attended-1": "y", "occurrence": CALL_START.isoformat()}
        return {}
    if path == "/review/gaps":
        return {"action": "keep", "subject": f"A call by {actor}", "body": "Hello all."}
    if path == "/review/import":
        return {"action": "import", "text": f"## Area\n\n### Imported by {actor}\n\nSome words.\n"}
    if path.startswith("/review/"):
        return {"action": "confirm", "stars": "1", "time_rating": "1", "expected_status": "available"}
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
    if path.endswith("/comments"):
        return {"comment": f"A word from {actor}: ça marche ?"}
    if path == "/account/notifications":
        return {"claims": "daily", "reviews": "at_once", "done": "never", "invitations": "at_once",
                "comments": "daily"}
    if path.startswith("/account/invitations/"):
        return {"action": "accept"}
    if path == "/account/searches":
        return {"kind": "projects", "query": "stars=1", "name": f"Saved by {actor}", "frequency": "weekly"}
    if path.startswith("/account/searches/"):
        return {"action": "delete"}
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


def allowed_emails(method, path, actor, world):
    """The emails this actor may see in this cell: their own, and the exemptions above."""
    allowed = {world.get(actor)} | PRIVATE_EMAILS.get((method, path, actor), set())
    # Admins see account emails on the pages that manage accounts: that is what those pages are for.
    # Interns and invitees have no account there, so their emails stay forbidden even to admins.
    if actor == "admin" and path.startswith("/admin/"):
        allowed |= set(world.values())
    return allowed


def foreign_emails(response, allowed):
    text = CALENDAR_UID.sub("", response.get_data(as_text=True))
    return sorted(set(EMAIL.findall(text)) - set(allowed))


@pytest.mark.parametrize("actor", ACTORS)
def test_permission_matrix(app, client, auth, world, actor):
    """Walk every protected route as one actor: statuses, refused POSTs change nothing, no other emails."""
    column = ACTORS.index(actor)
    sign_in(app, auth, actor)
    # Collect every wrong cell rather than stop at the first, so one run shows the whole hole.
    problems = []
    for method, path, statuses in MATRIX:
        expected = statuses[column]
        before = snapshot(app) if method == "POST" else None
        response = client.open(path, method=method, data=form_data(path, actor) if method == "POST" else None)
        cell = f"{method} {path} as {actor}"
        body = response.get_data(as_text=True)
        if problem := status_problem(response, expected, path):
            problems.append(f"{cell}: {problem}")
        if emails := foreign_emails(response, allowed_emails(method, path, actor, world)):
            problems.append(f"{cell}: shows {emails}")
        if missing := sorted(email for email in PRIVATE_EMAILS.get((method, path, actor), ()) if email not in body):
            problems.append(f"{cell}: exempted {missing} but does not show them; narrow PRIVATE_EMAILS")
        if response.status_code == 404 and any(title in body for title in HIDDEN.values()):
            problems.append(f"{cell}: the 404 names a hidden project")
        if path.startswith(OPEN_DATA) and any(title in body for title in HIDDEN.values()):
            problems.append(f"{cell}: open data shows a hidden project")
        # The explanation is the whole text of an element, as written: not buried in other words.
        if (words := EXPLANATIONS.get((method, path, actor))) and f">{words}<" not in html.unescape(body):
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
        assert foreign_emails(response, {world.get(actor)}) == [], path


def test_every_route_is_in_the_matrix(app):
    """Every route and method is walked by MATRIX or listed in PUBLIC_ROUTES, so no new route is forgotten."""
    adapter = app.url_map.bind("localhost")
    covered, problems = set(), []
    for method, path, _ in MATRIX:
        try:
            endpoint, _ = adapter.match(urlsplit(path).path, method=method)
        except HTTPException as error:
            problems.append(f"MATRIX row {method} {path} matches no route ({error.code})")
            continue
        covered.add((endpoint, method))
    routes = {(rule.endpoint, method) for rule in app.url_map.iter_rules()
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    for endpoint, method in sorted(routes - covered - PUBLIC_ROUTES):
        rules = [rule.rule for rule in app.url_map.iter_rules(endpoint)]
        problems.append(f"{method} {rules} ({endpoint}) is in neither MATRIX nor PUBLIC_ROUTES")
    for endpoint, method in sorted(PUBLIC_ROUTES - routes):
        problems.append(f"PUBLIC_ROUTES lists {method} {endpoint}, which no longer exists")
    for endpoint, method in sorted(PUBLIC_ROUTES & covered):
        problems.append(f"PUBLIC_ROUTES lists {method} {endpoint}, which MATRIX walks: drop it from the list")
    assert not problems, "\n".join(problems)


# Who sees a public project's history: its mentors, reviewers and admins; not other people.
HISTORY_SEEN_BY = {"anonymous": False, "other": False, "owner": True, "reviewer": True, "coordinator": False,
                   "admin": True}


@pytest.mark.parametrize("actor", ACTORS)
def test_a_projects_history_is_shown_to_its_mentors_reviewers_and_admins_only(app, client, auth, world, actor):
    from pioneer.domain import workflow
    from pioneer.models import Project, ReviewAction

    with app.app_context():
        project = db.session.execute(db.select(Project).where(Project.slug == "open-project")).scalar_one()
        reviewer = db.session.execute(db.select(User).where(User.username == "reviewer")).scalar_one()
        workflow.record(project, ReviewAction.CONFIRM, reviewer, comment="Checked the repository in May")
        db.session.commit()
    sign_in(app, auth, actor)
    page = client.get("/projects/open-project").get_data(as_text=True)
    shown = "Checked the repository in May" in page
    assert shown is HISTORY_SEEN_BY[actor], page[page.find("<main"):][:400]
    assert ("History" in page) is HISTORY_SEEN_BY[actor]
