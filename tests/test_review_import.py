"""/review/import: a reviewer pastes or uploads an ideas page, sees what would be imported, then sends
the new projects to the review queue (never straight to the public list)."""

import io
from pathlib import Path

import pytest

from pioneer.database import db
from pioneer.models import Project, ProjectStatus, ReviewAction, Role

from .factories import make_project, make_user

WIKI_PAGE = (Path(__file__).parent / "data" / "wiki_page.md").read_text(encoding="utf-8")
SMALL_PAGE = """# Ideas

## Networking

### Packet capture to pcap files (2-star)

Write what the stack sends and receives to a pcap file, for Wireshark.

Mentors: Olga Brandt
Time: a week
Skills: ocaml (some experience)

### DNS cache statistics

Count hits and misses in the resolver cache and show them on a status page.

Mentors: Femi Adeyemi
Time: a few weeks
"""


@pytest.fixture
def reviewer(ctx):
    user = make_user("Rita Reviewer", username="rita", roles=[Role.REVIEWER])
    db.session.commit()
    return user


def projects():
    return {project.slug: project for project in db.session.execute(db.select(Project)).scalars()}


def test_only_reviewers_reach_the_import_page(auth, client, ctx):
    mentor = make_user("Mona Mentor")
    db.session.commit()
    assert client.get("/review/import").headers["Location"].startswith("/login")
    auth.login(mentor)
    assert client.get("/review/import").status_code == 403
    assert client.post("/review/import", data={"action": "import", "text": SMALL_PAGE}).status_code == 403
    assert projects() == {}


def test_a_preview_shows_what_would_be_imported_and_changes_nothing(auth, client, reviewer):
    auth.login(reviewer)
    page = client.get("/review/import").get_data(as_text=True)
    assert "Import an ideas page" in page and 'name="page"' in page
    response = client.post("/review/import", data={"action": "preview", "text": SMALL_PAGE})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Packet capture to pcap files" in html and "DNS cache statistics" in html
    assert "Olga Brandt" in html and "Would import 2 projects: 2 new" in html
    placeholder = SMALL_PAGE.replace("Mentors: Femi Adeyemi", "Mentors: TBD")
    flagged = client.post("/review/import", data={"action": "preview", "text": placeholder}).get_data(as_text=True)
    assert "needs a mentor" in flagged and "TBD" not in flagged.split("<table", 1)[1].split("</table>")[0]
    assert "Import 2 projects into the review queue" in html
    # What was pasted comes back in the form, ready to confirm.
    assert "Write what the stack sends and receives" in html
    assert projects() == {}


def test_importing_sends_new_projects_to_the_review_queue_with_their_history(auth, client, reviewer):
    auth.login(reviewer)
    response = client.post("/review/import", data={"action": "import", "text": SMALL_PAGE})
    assert response.status_code == 302 and "/review?section=proposals" in response.headers["Location"]
    found = projects()
    assert set(found) == {"packet-capture-to-pcap-files", "dns-cache-statistics"}
    for project in found.values():
        assert project.status is ProjectStatus.PROPOSED
        event = project.review_events[-1]
        assert event.action is ReviewAction.IMPORT and event.actor.username == "rita"
    queue = client.get("/review?section=proposals").get_data(as_text=True)
    assert "Packet capture to pcap files" in queue
    # Not public: the catalogue does not list them.
    assert "Packet capture" not in client.get("/projects").get_data(as_text=True)


def test_an_uploaded_file_is_read_like_pasted_text(auth, client, reviewer):
    auth.login(reviewer)
    response = client.post("/review/import", data={
        "action": "preview", "text": "", "page": (io.BytesIO(WIKI_PAGE.encode("utf-8")), "ideas.md"),
    }, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "from ideas.md" in html
    assert "ICMP echo rate limiter" in html and "VLAN tagging for the Ethernet layer" in html


def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(auth, client, reviewer):
    auth.login(reviewer)
    empty = client.post("/review/import", data={"action": "preview", "text": "  "})
    assert empty.status_code == 422 and "Paste the page, or choose its file." in empty.get_data(as_text=True)
    latin = client.post("/review/import", data={
        "action": "preview", "page": (io.BytesIO("Caf\xe9 ideas".encode("latin-1")), "old.md"),
    }, content_type="multipart/form-data")
    assert latin.status_code == 422 and "old.md is not UTF-8 text" in latin.get_data(as_text=True)
    prose = "Just some notes about the project, with no headings at all."
    nothing = client.post("/review/import", data={"action": "import", "text": prose})
    html = nothing.get_data(as_text=True)
    assert nothing.status_code == 422 and prose in html and projects() == {}
    too_long = client.post("/review/import", data={"action": "preview", "text": "x" * 1_000_001})
    assert too_long.status_code == 422 and "too long to import here" in too_long.get_data(as_text=True)


def test_an_import_never_touches_a_draft_with_the_same_title(auth, client, reviewer):
    author = make_user("Dana Drafter")
    draft = make_project("DNS cache statistics", status=ProjectStatus.DRAFT, mentors=[author],
                         description="My own words.")
    db.session.commit()
    auth.login(reviewer)
    preview = client.post("/review/import", data={"action": "preview", "text": SMALL_PAGE}).get_data(as_text=True)
    assert "cannot take the address" in preview and "dns-cache-statistics-2" in preview
    assert client.post("/review/import", data={"action": "import", "text": SMALL_PAGE}).status_code == 302
    db.session.refresh(draft)
    assert draft.status is ProjectStatus.DRAFT and draft.description == "My own words."
    assert [mentor.username for mentor in draft.mentors] == [author.username]
    clash = [project for project in projects().values() if project.title == "DNS cache statistics"
             and project.id != draft.id]
    assert len(clash) == 1 and clash[0].status is ProjectStatus.PROPOSED
