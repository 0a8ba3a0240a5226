"""Database: engine, tables, migrations."""
