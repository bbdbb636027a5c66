"""Pages do work bounded by what they show, not by the catalogue's size."""

import pytest

from pioneer.database import db
from pioneer.models import ProjectStatus

from .factories import make_claim, make_intern, make_project, make_round, make_user
from .query_counter import counted_queries


def grow_catalogue(size):
    round_ = make_round(f"Round for {size}")
    for number in range(size):
        mentors = [make_user(f"Mentor {size}-{number}-{i}") for i in range(2)]
        project = make_project(f"Project {size} {number}", stars=1 + number % 5, time_rating=1 + number % 3,
                               mentors=mentors, skills=("ocaml", f"skill-{number % 7}"),
                               status=ProjectStatus.IN_PROGRESS if number % 4 == 0 else ProjectStatus.AVAILABLE,
                               area=f"Area {number % 3}")
        if number % 4 == 0:
            make_claim(project, make_user(f"Claimant {size}-{number}"))
            make_intern(round_, project, mentors=mentors, name=f"Intern {size}-{number}")
    db.session.commit()


@pytest.mark.parametrize("path", ["/", "/projects", "/projects?stars=1&stars=2&time=1&skill=ocaml&sort=stars",
                                  "/projects/project-{size}-4", "/mentors", "/mentors/mentor-{size}-4-0-{n}"])
def test_query_count_does_not_grow_with_the_catalogue(app, client, ctx, path):
    counts = []
    for size in (8, 40):
        grow_catalogue(size)
        url = path.format(size=size, n="{n}")
        if "{n}" in url:
            from pioneer.models import User

            url = "/mentors/" + db.session.execute(
                db.select(User.username).where(User.name == f"Mentor {size}-4-0")).scalar_one()
        db.session.expire_all()
        for _visit in ("first, counts computed", "again, counts cached"):
            with counted_queries() as statements:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(len(statements))
    first_small, again_small, first_large, again_large = counts
    assert (first_small, again_small) == (first_large, again_large), counts
    assert first_large <= 18 and again_large <= 15 and again_large <= first_large, counts


def test_cached_counts_follow_committed_changes(client, ctx):
    make_project("Counted one", stars=1)
    db.session.commit()
    assert "1 project" in client.get("/projects?stars=1").get_data(as_text=True)
    make_project("Counted two", stars=1)
    db.session.commit()
    assert "2 projects" in client.get("/projects?stars=1").get_data(as_text=True)
    make_project("Rolled back", stars=1)
    db.session.flush()
    db.session.rollback()
    assert "2 projects" in client.get("/projects?stars=1").get_data(as_text=True)
