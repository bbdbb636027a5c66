"""The domain: every table of the product, and the enums that close its sets of values."""

from .alerts import SavedSearch
from .catalogue import (
    UNRATED_LAST,
    Area,
    CatalogueState,
    Claim,
    Project,
    ProjectLink,
    ProjectSkill,
    ReviewEvent,
    Skill,
    project_mentors,
    unrated_last,
)
from .enums import (
    PUBLIC_STATUSES,
    AlertFrequency,
    CallRepeat,
    ClaimEnd,
    Frequency,
    InternStatus,
    LinkKind,
    NoticeKind,
    ProjectStatus,
    ReviewAction,
    Role,
    SearchKind,
    SkillLevel,
    Stars,
    TimeRating,
)
from .mentoring import MentorInvitation
from .notify import NoticeSetting, OutboxMail
from .people import LoginFailure, User, UserRole
from .programmes import Attendance, Call, Intern, InternNote, Invitation, Round, intern_mentors
from .review import CallForProjects
from .search import SearchConsumer, SearchPending
from .types import utcnow

__all__ = [
    "AlertFrequency",
    "Area",
    "Attendance",
    "Call",
    "CallForProjects",
    "CallRepeat",
    "CatalogueState",
    "Claim",
    "ClaimEnd",
    "Frequency",
    "Intern",
    "InternNote",
    "InternStatus",
    "Invitation",
    "LinkKind",
    "LoginFailure",
    "MentorInvitation",
    "NoticeKind",
    "NoticeSetting",
    "OutboxMail",
    "PUBLIC_STATUSES",
    "Project",
    "ProjectLink",
    "ProjectSkill",
    "ProjectStatus",
    "ReviewAction",
    "ReviewEvent",
    "Role",
    "Round",
    "SavedSearch",
    "SearchKind",
    "SearchConsumer",
    "SearchPending",
    "Skill",
    "SkillLevel",
    "Stars",
    "TimeRating",
    "UNRATED_LAST",
    "User",
    "UserRole",
    "intern_mentors",
    "project_mentors",
    "unrated_last",
    "utcnow",
]
