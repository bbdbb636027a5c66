"""`pioneer backup` while the site takes writes, and `pioneer restore` of what it wrote."""

import os
import sqlite3
import threading
import time

import pytest

from pioneer import create_app, search
from pioneer.database import db
from pioneer.models import Project, ProjectStatus

from .factories import DEFAULT_PASSWORD, make_project, make_user
from .web_client import Browser, isolate_environment, serving

WRITERS = 8
CONFIG = {"TESTING": True, "SECRET_KEY": "test-secret-key-not-for-production", "CSRF_ENABLED": False}


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A site made by `pioneer init` on disk, with public projects and a writer account per thread."""
    isolate_environment(monkeypatch, tmp_path / "instance")
    app = create_app(CONFIG)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.app_context():
        mentor = make_user("Marta Mentor", username="marta")
        for title in ("Bandicoot balancer", "Quokka queue", "Wombat web server"):
            make_project(title, mentors=[mentor], status=ProjectStatus.AVAILABLE)
        for number in range(WRITERS):
            make_user(f"Writer {number}", username=f"writer-{number}")
        db.session.commit()
    yield app
    with app.app_context():
        search.backend().close()
        db.session.remove()
        db.engine.dispose()


def slugs(app):
    with app.app_context():
        found = set(db.session.execute(db.select(Project.slug)).scalars())
        db.session.remove()
        return found


def propose_until(stop, base, number, acknowledged, failures):
    """Sign in as writer-<number> and save drafts until stop is set; record each acknowledged one."""
    browser = Browser()
    status, _page, _headers = browser.request(f"{base}/login", {"login": f"writer-{number}",
                                                                "password": DEFAULT_PASSWORD})
    assert status == 302
    count = 0
    while not stop.is_set():
        sent = time.monotonic()
        status, page, headers = browser.request(f"{base}/projects/new", {
            "title": f"Writer {number} draft {count}", "summary": "Written while a backup ran.",
            "description": "", "outcomes": "", "stars": "0", "time_rating": "0", "area": "",
            "mentors": f"writer-{number}", "action": "draft"})
        if status == 302:
            acknowledged.append((headers["Location"].removeprefix("/projects/"), sent, time.monotonic()))
        else:
            failures.append((status, page[:300]))
        count += 1


def test_a_backup_taken_under_writes_restores_every_write_acknowledged_before_it(site, tmp_path):
    # The served site is another app on the same files, as another process would be; its own index.
    served = create_app(CONFIG | {"SEARCH_STORAGE": "memory"})
    with served.app_context():
        from pioneer.provision import build_index_if_missing

        build_index_if_missing()
    runner = site.test_cli_runner()
    backup = tmp_path / "pioneer-backup.sqlite3"
    acknowledged, failures, stop = [], [], threading.Event()
    with serving(served) as base:
        threads = [threading.Thread(target=propose_until, args=(stop, base, number, acknowledged, failures))
                   for number in range(WRITERS)]
        for thread in threads:
            thread.start()
        try:
            deadline = time.monotonic() + 30
            while len(acknowledged) < 4 * WRITERS and time.monotonic() < deadline:
                time.sleep(0.05)
            started = time.monotonic()
            result = runner.invoke(args=["backup", str(backup)])
            finished = time.monotonic()
            time.sleep(0.5)  # writes after the backup, which the restore must take away
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=60)
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Backed up ") and str(backup) in result.output
        assert not failures, failures[:3]
        # Acknowledged before the backup started: must be kept. Sent after it finished: must be gone.
        before = {slug for slug, _sent, acknowledged_at in acknowledged if acknowledged_at < started}
        after = {slug for slug, sent, _acknowledged_at in acknowledged if sent > finished}
        assert len(before) >= 4 * WRITERS and after, (len(before), len(after))
        assert oct(os.stat(backup).st_mode & 0o777) == "0o600"  # emails and password hashes are in it

        restore = runner.invoke(args=["restore", str(backup), "--yes"])
        assert restore.exit_code == 0, restore.output
        restored = slugs(site)
        assert before <= restored, sorted(before - restored)[:5]
        assert not after & restored
        assert {"bandicoot-balancer", "quokka-queue", "wombat-web-server"} <= restored
        assert restored <= {slug for slug, _sent, _at in acknowledged} | {"bandicoot-balancer", "quokka-queue",
                                                                   "wombat-web-server"}
        # The running site reads the restored database on its next request.
        # A writer with a project kept (threads are not scheduled fairly: writer 0 may have none).
        kept = sorted(before)[0]
        name = "-".join(kept.split("-")[:2])
        writer = Browser()
        writer.request(f"{base}/login", {"login": name, "password": DEFAULT_PASSWORD})
        assert writer.request(f"{base}/projects/{kept}")[0] == 200
        gone = [slug for slug in after if slug.startswith(f"{name}-")]
        assert all(writer.request(f"{base}/projects/{slug}")[0] == 404 for slug in gone)

    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0 and check.output.startswith("The index matches the database"), check.output
    assert "bandicoot-balancer" in site.test_client().get("/projects?q=bandicoot").get_data(as_text=True)


def test_restore_refuses_what_is_not_a_pioneer_backup_and_changes_nothing(site, tmp_path):
    runner = site.test_cli_runner()
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n")
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE projects (id INTEGER PRIMARY KEY)")
    before = slugs(site)
    for path, reason in ((text, "is not an SQLite database"), (other, "not Pioneer's (no catalogue_state, users")):
        result = runner.invoke(args=["restore", str(path), "--yes"])
        assert result.exit_code == 1 and reason in result.output, result.output
    # A real backup, but the person answers no.
    backup = tmp_path / "real.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    with site.app_context():
        make_project("Made after the backup")
        db.session.commit()
    refused = runner.invoke(args=["restore", str(backup)], input="n\n")
    assert refused.exit_code == 1 and "holds 3 projects and 9 accounts" in refused.output
    assert "Replace every project, account and round" in refused.output and "Aborted" in refused.output
    assert slugs(site) == before | {"made-after-the-backup"}
    accepted = runner.invoke(args=["restore", str(backup)], input="y\n")
    assert accepted.exit_code == 0, accepted.output
    assert slugs(site) == before


def test_a_backup_restores_onto_a_new_machine_with_no_database_yet(site, tmp_path, monkeypatch):
    backup = tmp_path / "carried.sqlite3"
    assert site.test_cli_runner().invoke(args=["backup", str(backup)]).exit_code == 0
    isolate_environment(monkeypatch, tmp_path / "new-machine")
    fresh = create_app(CONFIG)
    try:
        runner = fresh.test_cli_runner()
        result = runner.invoke(args=["restore", str(backup), "--yes"])
        assert result.exit_code == 0, result.output
        assert slugs(fresh) == slugs(site)
        assert runner.invoke(args=["search", "check"]).exit_code == 0
        assert "quokka-queue" in fresh.test_client().get("/projects?q=quokka").get_data(as_text=True)
    finally:
        with fresh.app_context():
            search.backend().close()
            db.engine.dispose()
