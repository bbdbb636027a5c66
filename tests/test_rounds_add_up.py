"""Rounds that add up: one intern count everywhere; active only within the round's dates and with a mentor who
has a place, unless a coordinator gives a reason, which is recorded (issue 16)."""

from datetime import timedelta

import pytest

from pioneer.database import db
from pioneer.models import Intern, InternNote, InternStatus, Role, Round, utcnow

from .factories import make_intern, make_project, make_user


@pytest.fixture
def setting(ctx, auth):
    coordinator = make_user("Cora Coordinator", username="cora", roles=[Role.COORDINATOR])
    mentor = make_user("Hannes Mentor", username="hannes", capacity=1)
    spare = make_user("Şebnem Spare", username="sebnem", capacity=2)
    today = utcnow().date()
    now_round = Round(slug="now", name="Outreachy now", starts_on=today - timedelta(days=10),
                      ends_on=today + timedelta(days=80))
    later_round = Round(slug="later", name="Outreachy later", starts_on=today + timedelta(days=30),
                        ends_on=today + timedelta(days=120))
    db.session.add_all([now_round, later_round])
    make_project("NTP client", mentors=[mentor, spare])
    make_project("Storage driver", mentors=[mentor, spare])
    db.session.commit()
    auth.login(coordinator)
    return {"mentor": mentor, "spare": spare, "now": now_round, "later": later_round}


def add(client, slug, **fields):
    return client.post(f"/rounds/{slug}/interns", data={
        "name": "Jane Doe", "email": "jane@example.org", "project": "ntp-client", "mentors": "sebnem",
        "status": "active"} | fields)


def interns():
    db.session.expire_all()
    return db.session.execute(db.select(Intern)).scalars().all()


def test_an_intern_is_active_only_within_the_round_s_dates(client, setting):
    refused = add(client, "later")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "an intern is active only within those dates." in html and "Reason to go ahead anyway" in html
    assert 'value="Jane Doe"' in html and interns() == []
    assert add(client, "later", status="accepted").status_code == 302
    assert [intern.status for intern in interns()] == [InternStatus.ACCEPTED]
    assert add(client, "now", email="other@example.org").status_code == 302


def test_a_mentor_without_a_place_is_refused_unless_a_reason_is_given_and_recorded(client, setting):
    assert add(client, "now", mentors="hannes").status_code == 302
    refused = add(client, "now", name="Ōno Second", email="ono@example.org", project="storage-driver",
                  mentors="hannes")
    assert refused.status_code == 422
    assert "Hannes Mentor has no place left (their capacity is taken)." in refused.get_data(as_text=True)
    assert len(interns()) == 1
    accepted = add(client, "now", name="Ōno Second", email="ono@example.org", project="storage-driver",
                   mentors="hannes", override="Hannes agreed on the list to take a second intern.")
    assert accepted.status_code == 302
    second = next(intern for intern in interns() if intern.name == "Ōno Second")
    (note,) = db.session.execute(db.select(InternNote).where(InternNote.intern_id == second.id)).scalars()
    assert note.body.startswith("Went ahead anyway: Hannes Mentor has no place left")
    assert note.body.endswith("Reason: Hannes agreed on the list to take a second intern.")
    assert note.author.username == "cora"


def test_rounds_and_the_round_page_count_the_same_interns(client, setting):
    now = setting["now"]
    for name, status in (("A Active", InternStatus.ACTIVE), ("B Applicant", InternStatus.APPLICANT),
                         ("C Withdrawn", InternStatus.WITHDRAWN), ("D Completed", InternStatus.COMPLETED)):
        make_intern(now, None, name=name, email=f"{name[0].lower()}@example.org", status=status)
    db.session.commit()
    listing = client.get("/rounds").get_data(as_text=True)
    assert "<td>2</td>" in listing
    page = client.get("/rounds/now").get_data(as_text=True)
    assert 'Interns <span class="count">2</span>' in page and "B Applicant" in page
    client.post("/logout")
    public = client.get("/rounds/now").get_data(as_text=True)
    assert 'Interns <span class="count">2</span>' in public and "B Applicant" not in public
