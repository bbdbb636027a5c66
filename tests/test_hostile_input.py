"""Issue 12, hostile input: line breaks and control characters in one-line text, NUL anywhere, odd numbers.

Each test is what a person (or a cron job) would notice: claims released and mailed whatever a title
holds, a group invited whatever a display name holds, a plain 400 for a NUL on either database, and a
page (or a 404) for digits other than 0-9 and ids beyond any row.
"""

import io
import os
from datetime import timedelta

import pytest

from pioneer import create_app, search
from pioneer.database import db
from pioneer.mail import compose
from pioneer.models import Call, ClaimEnd, InternStatus, Invitation, Project, ProjectStatus, Role, User, utcnow
from pioneer.provision import build_index_if_missing

from .factories import make_claim, make_intern, make_project, make_round, make_user

BREAKS = "Line\nbreak\r\nand\u2028separators\u2029NEL\x85tab\tvt\x0bff\x0cNUL\x00escape\x1b[31mDEL\x7fend"
CLEANED = "Line break and separators NEL tab vt ff NULescape[31mDELend"


def control_characters(text):
    return [char for char in text if ord(char) < 32 or 0x7F <= ord(char) <= 0x9F or char in "\u2028\u2029"]


def test_one_line_is_the_rule_for_single_line_text():
    from pioneer.text import one_line

    assert one_line(BREAKS) == CLEANED
    assert one_line("  Ada \u2028\u2028 Lovelace  ") == "Ada Lovelace"
    assert one_line("") == "" and one_line(None) is None


def test_mail_headers_are_one_line_whatever_the_data_holds(app, ctx):
    message = compose("Ben\u2028Busy\n <ben@example.org>", "Subject\r\nBcc: victim@example.org", "Body\n",
                      reply_to="Reply\u2029To <r@example.org>")
    assert message["Subject"] == "Subject Bcc: victim@example.org"
    assert message["To"].addresses[0].display_name == "Ben Busy"
    assert message["Reply-To"].addresses[0].display_name == "Reply To"
    assert "Bcc" not in message.keys()


# Item 3: a line break in a project title stopped `pioneer claims expire` on every cron run.

def test_claims_expire_releases_and_mails_whatever_a_title_holds(app, runner, ctx, mail_server):
    app.config.update(mail_server.config())
    mentor = make_user("Mentor\u2028One", email="mentor@example.org")
    project = make_project("Plain title", slug="broken-title", status=ProjectStatus.IN_PROGRESS, mentors=[mentor])
    # A title already in the database (from before this rule, or an import) may hold anything.
    project.title = BREAKS
    other = make_project("Second claim", status=ProjectStatus.IN_PROGRESS)
    make_claim(project, make_user("Worker\u2028One", email="worker@example.org"),
               updated_at=utcnow() - timedelta(days=40))
    make_claim(other, make_user(email="second@example.org"), updated_at=utcnow() - timedelta(days=40))
    db.session.commit()

    result = runner.invoke(args=["claims", "expire"])

    assert result.exit_code == 0, result.output
    assert "Released 2 claims" in result.output and "sent 3 of 3 notices" in result.output
    db.session.expire_all()
    assert project.status is ProjectStatus.AVAILABLE and other.status is ProjectStatus.AVAILABLE
    assert {claim.end_reason for claim in project.claims + other.claims} == {ClaimEnd.EXPIRED}
    received = {item.recipients[0]: item.message for item in mail_server.wait_for(3)}
    subject = received["worker@example.org"]["Subject"]
    assert subject == f"Your claim on “{CLEANED}” has ended"
    assert not control_characters(received["mentor@example.org"]["Subject"])


def test_a_mentor_cannot_store_a_title_or_summary_with_line_breaks(auth, client, ctx):
    mentor = make_user(username="breaker")
    db.session.commit()
    auth.login(mentor)
    response = client.post("/projects/new", data={
        "title": "Two\r\nlines\u2028title\x00", "summary": "A\u2029summary", "description": "Line one\nline two",
        "stars": "1", "time_rating": "1", "mentors": "breaker", "action": "draft",
    })
    assert response.status_code == 400  # the NUL is refused before anything is read
    response = client.post("/projects/new", data={
        "title": "Two\r\nlines\u2028title\x1b", "summary": "A\u2029summary", "description": "Line one\nline two",
        "stars": "1", "time_rating": "1", "mentors": "breaker", "action": "draft",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    project = db.session.execute(db.select(Project)).scalar_one()
    assert (project.title, project.summary) == ("Two lines title", "A summary")
    # Markdown fields keep their lines.
    assert project.description == "Line one\nline two"


# Item 4: a display name with U+2028 made the "mentors of projects in progress" invitation answer 500.

def test_mentors_in_progress_are_invited_whatever_their_display_name_holds(app, auth, client, ctx, mail_server):
    app.config.update(mail_server.config())
    odd = make_user("Ben\u2028Busy\u0085", email="ben@example.org")
    plain = make_user("Ann Plain", email="ann@example.org")
    make_project("Taken one", mentors=[odd, plain], status=ProjectStatus.IN_PROGRESS)
    call = Call(title="Community call", starts_at=utcnow() + timedelta(days=3), duration_minutes=60)
    db.session.add(call)
    coordinator = make_user(roles=[Role.COORDINATOR])
    db.session.commit()
    auth.login(coordinator)

    response = client.post(f"/calls/{call.id}/invite", data={"batch": "mentors-in-progress"},
                           follow_redirects=True)

    assert response.status_code == 200 and "Invited 2 people." in response.get_data(as_text=True)
    received = {item.recipients[0]: item.message for item in mail_server.wait_for(2)}
    assert set(received) == {"ben@example.org", "ann@example.org"}
    assert received["ben@example.org"]["To"].addresses[0].display_name == "Ben Busy"
    names = db.session.execute(db.select(Invitation.name).order_by(Invitation.name)).scalars().all()
    assert names == ["Ann Plain", "Ben Busy"]


def test_a_display_name_is_stored_on_one_line(auth, client, ctx):
    user = make_user("Before", email="kay@example.org")
    db.session.commit()
    auth.login(user)
    response = client.post("/account/profile", data={"name": "Kay\u2028\r\nBreaks\x1b", "email": "kay@example.org",
                                                     "capacity": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).name == "Kay Breaks"


# Item 5: a NUL byte anywhere answered 500 on PostgreSQL, anonymously; it is a plain 400 on both databases.

NUL_REQUESTS = [
    ("GET", "/projects?area=a%00b", None),
    ("GET", "/projects?q=%00", None),
    ("GET", "/projects/a%00b", None),
    ("GET", "/mentors/a%00b", None),
    ("GET", "/projects?a%00=1", None),
    ("POST", "/login", {"login": "ada\x00", "password": "whatever"}),
    ("POST", "/register", {"username": "ada", "email": "ada@example.org", "name": "Ada\x00",
                           "password": "x", "password_confirm": "x"}),
]


def assert_nul_refused(client):
    for method, url, data in NUL_REQUESTS:
        response = client.open(url, method=method, data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, (method, url, response.status_code)
        assert "NUL character" in page and "<h1>This request cannot be read</h1>" in page, url
    client.set_cookie("preference", "a\x00b")
    assert client.get("/projects").status_code == 400
    client.delete_cookie("preference")
    assert client.get("/projects").status_code == 200


def test_a_nul_anywhere_is_refused_with_a_plain_400_on_sqlite(client, ctx):
    assert_nul_refused(client)
    assert db.session.execute(db.select(db.func.count(User.id))).scalar_one() == 0


def test_an_uploaded_page_with_a_nul_is_refused(auth, client, ctx):
    reviewer = make_user(roles=[Role.REVIEWER])
    db.session.commit()
    auth.login(reviewer)
    upload = (io.BytesIO(b"## Networking\n### A project\x00 (1-star)\nMentors: ada\n"), "ideas.md")
    response = client.post("/review/import", data={"action": "preview", "page": upload})
    assert response.status_code == 400 and "NUL character" in response.get_data(as_text=True)


@pytest.mark.postgres
def test_a_nul_anywhere_is_refused_with_a_plain_400_on_postgresql(cluster, tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production", "SEARCH_STORAGE": "memory",
                      "CSRF_ENABLED": False, "SQLALCHEMY_DATABASE_URI": cluster.create_database("hostile_nul")})
    try:
        with app.app_context():
            db.create_all()
            build_index_if_missing()
            make_project("NTP client", slug="ntp-client")
            db.session.commit()
        client = app.test_client()
        assert client.get("/projects/ntp-client").status_code == 200
        assert_nul_refused(client)
    finally:
        with app.app_context():
            search.backend().close()
            db.session.remove()
            db.engine.dispose()


# Item 6: digits other than 0-9, ids beyond any row, and a form without a field.

@pytest.mark.parametrize("url", ["/projects?page=²", "/projects?stars=²", "/projects?time=٣", "/mentors?page=²",
                                 "/calls?page=²", "/rounds?page=²", "/projects?page=99999999999999999999"])
def test_unicode_digits_in_a_query_give_the_page(client, ctx, url):
    assert client.get(url).status_code == 200


def test_unicode_digits_in_the_review_queue_give_the_page(auth, client, ctx):
    reviewer = make_user(roles=[Role.REVIEWER])
    db.session.commit()
    auth.login(reviewer)
    for url in ("/review?page=²", "/review?stars=²", "/review?page=99999999999999999999", "/review/gaps?page=²"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("path", ["/calls/99999999999999999999", "/calls/2147483648", "/calls/²",
                                  "/calls/٣", "/calls/-1", "/rounds/a/interns/99999999999999999999"])
def test_ids_beyond_any_row_or_not_in_ascii_digits_are_not_found(auth, client, ctx, path):
    call = Call(title="Third", starts_at=utcnow(), duration_minutes=30)
    db.session.add_all([Call(title="First", starts_at=utcnow(), duration_minutes=30),
                        Call(title="Second", starts_at=utcnow(), duration_minutes=30), call])
    coordinator = make_user(roles=[Role.COORDINATOR])
    db.session.commit()
    auth.login(coordinator)
    assert call.id == 3  # so "/calls/٣" would show it if Arabic-Indic digits were read
    assert client.get(path).status_code == 404
    assert client.get(path + "/edit").status_code == 404
    assert client.get("/calls/2147483647").status_code == 404
    assert client.get("/calls/3").status_code == 200


def test_resending_an_invitation_id_beyond_any_row_sends_nothing(auth, client, ctx):
    call = Call(title="Call", starts_at=utcnow() + timedelta(days=2), duration_minutes=30)
    db.session.add(call)
    db.session.add(Invitation(call=call, name="Ida", email="ida@example.org", invited_at=utcnow()))
    coordinator = make_user(roles=[Role.COORDINATOR])
    db.session.commit()
    auth.login(coordinator)
    for bad in ("99999999999999999999", "²", "0"):
        response = client.post(f"/calls/{call.id}/resend", data={"invitation_id": bad}, follow_redirects=True)
        assert response.status_code == 200 and "There is no unsent invitation to send." in response.get_data(
            as_text=True)


def test_an_intern_edit_without_the_project_field_answers_the_form_with_an_error(auth, client, ctx):
    mentor = make_user(username="hannes")
    project = make_project("NTP client", slug="ntp-client", status=ProjectStatus.IN_PROGRESS, mentors=[mentor])
    intern = make_intern(make_round(), project, mentors=[mentor], name="Jane", email="jane@example.org")
    coordinator = make_user(roles=[Role.COORDINATOR])
    db.session.commit()
    auth.login(coordinator)
    url = f"/rounds/{intern.round.slug}/interns/{intern.id}"

    response = client.post(url, data={"name": "Jane Renamed", "email": "jane@example.org", "status": "active"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The project field was missing" in page
    # The project keeps showing as the picker writes it: its title and address name.
    assert 'value="NTP client (ntp-client)"' in page
    db.session.expire_all()
    assert (intern.name, intern.project, intern.status) == ("Jane", project, InternStatus.ACTIVE)
    # Without the mentors field, the intern keeps their mentors.
    kept = client.post(url, data={"name": "Jane Renamed", "email": "jane@example.org", "project": "ntp-client",
                                  "status": "active"})
    assert kept.status_code == 302
    db.session.expire_all()
    assert intern.name == "Jane Renamed" and intern.mentors == [mentor]
