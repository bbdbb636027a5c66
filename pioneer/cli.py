"""The `pioneer` command: thin click commands over testable functions."""

import os
import sys
import time

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from .database import db
from .templating import plural


def main():
    """Run the `pioneer` command (the console script)."""
    from . import create_app

    group = FlaskGroup(create_app=create_app, help="Pioneer: a living catalogue of starter projects.")
    group.main(prog_name="pioneer")


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database schema (migrations) and the search index."""
    from . import provision

    click.echo(provision.upgrade_database())
    click.echo(provision.build_index_if_missing())


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Load only when the database holds no project yet.")
@with_appcontext
def demo_command(if_empty):
    """Load the demo catalogue (safe to run again: it changes nothing the second time)."""
    from .demo import load_demo
    from .models import Project

    if if_empty and db.session.execute(db.select(Project.id).limit(1)).first():
        click.echo("The database already holds projects: the demo catalogue was not loaded.")
        return
    summary = load_demo(progress=_progress)
    db.session.commit()
    click.echo(summary)


@click.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@click.option("--format", "file_format", type=click.Choice(["markdown", "json"]),
              help="The file's format (by default: JSON for a .json file, the wiki Markdown otherwise).")
@click.option("--status", "new_status", type=click.Choice(["proposed"]),
              help="Send every new project to the review queue instead of publishing it.")
@with_appcontext
def import_command(path, dry_run, file_format, new_status):
    """Import projects from a wiki-style Markdown list or a JSON export (see the README for both)."""
    from . import search
    from .importer import Importer, JsonFormatError, parse_json, parse_wiki, preview_lines

    started = time.perf_counter()
    try:
        with open(path, encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError as error:
        raise click.ClickException(f"{path} is not UTF-8 text ({error.reason} at byte {error.start}).") from error
    file_format = file_format or ("json" if path.lower().endswith(".json") else "markdown")
    if file_format == "json":
        try:
            parsed = parse_json(text)
        except JsonFormatError as error:
            raise click.ClickException(f"{path} is {error}.") from error
    else:
        parsed = parse_wiki(text)
    name = os.path.basename(path)
    for problem in parsed.problems:
        click.echo(f"{name}: {problem}", err=True)
    if not parsed.projects:
        raise click.ClickException(f"no project could be read from {path}: nothing imported.")
    importer = Importer(source=name, new_status=new_status)
    with _progress(parsed.projects, "Importing") as bar:
        outcomes = importer.apply_all(parsed.projects, progress=lambda _drafts: bar, save=not dry_run)
    report = importer.report
    if not dry_run:  # a dry run lists them under its table
        for skipped in getattr(parsed, "skipped", []):
            click.echo(f"{name}: {skipped}", err=True)
    for clash in report.clashes:
        click.echo(f"{name}: {clash}", err=True)
    if dry_run:
        db.session.rollback()
        for line in preview_lines(parsed, outcomes):
            click.echo(line)
        click.echo(report.summary(problems=len(parsed.problems) + len(report.clashes), dry_run=True))
        return
    # The index is brought up to date after the commit, with its own progress bar.
    changed = search.hold_index_work(db.session)
    db.session.commit()
    seconds = time.perf_counter() - started
    _index(changed)
    # Last, for scripts: what was imported, and how fast (reading, importing and committing).
    click.echo(report.summary(problems=len(parsed.problems) + len(report.clashes), seconds=seconds))


def _index(project_ids):
    """Write the documents of changed projects to the search index, with a progress bar."""
    from . import search

    if not project_ids:
        return
    started = time.perf_counter()
    try:
        with click.progressbar(length=len(project_ids), label="Indexing", file=sys.stderr, show_pos=True) as bar:
            def advance(ids):
                for project_id in ids:
                    yield project_id
                    bar.update(1)
            search.backend().apply_pending(db.engine, project_ids=project_ids, progress=advance)
    except (search.LockError, search.SearchUnavailable) as error:
        click.echo(f"The search index was not updated ({error}); `pioneer search sync` will apply it.", err=True)
        return
    seconds = time.perf_counter() - started
    click.echo(f"Indexed {plural(len(project_ids), 'project')} in {seconds:.1f} s "
               f"({len(project_ids) / max(seconds, 1e-9):,.0f} a second).")


@click.command("export")
@click.option("--format", "file_format", type=click.Choice(["json", "markdown", "csv"]), required=True,
              help="JSON (every field; `pioneer import` reads it back), the wiki Markdown shape, or CSV "
                   "(one row per project, for spreadsheets).")
@click.option("--output", type=click.Path(dir_okay=False, writable=True),
              help="The file to write (standard output when left out).")
@click.option("--public", "public_only", is_flag=True, help="Only the public projects (available, in progress, done).")
@with_appcontext
def export_command(file_format, output, public_only):
    """Write every project (of any status, or only public ones) as JSON, a wiki Markdown page or CSV."""
    from .importer import export_csv, export_json, export_markdown, project_record, projects_to_export

    projects = projects_to_export(public_only=public_only)
    with _progress(projects, "Exporting") as items:
        if file_format == "json":
            text, warnings = export_json(items), []
        elif file_format == "csv":
            text, warnings = export_csv(project_record(project) for project in items), []
        else:
            exported = export_markdown(items)
            text, warnings = exported.text, exported.warnings
    for warning in warnings:
        click.echo(f"markdown: {warning}", err=True)
    if output:
        # newline="": the CSV writer ends rows with CRLF itself, as RFC 4180 asks.
        with open(output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        click.echo(f"Exported {plural(len(projects), 'project')} to {output} as {file_format}.", err=True)
    else:
        click.echo(text, nl=False)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def backup_command(path):
    """Copy the SQLite database into FILE while the site runs (on PostgreSQL, says how to use pg_dump)."""
    from .database import BackupError, backup_sqlite

    started = time.perf_counter()
    try:
        summary = backup_sqlite(db.engine, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up {plural(summary['projects'], 'project')} and {plural(summary['accounts'], 'account')} "
               f"to {path} ({summary['bytes'] / 1e6:.1f} MB) in {time.perf_counter() - started:.2f} s.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore_command(path, yes):
    """Replace the database with a backup made by `pioneer backup`, then rebuild the search index."""
    from . import provision, search
    from .database import BackupError, describe_backup, require_sqlite, restore_sqlite

    try:
        require_sqlite(db.engine, "restore")
        summary = describe_backup(path)
        click.echo(f"{path} holds {plural(summary['projects'], 'project')} and "
                   f"{plural(summary['accounts'], 'account')}.", err=True)
        if not yes:
            click.confirm(f"Replace every project, account and round in {db.engine.url.database} with it?",
                          abort=True, err=True)
        db.session.remove()
        restore_sqlite(db.engine, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    if _has_migrations():  # A backup from an older version of Pioneer gets the newer schema.
        click.echo(provision.upgrade_database(), err=True)
    count = search.backend().rebuild(db.engine, progress=lambda docs: _progress_stream(docs, "Indexing"))
    click.echo(f"Restored {path}: {plural(summary['projects'], 'project')}, "
               f"{plural(summary['accounts'], 'account')}; search index rebuilt ({count} public projects).")


def _has_migrations():
    """Tell whether the database records its schema version (a site made by `pioneer init`)."""
    from sqlalchemy import inspect

    return inspect(db.engine).has_table("alembic_version")


@click.group("search")
def search_group():
    """Keep the search index in step with the database."""


@search_group.command("rebuild")
@with_appcontext
def search_rebuild_command():
    """Build a fresh index from the database beside the old one and swap it in."""
    from . import search

    started = time.perf_counter()
    count = search.backend().rebuild(db.engine, progress=lambda docs: _progress_stream(docs, "Indexing"))
    seconds = time.perf_counter() - started
    click.echo(f"Indexed {count} public projects in {seconds:.1f} s ({count / max(seconds, 1e-9):,.0f} a second).")


@search_group.command("check")
@with_appcontext
def search_check_command():
    """Compare the index with the database; exit 1 and list the differences when there are any."""
    from . import search

    try:
        differences = search.backend().check(db.engine)
    except search.SearchUnavailable as error:
        raise click.ClickException(f"{error}; run `pioneer search rebuild`.") from error
    pending = search.backend().pending_count(db.engine)
    for difference in differences:
        click.echo(difference)
    note = f" ({pending} updates pending: `pioneer search sync` applies them)" if pending else ""
    if differences:
        click.echo(f"{len(differences)} differences between the database and the index{note}.")
        sys.exit(1)
    click.echo(f"The index matches the database{note}.")


@search_group.command("sync")
@with_appcontext
def search_sync_command():
    """Apply the index updates still pending (safe to run from cron)."""
    from . import search

    chosen = search.backend()
    if not chosen.uses_outbox:
        # PostgreSQL keeps its documents in step by itself; what sync can do is recount the words
        # "Did you mean" offers, dropping those of projects no longer public.
        chosen.apply_pending(db.engine)
        click.echo(f"Nothing pending: PostgreSQL keeps the search documents itself. "
                   f"Vocabulary recounted ({chosen.refresh_words(db.engine)} words).")
        return
    total = chosen.pending_count(db.engine)
    applied = 0
    with click.progressbar(length=total, label="Applying", file=sys.stderr, show_pos=True) as bar:
        while True:
            done = chosen.apply_pending(db.engine, limit=500)
            if not done:
                break
            applied += done
            bar.update(done)
    click.echo(f"Applied {applied} pending index updates.")


@click.group("claims")
def claims_group():
    """Look after claims on projects."""


@claims_group.command("expire")
@with_appcontext
def claims_expire_command():
    """Release claims without an update for CLAIM_EXPIRY_DAYS, and tell claimants and mentors (cron-safe)."""
    from . import notify
    from .domain.claims import end_claim, expired_claims
    from .models import ClaimEnd
    from .notify import events

    days = current_app.config["CLAIM_EXPIRY_DAYS"]
    claims, notices = expired_claims(days), []
    with _progress(claims, "Releasing") as items:
        for claim in items:
            end_claim(claim, ClaimEnd.EXPIRED, None)
            notices.extend(row for row in events.claim_expired(claim, days) if row is not None)
    # The releases and their notices are kept together, whatever happens to the mail afterwards.
    db.session.commit()
    summary = f"Released {plural(len(claims), 'claim')} without an update for {days} days"
    ids = [row.id for row in notices if not row.digest]
    if not ids:
        click.echo(summary + "." + (f" {plural(len(notices), 'notice')} wait for digests." if notices else ""))
        return
    report = notify.send_queued(ids)
    click.echo(f"{summary}; sent {report.sent} of {len(ids)} notices.")
    _report_failures(report)


@click.group("mail")
def mail_group():
    """Send the mail the site queued (docs/mail.md)."""


@mail_group.command("send")
@click.option("--digest", is_flag=True, help="Send each person's daily digest instead (run once a day from cron).")
@with_appcontext
def mail_send_command(digest):
    """Send queued mail, or with --digest the daily digests; what fails stays queued (cron-safe)."""
    from . import notify

    waiting = notify.waiting()
    with click.progressbar(length=waiting, label="Sending", file=sys.stderr, show_pos=True) as bar:
        report = (notify.send_digests if digest else notify.send_queued)(progress=bar.update)
    what = "digest" if digest else "message"
    click.echo(f"Sent {plural(report.sent, what)}; {plural(len(report.failed), 'failure')}; "
               f"{plural(notify.waiting(), 'message')} still queued.")
    _report_failures(report)


def _report_failures(report):
    """List each failure on stderr and exit 1, so cron tells someone; the rows stay queued for the next run."""
    for address, reason in report.failed:
        click.echo(f"not sent to {address}: {reason}", err=True)
    if report.failed:
        sys.exit(1)


@click.group("stale")
def stale_group():
    """Keep projects fresh."""


@stale_group.command("notify")
@with_appcontext
def stale_notify_command():
    """Email each mentor of stale projects one message listing them, with links to confirm each."""
    from .review.queries import stale_projects_by_mentor
    from .review.services import reminder

    by_mentor, stale_count = stale_projects_by_mentor()
    messages = []
    with _progress(list(by_mentor.items()), "Composing") as items:
        for mentor, projects in items:
            messages.append(reminder(mentor, projects))
    if not messages:
        click.echo(f"{stale_count} stale projects; no mentor with an email to remind.")
        return
    _send_and_report(
        messages, f"{stale_count} stale projects; sent {{sent}} of {len(messages)} reminders to their mentors."
    )


@click.group("alerts")
def alerts_group():
    """Mail saved searches' new projects."""


@alerts_group.command("send")
@with_appcontext
def alerts_send_command():
    """Mail each saved search the projects approved since its last run: at once, or weekly digests (cron)."""
    from .alerts import send_alerts

    def progress(searches):
        with _progress(searches, "Checking saved searches") as items:
            yield from items

    summary = send_alerts(progress=progress)
    # The watermarks of delivered searches move on whatever else failed.
    db.session.commit()
    click.echo(summary.line())
    for username, name, reason in summary.failed:
        click.echo(f"not sent to {username} for “{name}”: {reason}", err=True)
    if summary.failed:
        sys.exit(1)


def _send_and_report(messages, summary):
    """Send messages, print summary with the number sent and each failure; exit 1 when any failed.

    The non-zero exit tells cron that some people were not told.
    """
    from . import mail

    outcome = mail.send(messages)
    click.echo(summary.format(sent=len(outcome.sent)))
    for message, reason in outcome.failed:
        click.echo(f"not sent to {message['To']}: {reason}", err=True)
    if not outcome.ok:
        sys.exit(1)


@click.group("calls")
def calls_group():
    """Look after community calls."""


@calls_group.command("remind")
@with_appcontext
def calls_remind_command():
    """Mail each invitee of a call starting within a day, once per occurrence (cron-safe: run it hourly or daily)."""
    from .calls.services import reminder_message, reminders_due

    due = reminders_due()
    if not due:
        click.echo("No call starts within a day with someone left to remind.")
        return
    messages = [reminder_message(invitation, start) for invitation, start in due]
    from . import mail

    outcome = mail.send(messages)
    sent = {id(message) for message in outcome.sent} - {id(message) for message, _reason in outcome.failed}
    # Mark only those handed to the server: a failed reminder is tried again on the next run.
    for (invitation, start), message in zip(due, messages, strict=True):
        if id(message) in sent:
            invitation.reminded_for = start
    db.session.commit()
    click.echo(f"Sent {len(outcome.sent)} of {plural(len(messages), 'reminder')}.")
    for message, reason in outcome.failed:
        click.echo(f"not sent to {message['To']}: {reason}", err=True)
    if not outcome.ok:
        sys.exit(1)


@click.group("user")
def user_group():
    """Create accounts and grant roles."""


@user_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The name shown on the site.")
@click.option("--username", help="The name in URLs (made from the email when left out).")
@click.option("--role", "roles", multiple=True, type=click.Choice(["reviewer", "coordinator", "admin"]))
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def user_create_command(email, name, username, roles, password_stdin):
    """Create an account; the password comes from a prompt or stdin."""
    from .domain.passwords import password_problem
    from .domain.people import AccountError, create_user
    from .models import utcnow

    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise click.ClickException("a password is needed.")
    problem = password_problem(password, [email, name, username])
    if problem:
        raise click.ClickException(problem)
    try:
        user = create_user(email, name, password, username=username, roles=roles)
        # An admin made it for this address: it is taken as confirmed (docs/mail.md).
        user.email_verified_at = utcnow()
        db.session.commit()
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    roles_text = f" with roles {', '.join(sorted(roles))}" if roles else ""
    click.echo(f"Created {user.username} <{user.email}>{roles_text}.")


@user_group.command("grant")
@click.argument("username")
@click.argument("role", type=click.Choice(["reviewer", "coordinator", "admin"]))
@with_appcontext
def user_grant_command(username, role):
    """Add a role to an account."""
    from .domain.people import find_user

    user = find_user(username)
    if user is None:
        raise click.ClickException(f"no account is called {username!r}.")
    if user.has_role(role):
        click.echo(f"{user.username} already has the role {role}.")
        return
    user.grant(role)
    db.session.commit()
    click.echo(f"{user.username} is now a {role}.")


def _progress_stream(items, label):
    """Show progress over a generator of unknown length: a count every thousand."""
    count = 0
    for item in items:
        count += 1
        if count % 1000 == 0:
            click.echo(f"{label}: {count}", err=True)
        yield item


def _progress(items, label="Working"):
    """A progress bar on stderr; click draws it on a terminal and prints only the label elsewhere."""
    return click.progressbar(items, label=label, file=sys.stderr, show_pos=True)


def init_app(app):
    for command in (init_command, demo_command, import_command, export_command, backup_command, restore_command,
                    search_group, claims_group, stale_group, calls_group, user_group, mail_group, alerts_group):
        app.cli.add_command(command)
