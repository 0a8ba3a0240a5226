"""The admin's system config (Immich's SystemConfigDto): defaults from Settings, an admin's overrides in the DB.

What other modules use:

- ``effective_config(db, settings) -> dict``: the whole config as GET /api/system-config answers it (Immich's
  camelCase SystemConfigDto shape): the Settings-derived defaults with the admin's stored overrides on top. Read
  it where a value has no Settings field of its own, e.g. the backups::

      cfg = effective_config(db, settings)["backup"]["database"]   # {enabled, cronExpression, keepLastAmount}

- The live ``Settings`` object of each process (web server, ``photonest worker``) is kept in step with the stored
  config: ``update()`` applies a PUT at once in the process that served it, and a ``ConfigWatcher`` thread in every
  process reads one small row (``system_metadata['system-config']``, whose ``version`` counts the changes) every
  POLL_SECONDS and applies a newer version. Code that reads ``settings.<field>`` when it acts therefore follows the
  admin's changes without a restart. BINDINGS lists which config fields are honoured (each maps to a Settings
  field); every other field is stored and answered as given, but photonest ignores it (docs/configuration.md).
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session as Db

from photonest.config import Settings
from photonest.db.engine import Database
from photonest.db.tables import SystemMetadata
from photonest.library import errors

log = logging.getLogger(__name__)
KEY = "system-config"
POLL_SECONDS = 1.0
DLIB_MATCH_DISTANCE = 0.06  # photonest.ml.faces.DLIB_MATCH_DISTANCE (not imported: it pulls in dlib)
IMMICH_MAX_DISTANCE = 0.5  # Immich's facialRecognition.maxDistance default (ArcFace cosine distance)

# Immich's defaults for everything photonest does not derive from its Settings (Immich server/src/config.ts).
_CRON_2AM, _CRON_MIDNIGHT = "0 02 * * *", "0 0 * * *"
IMMICH_DEFAULTS: dict[str, Any] = {
    "backup": {"database": {"enabled": True, "cronExpression": _CRON_2AM, "keepLastAmount": 14}},
    "ffmpeg": {
        "crf": 23, "threads": 0, "preset": "ultrafast", "targetVideoCodec": "h264", "acceptedVideoCodecs": ["h264"],
        "targetAudioCodec": "aac", "acceptedAudioCodecs": ["aac", "mp3", "opus"],
        "acceptedContainers": ["mov", "ogg", "webm"], "targetResolution": "720", "maxBitrate": "0", "bframes": -1,
        "refs": 0, "gopSize": 0, "temporalAQ": False, "cqMode": "auto", "twoPass": False,
        "preferredHwDevice": "auto", "transcode": "required", "tonemap": "hable", "accel": "disabled",
        "accelDecode": False,
        "realtime": {"enabled": False, "resolutions": [480, 720, 1080], "videoCodecs": ["h264"]},
    },
    "image": {
        "thumbnail": {"format": "webp", "size": 250, "quality": 80, "progressive": False},
        "preview": {"format": "jpeg", "size": 1440, "quality": 80, "progressive": False},
        "colorspace": "p3", "extractEmbedded": False,
        "fullsize": {"enabled": False, "format": "jpeg", "quality": 80, "progressive": False},
    },
    "integrityChecks": {
        "missingFiles": {"enabled": True, "cronExpression": "0 03 * * *"},
        "untrackedFiles": {"enabled": True, "cronExpression": "0 03 * * *"},
        "checksumFiles": {"enabled": True, "cronExpression": "0 03 * * *", "timeLimit": 3_600_000,
                          "percentageLimit": 1.0},
    },
    "job": {q: {"concurrency": n} for q, n in {
        "backgroundTask": 5, "smartSearch": 2, "metadataExtraction": 5, "faceDetection": 2, "search": 5,
        "sidecar": 5, "library": 5, "migration": 5, "thumbnailGeneration": 3, "videoConversion": 1,
        "notifications": 5, "ocr": 1, "workflow": 5, "editor": 2, "integrityCheck": 1}.items()},
    "library": {"scan": {"enabled": True, "cronExpression": _CRON_MIDNIGHT}, "watch": {"enabled": False}},
    "logging": {"enabled": True, "level": "log"},
    "machineLearning": {
        "enabled": True, "urls": ["in-process"],  # photonest runs its models itself: no ML service (ignored)
        "availabilityChecks": {"enabled": False, "timeout": 2000, "interval": 30_000},
        "clip": {"enabled": True, "modelName": "ViT-B-32__openai"},
        "duplicateDetection": {"enabled": True, "maxDistance": 0.01},
        "facialRecognition": {"enabled": True, "modelName": "buffalo_l", "minScore": 0.7,
                              "maxDistance": IMMICH_MAX_DISTANCE, "minFaces": 3},
        "ocr": {"enabled": True, "modelName": "PP-OCRv5_mobile", "minDetectionScore": 0.5,
                "minRecognitionScore": 0.8, "maxResolution": 736},
    },
    "map": {"enabled": True, "lightStyle": "https://tiles.immich.cloud/v1/style/light.json",
            "darkStyle": "https://tiles.immich.cloud/v1/style/dark.json"},
    "metadata": {"faces": {"import": False}},
    "newVersionCheck": {"enabled": True, "channel": "stable"},
    "nightlyTasks": {"startTime": "00:00", "databaseCleanup": True, "missingThumbnails": True,
                     "clusterNewFaces": True, "generateMemories": True, "syncQuotaUsage": True},
    "notifications": {"smtp": {"enabled": False, "from": "", "replyTo": "", "transport": {
        "ignoreCert": False, "host": "", "port": 587, "secure": False, "username": "", "password": ""}}},
    "oauth": {
        "allowInsecureRequests": False, "autoLaunch": False, "autoRegister": True, "buttonText": "Login with OAuth",
        "clientId": "", "clientSecret": "", "defaultStorageQuota": None, "enabled": False, "endSessionEndpoint": "",
        "issuerUrl": "", "mobileOverrideEnabled": False, "mobileRedirectUri": "", "profileSigningAlgorithm": "none",
        "prompt": "", "roleClaim": "immich_role", "scope": "openid email profile", "signingAlgorithm": "RS256",
        "storageLabelClaim": "preferred_username", "storageQuotaClaim": "immich_quota", "timeout": 30_000,
        "tokenEndpointAuthMethod": "client_secret_post",
    },
    "passwordLogin": {"enabled": True},
    "reverseGeocoding": {"enabled": True},
    "server": {"externalDomain": "", "loginPageMessage": "", "publicUsers": True},
    "storageTemplate": {"enabled": False, "hashVerificationEnabled": True,
                        "template": "{{y}}/{{y}}-{{MM}}-{{dd}}/{{filename}}"},
    "templates": {"email": {"welcomeTemplate": "", "albumInviteTemplate": "", "albumUpdateTemplate": ""}},
    "theme": {"customCss": ""},
    "trash": {"enabled": True, "days": 30},
    "user": {"deleteDelay": 7},
}


# --- honoured fields: config path <-> Settings field ---------------------------------------------------------


def _same(v: Any) -> Any:
    return v


@dataclass(frozen=True)
class Binding:
    path: tuple[str, ...]  # in SystemConfigDto
    attr: str  # the Settings field it sets
    to_config: Callable[[Any], Any] = _same  # Settings value -> config value (None: keep the default)
    to_setting: Callable[[Any], Any] = _same  # config value -> Settings value


def _clamp(lo: float, hi: float) -> Callable[[Any], Any]:
    return lambda v: min(hi, max(lo, float(v)))


# Immich's log levels <-> ours.
_LOG_IN = {"verbose": "debug", "debug": "debug", "log": "info", "warn": "warning", "error": "error", "fatal": "error"}
_LOG_OUT = {"debug": "debug", "info": "log", "warning": "warn", "error": "error"}


def _face_distance_out(v: Any) -> float:
    # Immich's maxDistance is an ArcFace cosine distance (default 0.5); ours is dlib's (0 = the model's 0.06).
    # The two scale with each other: Immich's default stands for the model's own threshold.
    d = float(v) or DLIB_MATCH_DISTANCE
    return round(min(2.0, max(0.1, d / DLIB_MATCH_DISTANCE * IMMICH_MAX_DISTANCE)), 4)


def _face_distance_in(v: Any) -> float:
    return 0.0 if abs(float(v) - IMMICH_MAX_DISTANCE) < 1e-9 else round(float(v) / IMMICH_MAX_DISTANCE
                                                                          * DLIB_MATCH_DISTANCE, 6)


# Duplicate detection: Immich's maxDistance (cosine distance, 0.001-0.1) is 1 - our similarity.
def _dup_out(v: Any) -> float:
    return round(min(0.1, max(0.001, 1.0 - float(v))), 6)


def _dup_in(v: Any) -> float:
    return round(1.0 - float(v), 6)


def _style_out(v: Any) -> Any:
    return v or None  # empty: photonest's own style (library/places.py map_settings) stays the default


def _style_in(v: Any) -> Any:
    return "" if OWN_STYLE in str(v) else v


OWN_STYLE = "/api/map/style.json"
ML = ("machineLearning",)
BINDINGS: list[Binding] = [
    Binding((*ML, "enabled"), "ml_enabled"),
    Binding((*ML, "clip", "enabled"), "clip_enabled"),
    Binding((*ML, "clip", "modelName"), "clip_model"),
    Binding((*ML, "facialRecognition", "enabled"), "faces_enabled"),
    Binding((*ML, "facialRecognition", "minScore"), "faces_min_score", _clamp(0.1, 1.0)),
    Binding((*ML, "facialRecognition", "maxDistance"), "faces_match_distance", _face_distance_out, _face_distance_in),
    Binding((*ML, "facialRecognition", "minFaces"), "faces_min_faces"),
    Binding((*ML, "ocr", "enabled"), "ocr_enabled"),
    Binding((*ML, "ocr", "minDetectionScore"), "ocr_min_detection_score"),
    Binding((*ML, "ocr", "minRecognitionScore"), "ocr_min_recognition_score"),
    Binding((*ML, "ocr", "maxResolution"), "ocr_max_resolution"),
    Binding((*ML, "duplicateDetection", "enabled"), "duplicates_enabled"),
    Binding((*ML, "duplicateDetection", "maxDistance"), "duplicate_similarity", _dup_out, _dup_in),
    Binding(("reverseGeocoding", "enabled"), "reverse_geocoding"),
    Binding(("trash", "enabled"), "trash_enabled"),
    Binding(("trash", "days"), "trash_days"),
    Binding(("user", "deleteDelay"), "user_delete_delay_days", lambda v: max(1, int(v))),
    Binding(("image", "thumbnail", "size"), "thumbnail_size"),
    Binding(("image", "thumbnail", "quality"), "thumbnail_quality"),
    Binding(("image", "preview", "size"), "preview_size"),
    Binding(("image", "preview", "quality"), "preview_quality"),
    Binding(("newVersionCheck", "enabled"), "version_check"),
    Binding(("server", "externalDomain"), "external_domain"),
    Binding(("server", "loginPageMessage"), "login_page_message"),
    Binding(("server", "publicUsers"), "public_users"),
    Binding(("passwordLogin", "enabled"), "password_login"),
    Binding(("logging", "level"), "log_level", lambda v: _LOG_OUT.get(v, "log"), lambda v: _LOG_IN[v]),
    Binding(("job", "metadataExtraction", "concurrency"), "job_concurrency_metadata_extraction"),
    Binding(("job", "thumbnailGeneration", "concurrency"), "job_concurrency_thumbnail_generation"),
    Binding(("job", "videoConversion", "concurrency"), "job_concurrency_video_conversion"),
    Binding(("job", "ocr", "concurrency"), "job_concurrency_ocr"),
    Binding(("job", "faceDetection", "concurrency"), "job_concurrency_face_detection"),
    Binding(("job", "smartSearch", "concurrency"), "job_concurrency_smart_search"),
]
# Fields other features own; bound when their Settings field exists (the map and backup settings).
OPTIONAL_BINDINGS: list[Binding] = [
    Binding(("map", "enabled"), "map_enabled"),
    Binding(("map", "lightStyle"), "map_style_light_url", _style_out, _style_in),
    Binding(("map", "darkStyle"), "map_style_dark_url", _style_out, _style_in),
    Binding(("backup", "database", "enabled"), "backup_enabled"),
    Binding(("backup", "database", "cronExpression"), "backup_schedule"),
    Binding(("backup", "database", "keepLastAmount"), "backup_keep"),
]
# The machine-learning master switch: with machineLearning.enabled off, these stages are off whatever their own
# switch says (the config keeps each one's own value, the live Settings hold the combination).
ML_SWITCHES = ("clip_enabled", "faces_enabled", "ocr_enabled", "duplicates_enabled", "labels_enabled",
               "text_embedding_enabled")


def bindings() -> list[Binding]:
    return BINDINGS + [b for b in OPTIONAL_BINDINGS if b.attr in Settings.model_fields]


def _get(d: dict[str, Any], path: tuple[str, ...]) -> Any:
    for p in path:
        d = d[p]
    return d


def _set(d: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for p in path[:-1]:
        d = d.setdefault(p, {})
    d[path[-1]] = value


# --- the live Settings of this process ---------------------------------------------------------------------


@dataclass
class _Live:
    settings: Settings
    base: Settings  # the Settings as loaded from env / .env, before any override
    version: int = -1


# One entry per Settings object for the life of the process (a handful; tests make one per app).
_LIVE: dict[int, _Live] = {}
_LIVE_LOCK = threading.Lock()


def _live(settings: Settings) -> _Live:
    with _LIVE_LOCK:
        live = _LIVE.get(id(settings))
        if live is None or live.settings is not settings:
            live = _LIVE[id(settings)] = _Live(settings, settings.model_copy())
        return live


def base_settings(settings: Settings) -> Settings:
    """The settings as configured (env / .env), before the admin's overrides."""
    return _live(settings).base


# --- defaults, stored overrides, the effective config --------------------------------------------------------


def _map_defaults(settings: Settings, base_url: str) -> dict[str, Any]:
    """The map section from the places feature (library/places.py map_settings) when it offers one."""
    try:
        from photonest.library import places
    except ImportError:  # pragma: no cover - places is part of the package
        return {}
    fn = getattr(places, "map_settings", None)
    if fn is None:
        return {}
    try:
        got = fn(settings, base_url)
    except Exception:
        log.exception("map_settings failed")
        return {}
    return {k: got[k] for k in ("enabled", "lightStyle", "darkStyle") if k in got}


def defaults(settings: Settings, base_url: str = "") -> dict[str, Any]:
    """GET /system-config/defaults: Immich's defaults with every honoured field taken from the Settings as
    configured (env / .env, not the admin's overrides). base_url makes photonest's own map style URLs absolute."""
    base = base_settings(settings)
    out = copy.deepcopy(IMMICH_DEFAULTS)
    out["map"].update(_map_defaults(base, base_url))
    for b in bindings():
        value = b.to_config(getattr(base, b.attr))
        if value is not None:
            _set(out, b.path, value)
    return out


def _stored(db: Db) -> tuple[int, dict[str, Any]]:
    row = db.get(SystemMetadata, KEY)
    if row is None or not isinstance(row.value, dict):
        return 0, {}
    return int(row.value.get("version", 0)), dict(row.value.get("overrides") or {})


def _merge(into: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        elif k in into:  # keys no longer in the schema are dropped
            into[k] = copy.deepcopy(v)
    return into


def _diff(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """What `new` changes relative to `old` (nested; what an admin changed is all that is stored)."""
    out: dict[str, Any] = {}
    for k, v in new.items():
        if isinstance(v, dict) and isinstance(old.get(k), dict):
            sub = _diff(v, old[k])
            if sub:
                out[k] = sub
        elif k not in old or old[k] != v:
            out[k] = v
    return out


def effective_config(db: Db, settings: Settings, base_url: str = "") -> dict[str, Any]:
    """The config in force: the Settings-derived defaults with the admin's stored overrides on top."""
    return _merge(defaults(settings, base_url), _stored(db)[1])


# --- validation and update -----------------------------------------------------------------------------------


class InvalidConfig(errors.BadRequest):
    """400 with one message per bad field (a list, as Immich's validation errors)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.message: Any = messages


def _cron_error(expr: str) -> str | None:
    """A five-field cron expression with numbers, *, ranges, lists and steps (what the backup schedule takes)."""
    parts = expr.split()
    if len(parts) != 5:
        return "must have five fields (minute hour day month weekday)"
    limits = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
    for part, (lo, hi) in zip(parts, limits, strict=True):
        for item in part.split(","):
            rng, _, step = item.partition("/")
            if step and (not step.isdigit() or int(step) == 0):
                return f"bad step in {item!r}"
            if rng == "*":
                continue
            a, _, b = rng.partition("-")
            for n in (a, b) if b else (a,):
                if not n.isdigit() or not lo <= int(n) <= hi:
                    return f"{item!r} is out of range {lo}-{hi}"
    return None


def _check(config: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The Settings values the config asks for (the valid ones), and a message per invalid field."""
    messages: list[str] = []
    values: dict[str, Any] = {}
    for b in bindings():
        dotted = ".".join(b.path)
        try:
            raw = b.to_setting(_get(config, b.path))
            field = Settings.model_fields[b.attr]
            adapter: TypeAdapter[Any] = TypeAdapter(Annotated[field.annotation, field])  # type: ignore[arg-type]
            values[b.attr] = adapter.validate_python(raw)
        except (KeyError, ValueError, TypeError, ValidationError) as e:
            msg = e.errors()[0]["msg"] if isinstance(e, ValidationError) else str(e)
            messages.append(f"{dotted}: {msg}")
    cron = config.get("backup", {}).get("database", {}).get("cronExpression", "")
    problem = _cron_error(str(cron))
    if problem:
        messages.append(f"backup.database.cronExpression: invalid cron expression ({problem})")
        values.pop("backup_schedule", None)
    return values, messages


def _validate(config: dict[str, Any]) -> dict[str, Any]:
    """Check what the DTO cannot express; returns the Settings values the config asks for."""
    values, messages = _check(config)
    if messages:
        raise InvalidConfig(messages)
    return values


def update(db: Db, settings: Settings, config: dict[str, Any], base_url: str = "") -> dict[str, Any]:
    """PUT /system-config: validate the whole config, store what differs from the defaults (committing `db`),
    apply it here now (other processes within POLL_SECONDS). Returns the new effective config."""
    new = _merge(defaults(settings, base_url), config)  # a full DTO; merging drops anything unknown
    _validate(new)
    row = db.scalar(select(SystemMetadata).where(SystemMetadata.key == KEY).with_for_update())
    version = int(row.value.get("version", 0)) + 1 if row is not None and isinstance(row.value, dict) else 1
    value = {"version": version, "overrides": _diff(new, defaults(settings, base_url))}
    if row is None:
        db.add(SystemMetadata(key=KEY, value=value))
    else:
        row.value = value
    db.commit()  # stored before it is applied: the watcher must never see a newer version than the database
    _apply(settings, new, version)
    return new


def _apply(settings: Settings, config: dict[str, Any], version: int) -> None:
    live = _live(settings)
    values, messages = _check(config)
    if messages:  # stored by an older version, or the bounds changed: the configured value for those fields
        log.warning("system config has invalid values, using the configured ones for them: %s", messages)
        for b in bindings():
            values.setdefault(b.attr, getattr(live.base, b.attr))
    if not values.get("ml_enabled", True):
        for attr in ML_SWITCHES:
            values[attr] = False
    for attr in ML_SWITCHES:
        if attr not in values:  # a switch with no config field (labels, text embeddings) follows the master
            values[attr] = bool(getattr(live.base, attr)) and bool(values.get("ml_enabled", True))
    changed = {k: v for k, v in values.items() if getattr(settings, k) != v}
    for k, v in changed.items():
        setattr(settings, k, v)
    if "log_level" in changed:
        logging.getLogger().setLevel(str(changed["log_level"]).upper())
    live.version = version
    if changed:
        log.info("system config version %d applied: %s", version, ", ".join(sorted(changed)))


def refresh(db: Database, settings: Settings) -> bool:
    """Apply the stored config if it changed since this process last applied it. Returns whether it did."""
    live = _live(settings)
    with db.session(write=False) as s:
        version, _ = _stored(s)
        if version <= live.version:  # versions only grow; a PUT here may have applied it before the watcher ran
            return False
        config = effective_config(s, settings)
    _apply(settings, config, version)
    return True


class ConfigWatcher:
    """Keeps one process's Settings in step with the stored config (a daemon thread reading one row)."""

    def __init__(self, db: Database, settings: Settings, interval: float = POLL_SECONDS) -> None:
        self.db, self.settings, self.interval = db, settings, interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        refresh(self.db, self.settings)  # before the workers start: they must see the admin's switches
        self._thread = threading.Thread(target=self._run, name="photonest-config", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                refresh(self.db, self.settings)
            except Exception:
                log.warning("could not re-read the system config", exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None


# --- the small system-metadata documents ---------------------------------------------------------------------

# Storage template tokens (Immich's storage template options; photonest stores originals by upload, so the
# template is kept but not applied).
STORAGE_TEMPLATE_OPTIONS: dict[str, list[str]] = {
    "yearOptions": ["y", "yy"],
    "monthOptions": ["M", "MM", "MMM", "MMMM"],
    "weekOptions": ["W", "WW"],
    "dayOptions": ["d", "dd"],
    "hourOptions": ["h", "hh", "H", "HH"],
    "minuteOptions": ["m", "mm"],
    "secondOptions": ["s", "ss", "SSS"],
    "presetOptions": [
        "{{y}}/{{y}}-{{MM}}-{{dd}}/{{filename}}", "{{y}}/{{MM}}-{{dd}}/{{filename}}",
        "{{y}}/{{MMMM}}-{{dd}}/{{filename}}", "{{y}}/{{MM}}/{{filename}}",
        "{{y}}/{{#if album}}{{album}}{{else}}Other/{{MM}}{{/if}}/{{filename}}",
        "{{y}}/{{MMM}}/{{filename}}", "{{y}}/{{MMMM}}/{{filename}}", "{{y}}/{{MM}}/{{dd}}/{{filename}}",
        "{{y}}/{{MMMM}}/{{dd}}/{{filename}}", "{{y}}/{{y}}-{{MM}}/{{y}}-{{MM}}-{{dd}}/{{filename}}",
        "{{y}}-{{MM}}-{{dd}}/{{filename}}", "{{y}}-{{MMM}}-{{dd}}/{{filename}}",
        "{{y}}-{{MMMM}}-{{dd}}/{{filename}}", "{{y}}/{{y}}-{{MM}}/{{filename}}", "{{y}}/{{y}}-{{WW}}/{{filename}}",
        "{{y}}/{{y}}-{{MM}}-{{dd}}/{{assetId}}", "{{y}}/{{y}}-{{MM}}/{{assetId}}", "{{y}}/{{y}}-{{WW}}/{{assetId}}",
        "{{album}}/{{filename}}",
    ],
}


def metadata(db: Db, key: str) -> dict[str, Any]:
    row = db.get(SystemMetadata, key)
    return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


def set_metadata(db: Db, key: str, value: dict[str, Any]) -> None:
    row = db.get(SystemMetadata, key)
    if row is None:
        db.add(SystemMetadata(key=key, value=value))
    else:
        row.value = value
    db.flush()
