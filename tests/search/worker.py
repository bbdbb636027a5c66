"""A separate process that changes projects and commits, for the multi-process search tests.

Usage: python -m tests.search.worker NAME ROUNDS [--die-after-commit]
The instance folder comes from PIONEER_INSTANCE_PATH, as for the real site.
"""

import os
import signal
import sys
import time

from pioneer import create_app, search
from pioneer.database import db
from pioneer.models import Project, ProjectSkill, Skill, SkillLevel


def main():
    name, rounds = sys.argv[1], int(sys.argv[2])
    app = create_app()
    if "--die-after-commit" in sys.argv:
        # Die the hard way between the commit and the index write: no cleanup, no finally blocks.
        search.WhooshBackend.apply_pending = lambda *args, **kwargs: os.kill(os.getpid(), signal.SIGKILL)
    start_flag = os.path.join(app.instance_path, "start")
    while not os.path.exists(start_flag):
        time.sleep(0.01)
    with app.app_context():
        skill = db.session.execute(db.select(Skill).filter_by(name=f"skill-{name}")).scalar_one_or_none()
        if skill is None:
            skill = Skill(name=f"skill-{name}")
            db.session.add(skill)
            db.session.commit()
        projects = db.session.execute(
            db.select(Project).where(Project.slug.startswith("shared-")).order_by(Project.id)).scalars().all()
        for number in range(rounds):
            # Both workers edit the same projects, so their index writes collide.
            project = projects[number % len(projects)]
            project.summary = f"Edited by {name} in round {number}."
            if number % 3 == 0:
                project.skills = [*project.skills, ProjectSkill(skill=skill, level=SkillLevel.SOME)] \
                    if all(row.skill_id != skill.id for row in project.skills) else project.skills[:1]
            db.session.add(Project(slug=f"{name}-new-{number}", title=f"{name} new project {number}",
                                   summary="Fresh.", status=project.status))
            db.session.commit()
        search.backend().close()
    print(f"{name} done")


if __name__ == "__main__":
    main()
