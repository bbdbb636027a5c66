"""Several processes writing at once, and a process dying between commit and index write."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pioneer import create_app, search
from pioneer.database import db
from pioneer.models import ProjectStatus

from ..conftest import BACKENDS, backend_config
from ..factories import make_project
from ..web_client import isolate_environment

ROOT = Path(__file__).parent.parent.parent
ROUNDS = int(os.environ.get("PIONEER_TEST_ROUNDS", "25"))


@pytest.fixture
def instance(tmp_path, monkeypatch):
    """A real instance folder (SQLite file, index on disk) with a few projects, as `make run` makes it."""
    yield from make_instance(tmp_path, monkeypatch)


@pytest.fixture(params=BACKENDS)
def any_instance(tmp_path, monkeypatch, request):
    """The instance, once with Whoosh on SQLite and once on PostgreSQL with its search backend."""
    yield from make_instance(tmp_path, monkeypatch, **backend_config(request, request.param))


def make_instance(tmp_path, monkeypatch, **config):
    isolate_environment(monkeypatch, tmp_path)
    # As environment variables, so the worker processes started below get them too.
    for name, value in config.items():
        monkeypatch.setenv(f"PIONEER_{name}", value)
    app = create_app()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init"]).exit_code == 0
    with app.app_context():
        for number in range(6):
            make_project(f"Shared project {number}", status=ProjectStatus.AVAILABLE)
        db.session.commit()
        search.backend().close()
    yield tmp_path, app, runner
    with app.app_context():
        search.backend().close()
        db.engine.dispose()


def start_worker(name, rounds, *flags):
    return subprocess.Popen([sys.executable, "-m", "tests.search.worker", name, str(rounds), *flags], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_committing_at_once_leave_the_index_matching(any_instance):
    folder, app, runner = any_instance
    workers = [start_worker("alpha", ROUNDS), start_worker("beta", ROUNDS)]
    (folder / "start").touch()
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err[-2000:]
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("The index matches the database"), result.output
    assert "pending" not in result.output
    page = app.test_client().get("/projects?q=fresh").get_data(as_text=True)
    assert f"{2 * ROUNDS} projects match" in page, re.search(r"result-count[^>]*>([^<]*)", page).group(1)


def test_a_process_killed_between_commit_and_index_write_loses_nothing(instance):
    folder, app, runner = instance
    (folder / "start").touch()
    worker = start_worker("gamma", 1, "--die-after-commit")
    worker.communicate(timeout=120)
    assert worker.returncode == -9  # killed by SIGKILL right after its commit
    before = runner.invoke(args=["search", "check"])
    assert before.exit_code == 1
    assert "missing from the index: gamma-new-0" in before.output
    assert "out of date in the index: shared-project-0" in before.output
    synced = runner.invoke(args=["search", "sync"])
    assert synced.exit_code == 0 and "Applied" in synced.output
    after = runner.invoke(args=["search", "check"])
    assert after.exit_code == 0 and after.output.startswith("The index matches the database"), after.output



def test_memory_indexes_in_two_processes_keep_their_scratch_files_apart():
    """Two test runs on one machine: each process's in-memory index writes its own scratch files.

    Whoosh's memory storage shares `<tmp>/MAIN.tmp` between processes, and one process's clean-up
    closed the other's files ("This file is already closed"); see PrivateRamStorage.
    """
    workers = [subprocess.Popen([sys.executable, "-m", "tests.search.memory_worker", "60"], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(3)]
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err[-2000:]
        assert out.split() == ["21"], out
