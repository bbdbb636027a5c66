"""Closed sets of values: ratings, statuses, levels and roles."""

from datetime import timedelta
from enum import IntEnum, StrEnum


class Stars(IntEnum):
    """Difficulty, from a first contribution (1) to research-grade (5)."""

    ONE = 1
    TWO = 2
    THREE = 3
    FOUR = 4
    FIVE = 5

    @property
    def meaning(self):
        return STAR_MEANINGS[self]


STAR_MEANINGS = {
    Stars.ONE: "A first contribution: small, well specified, a mentor at hand, no deep domain knowledge.",
    Stars.TWO: "Needs some knowledge of the language or of the domain, not both.",
    Stars.THREE: "Solid knowledge of the language and some of the domain.",
    Stars.FOUR: "Deep knowledge of a domain: a protocol, a hypervisor, a file system.",
    Stars.FIVE: "Research-grade or open-ended.",
}


class Role(StrEnum):
    """Granted roles; mentor rights come with every account."""

    REVIEWER = "reviewer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class TimeRating(IntEnum):
    """How long a newcomer working part-time should expect; bounds follow GSoC's sizes."""

    DAY = 1
    WEEK = 2
    FEW_WEEKS = 3
    SEASON = 4
    INTERNSHIP = 5

    @property
    def label(self):
        return TIME_LABELS[self]

    @property
    def max_hours(self):
        return TIME_MAX_HOURS[self]

    @property
    def min_hours(self):
        return 0 if self is TimeRating.DAY else TIME_MAX_HOURS[TimeRating(self - 1)]

    @property
    def hours_text(self):
        if self is TimeRating.INTERNSHIP:
            return f"{self.min_hours} hours and beyond"
        return f"up to {self.max_hours} hours"

    @classmethod
    def from_label(cls, text):
        """Find the rating whose label is text, ignoring case and spacing; None if none."""
        wanted = " ".join(text.lower().split())
        for rating, label in TIME_LABELS.items():
            if label == wanted:
                return rating
        return None

    @classmethod
    def for_hours(cls, hours):
        """Find the bucket that holds a number of hours."""
        for rating in cls:
            if hours <= rating.max_hours:
                return rating
        return cls.INTERNSHIP


TIME_LABELS = {
    TimeRating.DAY: "a day",
    TimeRating.WEEK: "a week",
    TimeRating.FEW_WEEKS: "a few weeks",
    TimeRating.SEASON: "a season",
    TimeRating.INTERNSHIP: "an internship",
}
TIME_MAX_HOURS = {
    TimeRating.DAY: 8,
    TimeRating.WEEK: 40,
    TimeRating.FEW_WEEKS: 90,
    TimeRating.SEASON: 175,
    TimeRating.INTERNSHIP: 350,
}


class LinkKind(StrEnum):
    # What a project's link points to.
    REPOSITORY = "repository"
    ISSUE = "issue"
    READING = "reading"
    OTHER = "other"


class ProjectStatus(StrEnum):
    DRAFT = "draft"
    PROPOSED = "proposed"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    AVAILABLE = "available"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ARCHIVED = "archived"

    @property
    def label(self):
        return self.value.replace("_", " ")

    @property
    def is_public(self):
        return self in PUBLIC_STATUSES

    @classmethod
    def from_text(cls, text):
        """Read a status written by a person ("in progress", "In-Progress"); None if unknown."""
        key = "_".join(text.lower().replace("-", " ").split())
        try:
            return cls(key)
        except ValueError:
            return None


PUBLIC_STATUSES = (ProjectStatus.AVAILABLE, ProjectStatus.IN_PROGRESS, ProjectStatus.DONE)


class ClaimEnd(StrEnum):
    """Why a claim stopped being active."""

    RELEASED = "released"
    EXPIRED = "expired"
    FINISHED = "finished"


class SkillLevel(StrEnum):
    """How much of a skill a project asks for."""

    NONE = "none"
    CONCEPTS = "concepts"
    SOME = "some"
    COMFORTABLE = "comfortable"
    CHALLENGE = "challenge"

    @property
    def label(self):
        return SKILL_LEVEL_LABELS[self]

    @classmethod
    def from_label(cls, text):
        wanted = " ".join(text.lower().split())
        for level, label in SKILL_LEVEL_LABELS.items():
            if wanted in (label, level.value):
                return level
        return SKILL_LEVEL_ALIASES.get(wanted)


SKILL_LEVEL_LABELS = {
    SkillLevel.NONE: "none needed",
    SkillLevel.CONCEPTS: "concepts",
    SkillLevel.SOME: "some experience",
    SkillLevel.COMFORTABLE: "comfortable",
    SkillLevel.CHALLENGE: "a challenge",
}
SKILL_LEVEL_ALIASES = {
    "none": SkillLevel.NONE,
    "basic": SkillLevel.CONCEPTS,
    "basics": SkillLevel.CONCEPTS,
    "some": SkillLevel.SOME,
    "challenge": SkillLevel.CHALLENGE,
    "challenging": SkillLevel.CHALLENGE,
}


class InternStatus(StrEnum):
    """Where an intern is in a round (pioneer/domain/interns.py moves them)."""

    APPLICANT = "applicant"
    ACCEPTED = "accepted"
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


class CallRepeat(StrEnum):
    """How a community call repeats."""

    NONE = "none"
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"

    @property
    def label(self):
        """The choice in the call form: "Every week"."""
        return REPEAT_LABELS[self]

    @property
    def step(self):
        """The time from one call to the next, or None for a call that does not repeat."""
        return REPEAT_STEPS.get(self)


REPEAT_LABELS = {CallRepeat.NONE: "Does not repeat", CallRepeat.WEEKLY: "Every week",
                 CallRepeat.FORTNIGHTLY: "Every two weeks"}
REPEAT_STEPS = {CallRepeat.WEEKLY: timedelta(weeks=1), CallRepeat.FORTNIGHTLY: timedelta(weeks=2)}


class ReviewAction(StrEnum):
    """What a review event records."""

    IMPORT = "import"
    SUBMIT = "submit"
    RESUBMIT = "resubmit"
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    ARCHIVE = "archive"
    RESTORE = "restore"
    CONFIRM = "confirm"
    RATE = "rate"
    FLAG = "flag"
    START = "start"
    RELEASE = "release"
    FINISH = "finish"
    MERGE_MENTOR = "merge_mentor"
    COMMENT = "comment"

    @property
    def label(self):
        return ACTION_LABELS.get(self, self.value.replace("_", " "))


ACTION_LABELS = {
    ReviewAction.CONFIRM: "still accurate",
    ReviewAction.RATE: "ratings changed",
    ReviewAction.START: "work started",
    ReviewAction.FINISH: "marked done",
    ReviewAction.MERGE_MENTOR: "mentor profile merged into an account",
    ReviewAction.COMMENT: "comment",
}


class NoticeKind(StrEnum):
    """The kinds of notice a person can choose how to receive (on /account/notifications)."""

    CLAIMS = "claims"
    REVIEWS = "reviews"
    DONE = "done"
    INVITATIONS = "invitations"
    COMMENTS = "comments"

    @property
    def label(self):
        return NOTICE_LABELS[self]


NOTICE_LABELS = {
    NoticeKind.CLAIMS: "Someone claims, updates or lets go of a project you mentor, or a claim expires",
    NoticeKind.REVIEWS: "A reviewer decides on a project you mentor",
    NoticeKind.DONE: "A project you work on is marked done",
    NoticeKind.INVITATIONS: "You are invited to co-mentor a project",
    NoticeKind.COMMENTS: "Someone comments in the history of a project you mentor",
}


class Frequency(StrEnum):
    """When a kind of notice is mailed."""

    AT_ONCE = "at_once"
    DAILY = "daily"
    NEVER = "never"

    @property
    def label(self):
        return {"at_once": "At once", "daily": "In a daily digest", "never": "Never"}[self.value]


class SearchKind(StrEnum):
    """Which page a saved search comes from: the catalogue's filters or the fit finder's profile."""

    PROJECTS = "projects"
    START = "start"


class AlertFrequency(StrEnum):
    """When a saved search mails its new matches (`pioneer alerts send`, docs/fit.md)."""

    NEVER = "never"
    AT_ONCE = "at_once"
    WEEKLY = "weekly"

    @property
    def label(self):
        return ALERT_LABELS[self]


ALERT_LABELS = {AlertFrequency.NEVER: "no email", AlertFrequency.AT_ONCE: "an email as soon as one appears",
                AlertFrequency.WEEKLY: "a weekly digest"}
