import logging
import shutil
from pathlib import Path

import pytest

from bot.core.errors import ContentError
from bot.storage.config_file import Config, config_path, load_config, parse_config_text
from bot.storage.shipped import shipped_dir

ROOT = Path(__file__).resolve().parents[2]
SECRET = "MTIz.secret-token-value"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bot.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config.discord.guilds == [] and config.discord.token_env == "DISCORD_TOKEN"
    assert config.corpus_dir == shipped_dir("corpus") and config.facts_dir == shipped_dir("facts")
    assert config.quote.ephemeral is False and config.daily == []
    assert config.paths.state == Path.cwd() / "data" / "state.sqlite3"


def test_a_minimal_file_runs(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "discord:\n  guilds: [1]\npaths:\n  state: s.db\n"))
    assert config.discord.guilds == [1]
    assert config.paths.state == tmp_path.resolve() / "s.db"
    assert config.corpus_dir == shipped_dir("corpus")


def test_relative_paths_resolve_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "conf").mkdir()
    config = load_config(write(tmp_path / "conf", "paths:\n  corpus: ../texts\n"
                                                  "  facts: /abs/facts\n"))
    assert config.corpus_dir == (tmp_path / "conf").resolve() / "../texts"
    assert config.facts_dir == Path("/abs/facts")


def test_the_example_config_is_valid() -> None:
    config = load_config(ROOT / "config.example.yaml")
    assert config.discord.guilds == [123456789012345678]
    assert config.corpus_dir == shipped_dir("corpus")


def test_unknown_key_names_file_line_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "discord:\n  guilds: []\nquote:\n  ephemral: true\n")
    with pytest.raises(ContentError) as exc:
        load_config(path)
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.where) == (str(path), 4, "quote.ephemral")
    assert problem.message == "unknown key"


def test_wrong_type_names_line(tmp_path: Path) -> None:
    path = write(tmp_path, "discord:\n  guilds:\n    - 1\n    - not-a-number\n")
    with pytest.raises(ContentError) as exc:
        load_config(path)
    (problem,) = exc.value.problems
    assert problem.line == 4 and problem.where == "discord.guilds[1]"
    assert f"{path}:4" in str(exc.value)


def test_token_in_the_file_is_refused_without_echoing_it(tmp_path: Path) -> None:
    path = write(tmp_path, f"discord:\n  guilds: []\n  token: {SECRET}\n")
    with pytest.raises(ContentError) as exc:
        load_config(path)
    assert exc.value.problems[0].line == 3
    assert "DISCORD_TOKEN" in str(exc.value) and SECRET not in str(exc.value)


def test_token_from_env_var_then_file(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    (tmp_path / "tok").write_text(SECRET + "\n")
    config = load_config(write(tmp_path, "discord:\n  token_env: MY_TOKEN\n  token_file: tok\n"))
    from_env = config.token({"MY_TOKEN": "env-" + SECRET, "DISCORD_TOKEN": "wrong"})
    assert from_env is not None and from_env.get_secret_value() == "env-" + SECRET
    from_file = config.token({})
    assert from_file is not None and from_file.get_secret_value() == SECRET
    for shown in (repr(from_file), str(from_file), repr(config), caplog.text):
        assert SECRET not in shown
    assert Config().token({}) is None


def test_unreadable_token_file_is_a_clear_error(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "discord:\n  token_file: missing\n"))
    with pytest.raises(ContentError, match=r"discord\.token_file"):
        config.token({})


def test_config_path_from_option_or_env() -> None:
    assert config_path(Path("a.yaml"), {"BLUEBOOK_CONFIG": "b.yaml"}) == Path("a.yaml")
    assert config_path(None, {"BLUEBOOK_CONFIG": "b.yaml"}) == Path("b.yaml")
    assert config_path(None, {}) is None


def test_empty_file_and_odd_values() -> None:
    assert parse_config_text("") == load_config(None)
    assert parse_config_text("logging:\n  level: debug\n").logging.level == "DEBUG"
    with pytest.raises(ContentError, match="expected a mapping"):
        parse_config_text("- 1\n")
    with pytest.raises(ContentError, match=r"quote\.alternatives"):
        parse_config_text("quote:\n  alternatives: 9\n")


def test_daily_schedules_are_validated_with_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("daily:\n  - channel: 5\n    time: \"25:99\"\n  - channel: 6\n"
                    "    time: \"07:30\"\n    timezone: Asia/Tokio\n")
    with pytest.raises(ContentError) as info:
        load_config(path)
    text = str(info.value)
    assert "config.yaml:3: daily[0].time" in text
    assert "config.yaml:6: daily[1].timezone" in text and "Asia/Tokyo" in text
    path.write_text("daily:\n  - channel: 5\n    time: \"07:30\"\ndaily_grace_hours: 6\n")
    config = load_config(path)
    assert config.daily[0].channel == 5 and config.daily_grace_hours == 6


PASTED = "MTA5ODc2NTQzMjEwOTg3NjU0MzI.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"


@pytest.mark.parametrize("key", ["token_env", "token_file"])
def test_a_token_pasted_into_token_env_or_file_is_never_echoed(tmp_path: Path,
                                                               key: str) -> None:
    path = write(tmp_path, f"discord:\n  {key}: {PASTED}\n")
    with pytest.raises(ContentError) as exc:
        load_config(path)
    (problem,) = exc.value.problems
    assert (problem.line, problem.where) == (2, f"discord.{key}")
    assert "looks like a bot token" in problem.message
    assert PASTED not in str(exc.value) and "GhIjKl" not in str(exc.value)


def test_token_env_must_be_a_variable_name(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"bot.yaml:2: discord.token_env: .*environment"):
        load_config(write(tmp_path, "discord:\n  token_env: not a name\n"))


def test_a_missing_corpus_or_facts_folder_names_the_key_and_line(tmp_path: Path) -> None:
    from bot.app.services import load_services

    path = write(tmp_path, "discord:\n  guilds: []\npaths:\n  corpus: corpus\n  facts: facts\n")
    with pytest.raises(ContentError) as exc:
        load_services(load_config(path))
    (problem,) = exc.value.problems
    assert (problem.file, problem.line, problem.where) == (str(path), 4, "paths.corpus")
    assert str(tmp_path.resolve() / "corpus") in problem.message
    path = write(tmp_path, "paths:\n  facts: facts\n")
    services = load_services(load_config(path), use_cache=False)
    assert services.deck is None
    assert services.facts_problem.startswith(f"{path}:2: paths.facts: no fact card folder")


def test_the_example_config_works_wherever_it_is_copied(tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "config.yaml"
    copy.parent.mkdir()
    shutil.copy(ROOT / "config.example.yaml", copy)
    config = load_config(copy)
    assert config.corpus_dir == shipped_dir("corpus") and config.facts_dir == shipped_dir("facts")
    assert config.paths.state == copy.parent.resolve() / "data" / "state.sqlite3"
    assert config.folder_problem("corpus") is None and config.folder_problem("facts") is None


def test_the_example_configs_comment_is_truthful() -> None:
    text = (ROOT / "config.example.yaml").read_text(encoding="utf-8")
    assert "still serves quotations" not in text
    assert "refuse" in text


def test_check_names_the_config_key_of_a_missing_folder(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    path = write(tmp_path, "paths:\n  facts: my-facts\n")
    assert main(["check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:2: paths.facts: no fact card folder at {tmp_path.resolve() / 'my-facts'}" in err
    assert "facts folder not found" not in err


def test_a_fifo_token_file_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / "tok")
    config = load_config(write(tmp_path, "discord:\n  token_file: tok\n"))
    with pytest.raises(ContentError, match="not a regular file"):
        config.token({})
def test_a_postgresql_state_takes_its_password_from_outside_the_file(tmp_path: Path) -> None:
    url = "postgresql://bot@db:5432/bluebook"
    config = load_config(write(tmp_path, f"paths:\n  state: {url}\n"))
    assert config.paths.state == url  # a URL, not a path resolved from the file
    assert config.health_file == tmp_path.resolve() / "data" / "health.json"
    assert config.state_password({"PGPASSWORD": " s3cret\n"}) == "s3cret"
    assert config.state_password({}) is None  # libpq's own ~/.pgpass then, or none
    (tmp_path / "pw").write_text("from-a-file\n")
    config = load_config(write(tmp_path, f"paths:\n  state: {url}\n"
                                         "  state_password_env: BOT_DB_PASSWORD\n"
                                         "  state_password_file: pw\n"))
    assert config.state_password({"PGPASSWORD": "ignored"}) == "from-a-file"
    assert config.state_password({"BOT_DB_PASSWORD": "env"}) == "env"


def test_a_password_in_the_state_url_is_refused_without_echoing_it(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as info:
        load_config(write(tmp_path, "paths:\n  state: postgresql://bot:hunter2@db/bluebook\n"))
    text = str(info.value)
    assert "paths.state" in text and "PGPASSWORD" in text and "hunter2" not in text


@pytest.mark.parametrize(("discord", "message"), [
    ("shards: 0", "greater than or equal to 1"),
    ("shards: auto\n  shard_ids: [0]", "needs discord.shards"),
    ("shards: 2\n  shard_ids: [2]", "from 0 to 1"),
    ("shards: 2\n  shard_ids: [0, 0]", "distinct"),
])
def test_shard_settings_are_checked(tmp_path: Path, discord: str, message: str) -> None:
    with pytest.raises(ContentError, match=message):
        load_config(write(tmp_path, f"discord:\n  {discord}\n"))


def test_shards_auto_or_a_count(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "discord:\n  shards: auto\n")).discord.shards == "auto"
    config = load_config(write(tmp_path, "discord:\n  shards: 4\n  shard_ids: [2, 3]\n"))
    assert (config.discord.shards, config.discord.shard_ids) == (4, [2, 3])


def test_the_docker_compose_config_is_valid() -> None:
    config = load_config(ROOT / "deploy" / "config.compose.yaml")
    assert config.paths.state == "postgresql://bluebook@db:5432/bluebook"
    assert config.paths.state_password_file == Path("/run/secrets/db_password")
