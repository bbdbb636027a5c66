"""The domain: every table of the product, and the enums that close its sets of values."""

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
    CallRepeat,
    ClaimEnd,
    InternStatus,
    LinkKind,
    ProjectStatus,
    ReviewAction,
    Role,
    SkillLevel,
    Stars,
    TimeRating,
)
from .mentoring import MentorInvitation
from .people import LoginFailure, User, UserRole
from .programmes import Attendance, Call, Intern, InternNote, Invitation, Round, intern_mentors
from .review import CallForProjects
from .search import SearchPending
from .types import utcnow

__all__ = [
    "Area",
    "Attendance",
    "Call",
    "CallForProjects",
    "CallRepeat",
    "CatalogueState",
    "Claim",
    "ClaimEnd",
    "Intern",
    "InternNote",
    "InternStatus",
    "Invitation",
    "LinkKind",
    "LoginFailure",
    "MentorInvitation",
    "PUBLIC_STATUSES",
    "Project",
    "ProjectLink",
    "ProjectSkill",
    "ProjectStatus",
    "ReviewAction",
    "ReviewEvent",
    "Role",
    "Round",
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
