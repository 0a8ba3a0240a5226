"""photonest's own upload client: an HTTP client for the Immich-compatible API and `photonest upload`.

Nothing here imports the server: the client talks HTTP only, so it works against photonest or Immich.
"""

from photonest.client.api import ApiError, ServerClient
from photonest.client.uploader import Uploader, UploadOptions, UploadReport

__all__ = ["ApiError", "ServerClient", "UploadOptions", "UploadReport", "Uploader"]
