"""ONNX Runtime sessions: loaded on first use, shared by threads, dropped after an idle time-to-live.

Nothing is loaded at server start: a session is created by the first task that asks for it, and a background
reaper thread (started with the first session) drops sessions unused for ``ml_model_ttl_seconds``. ONNX
Runtime's ``InferenceSession.run`` is thread-safe, so one session serves every worker thread; a session being
used while it is unloaded stays alive until that call returns (it is only dropped from the cache).

Providers: CPU by default; CUDA and OpenVINO are put first when the installed onnxruntime build offers them
(``ml_providers=auto``), or exactly the list given in ``ml_providers``.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PREFERRED = ("CUDAExecutionProvider", "OpenVINOExecutionProvider", "CPUExecutionProvider")


@dataclass
class _Entry:
    session: Any  # onnxruntime.InferenceSession
    last_used: float


def choose_providers(setting: str, available: list[str]) -> list[str]:
    """The providers to ask for: 'auto' = the preferred ones this build has; else the listed ones it has."""
    wanted = PREFERRED if setting.strip().lower() in ("", "auto") else tuple(
        p.strip() if p.strip().endswith("ExecutionProvider") else f"{p.strip()}ExecutionProvider"
        for p in setting.split(",") if p.strip()
    )
    # Accept short names in any case: cuda, openvino, cpu.
    lookup = {p.lower(): p for p in available}
    chosen = [lookup[w.lower()] for w in wanted if w.lower() in lookup]
    if "CPUExecutionProvider" in available and "CPUExecutionProvider" not in chosen:
        chosen.append("CPUExecutionProvider")
    return chosen


class ModelRuntime:
    def __init__(self, intra_op_threads: int = 0, inter_op_threads: int = 1, providers: str = "auto",
                 ttl_seconds: float = 300.0) -> None:
        self.intra_op_threads = intra_op_threads
        self.inter_op_threads = inter_op_threads
        self.providers_setting = providers
        self.ttl_seconds = ttl_seconds
        self._sessions: dict[str, _Entry] = {}
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Lock] = {}
        self._reaper: threading.Thread | None = None
        self._stop = threading.Event()

    def providers(self) -> list[str]:
        import onnxruntime as ort

        return choose_providers(self.providers_setting, list(ort.get_available_providers()))

    def _create(self, path: Path) -> Any:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.log_severity_level = 3
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Inputs vary in size (photos, text lines): the arena and the per-shape memory patterns would keep the
        # largest allocations forever (measured: +450 MB after a dense page with them, +300 MB without).
        opts.enable_cpu_mem_arena = False
        opts.enable_mem_pattern = False
        if self.intra_op_threads > 0:
            opts.intra_op_num_threads = self.intra_op_threads
        if self.inter_op_threads > 0:
            opts.inter_op_num_threads = self.inter_op_threads
        t0 = time.perf_counter()
        session = ort.InferenceSession(str(path), sess_options=opts, providers=self.providers())
        log.info("loaded model %s in %.2f s (%s)", path.name, time.perf_counter() - t0,
                 ", ".join(session.get_providers()))
        return session

    def session(self, key: str, path: Path) -> Any:
        """The session for `key` (loading `path` the first time); concurrent first calls load it once."""
        now = time.monotonic()
        with self._lock:
            entry = self._sessions.get(key)
            if entry is not None:
                entry.last_used = now
                return entry.session
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:
            with self._lock:
                entry = self._sessions.get(key)
                if entry is not None:
                    entry.last_used = time.monotonic()
                    return entry.session
            session = self._create(path)
            with self._lock:
                self._sessions[key] = _Entry(session, time.monotonic())
                self._loading.pop(key, None)
                self._start_reaper()
            return session

    def loaded(self) -> list[str]:
        with self._lock:
            return sorted(self._sessions)

    def unload_idle(self, now: float | None = None) -> list[str]:
        """Drop sessions unused for longer than the TTL; returns their keys."""
        now = time.monotonic() if now is None else now
        with self._lock:
            old = [k for k, e in self._sessions.items() if now - e.last_used >= self.ttl_seconds]
            for k in old:
                del self._sessions[k]
        for k in old:
            log.info("unloaded idle model %s", k)
        return old

    def unload_all(self) -> None:
        with self._lock:
            self._sessions.clear()

    def _start_reaper(self) -> None:
        if self.ttl_seconds <= 0 or (self._reaper is not None and self._reaper.is_alive()):
            return
        self._stop.clear()
        self._reaper = threading.Thread(target=self._reap, name="ml-model-reaper", daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        interval = max(0.05, min(60.0, self.ttl_seconds / 2))
        while not self._stop.wait(interval):
            self.unload_idle()
            with self._lock:
                if not self._sessions:
                    self._reaper = None
                    return

    def close(self) -> None:
        self._stop.set()
        self.unload_all()


_runtimes: dict[tuple[int, int, str, float], ModelRuntime] = {}
_runtimes_lock = threading.Lock()


def runtime_for(settings: Any) -> ModelRuntime:
    """The process-wide runtime for these settings (one per distinct thread/provider/TTL configuration)."""
    key = (int(settings.ml_intra_op_threads), int(settings.ml_inter_op_threads), str(settings.ml_providers),
           float(settings.ml_model_ttl_seconds))
    with _runtimes_lock:
        rt = _runtimes.get(key)
        if rt is None:
            rt = _runtimes[key] = ModelRuntime(*key)
        return rt
