"""Forms of the calls pages: scheduling a call, inviting one person or a group, recording who came."""

from datetime import UTC
from zoneinfo import ZoneInfo

from wtforms import DateField, DateTimeLocalField, EmailField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from ..domain.pickers import did_you_mean, find_time_zone
from ..forms import BaseForm, choices, one_line
from ..models import CallRepeat
from ..text import is_web_url

MIN_MINUTES, MAX_MINUTES = 5, 600
# The widget sends "2026-12-08T16:00"; a browser without it lets people type "2026-12-08 16:00".
START_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def _web_address(form, field):
    if field.data and not is_web_url(field.data):
        raise ValidationError("Give an http or https address, such as https://meet.example.org/call.")


class CommunityCallForm(BaseForm):
    title = StringField("Title", [DataRequired("Give the call a title."), Length(max=200)], filters=[one_line],
                        description="For example “MirageOS community call”.")
    starts_at = DateTimeLocalField(
        "Start", [InputRequired("Give the date and time the call starts.")], format=START_FORMATS,
        invalid_value_message="Give the date and time, such as 2026-12-08 16:00.",
        description="In the time zone below; stored in UTC, and each visitor sees it in their own zone.",
    )
    time_zone = StringField("Time zone", [Optional(), Length(max=64)], filters=[one_line],
                            description="Yours, from your profile, unless you change it: a name such as "
                                        "Europe/Paris, a city, or UTC.")
    duration_minutes = IntegerField(
        "Length in minutes",
        [InputRequired("Say how long the call lasts, in minutes."),
         NumberRange(MIN_MINUTES, MAX_MINUTES, f"Between {MIN_MINUTES} and {MAX_MINUTES} minutes.")],
        default=60, invalid_value_message="Give a whole number of minutes, such as 60.",
    )
    join_url = StringField("Where to join", [Optional(), Length(max=500), _web_address], filters=[one_line],
                           description="The address of the video or audio room. Optional.")
    agenda_url = StringField("Agenda", [Optional(), Length(max=500), _web_address], filters=[one_line],
                             description="A link to the agenda or the notes. Optional.")
    repeat = SelectField("Repeats", choices=choices((repeat.value, repeat.label) for repeat in CallRepeat),
                         default=CallRepeat.NONE.value)
    repeat_until = DateField("Repeats until", [Optional()],
                             invalid_value_message="Give a date such as 2027-03-02.",
                             description="The date of the last call (UTC), when it repeats.")

    def validate_time_zone(self, field):
        pick = find_time_zone(field.data or "UTC")
        if pick.found is None:
            field.suggestions = pick.suggestions
            raise ValidationError(did_you_mean("time zone", field.data, pick))
        field.data = pick.found

    @property
    def starts_at_utc(self):
        """The start typed, read in the form's time zone, as an aware UTC time (None until both are valid)."""
        if self.starts_at.data is None or self.time_zone.errors:
            return None
        zone = ZoneInfo(find_time_zone(self.time_zone.data or "UTC").found or "UTC")
        return self.starts_at.data.replace(tzinfo=zone).astimezone(UTC)

    def show_in_zone(self, call, zone_name):
        """Fill the start field with call's start in zone_name (the call's own zone, or the editor's)."""
        zone = ZoneInfo(zone_name or "UTC")
        self.time_zone.data = zone_name or "UTC"
        self.starts_at.data = call.starts_at.astimezone(zone).replace(tzinfo=None)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.repeat.data == CallRepeat.NONE.value or self.repeat_until.errors:
            return valid
        until, start = self.repeat_until.data, self.starts_at_utc or self.starts_at.data
        if until is None:
            self.repeat_until.errors.append("Say until when the call repeats.")
            return False
        if start is not None and until <= start.date():
            self.repeat_until.errors.append(
                f"Give a date after the first call ({start.day} {start:%b %Y}).")
            return False
        return valid

    def apply_to(self, call):
        """Copy what was typed onto a call."""
        call.title = self.title.data
        call.starts_at = self.starts_at_utc
        call.time_zone = None if self.time_zone.data in (None, "", "UTC") else self.time_zone.data
        call.duration_minutes = self.duration_minutes.data
        call.join_url = self.join_url.data or ""
        call.agenda_url = self.agenda_url.data or ""
        call.repeat = CallRepeat(self.repeat.data)
        call.repeat_until = None if call.repeat is CallRepeat.NONE else self.repeat_until.data


class InviteForm(BaseForm):
    """Invite one person by name and address."""

    name = StringField("Name", [DataRequired("Give the name to greet them by."), Length(max=120)], filters=[one_line])
    email = EmailField("Email", [DataRequired("Give their email address."),
                                 Email("Give an email address such as ada@example.org."), Length(max=254)],
                       filters=[one_line])


class BatchInviteForm(BaseForm):
    """Invite a group; the options come from the rounds and projects of the day."""

    batch = SelectField("Group", [DataRequired("Choose a group to invite.")], choices=[], validate_choice=False)

    def set_options(self, options):
        self.batch.choices = choices((option.value, option.label) for option in options)
