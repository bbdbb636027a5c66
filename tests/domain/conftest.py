"""What the domain tests share: the people around a project, a round, and a project in a given status."""

import pytest

from pioneer.database import db
from pioneer.models import Role
from tests.factories import make_project, make_round, make_user


@pytest.fixture
def people(ctx):
    found = {
        "mentor": make_user("Mona Mentor"),
        "coordinator": make_user("Cora Coordinator", roles=[Role.COORDINATOR]),
        "newcomer": make_user("Nia Newcomer"),
        "other": make_user("Otto Other"),
    }
    db.session.commit()
    return found


@pytest.fixture
def round_(ctx):
    found = make_round()
    db.session.commit()
    return found


@pytest.fixture
def project_in(people):
    """Make a project of Mona Mentor's in a status: project_in(ProjectStatus.AVAILABLE, title=..., ...)."""

    def make(status, title=None, **fields):
        project = make_project(title, status=status, mentors=[people["mentor"]], **fields)
        db.session.commit()
        return project

    return make
