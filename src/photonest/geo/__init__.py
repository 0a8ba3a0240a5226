"""Offline geography: reverse geocoding (geocoder.py) and country names (countries.py)."""
