"""The errors the domain raises: each carries the sentence the person needs, and becomes a response in one place.

`pioneer/errors.py` turns any DomainError a view lets through into a 409 page with that sentence.
Views that can show the sentence beside the form that caused it catch the error themselves.
"""


class DomainError(Exception):
    """A change the rules do not allow, with the reason in words for the person who asked."""

    status_code = 409
