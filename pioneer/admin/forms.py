"""The admin's form for one account."""

from wtforms import BooleanField

from ..forms import BaseForm


class AccountForm(BaseForm):
    reviewer = BooleanField("Reviewer")
    coordinator = BooleanField("Coordinator")
    admin = BooleanField("Admin")
    is_active = BooleanField("Can sign in")
