"""Video: probing and poster frames with PyAV, transcoding with the ffmpeg binary imageio-ffmpeg ships.

Transcode policy follows Immich's defaults ("required"): a video is transcoded when its video codec is not
H.264 or its pixel format is not 4:2:0, when its audio is not AAC/MP3/Opus, or when its container is not
MP4/MOV/WebM/Ogg. The target is H.264 (CRF 23, preset ultrafast) + AAC in MP4 with faststart, scaled so the
short side is at most 720 px.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PIL import Image

from photonest.media.errors import CorruptMediaError, MediaError
from photonest.media.images import check_pixels
from photonest.media.registry import Loaded, RawMeta, register
from photonest.media.types import VIDEO

if TYPE_CHECKING:
    from photonest.media.probe import MediaInfo

ACCEPTED_VIDEO_CODECS = frozenset({"h264"})
ACCEPTED_AUDIO_CODECS = frozenset({"aac", "mp3", "opus"})
ACCEPTED_CONTAINERS = frozenset({"mov", "mp4", "webm", "ogg"})
TARGET_CRF = 23
TARGET_PRESET = "ultrafast"

_ISO6709 = re.compile(r"^\s*([+-]\d+(?:\.\d+)?)([+-]\d+(?:\.\d+)?)")
_ZERO_DATES = ("1904-01-01", "1970-01-01T00:00:00", "0000-00-00")


def _open(path: Path) -> Any:
    import av

    try:
        return av.open(str(path), metadata_errors="ignore")
    except Exception as exc:
        raise CorruptMediaError(f"the video is damaged or not a supported format ({str(exc)[:160]})") from exc


def _main_video_stream(container: Any) -> Any | None:
    streams = [s for s in container.streams.video if not (s.disposition and _attached_pic(s))]
    if not streams:
        return None
    return max(streams, key=lambda s: (s.codec_context.width or 0) * (s.codec_context.height or 0))


def _attached_pic(stream: Any) -> bool:
    try:
        import av

        return bool(stream.disposition & av.stream.Disposition.attached_pic)
    except Exception:
        return False


def _lower_metadata(*dicts: dict[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for d in dicts:
        for key, value in d.items():
            merged.setdefault(key.lower(), value)
    return merged


def _utc_string(text: str | None) -> str | None:
    """'2017-09-01T02:23:48.000000Z' -> '2017-09-01 02:23:48' (QuickTime dates are UTC); zero dates dropped."""
    if not text or text.startswith(_ZERO_DATES):
        return None
    text = text.strip().rstrip("Z")
    return text.replace("T", " ")[:26]


def tags_from_video_metadata(meta: dict[str, str]) -> dict[str, Any]:
    tags: dict[str, Any] = {}
    creation = meta.get("com.apple.quicktime.creationdate")
    if creation and not creation.startswith(_ZERO_DATES):
        tags["CreationDate"] = creation  # local time with its offset, e.g. 2023-06-01T10:00:00+0200
    utc = _utc_string(meta.get("creation_time"))
    if utc:
        tags["CreateDate"] = utc
    for key in ("com.apple.quicktime.make", "make", "com.android.manufacturer"):
        if meta.get(key):
            tags["Make"] = meta[key].strip()
            break
    for key in ("com.apple.quicktime.model", "model", "com.android.model"):
        if meta.get(key):
            tags["Model"] = meta[key].strip()
            break
    for key in ("com.apple.quicktime.location.iso6709", "location", "location-eng"):
        m = _ISO6709.match(meta.get(key, ""))
        if m:
            tags["GPSLatitude"], tags["GPSLongitude"] = float(m.group(1)), float(m.group(2))
            break
    cid = meta.get("com.apple.quicktime.content.identifier")
    if cid:
        tags["ContentIdentifier"] = cid.strip()
    if meta.get("description"):
        tags["Description"] = meta["description"]
    return tags


def _rotation(frame: Any) -> int:
    """Degrees to turn clockwise for display (ffmpeg's display matrix holds a counter-clockwise angle)."""
    try:
        ccw = round(float(frame.rotation))
    except Exception:
        return 0
    return (-ccw) % 360


def _first_frame(container: Any, stream: Any, seek_seconds: float = 0.0) -> Any | None:
    if seek_seconds > 0:
        with contextlib.suppress(Exception):
            container.seek(int(seek_seconds / stream.time_base), stream=stream, backward=True, any_frame=False)
    try:
        for frame in container.decode(stream):
            return frame
    except Exception:
        return None
    return None


class VideoHandler:
    name = "video"
    asset_type = "VIDEO"
    mime_types = frozenset(VIDEO.values())

    def is_browser_supported(self, mime_type: str) -> bool:
        return True

    def read(self, path: Path, mime_type: str) -> RawMeta:
        container = _open(path)
        with container:
            stream = _main_video_stream(container)
            meta = _lower_metadata(container.metadata, *(s.metadata for s in container.streams))
            tags = tags_from_video_metadata(meta)
            duration_ms = None
            if container.duration:
                duration_ms = round(container.duration / 1000)
            elif stream is not None and stream.duration and stream.time_base:
                duration_ms = round(float(stream.duration * stream.time_base) * 1000)
            result = RawMeta(mime_type=mime_type, tags=tags, duration_ms=duration_ms)
            if stream is None:
                return result
            ctx = stream.codec_context
            result.width, result.height = ctx.width or None, ctx.height or None
            result.codec = "hevc" if ctx.name == "h265" else ctx.name
            rate = stream.average_rate or stream.guessed_rate
            if rate:
                result.fps = round(float(Fraction(rate)), 3)
            frame = _first_frame(container, stream)
            if frame is not None:
                result.rotation = _rotation(frame)
            return result

    def load(self, path: Path, *, min_side: int, max_pixels: int) -> Loaded:
        """The poster frame: the first frame, or one a tenth into the video when the first is black."""
        container = _open(path)
        with container:
            stream = _main_video_stream(container)
            if stream is None:
                raise MediaError("the file has no video stream to take a picture from")
            check_pixels(stream.codec_context.width or 1, stream.codec_context.height or 1, max_pixels)
            stream.thread_type = "AUTO"
            frame = _first_frame(container, stream)
            if frame is None:
                raise CorruptMediaError("no frame of the video could be decoded")
            image = frame.to_image()
            if _is_dark(image) and container.duration:
                later = _first_frame(container, stream, min(container.duration / 1e6 * 0.1, 10.0))
                if later is not None:
                    candidate = later.to_image()
                    if not _is_dark(candidate):
                        image = candidate
            rotation = _rotation(frame)
        if rotation == 90:
            image = image.transpose(Image.Transpose.ROTATE_270)
        elif rotation == 180:
            image = image.transpose(Image.Transpose.ROTATE_180)
        elif rotation == 270:
            image = image.transpose(Image.Transpose.ROTATE_90)
        return Loaded(image, 1)


def _is_dark(image: Image.Image) -> bool:
    small = image.convert("L").resize((32, 32))
    return bool(np.asarray(small).mean() < 12)


register(VideoHandler())


# --- transcoding --------------------------------------------------------------------------------------------


def _stream_facts(src: Path) -> tuple[str, str | None, str | None, str | None]:
    """(container format, video codec, pixel format, audio codec) of a file."""
    container = _open(src)
    with container:
        fmt = container.format.name or ""
        long_name = container.format.long_name or ""
        name = "mov" if long_name == "QuickTime / MOV" or fmt.startswith("mov,mp4") else fmt.split(",")[0]
        stream = _main_video_stream(container)
        vcodec = pix = None
        if stream is not None:
            vcodec = stream.codec_context.name
            pix = stream.codec_context.pix_fmt
        audio = [s for s in container.streams.audio]
        acodec = audio[0].codec_context.name if audio else None
        if acodec and acodec.startswith("mp3"):
            acodec = "mp3"
        return name, vcodec, pix, acodec


def needs_transcode(info: MediaInfo, src: Path) -> bool:
    """Immich's "required" policy: transcode unless H.264 4:2:0 video, AAC/MP3/Opus audio, MP4/MOV/WebM/Ogg."""
    if info.asset_type != "VIDEO":
        return False
    try:
        fmt, vcodec, pix, acodec = _stream_facts(src)
    except MediaError:
        return False
    if vcodec is None:
        return False  # nothing to play as a video (audio-only file)
    if vcodec not in ACCEPTED_VIDEO_CODECS or not (pix or "yuv420p").endswith("420p"):
        return True
    if acodec is not None and acodec not in ACCEPTED_AUDIO_CODECS:
        return True
    return fmt not in ACCEPTED_CONTAINERS


def ffmpeg_exe() -> str:
    try:
        import imageio_ffmpeg
    except ImportError as exc:  # pragma: no cover - in the media extra
        raise MediaError("video transcoding needs imageio-ffmpeg") from exc
    return str(imageio_ffmpeg.get_ffmpeg_exe())


def transcode(src: Path, dest: Path, *, target_height: int = 720, crf: int = TARGET_CRF,
              preset: str = TARGET_PRESET, timeout: float | None = None,
              progress: Callable[[float], None] | None = None) -> None:
    """Re-encode to H.264 (4:2:0) + AAC in MP4 with the index up front (faststart). The short side is scaled
    down to ``target_height`` when larger; the display rotation is applied. ``dest`` appears only when
    complete. Raises MediaError with ffmpeg's reason."""
    _fmt, vcodec, _pix, acodec = _stream_facts(src)
    if vcodec is None:
        raise MediaError("the file has no video stream to transcode")
    t = int(target_height)
    scale = (f"scale=w='if(gte(iw,ih),-2,trunc(min({t},iw)/2)*2)':"
             f"h='if(gte(iw,ih),trunc(min({t},ih)/2)*2,-2)'")
    audio = ["-c:a", "copy"] if acodec in ("aac", "mp3") else ["-c:a", "aac", "-b:a", "160k"]
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".transcode-", suffix=".mp4", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    cmd = [ffmpeg_exe(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(src),
           "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn",
           "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p", "-vf", scale,
           *audio, "-movflags", "+faststart", "-f", "mp4"]
    if progress is not None:
        cmd += ["-progress", "pipe:1", "-nostats"]
    cmd.append(str(tmp))
    try:
        _run(cmd, timeout=timeout, progress=progress, duration_s=_duration_seconds(src))
        if tmp.stat().st_size == 0:
            raise MediaError("transcoding produced an empty file")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _duration_seconds(src: Path) -> float | None:
    try:
        container = _open(src)
    except MediaError:
        return None
    with container:
        return container.duration / 1e6 if container.duration else None


def _run(cmd: list[str], *, timeout: float | None, progress: Callable[[float], None] | None,
         duration_s: float | None) -> None:
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if progress else subprocess.DEVNULL, stderr=err)
        try:
            if progress is not None and proc.stdout is not None:
                for line in proc.stdout:
                    key, _, value = line.decode("ascii", "replace").strip().partition("=")
                    if key == "out_time_us" and duration_s and value.isdigit():
                        progress(min(1.0, int(value) / 1e6 / duration_s))
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            proc.kill()
            proc.wait()
            raise MediaError(f"transcoding took longer than {timeout:.0f} s and was stopped") from exc
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        if code != 0:
            err.seek(0)
            tail = err.read()[-600:].decode("utf-8", "replace").strip()
            raise MediaError(f"ffmpeg could not transcode the video: {tail or f'exit code {code}'}")
    if progress is not None:
        progress(1.0)
