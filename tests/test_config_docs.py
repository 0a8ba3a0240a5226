"""docs/configuration.md documents every field of photonest.config.Settings, and nothing else (as Datasette does).

The table's rows are `| `PHOTONEST_<NAME>` | CLI flags | default | description |`. When a test here fails it prints
the rows to paste; `python -m tests.test_config_docs` prints the whole table from the Settings descriptions.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import click
from pydantic.fields import FieldInfo

from photonest.cli import main as cli
from photonest.config import Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"
PREFIX = str(Settings.model_config.get("env_prefix", ""))
ROW = re.compile(r"^\|\s*`(PHOTONEST_[A-Z0-9_]+)`\s*\|([^|]*)\|([^|]*)\|(.*)\|\s*$")
FLAG = re.compile(r"--[a-z0-9][a-z0-9-]*")


def env_name(name: str, info: FieldInfo) -> str:
    alias = info.validation_alias or info.alias
    return str(alias).upper() if isinstance(alias, str) else f"{PREFIX}{name}".upper()


def render_default(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, Path):
        text = str(value)
        return f"`{text if value.is_absolute() or text.startswith('.') else './' + text}`"
    if value == "":
        return '`""`'
    return f"`{value}`"


def cli_options() -> dict[str, list[str]]:
    """--flag -> commands that have it; and which env var each option's help names ([PHOTONEST_X ...])."""
    found: dict[str, list[str]] = {}

    def walk(cmd: click.Command, path: str) -> None:
        for p in cmd.params:
            if isinstance(p, click.Option):
                for opt in p.opts + p.secondary_opts:
                    if opt.startswith("--"):
                        found.setdefault(opt, []).append(path)
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, f"{path} {name}".strip())

    walk(cli, "")
    return found


def flags_naming(env: str) -> list[str]:
    """CLI flags whose help text or envvar names `env` (e.g. "Worker threads [PHOTONEST_WORKER_THREADS]")."""
    flags: set[str] = set()

    def walk(cmd: click.Command) -> None:
        for p in cmd.params:
            if isinstance(p, click.Option):
                envvars = [p.envvar] if isinstance(p.envvar, str) else list(p.envvar or [])
                if env in envvars or re.search(rf"\[{env}\b", p.help or ""):
                    flags.update(o for o in p.opts if o.startswith("--"))
        if isinstance(cmd, click.Group):
            for sub in cmd.commands.values():
                walk(sub)

    walk(cli)
    return sorted(flags)


def render_row(name: str, info: FieldInfo) -> str:
    env = env_name(name, info)
    flags = ", ".join(f"`{f}`" for f in flags_naming(env))
    return f"| `{env}` | {flags} | {render_default(info.default)} | {info.description or 'TODO: describe'} |"


def documented() -> dict[str, tuple[str, str, str]]:
    rows = {}
    for line in DOC.read_text().splitlines():
        if m := ROW.match(line):
            rows[m.group(1)] = (m.group(2).strip(), m.group(3).strip(), m.group(4).strip())
    return rows


FIELDS = {env_name(n, f): (n, f) for n, f in Settings.model_fields.items()}


def test_every_setting_has_a_description() -> None:
    missing = [n for n, f in Settings.model_fields.items() if not (f.description or "").strip()]
    assert not missing, f"give these Settings fields a Field(description=...): {missing}"


def test_every_setting_is_documented() -> None:
    rows = documented()
    missing = [env for env in FIELDS if env not in rows]
    assert not missing, (
        "docs/configuration.md lacks these settings; add these rows to its table:\n"
        + "\n".join(render_row(*FIELDS[env]) for env in missing))


def test_every_documented_setting_exists() -> None:
    unknown = sorted(set(documented()) - set(FIELDS))
    assert not unknown, f"docs/configuration.md documents settings that photonest.config.Settings lacks: {unknown}"


def test_documented_defaults_match() -> None:
    wrong = {env: (row[1], render_default(FIELDS[env][1].default))
             for env, row in documented().items() if env in FIELDS and row[1] != render_default(FIELDS[env][1].default)}
    assert not wrong, "fix the default column of docs/configuration.md (documented, actual):\n" + "\n".join(
        f"  {env}: {doc} -> {actual}" for env, (doc, actual) in sorted(wrong.items()))


def test_documented_cli_flags_exist_and_are_listed() -> None:
    options = cli_options()
    problems = []
    for env, (flags_cell, _, description) in documented().items():
        assert description, f"{env} has no description in docs/configuration.md"
        listed = FLAG.findall(flags_cell)
        problems += [f"{env}: `{f}` is no option of any photonest command" for f in listed if f not in options]
        problems += [f"{env}: add `{f}` to its CLI column (its help names {env})"
                     for f in flags_naming(env) if f not in listed]
    assert not problems, "docs/configuration.md:\n" + "\n".join(problems)


def test_precedence_is_as_documented(tmp_path: Path, monkeypatch: Any) -> None:
    """The intro says: CLI flag (init argument) > environment variable > .env file > default."""
    env_file = tmp_path / ".env"
    env_file.write_text("PHOTONEST_PORT=1111\nPHOTONEST_TRASH_DAYS=7\nPHOTONEST_HOST=10.0.0.1\n")
    monkeypatch.setenv("PHOTONEST_PORT", "2222")
    monkeypatch.setenv("PHOTONEST_HOST", "10.0.0.2")
    s = Settings(_env_file=env_file, host="10.0.0.3")  # type: ignore[call-arg]
    assert (s.host, s.port, s.trash_days, s.session_days) == ("10.0.0.3", 2222, 7, 400)
    assert "CLI flag > environment variable > `.env` file > default" in DOC.read_text()


if __name__ == "__main__":
    print("| variable | CLI flags | default | description |\n|---|---|---|---|")
    for name, info in FIELDS.values():
        print(render_row(name, info))
