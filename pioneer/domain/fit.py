"""The fit finder's rules: how well a claimable project fits what a person knows, has time for and wants.

Pure functions over plain data: no database, no Flask. `pioneer/catalogue/fitting.py` loads the
candidates; docs/fit.md states each rule and why it weighs what it weighs.
"""

import functools
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import NamedTuple

from ..models import SkillLevel, Stars, TimeRating
from ..text import one_line, whole_number

# How far each level goes, for a person and for what a project asks alike.
LEVEL_RANK = {SkillLevel.NONE: 0, SkillLevel.CONCEPTS: 1, SkillLevel.SOME: 2, SkillLevel.COMFORTABLE: 3,
              SkillLevel.CHALLENGE: 4}
# "I know ocaml" without a level reads as some experience: the middle of the scale.
DEFAULT_LEVEL = SkillLevel.SOME
MAX_SKILLS = 10
MAX_NAME = 60
MAX_HOURS = 10_000

# The weights (docs/fit.md). Skills weigh most, time next, then stars for a first contribution,
# then mentors' places, nobody working on it yet, and what one would learn.
SHORT_LEVEL = 50  # per level short on a required skill; not knowing it is being short of all its levels
MATCHED = 5  # per required skill the person has at the level asked, at most three: it uses what they know
TIME_OVER = 30  # the project takes one time level more than the person has
TIME_UNRATED = 10  # nobody said how long it takes
FIRST_STARS = {Stars.ONE: 20, Stars.TWO: 15}
NICE_KNOWN = 4  # per nice-to-have skill known, at most two
PLACES = 8
UNCLAIMED = 6
LEARN = 10  # per thing one would learn, at most two

TIME_PHRASES = {TimeRating.DAY: "about a day", TimeRating.WEEK: "about a week",
                TimeRating.FEW_WEEKS: "a few weeks", TimeRating.SEASON: "about a season",
                TimeRating.INTERNSHIP: "an internship's length"}
HAVE_PHRASES = {TimeRating.DAY: "the day", TimeRating.WEEK: "the week", TimeRating.FEW_WEEKS: "the few weeks",
                TimeRating.SEASON: "the season", TimeRating.INTERNSHIP: "the internship"}


def skill_name(text):
    """A skill or topic as the catalogue writes it: lowercase, one space between words, at most 60 characters."""
    return " ".join(one_line(text).lower().split())[:MAX_NAME]


def read_know(text):
    """Read "ocaml" or "ocaml:comfortable" (or a level's label) as (name, level); the name may hold colons."""
    name, colon, level_text = text.rpartition(":")
    level = SkillLevel.from_label(level_text) if colon else None
    if level is None:
        return skill_name(text), None
    return skill_name(name), level


@dataclass(frozen=True)
class Profile:
    """What a person told the fit finder: skills and levels, their time, what they want to learn."""

    know: dict = field(default_factory=dict)  # name -> SkillLevel, in the order given
    time: TimeRating | None = None
    hours: int | None = None
    learn: tuple = ()
    first: bool = False
    notices: tuple = ()  # what was ignored in the URL, and why

    @classmethod
    def from_args(cls, args):
        """Read a profile from query arguments; `level` rows (the form without script) pair with `know` rows."""
        notices, know = [], {}
        levels = args.getlist("level")
        for index, text in enumerate(args.getlist("know")):
            name, level = read_know(text)
            if index < len(levels) and level is None:
                level = SkillLevel.from_label(levels[index]) if levels[index].strip() else None
            if name and name not in know and len(know) < MAX_SKILLS:
                know[name] = level or DEFAULT_LEVEL
        learn = [skill_name(part) for text in args.getlist("learn") for part in text.split(",")]
        time, hours = None, None
        time_text, hours_text = args.get("time", "").strip(), args.get("hours", "").strip()
        if time_text:
            number = whole_number(time_text)
            if number is not None and 1 <= number <= 5:
                time = TimeRating(number)
            else:
                notices.append(f"Ignored time={time_text}: time goes from 1 (a day) to 5 (an internship).")
        if hours_text and time is None:
            number = whole_number(hours_text)
            if number is not None and 1 <= number <= MAX_HOURS:
                hours = number
            else:
                notices.append(f"Ignored hours={hours_text}: say a whole number of hours from 1 to {MAX_HOURS}.")
        return cls(know=know, time=time, hours=hours,
                   learn=tuple(dict.fromkeys(name for name in learn if name))[:MAX_SKILLS],
                   first=args.get("first", "").strip() in ("1", "on", "yes", "true"), notices=tuple(notices))

    @property
    def time_limit(self):
        """The most time they have, as a time level (hours fall in the level that holds them)."""
        if self.time is not None:
            return self.time
        return TimeRating.for_hours(self.hours) if self.hours else None

    @property
    def time_words(self):
        """Their time in their own terms: "the week", or "the 30 hours"."""
        if self.time is None and self.hours:
            return f"the {self.hours} hours"
        return HAVE_PHRASES[self.time_limit]

    @property
    def is_empty(self):
        return not (self.know or self.time_limit or self.learn or self.first)

    def query_args(self):
        """The profile as (key, value) pairs: the short URL to share."""
        pairs = [("know", f"{name}:{level.value}") for name, level in self.know.items()]
        if self.time is not None:
            pairs.append(("time", str(int(self.time))))
        elif self.hours:
            pairs.append(("hours", str(self.hours)))
        pairs += [("learn", name) for name in self.learn]
        if self.first:
            pairs.append(("first", "1"))
        return pairs

    def summary(self):
        """The profile in a few words: "ocaml (concepts), a week, learning dns, first contribution"."""
        parts = [f"{name} ({level.label})" for name, level in self.know.items()]
        if self.time_limit is not None:
            parts.append(f"{self.hours} hours" if self.time is None else self.time.label)
        if self.learn:
            parts.append("learning " + names(self.learn))
        if self.first:
            parts.append("first contribution")
        return ", ".join(parts)

    def with_time(self, rating):
        return replace(self, time=rating, hours=None, notices=())

    def knowing(self, name, level):
        return replace(self, know={**self.know, name: level}, notices=())


class SkillNeed(NamedTuple):
    """A skill a project lists (a tuple: thousands are made per request, ten times faster than a dataclass)."""

    name: str
    level: SkillLevel
    required: bool


@dataclass
class Candidate:
    """What the rules read of a claimable project."""

    id: int
    stars: Stars | None
    time_rating: TimeRating | None
    skills: tuple = ()  # SkillNeed, in the project's order
    mentors: int = 0
    places_left: int = 0  # summed over its mentors
    claimed: bool = False  # someone works on it already (it is open to several people)
    topics: str = ""  # title, summary and area, lowercase: where a topic to learn is looked for
    approved_at: datetime | None = None
    # For the facets beside the results.
    area: str | None = None
    status: str = "available"
    mentor_names: tuple = ()


@dataclass
class Reason:
    text: str
    weight: int = 0  # what it adds to the score (negative: what it takes away)
    good: bool | None = None  # said for or against the project without weighing; None: follow the weight

    @property
    def kind(self):
        """Say how the page marks it: "for", "against" or "info"."""
        good = self.good if self.good is not None else (self.weight > 0 if self.weight else None)
        return "info" if good is None else "for" if good else "against"


@dataclass
class Fit:
    """A project that fits, its score, and the reasons in words (worked out when first read)."""

    candidate: Candidate
    score: int
    profile: Profile | None = None
    written: list | None = None

    @property
    def reasons(self):
        if self.written is None:
            self.written = judge(self.profile, self.candidate).reasons
        return self.written


def names(items):
    """Write ["a", "b", "c"] as "a, b and c"."""
    items = list(items)
    return ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + items[-1] if items else ""


def _skills(profile, candidate):
    """Judge the skills; None when the person knows none of the required ones (then it does not fit)."""
    needed = [need for need in candidate.skills if need.required and LEVEL_RANK[need.level] > 0]
    if not profile.know:
        return [Reason(f"it asks for {names(f'{need.name} ({need.level.label})' for need in needed)}"
                       if needed else "it needs no particular skill")]
    if not needed:
        reasons = [Reason("it needs no particular skill", good=True)]
    else:
        known = [need for need in needed if LEVEL_RANK[profile.know.get(need.name, SkillLevel.NONE)] > 0]
        if not known:
            return None
        reasons = []
        met = [need for need in known if profile.know[need.name] and
               LEVEL_RANK[profile.know[need.name]] >= LEVEL_RANK[need.level]]
        if len(met) == len(needed):
            count = {1: "the required skill", 2: "both required skills"}.get(len(needed),
                                                                              f"all {len(needed)} required skills")
            reasons.append(Reason(f"you know {count} ({', '.join(need.name for need in met)})",
                                  MATCHED * min(3, len(met))))
        elif met:
            reasons.append(Reason(f"you know {len(met)} of {len(needed)} required skills "
                                  f"({', '.join(need.name for need in met)})", MATCHED * min(3, len(met))))
        for need in needed:
            have = profile.know.get(need.name)
            short = LEVEL_RANK[need.level] - LEVEL_RANK[have or SkillLevel.NONE]
            if short <= 0:
                continue
            if have is None or have is SkillLevel.NONE:
                text = f"it needs {need.name} ({need.level.label}), which you did not list"
            else:
                text = f"it asks for {need.name} at “{need.level.label}”; you said “{have.label}”"
            reasons.append(Reason(text, -SHORT_LEVEL * short))
    nice = [need.name for need in candidate.skills if not need.required and need.name in profile.know]
    if nice:
        reasons.append(Reason(f"you also know {names(nice)} (nice to have)", NICE_KNOWN * min(2, len(nice))))
    return reasons


def _time(profile, candidate):
    """Judge the time; None when it takes two levels or more beyond what they have."""
    rating, limit = candidate.time_rating, profile.time_limit
    if rating is None:
        return Reason("how long it takes is not rated yet", -TIME_UNRATED if limit else 0)
    if limit is None:
        return Reason(f"takes {TIME_PHRASES[rating]}")
    if rating <= limit:
        return Reason(f"takes {TIME_PHRASES[rating]}, within your time", good=True)
    if rating == limit + 1:
        return Reason(f"takes {TIME_PHRASES[rating]}, more than {profile.time_words} you have", -TIME_OVER)
    return None


def _stars(profile, candidate):
    if candidate.stars is None:
        return Reason("its difficulty is not rated yet")
    text = f"{int(candidate.stars)} of 5 stars"
    if profile.first and candidate.stars in FIRST_STARS:
        what = "made for a first contribution" if candidate.stars is Stars.ONE else "a gentle start"
        return Reason(f"{text}: {what}", FIRST_STARS[candidate.stars])
    return Reason(text)


def _mentors(candidate):
    if not candidate.mentors:
        return Reason("no mentor yet")
    who = "the mentor has" if candidate.mentors == 1 else "its mentors have"
    if candidate.places_left:
        places = "1 place" if candidate.places_left == 1 else f"{candidate.places_left} places"
        return Reason(f"{who} {places} left", PLACES)
    return Reason(f"{who} no place left right now")


@functools.lru_cache(maxsize=256)
def _whole_word(topic):
    return re.compile(rf"(?<!\w){re.escape(topic)}(?!\w)")


def learns(profile, candidate):
    """What the person would learn: a wanted skill the project lists, or a topic in its title, summary or area."""
    if not profile.learn:
        return []
    listed = {need.name for need in candidate.skills}
    return [topic for topic in profile.learn if topic in listed or _whole_word(topic).search(candidate.topics)]


def judge(profile, candidate):
    """Score one project for one profile, with the reasons in plain words; None when it does not fit at all."""
    skills, time = _skills(profile, candidate), _time(profile, candidate)
    if skills is None or time is None:
        return None
    reasons = [*skills, time, _stars(profile, candidate), _mentors(candidate)]
    if candidate.claimed:
        reasons.append(Reason("someone works on it already; it is open to more people"))
    else:
        reasons.append(Reason("nobody has claimed it yet", UNCLAIMED))
    learned = learns(profile, candidate)
    if learned:
        reasons.append(Reason(f"you would learn {names(learned)}", LEARN * min(2, len(learned))))
    return Fit(candidate, sum(reason.weight for reason in reasons), profile, reasons)


def score(profile, candidate):
    """The score judge() gives, or None, without writing the reasons: ranking thousands of candidates needs
    only the numbers, the page only the words of its twenty. tests/fit/test_rules.py checks they agree."""
    total = 0
    if profile.know:
        met, known = 0, False
        for need in candidate.skills:
            asked = LEVEL_RANK[need.level]
            if not need.required or asked == 0:
                continue
            have = LEVEL_RANK[profile.know.get(need.name, SkillLevel.NONE)]
            known = known or have > 0
            if have >= asked:
                met += 1
            else:
                total -= SHORT_LEVEL * (asked - have)
        if not known and any(need.required and LEVEL_RANK[need.level] for need in candidate.skills):
            return None
        total += MATCHED * min(3, met)
        nice = sum(1 for need in candidate.skills if not need.required and need.name in profile.know)
        total += NICE_KNOWN * min(2, nice)
    rating, limit = candidate.time_rating, profile.time_limit
    if rating is None:
        total -= TIME_UNRATED if limit else 0
    elif limit is not None and rating > limit:
        if rating > limit + 1:
            return None
        total -= TIME_OVER
    if profile.first:
        total += FIRST_STARS.get(candidate.stars, 0)
    if candidate.mentors and candidate.places_left:
        total += PLACES
    if not candidate.claimed:
        total += UNCLAIMED
    return total + LEARN * min(2, len(learns(profile, candidate)))


def _tie_break(fit):
    candidate = fit.candidate
    return (-fit.score, int(candidate.stars or 6), int(candidate.time_rating or 6))


def rank(profile, candidates):
    """The projects that fit, best first; ties go to the easier, then the shorter, then the newest."""
    scored = ((candidate, score(profile, candidate)) for candidate in candidates)
    fits = [Fit(candidate, points, profile) for candidate, points in scored if points is not None]
    fits.sort(key=lambda fit: (fit.candidate.approved_at is not None, fit.candidate.approved_at, fit.candidate.id),
              reverse=True)
    fits.sort(key=_tie_break)
    return fits


def wider_time(profile):
    """The next time level up, or None when they already have the most."""
    limit = profile.time_limit
    if limit is None or limit is TimeRating.INTERNSHIP:
        return None
    return TimeRating(limit + 1)


def time_suggestion(profile, more):
    """Say what more time would give: "with a few weeks instead of a week, 4 more projects fit"."""
    wider = wider_time(profile)
    noun = "project fits" if more == 1 else "projects fit"
    have = f"{profile.hours} hours" if profile.time is None and profile.hours else profile.time_limit.label
    return f"with {wider.label} instead of {have}, {more} more {noun}"


def skill_suggestion(name, count):
    noun = "project asks" if count == 1 else "projects ask"
    return f"{count} {noun} for {name}, which you did not list: add it if you know a little of it"
