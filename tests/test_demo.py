"""The demo catalogue: realistic, complete, and loaded idempotently through the importer."""

from collections import Counter
from datetime import UTC, datetime

from pioneer.database import db
from pioneer.models import Area, Call, Intern, InternStatus, Project, ProjectStatus, Round, Stars, TimeRating, User


def test_demo_has_a_catalogue_that_looks_real(runner, ctx):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    projects = db.session.execute(db.select(Project)).scalars().all()
    assert len(projects) >= 40
    assert db.session.execute(db.select(db.func.count(Area.id))).scalar_one() >= 6
    stars = Counter(project.stars for project in projects)
    assert all(stars[level] for level in Stars) and stars[None] >= 1
    assert set(TimeRating) <= {project.time_rating for project in projects}
    statuses = {project.status for project in projects}
    assert {ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE} <= statuses
    assert all(project.skills for project in projects)
    assert len({row.level for project in projects for row in project.skills}) >= 4
    mentors = db.session.execute(db.select(User).where(User.capacity > 0)).scalars().all()
    assert len(mentors) >= 8
    round_ = db.session.execute(db.select(Round)).scalar_one()
    active = [intern for intern in round_.interns if intern.status is InternStatus.ACTIVE]
    assert active and all(intern.project.status is ProjectStatus.IN_PROGRESS for intern in active)
    call = db.session.execute(db.select(Call)).scalar_one()
    assert call.starts_at > datetime.now(UTC)


def test_demo_twice_changes_nothing(runner, ctx):
    runner.invoke(args=["demo"])
    counts = [db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
              for model in (Project, User, Intern, Call)]
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "(0 new, 0 updated," in second.output
    assert counts == [db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
                      for model in (Project, User, Intern, Call)]


def test_demo_home_page_shows_first_projects(runner, client, ctx):
    runner.invoke(args=["demo"])
    html = client.get("/").get_data(as_text=True)
    assert "projects you can start this week" in html and "1 of 5 stars" in html


def test_demo_if_empty_leaves_a_real_catalogue_alone(runner, ctx):
    from .factories import make_project

    make_project("Our own project")
    db.session.commit()
    result = runner.invoke(args=["demo", "--if-empty"])
    assert result.exit_code == 0 and "was not loaded" in result.output
    assert db.session.execute(db.select(db.func.count(Project.id))).scalar_one() == 1
