"""Where `photonest upload` finds its server and API key: flags, then PHOTONEST_SERVER / PHOTONEST_API_KEY,
then the file `photonest login` writes (~/.config/photonest/auth.json, or under $PHOTONEST_CONFIG_DIR)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


def config_dir() -> Path:
    explicit = os.environ.get("PHOTONEST_CONFIG_DIR")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "photonest"


def auth_file() -> Path:
    return config_dir() / "auth.json"


@dataclass(frozen=True)
class Credentials:
    server: str
    api_key: str


def load() -> Credentials | None:
    try:
        data = json.loads(auth_file().read_text())
        return Credentials(str(data["server"]), str(data["apiKey"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save(creds: Credentials) -> Path:
    path = auth_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    # The key is a password: readable by its owner only, from the moment the file exists.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"server": creds.server, "apiKey": creds.api_key}, f, indent=2)
    tmp.replace(path)
    return path


def remove() -> bool:
    try:
        auth_file().unlink()
        return True
    except FileNotFoundError:
        return False


def resolve(server: str | None, api_key: str | None) -> Credentials | None:
    """Flags and environment (click passes both as one value) win; the saved login fills what is missing."""
    saved = load()
    server = server or (saved.server if saved else None)
    api_key = api_key or (saved.api_key if saved else None)
    return Credentials(server, api_key) if server and api_key else None
