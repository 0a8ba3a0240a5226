"""The one exception the media tools raise: a file we cannot (or will not) read, with a user-facing reason."""

from __future__ import annotations


class MediaError(Exception):
    """Corrupt, truncated, unsupported or too large media. ``str(err)`` is a message fit for the user."""


class UnsupportedMediaError(MediaError):
    """A file type we do not handle (or a zero-byte file)."""


class CorruptMediaError(MediaError):
    """The file claims to be a supported type but cannot be decoded: truncated, damaged, hostile."""


class MediaTooLargeError(MediaError):
    """Decoding would exceed the configured pixel limit (decompression-bomb guard)."""
