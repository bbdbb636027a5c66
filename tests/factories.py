"""Plain functions that make domain objects with sensible defaults; the caller commits."""

import functools
import itertools
from datetime import date, timedelta

from pioneer.database import db
from pioneer.domain.passwords import hash_password
from pioneer.models import (
    Area,
    Claim,
    Intern,
    InternStatus,
    Project,
    ProjectSkill,
    ProjectStatus,
    Round,
    Skill,
    SkillLevel,
    User,
    utcnow,
)
from pioneer.text import slugify

_numbers = itertools.count(1)
DEFAULT_PASSWORD = "correct horse battery staple"


@functools.cache
def password_hash(password):
    """Hash each test password once: Argon2 is slow on purpose."""
    return hash_password(password)


def make_user(name=None, username=None, email=None, password=DEFAULT_PASSWORD, roles=(), verified=True, **fields):
    """An account; its email is confirmed unless verified=False (notices go only to confirmed addresses)."""
    number = next(_numbers)
    fields.setdefault("email_verified_at", utcnow() if verified else None)
    name = name or f"Person {number}"
    user = User(
        name=name,
        username=username or f"{slugify(name)}-{number}",
        email=email or f"person{number}@example.org",
        password_hash=password_hash(password) if password else None,
        **fields,
    )
    for role in roles:
        user.grant(role)
    db.session.add(user)
    return user


def make_area(name="Networking"):
    area = db.session.execute(db.select(Area).where(Area.slug == slugify(name))).scalar_one_or_none()
    if area is None:
        area = Area(name=name, slug=slugify(name))
        db.session.add(area)
    return area


def make_skill(name):
    skill = db.session.execute(db.select(Skill).where(Skill.name == name)).scalar_one_or_none()
    if skill is None:
        skill = Skill(name=name)
        db.session.add(skill)
    return skill


def make_project(title=None, stars=1, time_rating=1, status=ProjectStatus.AVAILABLE, area="Networking",
                 skills=("ocaml",), mentors=(), age_days=0, **fields):
    number = next(_numbers)
    title = title or f"Project number {number}"
    now = utcnow() - timedelta(days=age_days)
    project = Project(
        title=title,
        slug=fields.pop("slug", None) or slugify(title),
        summary=fields.pop("summary", f"A summary of {title}."),
        stars=stars,
        time_rating=time_rating,
        status=status,
        area=make_area(area) if area else None,
        created_at=now,
        approved_at=now if status in (ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE) else None,
        last_reviewed_at=fields.pop("last_reviewed_at", now),
        mentors=list(mentors),
        **fields,
    )
    project.skills = [
        ProjectSkill(skill=make_skill(name), level=SkillLevel.CONCEPTS, required=True, position=index)
        for index, name in enumerate(skills)
    ]
    db.session.add(project)
    return project


def make_claim(project, user, **fields):
    claim = Claim(project=project, user=user, **fields)
    db.session.add(claim)
    return claim


def make_round(name="Outreachy December 2026 – March 2027"):
    round_ = Round(name=name, slug=slugify(name), starts_on=date(2026, 12, 7), ends_on=date(2027, 3, 7))
    db.session.add(round_)
    return round_


def make_intern(round_, project, mentors=(), name="Ada Intern", email=None, status=InternStatus.ACTIVE):
    intern = Intern(
        round=round_, project=project, name=name, email=email or f"intern{next(_numbers)}@example.org",
        status=status, mentors=list(mentors),
    )
    db.session.add(intern)
    return intern
