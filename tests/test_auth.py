"""Users file, argon2 hashes, roles and the server-side permission check."""

from __future__ import annotations

import json
import stat

import pytest
from typer.testing import CliRunner

from assistant.errors import AssistantError
from assistant.review.auth import LOCAL_USER, PermissionDenied, User, UserStore, require


def test_add_verify_and_hash_only(tmp_path):
    users = UserStore(tmp_path / "users.json")
    assert not users.configured
    users.add("anna", "handläggare", "hemligt-lösen")
    raw = (tmp_path / "users.json").read_text(encoding="utf-8")
    assert "hemligt-lösen" not in raw and "$argon2" in raw
    assert stat.S_IMODE((tmp_path / "users.json").stat().st_mode) == 0o600
    assert users.verify("anna", "hemligt-lösen")
    assert not users.verify("anna", "fel-lösenord")
    assert not users.verify("okänd", "hemligt-lösen")
    assert not users.verify("anna", "")


def test_roles_list_replace_and_remove(tmp_path):
    users = UserStore(tmp_path / "users.json")
    users.add("anna", "handläggare", "lösenord1")
    users.add("bo", "avdelningschef", "lösenord2")
    assert users.list() == [User("anna", "handläggare"), User("bo", "avdelningschef")]
    users.add("anna", "utvärderare", "nytt-lösen")
    assert users.get("anna") == User("anna", "utvärderare")
    assert not users.verify("anna", "lösenord1") and users.verify("anna", "nytt-lösen")
    assert users.remove("anna") and not users.remove("anna")
    assert [u.name for u in users.list()] == ["bo"]
    users.add("cilla", "avdelningschef", "lösenord3", district="Rinkeby-Kista")
    assert users.get("cilla") == User("cilla", "avdelningschef", "Järva")  # a former district's name is its successor's
    with pytest.raises(AssistantError, match="Okänd stadsdel"):
        users.add("dan", "avdelningschef", "lösenord4", district="Atlantis")


@pytest.mark.parametrize(
    ("name", "role", "password"),
    [("anna", "chef", "lösenord1"), ("", "admin", "lösenord1"), ("a b", "admin", "lösenord1"), ("anna", "admin", "kort")],
)
def test_bad_user_input_is_refused(tmp_path, name, role, password):
    users = UserStore(tmp_path / "users.json")
    with pytest.raises(AssistantError):
        users.add(name, role, password)
    assert not (tmp_path / "users.json").exists()


def test_corrupt_users_file_names_the_file(tmp_path):
    path = tmp_path / "users.json"
    path.write_text("{inte json", encoding="utf-8")
    with pytest.raises(AssistantError, match="users.json"):
        UserStore(path).list()


def test_require_and_local_user(tmp_path):
    chef = User("bo", "avdelningschef")
    assert require(chef, "avdelningschef") is chef
    with pytest.raises(PermissionDenied, match="avdelningschef"):
        require(User("anna", "handläggare"), "avdelningschef")
    with pytest.raises(PermissionDenied):
        require(None, "handläggare")
    assert require(User("root", "admin"), "avdelningschef")
    assert LOCAL_USER.is_admin


def test_users_cli(tmp_path, monkeypatch, request):
    from assistant.cli import _register, app

    _register()
    from assistant.settings import get_settings

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    runner = CliRunner()
    result = runner.invoke(app, ["users", "add", "anna", "--role", "handläggare"], input="lösenord1\nlösenord1\n")
    assert result.exit_code == 0, result.output
    assert "restart a running app" in result.output  # the first user: the running app stays local until restarted
    result = runner.invoke(app, ["users", "add", "bo", "--role", "avdelningschef", "--password-stdin"], input="lösenord2\n")
    assert result.exit_code == 0, result.output
    # a password is never an argument: it would show in ps and the shell history
    result = runner.invoke(app, ["users", "add", "cilla", "--role", "admin", "--password", "lösenord3"])
    assert result.exit_code != 0 and "--password" in result.output
    result = runner.invoke(app, ["users", "add", "dan", "--role", "chef"], input="lösenord4\nlösenord4\n")
    assert result.exit_code != 0 and "chef" in result.output
    result = runner.invoke(app, ["users", "list"])
    assert "anna" in result.output and "handläggare" in result.output
    data = json.loads((tmp_path / "data" / "users.json").read_text(encoding="utf-8"))
    assert set(data["users"]) == {"anna", "bo"}
    from assistant.review.auth import UserStore as Store

    assert Store(tmp_path / "data" / "users.json").verify("bo", "lösenord2")
    assert runner.invoke(app, ["users", "remove", "anna"]).exit_code == 0
    assert runner.invoke(app, ["users", "remove", "anna"]).exit_code != 0


def test_users_unlock_cli_ends_the_lock_and_is_audited(tmp_path, monkeypatch, request):
    from datetime import timedelta

    from assistant.cli import _register, app
    from assistant.review.db import ReviewStore
    from assistant.settings import get_settings

    _register()
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    request.addfinalizer(get_settings.cache_clear)
    store = ReviewStore(get_settings().db_path)
    for _ in range(5):
        store.record_login_failure("anna", "127.0.0.1", 5, timedelta(minutes=15))
    assert store.login_locked_until("anna") is not None
    runner = CliRunner()
    result = runner.invoke(app, ["users", "unlock", "anna"])
    assert result.exit_code == 0 and "anna unlocked" in result.output, result.output
    assert store.login_locked_until("anna") is None
    assert "anna was not locked" in runner.invoke(app, ["users", "unlock", "anna"]).output
    unlocked = [e for e in store.audit_log(User("root", "admin")) if e.action == "låste upp konto"]
    assert unlocked and {e.user for e in unlocked} == {"admin (kommandorad)"}
