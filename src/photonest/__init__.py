"""photonest: a self-hosted photo and video library server that speaks Immich's API."""

__version__ = "0.1.0"
# The Immich API version we implement; Immich clients compare against it.
IMMICH_API_VERSION = (3, 1, 0)
