"""Reviewers' forms: a decision on one project, and a call for projects to the community's list."""

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm, one_line, rating_field
from ..models import Stars, TimeRating


class DecisionForm(BaseForm):
    stars = rating_field(SelectField, "Stars", Stars, "not rated yet", lambda star: f"{int(star)} — {star.meaning}")
    time_rating = rating_field(SelectField, "Time", TimeRating, "not rated yet",
                               lambda rating: f"{rating.label} ({rating.hours_text})")
    comment = TextAreaField("Comment for the mentors", [Optional(), Length(max=2000)],
                            description="Needed to request changes or reject: say what to change, or why. "
                                        "Mailed to the mentors and shown at the top of their edit form.")
    # The status the reviewer decided on: a decision on a project that changed meanwhile is refused.
    expected_status = HiddenField(filters=[one_line])


# A pasted or uploaded page: big enough for a few thousand projects, small enough to read in one request.
MAX_IMPORT_CHARS = 1_000_000


class ImportForm(BaseForm):
    text = TextAreaField(
        "The page, as Markdown", [Optional(), Length(max=MAX_IMPORT_CHARS, message="The page is too long to import "
                                                     f"here (at most {MAX_IMPORT_CHARS:,} characters).")],
        description="Paste the ideas page (a wiki page, a Summer-of-Code style list), or upload its file below.",
    )


class CallForProjectsForm(BaseForm):
    subject = StringField("Subject", [DataRequired("Write a subject for the message."), Length(max=200)],
                          filters=[one_line])
    body = TextAreaField("Message", [DataRequired("Write the message."), Length(max=20000)],
                         description="Plain text, as the list will read it. Drafted from the gaps above.")
