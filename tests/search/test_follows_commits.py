"""The index follows committed changes only, and the commands repair what drifts."""

import pytest

from pioneer import search
from pioneer.database import db
from pioneer.models import Project, ProjectStatus, SearchPending

from ..factories import make_project, make_user
from ..test_catalogue import listed_slugs


def search_slugs(client, q):
    return listed_slugs(client.get("/projects", query_string={"q": q}))


@pytest.fixture
def either(any_backend_app):
    """A client of an app on each search backend, inside its app context: the index follows commits on both."""
    with any_backend_app.app_context():
        yield any_backend_app.test_client()


def test_a_committed_project_is_searchable_on_the_next_page_load(either):
    client = either
    make_project("Quokka packet capture", summary="Capture packets for quokkas.")
    db.session.commit()
    assert search_slugs(client, "quokka") == ["quokka-packet-capture"]
    assert db.session.execute(db.select(db.func.count(SearchPending.id))).scalar_one() == 0


def test_a_rolled_back_change_leaves_no_trace(either):
    client = either
    make_project("Platypus parser")
    db.session.flush()
    db.session.rollback()
    assert search_slugs(client, "platypus") == []
    assert db.session.execute(db.select(db.func.count(SearchPending.id))).scalar_one() == 0


def test_only_public_projects_are_found(either):
    client = either
    project = make_project("Wombat driver", status=ProjectStatus.PROPOSED)
    db.session.commit()
    assert search_slugs(client, "wombat") == []
    project.status = ProjectStatus.AVAILABLE  # approved
    db.session.commit()
    assert search_slugs(client, "wombat") == ["wombat-driver"]
    project.status = ProjectStatus.ARCHIVED
    db.session.commit()
    assert search_slugs(client, "wombat") == []


def test_edits_renames_and_deletions_reach_the_index(either):
    client = either
    mentor = make_user("Echidna Expert", username="echidna")
    project = make_project("Numbat tracer", mentors=[mentor], summary="Traces packets.", area="Marsupials",
                           skills=("wallaby-lang", "ocaml"))
    db.session.commit()
    assert search_slugs(client, "echidna") == ["numbat-tracer"]
    mentor.name = "Bilby Builder"
    db.session.commit()
    assert search_slugs(client, "bilby") == ["numbat-tracer"]
    # Skills, areas and the mentor list live in other tables; renaming or dropping them reaches search.
    project.skills[0].skill.name = "kangaroo-lang"
    project.area.name = "Monotremes"
    db.session.commit()
    assert search_slugs(client, "wallaby") == [] and search_slugs(client, "kangaroo") == ["numbat-tracer"]
    assert search_slugs(client, "marsupials") == [] and search_slugs(client, "monotremes") == ["numbat-tracer"]
    project.skills = [row for row in project.skills if row.skill.name == "ocaml"]
    project.mentors = []
    db.session.commit()
    assert search_slugs(client, "kangaroo") == [] and search_slugs(client, "bilby") == []
    project.title = "Dingo tracer"
    db.session.commit()
    assert search_slugs(client, "numbat") == [] and search_slugs(client, "dingo") == ["numbat-tracer"]
    db.session.delete(project)
    db.session.commit()
    assert search_slugs(client, "dingo") == []


@pytest.fixture
def file_app(app):
    """The test app with its index on disk, where locks behave as between processes."""
    from pioneer.search.backend import WhooshBackend

    app.extensions["pioneer_search"] = WhooshBackend(app.config["SEARCH_INDEX_PATH"])
    with app.app_context():
        search.backend().build([])
        yield app
        search.backend().close()


def test_search_check_sync_and_rebuild(file_app, runner, client):
    make_project("Kookaburra logger")
    db.session.commit()
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    # A change committed while the index could not be written stays pending, and check sees it.
    backend = search.backend()
    writer = backend.writer()  # as if another process held the lock
    try:
        make_project("Cassowary codec")
        project = db.session.execute(db.select(Project).filter_by(slug="kookaburra-logger")).scalar_one()
        project.summary = "Logs every kookaburra call."
        from pioneer.search import indexing
        original = search.IN_REQUEST_TIMEOUT
        search.IN_REQUEST_TIMEOUT = 0
        try:
            db.session.commit()
        finally:
            search.IN_REQUEST_TIMEOUT = original
    finally:
        writer.cancel()
    assert indexing.pending_count(db.engine) >= 2
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert "missing from the index: cassowary-codec" in result.output
    assert "out of date in the index: kookaburra-logger" in result.output
    assert "updates pending" in result.output
    synced = runner.invoke(args=["search", "sync"])
    assert synced.exit_code == 0 and "Applied" in synced.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    assert search_slugs(client, "cassowary") == ["cassowary-codec"]
    rebuilt = runner.invoke(args=["search", "rebuild"])
    assert rebuilt.exit_code == 0 and "Indexed 2 public projects" in rebuilt.output
    assert runner.invoke(args=["search", "check"]).output.startswith("The index matches the database")


def test_a_missing_index_degrades_search_but_not_the_site(tmp_path, monkeypatch):
    from pioneer import create_app
    from pioneer.provision import upgrade_database

    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True})
    with app.app_context():
        upgrade_database()
        make_project("Lyrebird mimic", summary="Mimics other stacks.")
        db.session.commit()  # no index yet: the update stays pending
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/projects/lyrebird-mimic").status_code == 200
    page = client.get("/projects?q=lyrebird")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Full-text search is unavailable right now" in html and "lyrebird-mimic" in html
    # Prefixes stay filters while the index is down: the words alone are matched against titles.
    assert "lyrebird-mimic" in client.get("/projects?q=lyrebird+stars:1").get_data(as_text=True)
    assert "lyrebird-mimic" not in client.get("/projects?q=lyrebird+stars:2").get_data(as_text=True)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["checks"]["search"] == "unavailable"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "check"]).exit_code == 1
    assert "Search index built (1 projects)" in runner.invoke(args=["init"]).output
    assert client.get("/healthz").status_code == 200
    assert "lyrebird-mimic" in client.get("/projects?q=lyrebird").get_data(as_text=True)
    with app.app_context():
        search.backend().close()


# Whoosh leaves a corrupt index's TOC file open when it fails to read it; that is its leak, not ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_corrupt_index_degrades_search_and_rebuild_heals_it(tmp_path, monkeypatch):
    from pioneer import create_app
    from pioneer.provision import build_index_if_missing, upgrade_database

    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True})
    with app.app_context():
        upgrade_database()
        build_index_if_missing()
        make_project("Bandicoot balancer")
        db.session.commit()
        backend = search.backend()
        backend.close()
        current = tmp_path / "index" / "current"
        for path in current.resolve().iterdir():
            path.write_bytes(b"\x00garbage")
    client = app.test_client()
    page = client.get("/projects?q=bandicoot")
    assert page.status_code == 200 and "Full-text search is unavailable" in page.get_data(as_text=True)
    assert client.get("/healthz").status_code == 503
    assert app.test_cli_runner().invoke(args=["search", "rebuild"]).exit_code == 0
    assert "bandicoot-balancer" in client.get("/projects?q=bandicoot").get_data(as_text=True)
    with app.app_context():
        search.backend().close()


def test_init_rebuilds_an_index_made_with_another_schema(tmp_path, monkeypatch):
    from whoosh import fields
    from whoosh.filedb.filestore import FileStorage

    from pioneer import create_app
    from pioneer.provision import upgrade_database

    monkeypatch.setenv("PIONEER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True})
    with app.app_context():
        upgrade_database()
        make_project("Quoll queue")
        db.session.commit()
    old = tmp_path / "index" / "gen-1"
    old.mkdir(parents=True)
    FileStorage(str(old)).create_index(fields.Schema(id=fields.ID(stored=True), text=fields.TEXT))
    (tmp_path / "index" / "current").symlink_to("gen-1")
    result = app.test_cli_runner().invoke(args=["init"])
    assert "Search index built (1 projects)" in result.output
    assert "quoll-queue" in app.test_client().get("/projects?q=quoll").get_data(as_text=True)
    with app.app_context():
        search.backend().close()


def test_whoosh_is_for_one_host_and_check_names_a_second_hosts_index(tmp_path, monkeypatch):
    """Two hosts, each with its own Whoosh folder, on one database: the first to commit consumes the
    outbox, so each index misses the other's changes. That is why the Whoosh backend is for one host
    (README, "Several hosts"); `pioneer search check` says so, naming the other index."""
    from pioneer import create_app

    from ..web_client import isolate_environment

    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    apps = []
    for name in ("host-a", "host-b"):
        isolate_environment(monkeypatch, tmp_path / name)
        apps.append(create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database,
                                "SECRET_KEY": "one-database-two-hosts-key-0123456789"}))
    first, second = apps
    assert first.test_cli_runner().invoke(args=["init"]).exit_code == 0
    assert second.test_cli_runner().invoke(args=["init"]).exit_code == 0
    for app, title in ((first, "Ibis on host A"), (second, "Jacana on host B")):
        with app.app_context():
            make_project(title)
            db.session.commit()
    assert search_slugs(first.test_client(), "jacana") == []  # host B consumed that change
    assert search_slugs(second.test_client(), "ibis") == []
    for app, other in ((first, "host-b"), (second, "host-a")):
        result = app.test_cli_runner().invoke(args=["search", "check"])
        assert result.exit_code == 1
        assert "another Whoosh index also consumes this database's search updates" in result.output
        assert f"{other}/index" in result.output and "PIONEER_SEARCH_BACKEND=postgres" in result.output
    for app in apps:
        with app.app_context():
            search.backend().close()
            db.engine.dispose()


IDEAS_PAGE = """## Networking

### Kestrel packet sniffer (1-star)

Capture frames on the loopback device and print them.

Mentors: Zoë Ångström, Ravi Natarajan
Time: a week
Skills: wireshark (comfortable), ocaml (concepts, nice to have)

### Ptarmigan route table (2-star)

A routing table with longest-prefix match.

Mentors: Ravi Natarajan
Time: a few weeks
Skills: c++ (some experience)
"""


def test_an_imported_page_is_found_by_its_skills_and_mentors_and_check_agrees(either, tmp_path):
    """An import writes projects and links in bulk; on PostgreSQL each project then gets its tags once,
    after its links (pg_schema.bulk_writes): its skills and mentors must be searchable all the same."""
    client = either
    page = tmp_path / "ideas.md"
    page.write_text(IDEAS_PAGE, encoding="utf-8")
    result = client.application.test_cli_runner().invoke(args=["import", str(page)])
    assert "2 new" in result.output, result.output
    assert search_slugs(client, "wireshark") == ["kestrel-packet-sniffer"]
    assert search_slugs(client, "Ångström") == ["kestrel-packet-sniffer"]
    assert sorted(search_slugs(client, "natarajan")) == ["kestrel-packet-sniffer", "ptarmigan-route-table"]
    assert search_slugs(client, "ptarmigan") == ["ptarmigan-route-table"]
    # The skill facet under a search counts what the links say.
    listing = client.get("/projects", query_string={"q": "natarajan", "skill": "c++"}).get_data(as_text=True)
    assert "ptarmigan-route-table" in listing and "kestrel-packet-sniffer" not in listing
    assert client.application.test_cli_runner().invoke(args=["search", "check"]).exit_code == 0
    # "Did you mean" offers the imported words.
    assert "ptarmigan" in client.get("/projects", query_string={"q": "ptarmigann"}).get_data(as_text=True).lower()
