"""Media: formats, probing, derivatives. Pure library code: no HTTP, no database.

- ``probe.probe(path, sidecar=None) -> MediaInfo``: metadata (dates with zone, camera, GPS, sizes after
  orientation, video duration/codec/fps, live-photo id, embedded motion-photo video).
- ``derivatives.make_image_derivatives`` / ``make_video_derivatives``: thumbnail (WebP), preview (JPEG), ThumbHash,
  and a full-size JPEG for formats browsers cannot show; colour JPEGs through OpenCV (``fast_jpeg``) if installed.
- ``video.needs_transcode`` / ``video.transcode``: Immich's "required" policy, H.264/AAC MP4 output.
- ``motion.extract_motion_video``: the video inside a Google/Samsung motion photo.
- ``errors.MediaError``: everything above raises only this (and its subclasses) for bad input.

One handler per format family (``images``: Pillow, HEIF, JPEG XL; ``raw``; ``video``) behind the
``registry.MediaHandler`` Protocol, chosen by content sniffing (``sniff``) with the extension as fallback.
"""
