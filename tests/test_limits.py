"""Request size limits: oversized requests get a friendly 413 unread, the largest real form still goes through."""

import io

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from pioneer.database import db
from pioneer.models import Role
from pioneer.review.forms import MAX_IMPORT_CHARS

from .factories import make_user

PAGE = """## Networking

### Packet capture to pcap files (2-star)

Write what the stack sends and receives to a pcap file, for Wireshark.

Mentors: Olga Brandt
"""


@pytest.fixture
def reviewer(ctx):
    user = make_user("Rita Reviewer", username="rita", roles=[Role.REVIEWER])
    db.session.commit()
    return user


def post_multipart(client, path, fields):
    """Post fields as multipart/form-data; close the body the test client spools to a file when it is large."""
    environ = EnvironBuilder(path=path, method="POST", data=fields, content_type="multipart/form-data").get_environ()
    try:
        return client.open(Request(environ))
    finally:
        environ["wsgi.input"].close()


def assert_friendly_413(response, app):
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "That was too large to send" in html and "Back button" in html
    assert f"at most {app.config['MAX_CONTENT_LENGTH'] // (1024 * 1024)} MB" in html


@pytest.mark.parametrize("method, path", [("POST", "/login"), ("GET", "/projects"), ("POST", "/nowhere")])
def test_a_body_over_the_limit_is_refused_from_its_content_length_unread(app, client, method, path):
    body = io.BytesIO(b"login=x&password=y" + b"&" * 1000)
    environ = EnvironBuilder(path=path, method=method, input_stream=body,
                             content_type="application/x-www-form-urlencoded").get_environ()
    # A client announces more than the limit; the test client would otherwise count the stream itself.
    environ["CONTENT_LENGTH"] = str(app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.open(Request(environ))
    assert_friendly_413(response, app)
    assert body.tell() == 0  # Not one byte was read.


def test_a_form_with_too_many_fields_is_refused(app, client):
    fields = {f"field{number}": "x" for number in range(app.config["MAX_FORM_PARTS"] + 1)}
    response = post_multipart(client, "/login", fields)
    assert_friendly_413(response, app)


def test_a_pasted_text_field_over_the_memory_limit_is_refused(app, auth, client, reviewer):
    auth.login(reviewer)
    text = "x" * (app.config["MAX_FORM_MEMORY_SIZE"] + 1)
    response = post_multipart(client, "/review/import", {"action": "preview", "text": text})
    assert_friendly_413(response, app)


def test_the_largest_import_a_reviewer_may_send_goes_through(app, auth, client, reviewer):
    """1,000,000 four-byte characters pasted and a 4 MB file in one post: the form answers, not the limit."""
    auth.login(reviewer)
    pasted = "\N{GRINNING FACE}" * MAX_IMPORT_CHARS
    upload = PAGE.encode() + b" " * (MAX_IMPORT_CHARS * 4 - len(PAGE.encode()))
    response = post_multipart(client, "/review/import", {
        "action": "preview", "text": pasted, "page": (io.BytesIO(upload), "ideas.md")})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "from ideas.md" in html and "Packet capture to pcap files" in html
    one_more = post_multipart(client, "/review/import", {"action": "preview", "text": pasted + "x"})
    assert one_more.status_code == 422 and "too long to import here" in one_more.get_data(as_text=True)


def test_an_upload_over_the_import_limit_keeps_what_was_typed_and_says_why(auth, client, reviewer):
    auth.login(reviewer)
    too_big = io.BytesIO(b"x" * (MAX_IMPORT_CHARS * 4 + 1))
    response = post_multipart(client, "/review/import", {
        "action": "preview", "text": "My notes on the ideas page.", "page": (too_big, "huge.md")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The file is too large to import here" in html and "pioneer import" in html
    assert "My notes on the ideas page." in html
