"""Forms for rounds, interns and their notes."""

from wtforms import BooleanField, DateField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError

from ..forms import BaseForm, choices, one_line
from ..models import InternStatus


class RoundForm(BaseForm):
    name = StringField("Name", [DataRequired(), Length(max=200)], filters=[one_line],
                       description="For example: Outreachy December 2026 – March 2027.")
    starts_on = DateField("Starts on", [DataRequired(message="Give the first day, as YYYY-MM-DD.")])
    ends_on = DateField("Ends on", [DataRequired(message="Give the last day, as YYYY-MM-DD.")])
    description = TextAreaField("About this round", [Optional(), Length(max=5000)], description="Markdown.")

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("A round ends on or after the day it starts.")


class InternForm(BaseForm):
    name = StringField("Name", [DataRequired(), Length(max=120)], filters=[one_line],
                       description="Shown on the public round page.")
    email = EmailField("Email", [DataRequired(), Email(), Length(max=254)], filters=[one_line],
                       description="Private: only coordinators and the intern's mentors see it.")
    project = StringField("Project", [Optional(), Length(max=120)], filters=[one_line],
                          description="Its title, or a part of it: pick from the suggestions.")
    mentors = StringField("Mentors", [Optional(), Length(max=400)], filters=[one_line],
                          description="Names or usernames, separated by commas.")
    status = SelectField("Status", choices=choices((status.value, status.value) for status in InternStatus),
                         default=InternStatus.APPLICANT.value)
    override = StringField("Reason to go ahead anyway", [Optional(), Length(max=500)], filters=[one_line],
                           description="Only when the round's dates or a mentor's places say no: the reason is "
                                       "kept in the intern's notes.")
    finish_project = BooleanField("The project is done: mark it done")
    actual_hours = IntegerField("Hours it really took", [Optional(), NumberRange(1, 5000)],
                                description="Optional; shown beside the estimate on the project page.")


class NoteForm(BaseForm):
    body = TextAreaField("Progress note", [DataRequired(), Length(max=5000)],
                         description="Private: coordinators and the intern's mentors see it.")
