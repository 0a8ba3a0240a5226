"""Background work: a huey queue (SQLite by default, Redis for many machines) and its tasks."""

import sys

# huey.storage imports psycopg (~120 ms) for a PostgreSQL queue backend we never use; hide it while huey loads so
# start-up stays fast. SQLAlchemy imports psycopg itself when the database is PostgreSQL.
if "huey.storage" not in sys.modules and "psycopg" not in sys.modules:
    sys.modules["psycopg"] = None  # type: ignore[assignment]
    try:
        import huey.storage  # noqa: F401
    finally:
        del sys.modules["psycopg"]
