"""A small catalogue for the API tests: public projects in odd but valid Unicode, and things that must stay hidden."""

from datetime import date, timedelta

import pytest

from pioneer.database import db
from pioneer.models import Call, LinkKind, ProjectLink, ProjectStatus, Role, utcnow

from ..factories import make_intern, make_project, make_round, make_user

SECRET_EMAIL = "zoë.secret@example.org"
DRAFT_TITLE = "Ünreleased draft about TCP"


@pytest.fixture
def catalogue(app):
    """Mentors, public projects of each status, a draft, an archived project, a round and a call; their slugs.

    Built in its own app context: requests then run without one held open, each with its own session.
    """
    with app.app_context():
        return _catalogue()


def _catalogue():
    zoe = make_user("Zoë Ångström", username="zoe", email=SECRET_EMAIL, bio="Knows TCP/IP.",
                    availability="Tuesdays 14:00 UTC", capacity=2)
    ravi = make_user("Ravi Şahin", username="ravi", email="ravi.secret@example.org")
    make_user("Rhea Reviewer", username="rhea", email="rhea@example.org", roles=[Role.REVIEWER])
    projects = {
        "tcp": make_project("Tests for the TCP/IP stack — ünïcode", stars=1, time_rating=2, mentors=[zoe],
                            skills=("ocaml", "tcp/ip"), age_days=3, description="Move tests onto **virtual** links."),
        "dns": make_project("DNS resolver in 日本語 docs", stars=2, time_rating=3, mentors=[ravi], area="Storage",
                            skills=("ocaml", "dns"), age_days=2),
        "done": make_project("Finished fuzzing", stars=1, time_rating=1, status=ProjectStatus.DONE, mentors=[zoe],
                             skills=("fuzzing",), age_days=10, actual_hours=12),
        "busy": make_project("Busy with a claim", stars=3, time_rating=4, status=ProjectStatus.IN_PROGRESS,
                             mentors=[zoe, ravi], age_days=1, area=None, skills=()),
        "unrated": make_project("Not rated yet: an idea", stars=None, time_rating=None, mentors=[], age_days=5),
        "draft": make_project(DRAFT_TITLE, status=ProjectStatus.DRAFT, mentors=[zoe]),
        "archived": make_project("Archived TCP thing", status=ProjectStatus.ARCHIVED, mentors=[ravi]),
    }
    projects["tcp"].links.append(ProjectLink(kind=LinkKind.REPOSITORY, url="https://example.org/tcp",
                               title="Repository «tcp»", position=0))
    round_ = make_round()
    make_intern(round_, projects["busy"], mentors=[zoe], name="Ivy Intern", email="ivy.intern@example.org")
    db.session.add(Call(title="Weekly call ☕", starts_at=utcnow() + timedelta(days=2), duration_minutes=45,
                        join_url="https://meet.example.org/weekly", agenda_url=""))
    db.session.add(Call(title="A call long gone", starts_at=utcnow() - timedelta(days=30), duration_minutes=30))
    db.session.commit()
    assert round_.starts_on == date(2026, 12, 7)
    return {key: project.slug for key, project in projects.items()}
