"""The base form (CSRF from the session, data bound only on POST) and the site-wide CSRF check."""

from typing import NamedTuple

from flask import abort, current_app, request, session
from wtforms import Form
from wtforms.csrf.session import SessionCSRF
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from .database import READ_ONLY_METHODS
from .text import one_line as text_one_line

CSRF_FAILED = (
    "This form was not sent from a page of this site, or the page is out of date. "
    "Go back, reload the page and send the form again."
)


NOT_RATED = "0"


def choices(pairs):
    """Options for a select or radio field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def one_line(text):
    """A field filter for every single-line field: the site's one rule, text.one_line.

    Titles, names and subjects go into mail headers, calendar summaries and CSV rows, where a line break
    or a control character does harm: runs of white space and line separators become one space, control
    characters go, the ends are trimmed.
    """
    return text_one_line(text)


# The older name of the same rule, for addresses and links: one rule for every single-line field.
stripped = one_line


def _rating_coerce(enum):
    def coerce(value):
        """Read "0" or nothing as not rated, a number as the rating (ValueError for anything else)."""
        if value in (None, "", NOT_RATED):
            return None
        return enum(int(value))

    return coerce


def rating_field(field_class, label, enum, unrated, option_label, **kwargs):
    """A stars or time field, radio or select: its data is the enum member, or None for "not rated"."""
    return field_class(
        label,
        choices=choices([(NOT_RATED, unrated)] + [(str(int(value)), option_label(value)) for value in enum]),
        coerce=_rating_coerce(enum), default=None, **kwargs,
    )


class _SessionCSRF(SessionCSRF):
    """WTForms' session CSRF, answering a validation error rather than a KeyError for a new session."""

    def validate_csrf_token(self, form, field):
        # Tests switch the check off (CSRF_ENABLED = False) except in the module that proves it.
        if not current_app.config["CSRF_ENABLED"]:
            return
        if "csrf" not in self.session:
            raise ValidationError("CSRF token missing.")
        super().validate_csrf_token(form, field)


class BaseForm(Form):
    """Every form of the site: a hidden csrf_token, and request data bound only on POST."""

    class Meta:
        csrf = True
        csrf_class = _SessionCSRF
        csrf_field_name = "csrf_token"
        # The token lives as long as the session: a proposal written over an hour must still send.
        csrf_time_limit = None

        @property
        def csrf_secret(self):
            return current_app.secret_key.encode()

        @property
        def csrf_context(self):
            return session

    def __init__(self, formdata=None, **kwargs):
        # Edit pages fill from the object on GET and from what was typed on POST.
        if formdata is None and request.method == "POST":
            formdata = request.form
        super().__init__(formdata, **kwargs)

    @property
    def first_error_id(self):
        """Name the first invalid field, so the page can focus it."""
        problems = self.problems
        return problems[0].target if problems else None

    @property
    def problems(self):
        """List each invalid field, in the form's order, for the error summary's links."""
        return list(_problems(self, ""))


class Problem(NamedTuple):
    target: str  # the id of the control to focus: a radio group's first option, a row's own field
    label: str
    message: str


def _problems(fields, prefix):
    for field in fields:
        if field.type == "CSRFTokenField":
            continue
        if field.type == "FieldList":
            for message in (error for error in field.errors if isinstance(error, str)):
                yield Problem(field.id, prefix + field.label.text, message)
            for number, entry in enumerate(field.entries, 1):
                inner = entry.form if entry.type == "FormField" else [entry]
                yield from _problems(inner, f"{prefix}{field.label.text}, row {number}: ")
        elif field.errors:
            target = f"{field.id}-0" if field.type == "RadioField" else field.id
            yield Problem(target, prefix + field.label.text, " ".join(map(str, field.errors)))


class CsrfOnlyForm(BaseForm):
    """A form with nothing but its token: buttons such as "Sign out" and the site-wide check."""


def csrf_field():
    """Render the hidden token for a form that has no form class, such as a lone button."""
    return CsrfOnlyForm().csrf_token()


def csrf_exempt(view):
    """Let a view take POSTs without the session's token: only one whose URL carries a signed token of its own.

    A mail client's one-click unsubscribe (RFC 8058) posts from outside any session; the signed token in
    the address is what proves the request comes from the mail we sent.
    """
    view.csrf_exempt = True
    return view


def init_app(app):
    app.before_request(check_csrf)
    app.jinja_env.globals["csrf_field"] = csrf_field


def check_csrf():
    """Refuse every state-changing request that does not carry this session's token."""
    if request.method in READ_ONLY_METHODS:
        return
    if getattr(current_app.view_functions.get(request.endpoint), "csrf_exempt", False):
        return
    if not CsrfOnlyForm(request.form).validate():
        abort(400, description=CSRF_FAILED)
