"""The admin's form for one account."""

from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from ..forms import BaseForm, stripped


class AccountForm(BaseForm):
    reviewer = BooleanField("Reviewer")
    coordinator = BooleanField("Coordinator")
    admin = BooleanField("Admin")
    is_active = BooleanField("Can sign in")


class MergeForm(BaseForm):
    """Merge a mentor profile without a login into the account of the person it names."""

    account = StringField("Username of the account", filters=[stripped],
                          validators=[DataRequired("Type the username of the account to merge into."),
                                      Length(max=40)])
