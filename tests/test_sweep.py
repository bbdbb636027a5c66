"""Every route × every kind of visitor × hostile values in every argument: no request may be a server error.

The sweep loads the demo catalogue, finds a real address for each route by following the site's own
links and forms, then sends each route, as each visitor, hostile values (NUL, U+2028, "²", 10,000
characters, a huge integer, nothing, repeated keys) in its path arguments, in every query argument the
code reads and in every form field a form declares, by GET and POST. It fails on any 500, listing
every offending request with the error it raised, and on any request with a NUL that is not refused
with 400. A smaller variant runs on PostgreSQL, which refuses a NUL in text where SQLite stores it.
"""

import itertools
import logging
import os
import re
import traceback
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from wtforms import Form

from pioneer import create_app, search
from pioneer.database import db
from pioneer.demo import load_demo
from pioneer.models import ProjectStatus, Role, User
from pioneer.provision import build_index_if_missing

from .factories import DEFAULT_PASSWORD, make_claim, make_project, make_user, password_hash

PIONEER = Path(__file__).resolve().parent.parent / "pioneer"

HOSTILE = {
    "NUL": "a\x00b",
    "line separator": "Ada\u2028Lovelace\u2029\x85x",
    "unicode digit": "²",
    "10,000 characters": "x" * 10_000,
    "huge integer": "9" * 25,
    # One past the largest id PostgreSQL's 32-bit id columns hold ("integer out of range" there).
    "beyond 32 bits": str(2**31),
    "empty": "",
}
# On PostgreSQL the sweep is smaller: the values whose handling differs between the two databases.
HOSTILE_PG = ("NUL", "line separator", "unicode digit", "beyond 32 bits")
ACTORS = ("anonymous", "user", "reviewer", "coordinator", "admin")
ACTORS_PG = ("anonymous", "reviewer", "coordinator", "admin")
ROLES = {"reviewer": [Role.REVIEWER], "coordinator": [Role.COORDINATOR], "admin": [Role.ADMIN]}
# Text fields of a page's own form, where a hostile value replaces what the page sent.
TEXT_INPUTS = {"text", "search", "email", "url", "hidden", "password", "tel", "number", "date",
               "datetime-local", "time", "textarea"}


# What the code reads -------------------------------------------------------------------------------

def query_names():
    """Every query argument the code reads, found in its source, so new ones are swept too."""
    pattern = re.compile(r"\bargs\.get(?:list)?\(\s*[\"']([\w-]+)[\"']")
    names = set()
    for path in PIONEER.rglob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return sorted(names | {"page", "q", "next"})


def form_field_names(app):
    """Every field name a form class declares (rows of lists as their first row), and the names views read."""
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    names = set()
    with app.test_request_context("/"):
        for form_class in set(subclasses(Form)):
            if not form_class.__module__.startswith("pioneer."):
                continue
            try:
                form = form_class(formdata=None)
            except TypeError:
                continue
            names.update(field_names(form))
    pattern = re.compile(r"form\.get(?:list)?\(\s*[\"']([\w-]+)[\"']|[\"']([\w-]+)[\"'] in request\.form")
    for path in PIONEER.rglob("*.py"):
        names.update(name for pair in pattern.findall(path.read_text(encoding="utf-8")) for name in pair if name)
    return sorted(names)


def field_names(form):
    for field in form:
        if hasattr(field, "entries") or hasattr(field, "form"):
            subfields = field.entries if hasattr(field, "entries") else [field]
            for entry in subfields:
                yield from (sub.name for sub in entry.form) if hasattr(entry, "form") else [entry.name]
        else:
            yield field.name


# Real addresses ------------------------------------------------------------------------------------

class PageParser(HTMLParser):
    """The links and the forms (action, method, fields with the values the page gives) of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.forms = [], []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and (attrs.get("href") or "").startswith("/"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").upper(),
                          "fields": {}, "text": set(), "buttons": [], "formactions": []}
            self.forms.append(self._form)
        elif self._form is None or not attrs.get("name"):
            return
        elif tag == "input":
            kind, name = (attrs.get("type") or "text").lower(), attrs["name"]
            if kind in ("checkbox", "radio"):
                if "checked" in attrs or (kind == "radio" and name not in self._form["fields"]):
                    self._form["fields"][name] = attrs.get("value") or "on"
            elif kind == "submit":
                self._form["buttons"].append((name, attrs.get("value") or ""))
            elif kind != "file":
                self._form["fields"][name] = attrs.get("value") or ""
                if kind in TEXT_INPUTS:
                    self._form["text"].add(name)
        elif tag == "button" and (attrs.get("type") or "submit") == "submit":
            self._form["buttons"].append((attrs["name"], attrs.get("value") or ""))
            if attrs.get("formaction"):
                self._form["formactions"].append((attrs["formaction"], attrs["name"], attrs.get("value") or ""))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select:
            if self._select not in self._form["fields"] or "selected" in attrs:
                self._form["fields"][self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self._form["fields"][self._textarea] = ""
            self._form["text"].add(self._textarea)

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def crawl(app, client, avoid, limit=400):
    """Follow links from every route without arguments: a sample address per endpoint, and the forms seen.

    Addresses that name one of the visitors (avoid: usernames and ids) are not samples, so no POST of
    the sweep changes a visitor's own account.
    """
    adapter = app.url_map.bind("localhost")
    samples, forms, seen = {}, {}, set()
    queue = [rule.rule for rule in app.url_map.iter_rules()
             if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen:
            continue
        seen.add(path)
        endpoint, args = match(adapter, path, "GET")
        if endpoint is None or endpoint in samples and samples[endpoint]["fetched"]:
            continue
        if any(str(value) in avoid for value in args.values()):
            continue
        samples.setdefault(endpoint, {"path": path, "args": args, "fetched": False})["fetched"] = True
        response = client.get(path)
        if response.status_code != 200 or "html" not in (response.content_type or ""):
            continue
        parser = PageParser()
        parser.feed(response.get_data(as_text=True))
        queue.extend(link for link in parser.links if not link.startswith("/static/"))
        for form in parser.forms:
            # A button may send its form elsewhere (formaction): that is a form of its own.
            targets = [(form["action"], form)] + [
                (action, form | {"fields": form["fields"] | {name: value}, "buttons": []})
                for action, name, value in form["formactions"]]
            for target, target_form in targets:
                action = urlsplit(target or path).path
                endpoint, args = match(adapter, action, form["method"])
                if endpoint and not any(str(value) in avoid for value in args.values()):
                    forms.setdefault(endpoint, (action, target_form))
                    samples.setdefault(endpoint, {"path": action, "args": args, "fetched": True})
    return samples, forms


def match(adapter, path, method):
    try:
        endpoint, args = adapter.match(path, method=method)
    except HTTPException:
        return None, {}
    return endpoint, args


def sample_path(rule, samples, rules):
    """A real address of the rule; when the site links to none, one made of real values of its arguments.

    Each argument takes its value from a sampled route that starts the same way (/projects/<slug>/confirm
    takes the slug of /projects/<slug>), else from any route with an argument of that name, else 1 or "x".
    """
    if rule.endpoint in samples:
        return samples[rule.endpoint]["path"], samples[rule.endpoint]["args"]
    args = {}
    for name in rule.arguments:
        known = [(_shared_prefix(rule.rule, rules[endpoint].rule), sample["args"][name])
                 for endpoint, sample in samples.items() if name in sample["args"]]
        if known:
            args[name] = max(known, key=lambda pair: pair[0])[1]
        else:
            args[name] = 1 if isinstance(rule._converters[name], IntegerConverter) else "x"
    return build(rule, args), args


def _shared_prefix(one, other):
    return len(os.path.commonprefix([one, other]))


def build(rule, args):
    """The rule's path with args put in as typed (quoted), hostile ones included, bypassing the converters."""
    path = rule.rule
    for name in rule._converters:
        placeholder = re.search(rf"<(?:[^:>]+:)?{name}>", path).group(0)
        path = path.replace(placeholder, quote(str(args[name]), safe=""))
    return path


# Visitors --------------------------------------------------------------------------------------------

class Visitor:
    """One kind of visitor with its own client and client address; signs in again whenever signed out."""

    addresses = itertools.count(1)

    def __init__(self, app, kind):
        self.app, self.kind, self.user_id = app, kind, None
        self.client = app.test_client()
        if kind != "anonymous":
            with app.app_context():
                roles = list(Role) if kind == "crawler" else ROLES.get(kind, ())
                user = make_user(f"Sweep {kind}", username=f"sweep-{kind}", email=f"sweep-{kind}@example.org",
                                 roles=roles)
                db.session.commit()
                self.user_id, self.username = user.id, user.username
        self.sign_in()

    def sign_in(self):
        if self.user_id is None:
            return
        # Each request has its own application context and database session, as in production, so
        # one failed statement cannot leave the next request a broken transaction.
        with self.app.app_context():
            user = db.session.get(User, self.user_id)
            # A POST of the sweep may have changed the account (its password, its roles): put it back.
            user.password_hash, user.is_active = password_hash(DEFAULT_PASSWORD), True
            for role in ROLES.get(self.kind, ()):
                user.grant(role)
            db.session.commit()
        # A fresh client address each time, so the sign-in throttle the sweep fills never stops it.
        number = next(self.addresses)
        self.client.environ_base["REMOTE_ADDR"] = f"10.0.{number // 250}.{number % 250 + 1}"
        response = self.client.post("/login", data={"login": self.username, "password": DEFAULT_PASSWORD})
        assert response.status_code == 302, f"{self.kind} cannot sign in: {response.status_code}"

    def ensure_signed_in(self):
        if self.user_id is not None and self.client.get("/account").status_code != 200:
            self.sign_in()


# The sweep -------------------------------------------------------------------------------------------

class Sweep:
    def __init__(self, app, hostile, actors):
        self.app, self.hostile, self.actors = app, hostile, actors
        self.sent, self.failures, self.errors = 0, [], []
        # The routes whose own form was sent in every variant, by the first visitor they let in.
        self.deep = set()
        self.queries = query_names()
        self.fields = form_field_names(app)

    def request(self, visitor, method, path, query=None, data=None, what="", nul=False):
        """Send one request; record it when it answers 500, or anything but 400 when it carries a NUL."""
        url = path + ("?" + urlencode(query, doseq=True) if query else "")
        self.errors.clear()
        response = visitor.client.open(url, method=method, data=data)
        self.sent += 1
        status = response.status_code
        if status >= 500 or (nul and status != 400):
            reason = self.errors[0] if self.errors else ("a NUL not refused with 400" if nul else "")
            self.failures.append(f"{visitor.kind} {method} {_short(url)} {what} -> {status} {reason}")
        return response

    def run(self, samples, forms):
        handler = ErrorCatcher(self.errors)
        self.app.logger.addHandler(handler)
        try:
            rules = [rule for rule in self.app.url_map.iter_rules() if rule.endpoint != "static"]
            # Routes that may sign the visitor out or change its password come last, POSTs after GETs.
            rules.sort(key=lambda rule: (rule.endpoint.startswith("accounts."), rule.endpoint))
            for method in ("GET", "POST"):
                for visitor in self.actors:
                    for rule in rules:
                        if method in rule.methods:
                            self.route(visitor, rule, method, samples, forms)
                    visitor.ensure_signed_in()
        finally:
            self.app.logger.removeHandler(handler)

    def route(self, visitor, rule, method, samples, forms):
        rules = {rule.endpoint: rule for rule in self.app.url_map.iter_rules()}
        path, args = sample_path(rule, samples, rules)
        if method == "GET":
            hostile = self.door(visitor, self.request(visitor, "GET", path))
            for label, value in hostile.items():
                for name in rule.arguments:
                    self.request(visitor, "GET", build(rule, {**args, name: value}), what=f"(path: {label})",
                                 nul=label == "NUL")
                self.request(visitor, "GET", path, {name: value for name in self.queries},
                             what=f"(every query argument: {label})", nul=label == "NUL")
            if hostile is self.hostile:
                repeated = [(name, value) for name in self.queries for value in ("1", "²", "\u2028")]
                self.request(visitor, "GET", path, repeated, what="(every query argument three times)")
            return
        hostile = self.door(visitor, self.request(visitor, "POST", path, data={}, what="(no field)"))
        for label, value in hostile.items():
            for name in rule.arguments:
                self.request(visitor, "POST", build(rule, {**args, name: value}), data={}, what=f"(path: {label})",
                             nul=label == "NUL")
            self.request(visitor, "POST", path, data={name: value for name in self.fields},
                         what=f"(every field of every form: {label})", nul=label == "NUL")
        if hostile is self.hostile and rule.endpoint not in self.deep:
            if self.page_form(visitor, path, forms.get(rule.endpoint)):
                self.deep.add(rule.endpoint)
        if rule.endpoint.startswith("accounts.") or "logout" in rule.endpoint:
            visitor.ensure_signed_in()

    def door(self, visitor, response):
        """The hostile values to send after the first answer: only the NUL when the route turns the visitor away.

        Sign-in and role checks come before a view reads anything, so a visitor turned away at the door
        (403, or a redirect to sign in) is turned away whatever the values; the NUL must still be a 400.
        """
        location = urlsplit(response.location or "").path
        if response.status_code == 403 or (response.status_code == 302 and location == "/login"):
            return {label: value for label, value in self.hostile.items() if label == "NUL"}
        return self.hostile

    def page_form(self, visitor, path, form):
        """Send the page's own form with hostile text, without each field, with each field twice.

        Say whether the route let the visitor in: then no other visitor needs to send all this again.
        """
        if form is None:
            return False
        # The page's own form, so validation gets past the choices and reaches the code behind it.
        _action, page_form = form
        buttons = page_form["buttons"] or [(None, None)]
        for label, value in self.hostile.items():
            for name, button in buttons if label == "line separator" else buttons[:1]:
                data = dict(page_form["fields"]) | {field: value for field in page_form["text"]}
                if name:
                    data[name] = button
                response = self.request(visitor, "POST", path, data=data, nul=label == "NUL",
                                        what=f"(the page's form, {name}={button!r}, its text fields: {label})")
                if _turned_away(response):
                    # The route does not let this visitor in: the rest would be turned away the same way.
                    return False
        # Each field left out once, and every field sent twice.
        for field in page_form["fields"]:
            self.request(visitor, "POST", path, data={key: value for key, value in page_form["fields"].items()
                                                      if key != field}, what=f"(the page's form without {field})")
        doubled = MultiDict([(key, value) for key, value in page_form["fields"].items()]
                            + [(key, "²") for key in page_form["fields"]])
        self.request(visitor, "POST", path, data=doubled, what="(the page's form, every field twice)")
        return True


def _turned_away(response):
    location = urlsplit(response.location or "").path
    return response.status_code in (403, 404) or (response.status_code == 302 and location == "/login")


class ErrorCatcher(logging.Handler):
    """Keep the last line of each error the app logs (errors.py logs every unexpected exception)."""

    def __init__(self, errors):
        super().__init__(logging.ERROR)
        self.caught = errors

    def emit(self, record):
        if record.exc_info:
            self.caught.append("".join(traceback.format_exception_only(record.exc_info[1])).strip()[:300])


def _short(text, length=150):
    shown = ascii(text)[1:-1]
    return shown if len(shown) <= length else f"{shown[:length]}…({len(text)} chars)"


def extra_rows():
    """What the demo lacks for some routes: a claim by the plain visitor's peer, a proposed project."""
    mentor = db.session.execute(db.select(User).where(User.capacity > 0)).scalars().first()
    project = make_project("Sweep proposal", status=ProjectStatus.PROPOSED, mentors=[mentor])
    taken = make_project("Sweep claimed", status=ProjectStatus.IN_PROGRESS, mentors=[mentor])
    make_claim(taken, make_user("Sweep claimant"))
    db.session.commit()
    return project


def run_sweep(app, hostile, actor_kinds):
    # Each failed sign-in costs an Argon2 verification (half a second on a busy CI machine); the throttle
    # answers without one. Two failures per client address, then the sweep meets the throttle's 429.
    app.config["LOGIN_FAILURE_LIMIT"] = 2
    with app.app_context():
        load_demo()
        db.session.commit()
        extra_rows()
    actors = [Visitor(app, kind) for kind in actor_kinds]
    # The crawler holds every role, so it sees every page and form; it is not one of the visitors.
    crawler = Visitor(app, "crawler")
    avoid = {str(actor.user_id) for actor in actors + [crawler] if actor.user_id} | {
        actor.username for actor in actors + [crawler] if actor.user_id}
    samples, forms = crawl(app, crawler.client, avoid)
    sweep = Sweep(app, hostile, actors)
    sweep.run(samples, forms)
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    unsampled = sorted({rule.endpoint for rule in rules} - set(samples))
    return sweep, unsampled


def report(sweep, unsampled, name, record_property):
    """Print and record (in the JUnit report) how many requests were sent, then fail listing every offender."""
    print(f"\n{name}: {sweep.sent} requests; endpoints the site links to nowhere, their arguments borrowed "
          f"from their neighbours: {', '.join(unsampled) or 'none'}")
    record_property("requests", sweep.sent)
    assert not sweep.failures, f"{len(sweep.failures)} of {sweep.sent} requests failed:\n" + "\n".join(
        sweep.failures)


def test_no_route_answers_500_to_hostile_input_on_sqlite(app, record_property):
    sweep, unsampled = run_sweep(app, HOSTILE, ACTORS)
    report(sweep, unsampled, "SQLite sweep", record_property)
    assert sweep.sent > 1000


@pytest.mark.postgres
def test_no_route_answers_500_to_hostile_input_on_postgresql(cluster, tmp_path, monkeypatch, record_property):
    for name in list(os.environ):
        if name.startswith("PIONEER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production",
                      "SEARCH_STORAGE": "memory", "CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": cluster.create_database("hostile_sweep")})
    try:
        with app.app_context():
            db.create_all()
            build_index_if_missing()
        sweep, unsampled = run_sweep(app, {label: HOSTILE[label] for label in HOSTILE_PG}, ACTORS_PG)
        report(sweep, unsampled, "PostgreSQL sweep", record_property)
        assert sweep.sent > 300
    finally:
        with app.app_context():
            search.backend().close()
            db.session.remove()
            db.engine.dispose()
