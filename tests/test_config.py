"""Settings: arguments, then OMEGA_* variables, then defaults."""

from __future__ import annotations

import pytest

from omega_gql import ConfigurationError, Settings


def test_defaults_apply_when_nothing_is_given() -> None:
    settings = Settings.load({}, {}, default_database_url="sqlite:///app.db")
    assert settings.database_url == "sqlite:///app.db"
    assert settings.naming == "graphql-default"
    assert settings.create_tables is True


def test_environment_overrides_defaults_and_arguments_override_environment() -> None:
    env = {
        "OMEGA_DATABASE_URL": "sqlite:///env.db",
        "OMEGA_NAMING": "hasura-default",
        "OMEGA_POOL_SIZE": "7",
    }
    assert Settings.load({}, env).database_url == "sqlite:///env.db"
    assert Settings.load({}, env).pool_size == 7
    chosen = Settings.load({"database_url": "sqlite:///arg.db", "naming": None}, env)
    assert chosen.database_url == "sqlite:///arg.db"
    assert chosen.naming == "hasura-default"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OMEGA_NAMING": "kebab"}, "naming"),
        ({"OMEGA_POOL_SIZE": "many"}, "OMEGA_POOL_SIZE"),
        ({"OMEGA_CREATE_TABLES": "perhaps"}, "OMEGA_CREATE_TABLES"),
    ],
    ids=["unknown-naming", "non-integer", "non-boolean"],
)
def test_bad_values_are_refused_with_the_variable_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        Settings.load({}, env)


def test_unknown_setting_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="colour"):
        Settings.load({"colour": "blue"}, {})


def test_omega_variables_configure_create_app(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from examples.twooter.models import Twoot, User
    from omega_gql import create_app

    monkeypatch.setenv("OMEGA_NAMING", "hasura-default")
    monkeypatch.setenv("OMEGA_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app(models=[User, Twoot])
    assert app.settings.database_url.endswith("env.db")
    assert "twoot_by_pk(id: Int!): twoot" in app.sdl()
    assert "twootByPk" not in app.sdl()
