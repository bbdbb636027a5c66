"""The claim form: a note for the mentors."""

from wtforms import TextAreaField
from wtforms.validators import Length, Optional

from ..forms import BaseForm


class ClaimForm(BaseForm):
    note = TextAreaField(
        "A note for the mentors", [Optional(), Length(max=2000)],
        description="Optional: how far you are, or where you are stuck. Plain text, shown to the mentors.",
    )
