"""Background work: a huey queue (SQLite by default, Redis for many machines) and its tasks."""
