"""Pydantic models for the Immich v3 schemas (generated, see immich.py)."""
