"""The facet rows beside the listing, built one way from counts that SQL or the search index gave."""

import heapq
from dataclasses import dataclass

from sqlalchemy import bindparam, select

from ..database import db
from ..models import PUBLIC_STATUSES, Area, Stars, TimeRating, User

FACET_LIMIT = 12


@dataclass
class FacetValue:
    value: object
    label: str
    count: int
    selected: bool


def _top(groups):
    """The most common values first, ties by name, at most FACET_LIMIT of them."""
    if len(groups) > FACET_LIMIT:
        # Only values counted at least as often as the FACET_LIMIT-th can be shown (5,000 mentors at
        # 100,000 projects: sorting them all cost more than the search).
        least = heapq.nlargest(FACET_LIMIT, groups.values())[-1]
        groups = {value: count for value, count in groups.items() if count >= least}
    return sorted(groups.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]


def facet_rows(counts, filters):
    """Turn counts into the rows the listing draws.

    counts maps each facet to {value: number of projects}: "stars" and "time" by number (0 for not
    rated), "area" by slug, "status" by value, "skill" by name, "mentor" by username. A value a filter
    selects is always shown, with 0 when nothing has it.
    """
    # Documents without a value (a project with no skill or mentor) group under None: not a facet value.
    counts = {name: {key: count for key, count in groups.items() if key not in (None, "")}
              for name, groups in counts.items()}
    stars, time, status = counts.get("stars", {}), counts.get("time", {}), counts.get("status", {})
    areas = counts.get("area", {})
    mentors = _top(counts.get("mentor", {}))
    mentor_names = _mentor_names([username for username, _count in mentors])
    rows = {
        "stars": [FacetValue(int(s), "", stars.get(int(s), 0), int(s) in filters.stars) for s in Stars]
        + [FacetValue(0, "not rated yet", stars.get(0, 0), 0 in filters.stars)],
        "time": [FacetValue(int(t), t.label, time.get(int(t), 0), int(t) in filters.time) for t in TimeRating],
        "status": [FacetValue(s.value, s.label, status.get(s.value, 0), s == filters.status) for s in PUBLIC_STATUSES],
        "area": [FacetValue(slug, name, areas.get(slug, 0), slug == filters.area)
                 for slug, name in _area_names().items() if areas.get(slug) or slug == filters.area],
        "skill": [FacetValue(name, name, count, name in filters.skills)
                  for name, count in _top(counts.get("skill", {}))],
        "mentor": [FacetValue(username, mentor_names.get(username, username), count, username == filters.mentor)
                   for username, count in mentors],
    }
    shown = {row.value for row in rows["skill"]}
    rows["skill"] += [FacetValue(name, name, 0, True) for name in filters.skills if name not in shown]
    if filters.mentor and all(row.value != filters.mentor for row in rows["mentor"]):
        rows["mentor"].append(FacetValue(filters.mentor, filters.mentor, 0, True))
    return rows


# Built once and run on the session's connection: a search computes its facet rows on every request.
_AREAS = select(Area.slug, Area.name).order_by(Area.name)
_MENTORS = select(User.username, User.name).where(User.username.in_(bindparam("usernames", expanding=True)))


def _area_names():
    return dict(db.session.connection().execute(_AREAS).all())


def _mentor_names(usernames):
    if not usernames:
        return {}
    return dict(db.session.connection().execute(_MENTORS, {"usernames": usernames}).all())
