"""Community calls: scheduling, invitations by mail with a calendar file, attendance, and the public feed.

Not to be mixed up with a call for projects, which reviewers send to the community's list (pioneer/review).
"""

from flask import Blueprint

bp = Blueprint("calls", __name__)

from . import views  # noqa: E402,F401  (views register on bp)
