"""The decision form: ratings a reviewer may set, a comment, and the status the reviewer saw."""

from wtforms import HiddenField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from ..forms import BaseForm, choices
from ..models import Stars, TimeRating

NOT_RATED = "0"


class DecisionForm(BaseForm):
    stars = SelectField("Stars", choices=choices(
        [(NOT_RATED, "not rated yet")] + [(str(int(star)), f"{int(star)} — {star.meaning}") for star in Stars]))
    time_rating = SelectField("Time", choices=choices(
        [(NOT_RATED, "not rated yet")]
        + [(str(int(rating)), f"{rating.label} ({rating.hours_text})") for rating in TimeRating]))
    comment = TextAreaField("Comment for the mentors", [Optional(), Length(max=2000)],
                            description="Optional; shown in the project's history and on the mentor's page.")
    # The status the reviewer decided on: a decision on a project that changed meanwhile is refused.
    expected_status = HiddenField()

    @property
    def stars_value(self):
        return None if self.stars.data in (None, "", NOT_RATED) else Stars(int(self.stars.data))

    @property
    def time_value(self):
        return None if self.time_rating.data in (None, "", NOT_RATED) else TimeRating(int(self.time_rating.data))
