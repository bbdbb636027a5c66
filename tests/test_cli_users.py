"""Creating accounts and granting roles from the command line."""

from pioneer.database import db
from pioneer.domain.passwords import verify_password
from pioneer.models import Role, User


def test_user_create_reads_the_password_from_stdin_and_hashes_it(runner, ctx):
    result = runner.invoke(args=["user", "create", "ada@example.org", "--name", "Ada L", "--role", "reviewer"],
                           input="a long passphrase of mine\n")
    assert result.exit_code == 0, result.output
    assert "Created ada <ada@example.org> with roles reviewer." in result.output
    user = db.session.execute(db.select(User)).scalar_one()
    assert user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "a long passphrase of mine")
    assert user.has_role(Role.REVIEWER) and not user.has_role(Role.ADMIN)


def test_user_create_refuses_a_taken_email(runner, ctx):
    runner.invoke(args=["user", "create", "ada@example.org", "--name", "Ada"], input="pw one two three\n")
    again = runner.invoke(args=["user", "create", "ADA@example.org", "--name", "Ada"], input="pw one two three\n")
    assert again.exit_code == 1 and "already exists" in again.output


def test_user_grant_adds_a_role_once(runner, ctx):
    runner.invoke(args=["user", "create", "bob@example.org", "--name", "Bob"], input="pw one two three\n")
    assert "bob is now a coordinator." in runner.invoke(args=["user", "grant", "bob", "coordinator"]).output
    assert "already has" in runner.invoke(args=["user", "grant", "bob", "coordinator"]).output
    missing = runner.invoke(args=["user", "grant", "nobody", "admin"])
    assert missing.exit_code == 1 and "no account is called 'nobody'" in missing.output
