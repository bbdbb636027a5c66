"""Account forms. Their field names are part of the site's contract (docs/architecture.md): scripts drive them."""


from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional, ValidationError

from ..domain.alerts import MAX_NAME
from ..domain.passwords import MAX_LENGTH, password_problem
from ..domain.people import USERNAME_RE, find_user
from ..domain.pickers import did_you_mean, find_time_zone
from ..forms import BaseForm, choices, one_line
from ..models import AlertFrequency, Frequency, NoticeKind, SearchKind
from ..text import is_web_url

MAX_LINKS = 8


class NewPasswordMixin:
    def personal_words(self):
        return [self.username.data, self.email.data, self.name.data]

    def validate_password(self, field):
        problem = password_problem(field.data or "", self.personal_words())
        if problem:
            raise ValidationError(problem)


class RegisterForm(NewPasswordMixin, BaseForm):
    username = StringField(
        "Username", [DataRequired(), Length(min=3, max=40)], filters=[one_line],
        description="Your address on this site (/mentors/<username>): 3 to 40 lowercase letters, digits or dashes.",
    )
    email = EmailField("Email", [DataRequired(), Email(), Length(max=254)], filters=[one_line],
                       description="Private: only you and the site's admins see it.")
    name = StringField("Display name", [DataRequired(), Length(max=120)], filters=[one_line])
    password = PasswordField("Password", [DataRequired(), Length(max=MAX_LENGTH)],
                             description="At least 8 characters; a passphrase of a few words is best.")
    password_confirm = PasswordField(
        "Password again", [DataRequired(), EqualTo("password", "The two passwords differ.")]
    )

    # Set when the username or email typed belongs to an account: the registration throttle counts it.
    found_existing = False

    def validate_username(self, field):
        field.data = (field.data or "").strip().lower()
        if not USERNAME_RE.match(field.data):
            raise ValidationError(
                "Use 3 to 40 lowercase letters, digits or dashes, not starting or ending with a dash."
            )
        if find_user(field.data):
            self.found_existing = True
            raise ValidationError("This username is taken; try another.")

    def validate_email(self, field):
        # Whether the address is taken is never said here: the view mails its owner instead (docs/mail.md).
        field.data = (field.data or "").strip()


class LoginForm(BaseForm):
    login = StringField("Username or email", [DataRequired(), Length(max=254)], filters=[one_line])
    password = PasswordField("Password", [DataRequired(), Length(max=MAX_LENGTH)])
    next = HiddenField(filters=[one_line])


class ProfileForm(BaseForm):
    name = StringField("Display name", [DataRequired(), Length(max=120)], filters=[one_line])
    email = EmailField("Email", [DataRequired(), Email(), Length(max=254)], filters=[one_line],
                       description="Private.")
    bio = TextAreaField("About you", [Optional(), Length(max=2000)], description="Markdown. Shown on your mentor page.")
    links = TextAreaField(
        "Links", [Optional(), Length(max=2000)],
        description=f"One per line, up to {MAX_LINKS}: your GitHub page, a chat handle, a home page (http or https).",
    )
    timezone = StringField("Time zone", [Optional(), Length(max=64)], filters=[one_line],
                           description="For example Europe/London, or a city such as New York; times are shown in it.")
    capacity = IntegerField("How many people you can mentor at once", [NumberRange(0, 20)], default=1)
    availability = StringField("Availability", [Optional(), Length(max=500)], filters=[one_line],
                               description="For example: busy until March, then two evenings a week.")
    contact_chat = StringField("Chat handle", [Optional(), Length(max=200)], filters=[one_line],
                               description="Public: where newcomers can write to you, e.g. @ada on the project's chat.")
    contact_forum = StringField("Forum or chat room (link)", [Optional(), Length(max=500)], filters=[one_line],
                                description="Public: an http or https address where newcomers can ask questions.")
    public_email = EmailField("Public email", [Optional(), Email(), Length(max=254)], filters=[one_line],
                              description="Public, unlike your account's email: leave it empty to keep mail private.")
    office_hours = StringField("Office hours", [Optional(), Length(max=200)], filters=[one_line],
                               description="For example: Tuesdays 14:00–16:00 UTC.")
    office_hours_url = StringField("Office hours link", [Optional(), Length(max=500)], filters=[one_line],
                                   description="Public: the http or https address of the call or room.")

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_email(self, field):
        field.data = (field.data or "").strip()
        other = find_user(field.data)
        if other is not None and other.id != self.user.id:
            raise ValidationError("Another account uses this email.")

    def validate_timezone(self, field):
        """Read a zone's name in any case or its city ("paris"), and store the zone's own name."""
        field.data = (field.data or "").strip()
        if not field.data:
            return
        pick = find_time_zone(field.data)
        if pick.found is None:
            field.suggestions = pick.suggestions
            raise ValidationError("Unknown time zone. " + did_you_mean("time zone", field.data, pick)
                                  + " Use a name such as Europe/Paris, a city, or UTC.")
        field.data = pick.found

    def validate_contact_forum(self, field):
        if field.data and not is_web_url(field.data):
            raise ValidationError("Give an http or https address.")

    validate_office_hours_url = validate_contact_forum

    @property
    def link_list(self):
        return [line.strip() for line in (self.links.data or "").splitlines() if line.strip()]

    def validate_links(self, field):
        if len(self.link_list) > MAX_LINKS:
            raise ValidationError(f"Give at most {MAX_LINKS} links.")
        for line in self.link_list:
            if not is_web_url(line):
                raise ValidationError(f"{line[:60]} is not an http or https address.")


class PasswordChangeForm(NewPasswordMixin, BaseForm):
    current_password = PasswordField("Current password", [DataRequired(), Length(max=MAX_LENGTH)])
    password = PasswordField("New password", [DataRequired(), Length(max=MAX_LENGTH)],
                             description="At least 8 characters. Changing it signs you out everywhere else.")
    password_confirm = PasswordField("New password again",
                                     [DataRequired(), EqualTo("password", "The two passwords differ.")])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def personal_words(self):
        return [self.user.username, self.user.email, self.user.name]


class ResetRequestForm(BaseForm):
    email = EmailField("Your account's email", [DataRequired(), Email(), Length(max=254)], filters=[one_line])


class ResetPasswordForm(NewPasswordMixin, BaseForm):
    password = PasswordField("New password", [DataRequired(), Length(max=MAX_LENGTH)],
                             description="At least 8 characters. Setting it signs you out everywhere.")
    password_confirm = PasswordField("New password again",
                                     [DataRequired(), EqualTo("password", "The two passwords differ.")])

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def personal_words(self):
        return [self.user.username, self.user.email, self.user.name]


def notice_form(settings):
    """A form with one choice per kind of notice (field names are the kinds' values), set to settings."""
    options = choices([(value.value, value.label) for value in Frequency])

    class NoticeForm(BaseForm):
        pass

    for kind in NoticeKind:
        setattr(NoticeForm, kind.value, RadioField(kind.label, choices=options, default=settings[kind].value))
    return NoticeForm()


def _enum_or_text(enum):
    """Coerce to a member of enum, leaving an unknown value as text so the field says "Not a valid choice"."""
    def coerce(value):
        try:
            return enum(value)
        except ValueError:
            return value

    return coerce


class SavedSearchForm(BaseForm):
    """Keep a /projects or /start search, and say when to mail its new projects."""

    kind = SelectField("Page", choices=choices([(kind.value, kind.value) for kind in SearchKind]),
                       coerce=_enum_or_text(SearchKind))
    query = HiddenField("Search", filters=[lambda value: value or ""])
    name = StringField("Name", [Length(max=MAX_NAME)], filters=[one_line])
    frequency = SelectField("Email me about new projects it finds", coerce=_enum_or_text(AlertFrequency),
                            choices=choices([(frequency.value, frequency.label) for frequency in AlertFrequency]))
