"""One typed settings object. Every field is documented in docs/configuration.md (a test checks)."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="PHOTONEST_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    host: str = Field("0.0.0.0", description="Address the HTTP server listens on.")
    port: int = Field(2283, description="Port the HTTP server listens on (Immich's default).")
    data: Path = Field(Path("./data"), description="Data directory: database, originals, thumbnails, models.")
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db. Default: SQLite in the data dir.",
    )
    redis_url: str | None = Field(
        None, description="Redis URL for the job queue (scale-out). Default: a SQLite queue in the data dir."
    )
    workers: bool = Field(True, description="Run the background workers inside the server process.")
    worker_threads: int = Field(2, description="Threads of the in-process worker.")
    job_concurrency_metadata_extraction: int = Field(
        2, ge=1, description="Assets whose metadata is read at the same time (queue metadataExtraction)."
    )
    job_concurrency_thumbnail_generation: int = Field(
        2, ge=1, description="Assets whose thumbnails are made at the same time (queue thumbnailGeneration)."
    )
    job_concurrency_video_conversion: int = Field(
        1, ge=1, description="Videos transcoded at the same time (queue videoConversion)."
    )
    job_max_attempts: int = Field(
        3, ge=1, description="Tries of a processing stage before its failure is final (corrupt files: one try)."
    )
    job_retry_delay_seconds: float = Field(
        10.0, ge=0, description="Wait before the first retry of a failed stage; doubles with each attempt."
    )
    # Leases (jobs/leases.py): a job whose worker died is taken back after its lease runs out.
    job_lease_seconds: float = Field(
        60.0, gt=0, description="How long a running job stays with its worker without a heartbeat."
    )
    job_heartbeat_seconds: float = Field(
        10.0, gt=0, description="How often a worker renews the leases of its running jobs (well under the lease)."
    )
    job_reap_interval_seconds: float = Field(
        20.0, gt=0, description="How often each worker process looks for jobs whose lease ran out."
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", description="Log verbosity.")
    login_max_failures: int = Field(
        5, description="Failed logins per email and client address before further attempts get 429."
    )
    login_window_seconds: int = Field(300, description="Window in which failed logins are counted.")
    session_days: int = Field(
        400, description="Days an unused session token stays valid (Immich keeps sessions ~400 days)."
    )
    version_check: bool = Field(
        False, description="Allow the server to report newer releases (no network is needed otherwise)."
    )
    public_users: bool = Field(True, description="Let users list and see the other users of the server.")
    max_upload_bytes: int = Field(
        64 * 1024**3, description="Largest single upload accepted, in bytes."
    )
    upload_expiry_hours: int = Field(
        24, description="Hours an unfinished resumable (tus) upload is kept after its last byte before it expires."
    )
    trash_days: int = Field(30, description="Days an asset stays in the trash before it is deleted for good.")
    user_delete_delay_days: int = Field(
        7, description="Days a deleted account can still be restored before its photos and files are removed."
    )
    external_domain: str = Field("", description="Public URL of the server, used in share links.")
    map_enabled: bool = Field(True, description="Show the map (web UI, Immich apps: features.map).")
    map_tile_url: str = Field(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description="Raster map tile URL template ({z}/{x}/{y}; {s} for subdomains a, b, c) for the web UI and "
        "the MapLibre style Immich apps load from /api/map/style.json.",
    )
    map_attribution: str = Field(
        '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
        description="Attribution shown on the map for the tiles (HTML); required by most tile providers.",
    )
    map_style_light_url: str = Field(
        "", description="A MapLibre style URL for the Immich apps' light map instead of the tile URL's style."
    )
    map_style_dark_url: str = Field(
        "", description="A MapLibre style URL for the Immich apps' dark map instead of the tile URL's style."
    )
    reverse_geocoding: bool = Field(
        True,
        description="Name the city, state and country of every GPS-tagged asset, offline (GeoNames places within "
        "25 km, else the country's outline).",
    )

    # Machine learning (models run in-process with ONNX Runtime; see docs/configuration.md).
    ml_download: bool = Field(
        True, description="Allow downloading models that are neither installed nor in <data>/models (Hugging Face)."
    )
    ml_providers: str = Field(
        "auto",
        description="ONNX Runtime providers, e.g. 'cuda,cpu'. auto: CUDA or OpenVINO when installed, else CPU.",
    )
    ml_intra_op_threads: int = Field(
        0, ge=0, description="Threads one model call may use (ONNX Runtime intra-op); 0 = one per core."
    )
    ml_inter_op_threads: int = Field(1, ge=0, description="ONNX Runtime inter-op threads; 0 = its default.")
    ml_model_ttl_seconds: float = Field(
        300.0, ge=0, description="Unload a model after this many seconds unused; 0 = keep loaded."
    )
    ml_quantized: bool = Field(
        True, description="Run int8 copies of the labels model and the OCR text detector (made once in "
        "<data>/models; faster on CPU, checked against the float models); false = the float models."
    )
    ocr_enabled: bool = Field(True, description="Read the text in photos (OCR) so they can be searched by it.")
    ocr_language: str = Field(
        "default",
        description="OCR recognition model: default (Latin script, Chinese, Japanese) or a rapidocr language "
        "(korean, eslav, th, el, arabic, devanagari, ta, te, ...; downloaded once).",
    )
    ocr_max_resolution: int = Field(
        736, ge=32, description="Shorter side, in pixels, the preview is scaled to for text detection."
    )
    ocr_min_detection_score: float = Field(
        0.5, ge=0.1, le=1.0, description="Minimum confidence of a detected text box."
    )
    ocr_min_recognition_score: float = Field(
        0.8, ge=0.1, le=1.0, description="Minimum confidence of recognised text; less confident lines are dropped."
    )
    job_concurrency_ocr: int = Field(1, ge=1, description="Assets read by OCR at the same time (queue ocr).")

    # Smart search (issue 9): labels, text embeddings, CLIP, near-duplicates.
    labels_enabled: bool = Field(
        True, description="Label what is in each photo (ImageNet classes, EfficientNet-Lite0) for search and explore."
    )
    labels_max: int = Field(5, ge=1, le=20, description="Labels kept per asset (the most probable ones).")
    labels_min_score: float = Field(
        0.05, ge=0.0, le=1.0, description="Minimum probability of a label that is kept."
    )
    text_embedding_enabled: bool = Field(
        True,
        description="Embed what is known about each asset (labels, text in it, people, place, description, file "
        "name) with all-MiniLM-L6-v2, so a search matches meanings, not only words.",
    )
    clip_enabled: bool = Field(
        False, description="Embed images with CLIP for natural-language search (the model is downloaded once)."
    )
    clip_model: str = Field(
        "ViT-B-32__openai",
        description="CLIP model: one of Immich's ONNX exports (immich-app/<name> on Hugging Face), e.g. "
        "ViT-B-32__openai, ViT-B-16-SigLIP__webli, nllb-clip-base-siglip__v1 (multilingual).",
    )
    duplicates_enabled: bool = Field(True, description="Find near-duplicate photos and group them for review.")
    duplicate_similarity: float = Field(
        0.9, ge=0.5, le=1.0,
        description="Visual similarity (cosine, 0-1) from which two photos are the same picture.",
    )
    duplicate_burst_seconds: float = Field(
        30.0, ge=0.0,
        description="Photos from one camera, of one size, taken this close together are a burst when they are "
        "also alike (duplicate_burst_similarity); 0 = no burst grouping.",
    )
    duplicate_burst_similarity: float = Field(
        0.4, ge=0.0, le=1.0, description="Visual similarity (cosine) from which burst shots are grouped."
    )
    job_concurrency_smart_search: int = Field(
        1, ge=1, description="Assets labelled and embedded at the same time (queue smartSearch)."
    )
    # Faces and people (issue 8; docs/configuration.md).
    faces_enabled: bool = Field(True, description="Find faces in photos and group them into people.")
    faces_model: str = Field(
        "dlib-resnet-v1",
        description="Face detection + identity model: dlib-resnet-v1 (dlib HOG detector and 128-d ResNet, offline).",
    )
    faces_detection_upsample: int = Field(
        -1, ge=-1, le=2, description="Times the preview is doubled before face detection (finds faces under ~80 px; "
        "each step costs about 4x the time); -1: previews of up to 0.2 MP (a 500x400 original) are also searched "
        "doubled, for their small faces.",
    )
    faces_min_score: float = Field(
        0.2, ge=-0.5, le=5.0, description="Minimum detector confidence of a face (dlib HOG scores: real faces score "
        "0.3-3; 0.2 drops most false detections).",
    )
    faces_min_size: int = Field(40, ge=0, description="Smallest face kept: shorter box side, in preview pixels.")
    faces_max_resolution: int = Field(
        1440, ge=160, description="Longer side, in pixels, the preview is scaled down to for face detection."
    )
    faces_match_distance: float = Field(
        0.0, ge=0.0, le=2.0, description="Cosine distance under which two faces are taken as one person; "
        "0 = the model's own (dlib 0.06).",
    )
    faces_min_faces: int = Field(
        3, ge=1, description="Faces a cluster needs before it becomes a person (Immich's minFaces)."
    )
    faces_suggest_factor: float = Field(
        1.6, ge=1.0, le=5.0, description="People whose centroids are within this many match distances are offered "
        "as merge suggestions.",
    )
    job_concurrency_face_detection: int = Field(
        1, ge=1, description="Assets searched for faces at the same time (queue faceDetection)."
    )

    # External libraries (issue 12; docs/external-libraries.md)
    library_scan_nightly: bool = Field(True, description="Rescan every external library each night.")
    library_watch: bool = Field(
        False, description="Watch external libraries' folders and rescan a library when its files change."
    )
    library_watch_debounce_seconds: float = Field(
        10.0, ge=0.0, description="Quiet time after the last file change before a watched library is rescanned."
    )

    # Admin system config (issue 7; docs/configuration.md "System config"): defaults of /api/system-config.
    ml_enabled: bool = Field(
        True, description="Machine learning at all (OCR, faces, labels, embeddings, CLIP, duplicates); off = none runs."
    )
    trash_enabled: bool = Field(True, description="Deleted assets go to the trash; off = they are deleted for good.")
    thumbnail_size: int = Field(250, ge=16, le=2000, description="Shorter side of thumbnails (WebP), in pixels.")
    thumbnail_quality: int = Field(80, ge=1, le=100, description="Thumbnail (WebP) quality, 1-100.")
    preview_size: int = Field(1440, ge=128, le=8000, description="Shorter side of previews (JPEG), in pixels.")
    preview_quality: int = Field(80, ge=1, le=100, description="Preview (JPEG) quality, 1-100.")
    login_page_message: str = Field("", description="Message shown on the login page.")
    password_login: bool = Field(True, description="Allow signing in with email and password.")
    worker_queues: str = Field(
        "", description="Queues this process's workers take, comma-separated (e.g. ocr,faceDetection); empty = all."
    )

    # Operations (issue 12; docs/backups.md, docs/deployment.md).
    backup_enabled: bool = Field(True, description="Back up the database on the backup_schedule.")
    backup_schedule: str = Field(
        "0 2 * * *", description="When to back up: a cron expression (minute hour day month weekday, server time)."
    )
    backup_keep: int = Field(14, ge=1, description="Scheduled backups kept; older ones are deleted.")
    log_format: Literal["text", "json"] = Field(
        "text", description="Log line format: text, or json (one object per line, for log collectors)."
    )
    metrics_token: str = Field(
        "", description="Bearer token that GET /metrics (Prometheus) requires; empty = /metrics is off (404)."
    )

    # Object storage (issue 12; docs/deployment.md "Object storage (S3)").
    storage: Literal["local", "s3"] = Field(
        "local", description="Where originals and derivatives live: local (the data directory) or s3 (a bucket)."
    )
    s3_endpoint_url: str = Field("", description="S3 endpoint URL (MinIO, Garage, Ceph...); empty = AWS S3.")
    s3_bucket: str = Field("", description="Bucket for originals and derivatives (required with storage=s3).")
    s3_region: str = Field("", description="S3 region; empty = the SDK's default (AWS_REGION, ~/.aws/config).")
    s3_access_key_id: str = Field("", description="S3 access key id; empty = the SDK's credential chain.")
    s3_secret_access_key: str = Field("", description="S3 secret access key; empty = the SDK's credential chain.")
    s3_prefix: str = Field("", description="Prefix for every object name, e.g. photonest/ to share a bucket.")
    s3_cache_bytes: int = Field(
        5 * 1024**3, ge=0, description="Size limit of the local read-through cache of objects ($DATA/cache)."
    )
    s3_multipart_bytes: int = Field(
        64 * 1024**2, ge=5 * 1024**2, description="Files this large go to S3 as multipart uploads of this part size."
    )

    @cached_property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data / 'photonest.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    # Data directory layout.
    @property
    def library_dir(self) -> Path:
        return self.data / "library"

    @property
    def thumbs_dir(self) -> Path:
        return self.data / "thumbs"

    @property
    def encoded_video_dir(self) -> Path:
        return self.data / "encoded-video"

    @property
    def upload_dir(self) -> Path:
        return self.data / "upload"

    @property
    def models_dir(self) -> Path:
        return self.data / "models"

    @property
    def backups_dir(self) -> Path:
        return self.data / "backups"

    @property
    def profile_dir(self) -> Path:
        return self.data / "profile"

    def ensure_dirs(self) -> None:
        for d in (
            self.data, self.library_dir, self.thumbs_dir, self.encoded_video_dir, self.upload_dir,
            self.models_dir, self.backups_dir, self.profile_dir,
        ):
            d.mkdir(parents=True, exist_ok=True)
