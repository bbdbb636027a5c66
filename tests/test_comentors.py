"""Co-mentors are invited and accept before they are listed; the form never tells which usernames exist."""

import re

import pytest

from pioneer.database import db
from pioneer.models import MentorInvitation, Project, ProjectStatus, User

from .factories import DEFAULT_PASSWORD, make_project, make_user

FORM = {
    "title": "NTP client for unikernels", "summary": "Keep time without an operating system.",
    "description": "Write an NTP client.", "stars": "2", "time_rating": "3", "area": "",
    "skills-0-name": "ocaml", "skills-0-level": "comfortable", "skills-0-required": "required",
}
INVITED = "If that account exists, it has been invited"


def sign_in(app, user):
    device = app.test_client()
    response = device.post("/login", data={"login": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return device


def mentors_of(slug):
    db.session.expire_all()
    project = db.session.execute(db.select(Project).where(Project.slug == slug)).scalar_one()
    return [mentor.username for mentor in project.mentors]


def invitations():
    db.session.expire_all()
    return db.session.execute(db.select(MentorInvitation).order_by(MentorInvitation.id)).scalars().all()


@pytest.fixture
def people(app, ctx):
    mira = make_user("Mira Mentor", username="mira")
    cora = make_user("Cora Colleague", username="cora", email="cora@example.org")
    db.session.commit()
    return mira, cora


def test_a_named_co_mentor_is_invited_not_listed_until_they_accept(app, people):
    mira, cora = people
    mentor = sign_in(app, mira)
    response = mentor.post("/projects/new", data=FORM | {"mentors": "mira, cora", "action": "submit"},
                           follow_redirects=True)
    assert response.status_code == 200
    assert f"{INVITED}: cora joins the mentors once they accept." in response.get_data(as_text=True)
    assert mentors_of("ntp-client-for-unikernels") == ["mira"]
    project = db.session.execute(db.select(Project)).scalar_one()
    project.status = ProjectStatus.AVAILABLE
    db.session.commit()
    # Not listed anywhere public, and Cora's profile stays private.
    assert "Cora Colleague" not in app.test_client().get("/projects/ntp-client-for-unikernels").get_data(as_text=True)
    assert app.test_client().get("/mentors/cora").status_code == 404
    assert "Cora Colleague" not in app.test_client().get("/mentors").get_data(as_text=True)
    assert "NTP client for unikernels" not in app.test_client().get("/projects?mentor=cora").get_data(as_text=True)

    colleague = sign_in(app, cora)
    account = colleague.get("/account").get_data(as_text=True)
    assert "Invitations to co-mentor" in account and "NTP client for unikernels" in account
    assert "by Mira Mentor" in account
    [invitation] = invitations()
    accepted = colleague.post(f"/account/invitations/{invitation.id}", data={"action": "accept"})
    assert accepted.status_code == 302 and accepted.headers["Location"] == "/projects/ntp-client-for-unikernels"
    assert mentors_of("ntp-client-for-unikernels") == ["cora", "mira"]
    assert invitations() == []
    assert "Cora Colleague" in app.test_client().get("/projects/ntp-client-for-unikernels").get_data(as_text=True)
    assert app.test_client().get("/mentors/cora").status_code == 200
    # Listings and search follow the commit: the project is found by its new mentor.
    for path in ("/projects?mentor=cora", "/projects?q=mentor:cora"):
        assert "NTP client for unikernels" in app.test_client().get(path).get_data(as_text=True), path
    assert "Cora Colleague" in app.test_client().get("/mentors").get_data(as_text=True)
    assert "Invitations to co-mentor" not in colleague.get("/account").get_data(as_text=True)
    # Now a mentor, Cora may edit the project.
    assert colleague.get("/projects/ntp-client-for-unikernels/edit").status_code == 200


def test_declining_leaves_the_project_alone(app, people):
    mira, cora = people
    make_project("Packet parser", mentors=[mira])
    db.session.commit()
    mentor = sign_in(app, mira)
    mentor.post("/projects/packet-parser/edit", data=FORM | {"title": "Packet parser", "mentors": "mira, @Cora",
                                                              "action": "save"})
    [invitation] = invitations()
    colleague = sign_in(app, cora)
    declined = colleague.post(f"/account/invitations/{invitation.id}", data={"action": "decline"},
                              follow_redirects=True)
    assert "You declined to co-mentor “Packet parser”." in declined.get_data(as_text=True)
    assert mentors_of("packet-parser") == ["mira"] and invitations() == []


def test_the_form_says_the_same_for_a_username_with_or_without_an_account(app, people):
    mira, _cora = people
    make_user("Disabled Person", username="gone", is_active=False)
    db.session.commit()
    mentor = sign_in(app, mira)
    pages = {}
    for name in ("cora", "ghost", "gone"):
        response = mentor.post("/projects/new", data=FORM | {"title": f"Project for {name}",
                                                             "mentors": f"mira, {name}", "action": "draft"})
        assert response.status_code == 302
        page = mentor.get(response.headers["Location"]).get_data(as_text=True)
        assert f"{INVITED}: {name} joins the mentors" in page
        edit = mentor.get(f"/projects/project-for-{name}/edit").get_data(as_text=True)
        pages[name] = edit.replace(name, "NAME").replace(edit[edit.find("<h1"):edit.find("</h1>")], "")
        assert "Invited, waiting for an answer" in edit and f"the invitation to {name}" in edit
    # The edit pages differ only by the name typed (and ids): nothing tells which names are accounts.
    normalised = {name: " ".join(page.split()) for name, page in pages.items()}
    normalised = {name: re.sub(r"invitations/\d+|invitation-\d+|project-for-NAME|value=\"[^\"]*\"", "", page)
                  for name, page in normalised.items()}
    assert normalised["cora"] == normalised["ghost"] == normalised["gone"]
    # Only a real account that can sign in is reached; the others cannot be accepted by anyone.
    assert [(invitation.username, invitation.invitee_id is not None) for invitation in invitations()] == [
        ("cora", True), ("ghost", False), ("gone", False)]


def test_registering_a_name_that_was_invited_gives_no_invitation(app, people):
    mira, _cora = people
    mentor = sign_in(app, mira)
    mentor.post("/projects/new", data=FORM | {"mentors": "mira, latecomer", "action": "draft"})
    newcomer = app.test_client()
    assert newcomer.post("/register", data={
        "username": "latecomer", "email": "late@example.org", "name": "Late Comer",
        "password": "lovelace engine notes", "password_confirm": "lovelace engine notes"}).status_code == 302
    assert "Invitations to co-mentor" not in newcomer.get("/account").get_data(as_text=True)
    [invitation] = invitations()
    assert newcomer.post(f"/account/invitations/{invitation.id}", data={"action": "accept"}).status_code == 404
    assert mentors_of("ntp-client-for-unikernels") == ["mira"]


def test_only_the_invitee_answers_an_invitation(app, people):
    mira, _cora = people
    intruder = make_user(username="intruder")
    make_project("Packet parser", status=ProjectStatus.DRAFT, mentors=[mira])
    db.session.commit()
    sign_in(app, mira).post("/projects/packet-parser/edit", data=FORM | {"title": "Packet parser",
                                                                          "mentors": "mira, cora", "action": "draft"})
    [invitation] = invitations()
    for device in (sign_in(app, intruder), sign_in(app, mira)):
        assert device.post(f"/account/invitations/{invitation.id}", data={"action": "accept"}).status_code == 404
    assert mentors_of("packet-parser") == ["mira"] and len(invitations()) == 1
    assert app.test_client().post(f"/account/invitations/{invitation.id}",
                                  data={"action": "accept"}).status_code == 302
    assert len(invitations()) == 1


def test_the_inviting_mentor_withdraws_a_pending_invitation(app, people):
    mira, cora = people
    make_project("Packet parser", mentors=[mira])
    db.session.commit()
    mentor = sign_in(app, mira)
    mentor.post("/projects/packet-parser/edit", data=FORM | {"title": "Packet parser", "mentors": "mira, cora",
                                                              "action": "save"})
    [invitation] = invitations()
    # Saving again with the same names invites nobody twice.
    mentor.post("/projects/packet-parser/edit", data=FORM | {"title": "Packet parser", "mentors": "mira, cora",
                                                              "action": "save"})
    assert len(invitations()) == 1
    edit = mentor.get("/projects/packet-parser/edit").get_data(as_text=True)
    assert f'action="/projects/packet-parser/invitations/{invitation.id}/withdraw"' in edit
    withdrawn = mentor.post(f"/projects/packet-parser/invitations/{invitation.id}/withdraw", follow_redirects=True)
    assert "The invitation to cora is withdrawn." in withdrawn.get_data(as_text=True)
    assert invitations() == []
    assert "Invitations to co-mentor" not in sign_in(app, cora).get("/account").get_data(as_text=True)
    assert mentors_of("packet-parser") == ["mira"]


def test_mentors_and_pending_invitations_together_are_capped(app, people):
    mira, _cora = people
    mentor = sign_in(app, mira)
    names = ", ".join(["mira"] + [f"guest-{number}" for number in range(5)])
    saved = mentor.post("/projects/new", data=FORM | {"mentors": names, "action": "draft"}, follow_redirects=True)
    assert "If those accounts exist, they have been invited: guest-0, guest-1, guest-2, guest-3, guest-4 join" in (
        saved.get_data(as_text=True))
    response = mentor.post("/projects/ntp-client-for-unikernels/edit",
                           data=FORM | {"mentors": names + ", one-more", "action": "save"})
    assert response.status_code == 422 and "counting the invitations waiting" in response.get_data(as_text=True)
    malformed = mentor.post("/projects/ntp-client-for-unikernels/edit",
                            data=FORM | {"mentors": "mira, Not OK!", "action": "save"})
    assert malformed.status_code == 422 and "a username has 3 to 40" in malformed.get_data(as_text=True)


def test_the_invitee_is_mailed_when_a_mail_server_is_configured(app, people, mail_server):
    mira, _cora = people
    app.config.update(mail_server.config())
    mentor = sign_in(app, mira)
    mentor.post("/projects/new", data=FORM | {"mentors": "mira, cora, ghost", "action": "draft"})
    [received] = mail_server.messages
    message = received.message
    assert received.recipients == ["cora@example.org"]
    assert message["Subject"] == "Mira Mentor invites you to co-mentor “NTP client for unikernels”"
    body = message.get_content()
    assert "Hello Cora Colleague" in body and "/account" in body and "unless you accept" in body


def test_without_a_mail_server_the_invitation_waits_on_the_account_page(app, people):
    mira, cora = people
    assert not app.config.get("MAIL_SERVER")
    response = sign_in(app, mira).post("/projects/new", data=FORM | {"mentors": "mira, cora", "action": "draft"})
    assert response.status_code == 302
    assert "NTP client for unikernels" in sign_in(app, cora).get("/account").get_data(as_text=True)


def test_editors_still_keep_or_remove_mentors_who_accepted(app, people):
    mira, cora = people
    make_project("Packet parser", mentors=[mira, cora])
    db.session.commit()
    mentor = sign_in(app, mira)
    without_me = mentor.post("/projects/packet-parser/edit", data=FORM | {"title": "Packet parser",
                                                                           "mentors": "cora", "action": "save"})
    assert without_me.status_code == 422 and "Keep your own username" in without_me.get_data(as_text=True)
    mentor.post("/projects/packet-parser/edit", data=FORM | {"title": "Packet parser", "mentors": "mira",
                                                              "action": "save"})
    assert mentors_of("packet-parser") == ["mira"] and invitations() == []
    assert db.session.execute(db.select(User).where(User.username == "cora")).scalar_one().is_active
