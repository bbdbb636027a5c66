"""The shapes of the API, as marshmallow schemas: they serialize the answers and write the OpenAPI description.

A project's fields are those of `domain.records.project_record` (the JSON export) plus `url`;
tests/api/test_api.py fails when the two differ.
"""

from marshmallow import Schema, fields, validate

from ..models import PUBLIC_STATUSES, ProjectStatus, SkillLevel
from ..text import MAX_PAGE

SORT_CHOICES = ("relevance", "newest", "stars", "time", "title")
MAX_PER_PAGE = 100
# NUL has no place in text (security.refuse_nul answers 400): the description says so.
NO_NUL = r"^[^\x00]*$"


def _text(**kwargs):
    return fields.String(validate=validate.Regexp(NO_NUL), **kwargs)


class ProjectFilters(Schema):
    """The query arguments of /projects (SPEC §4), shared by the API, the feed, the embed and downloads."""

    q = _text(metadata={"description": "Full-text search: words, quoted phrases, -word, and prefixes such as "
                                       "stars:1, skill:ocaml.", "example": "tcp"})
    # The reasons are the words /projects shows when it ignores such a value (catalogue/filters.py).
    stars = fields.List(fields.Integer(validate=validate.Range(0, 5, error="stars goes from 1 to 5, or 0 for "
                                                                          "not rated.")),
                        metadata={"description": "Stars, repeatable: 1 to 5, or 0 for not rated yet.", "example": [1]})
    time = fields.List(fields.Integer(validate=validate.Range(1, 5, error="time goes from 1 (a day) to 5 "
                                                                         "(an internship).")),
                       metadata={"description": "Time rating, repeatable: 1 (a day) to 5 (an internship)."})
    area = _text(metadata={"description": "An area's slug.", "example": "networking"})
    skill = fields.List(_text(), metadata={"description": "A skill's name, repeatable: projects need every one."})
    status = fields.String(validate=validate.OneOf([status.value for status in PUBLIC_STATUSES],
                                                   error="choose available, in_progress or done."),
                           metadata={"description": "available, in_progress or done (default: all three)."})
    mentor = _text(metadata={"description": "A mentor's username."})
    sort = fields.String(validate=validate.OneOf(SORT_CHOICES, error=f"choose one of {', '.join(SORT_CHOICES)}."),
                         metadata={"description": "relevance (the default with q), newest (otherwise), stars "
                                                  "(easiest first), time (shortest first) or title."})


def _page():
    return fields.Integer(validate=validate.Range(1, MAX_PAGE - 1, error=f"page goes from 1 to {MAX_PAGE - 1}."),
                          metadata={"description": "Page, from 1."})


class ProjectQuery(ProjectFilters):
    page = _page()
    per_page = fields.Integer(validate=validate.Range(1, MAX_PER_PAGE,
                                                      error=f"per_page goes from 1 to {MAX_PER_PAGE}."),
                              metadata={"description": f"Projects per page, 1 to {MAX_PER_PAGE} (default 20)."})


class PageQuery(Schema):
    page = _page()


class MentorRef(Schema):
    name = fields.String(required=True)
    username = fields.String(required=True)


class SkillNeed(Schema):
    name = fields.String(required=True)
    level = fields.String(required=True, validate=validate.OneOf([level.value for level in SkillLevel]))
    required = fields.Boolean(required=True)


class Link(Schema):
    title = fields.String(required=True)
    url = fields.String(required=True)
    kind = fields.String(required=True)


class Project(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    description = fields.String(required=True, metadata={"description": "Markdown."})
    outcomes = fields.String(required=True, metadata={"description": "Markdown."})
    stars = fields.Integer(required=True, allow_none=True, validate=validate.Range(1, 5))
    time = fields.Integer(required=True, allow_none=True, validate=validate.Range(1, 5))
    hours = fields.Integer(required=True, allow_none=True, metadata={"description": "Hours reported when done."})
    area = fields.String(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf([s.value for s in ProjectStatus if s.is_public]))
    mentors = fields.List(fields.Nested(MentorRef), required=True)
    skills = fields.List(fields.Nested(SkillNeed), required=True)
    links = fields.List(fields.Nested(Link), required=True)
    created_at = fields.String(required=True, metadata={"format": "date-time"})
    approved_at = fields.String(required=True, allow_none=True, metadata={"format": "date-time"})
    url = fields.String(required=True, metadata={"description": "The project's page.", "format": "uri"})


class PageLinks(Schema):
    self = fields.String(required=True, data_key="self")
    next = fields.String(required=True, allow_none=True)
    prev = fields.String(required=True, allow_none=True)


class ProjectPage(Schema):
    projects = fields.List(fields.Nested(Project), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    links = fields.Nested(PageLinks, required=True)


class MentorSummary(Schema):
    username = fields.String(required=True)
    name = fields.String(required=True)
    projects = fields.Integer(required=True, metadata={"description": "Public projects they mentor."})
    places_left = fields.Integer(required=True, metadata={"description": "How many more people they can mentor."})
    url = fields.String(required=True, metadata={"format": "uri"})


class MentorPage(Schema):
    mentors = fields.List(fields.Nested(MentorSummary), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    links = fields.Nested(PageLinks, required=True)


class ProjectRef(Schema):
    slug = fields.String(required=True)
    title = fields.String(required=True)
    url = fields.String(required=True, metadata={"format": "uri"})


class Mentor(MentorSummary):
    bio = fields.String(required=True)
    availability = fields.String(required=True)
    capacity = fields.Integer(required=True)
    mentored = fields.List(fields.Nested(ProjectRef), required=True,
                           metadata={"description": f"Their public projects, newest first (at most {MAX_PER_PAGE})."})


class AreaCount(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    projects = fields.Integer(required=True)


class Areas(Schema):
    areas = fields.List(fields.Nested(AreaCount), required=True)


class SkillCount(Schema):
    name = fields.String(required=True)
    projects = fields.Integer(required=True)


class Skills(Schema):
    skills = fields.List(fields.Nested(SkillCount), required=True)


class Round(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    description = fields.String(required=True)
    url = fields.String(required=True, metadata={"format": "uri"})


class Rounds(Schema):
    rounds = fields.List(fields.Nested(Round), required=True)


class Call(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    starts_at = fields.String(required=True, metadata={"format": "date-time"})
    duration_minutes = fields.Integer(required=True)
    join_url = fields.String(required=True)
    agenda_url = fields.String(required=True)
    url = fields.String(required=True, metadata={"format": "uri"})


class Calls(Schema):
    calls = fields.List(fields.Nested(Call), required=True, metadata={"description": "Upcoming calls, soonest first."})


class InvalidParam(Schema):
    name = fields.String(required=True)
    reason = fields.String(required=True)


class Problem(Schema):
    """An error, as RFC 9457 application/problem+json."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    invalid_params = fields.List(fields.Nested(InvalidParam), data_key="invalid-params")
