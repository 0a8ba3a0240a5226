"""OCR figures: model time per preview per core, memory of the loaded models, search latency over 100k assets.

Run: .venv/bin/python -m bench.bench_ocr [--assets 100000] [--postgres URL] [--float | --compare] [--skip-search]
Targets (issue 7): OCR <= 0.5 s per preview per core; OCR search p95 <= 30 ms over 100k assets with text;
the loaded OCR model's memory recorded.

- OCR: every photo in ../shared/media/ocr_text, made into a 1440 px JPEG preview as the server does, read by
  the real models with ONNX Runtime limited to one thread (so CPU seconds = seconds per core). Wall and CPU
  time are both reported: on a busy machine the wall time includes waiting for the core. The int8 models
  run unless --float; --compare runs both and reports the character error rate of int8 against float.
- Memory: RSS of a fresh process before and after loading the three OCR models, and after reading a photo.
- Search: a fresh database with N assets whose text is made from the real OCR'd lines with variations (lines
  shuffled and sampled, words swapped, numbers and made-up names added), then search_ocr() (the whole
  call: index lookup, ranking, matched lines) for single words, substrings, multi-word and accented queries.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

OCR_DIR = Path(__file__).resolve().parents[2] / "shared" / "media" / "ocr_text"


def _engine(threads: int = 1, quantized: bool = True) -> Any:
    from photonest.ml.ocr import OcrEngine, OcrOptions
    from photonest.ml.runtime import ModelRuntime
    from photonest.ml.store import ModelStore

    return OcrEngine(ModelStore(Path(tempfile.mkdtemp()), allow_download=False),
                     ModelRuntime(intra_op_threads=threads, inter_op_threads=1, ttl_seconds=0), OcrOptions(),
                     quantized)


def _timed_stages(engine: Any, split: dict[str, float]) -> None:
    """Add each stage's CPU seconds (detection, angle classifier, recognition) to `split`."""
    for attr, key in (("_detect", "det"), ("_upright", "cls"), ("_recognise", "rec")):
        fn = getattr(engine, attr)

        def timed(*a: Any, _fn: Any = fn, _key: str = key) -> Any:
            c0 = time.process_time()
            try:
                return _fn(*a)
            finally:
                split[_key] = split.get(_key, 0.0) + time.process_time() - c0

        setattr(engine, attr, timed)


def cer(ref: str, hyp: str) -> int:
    """Edits (Levenshtein) between two texts."""
    prev = list(range(len(hyp) + 1))
    for i, a in enumerate(ref, 1):
        cur = [i]
        for j, b in enumerate(hyp, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b)))
        prev = cur
    return prev[-1]


def _previews() -> list[tuple[str, Any]]:
    from tests.ml.conftest import make_preview

    return [(p.name, make_preview(p)) for p in sorted(OCR_DIR.iterdir()) if p.suffix.lower() != ".tsv"]


def bench_ocr(rounds: int = 2, quantized: bool = True) -> dict[str, Any]:
    engine = _engine(threads=1, quantized=quantized)
    engine.warm_up()
    split: dict[str, float] = {}
    _timed_stages(engine, split)
    per_file: dict[str, dict[str, float]] = {}
    all_lines: dict[str, list[str]] = {}
    for name, im in _previews():
        walls, cpus = [], []
        for _ in range(rounds):
            split.clear()
            c0, w0 = time.process_time(), time.perf_counter()
            lines = engine.read(im)
            cpus.append(time.process_time() - c0)
            walls.append(time.perf_counter() - w0)
        per_file[name] = {"size": f"{im.size[0]}x{im.size[1]}", "lines": len(lines),  # type: ignore[dict-item]
                          "cpu_s": min(cpus), "wall_s": min(walls), **{k: v for k, v in split.items()}}
        all_lines[name] = [ln.text for ln in lines]
    return {"per_file": per_file, "lines": all_lines}


_MEM_CODE = """
import json, os, psutil, sys
p = psutil.Process()
r0 = p.memory_info().rss
sys.path.insert(0, %r)
from bench.bench_ocr import _engine, _previews
eng = _engine(threads=1)
r1 = p.memory_info().rss
eng.warm_up()
r2 = p.memory_info().rss
name, im = _previews()[0]
eng.read(im)
r3 = p.memory_info().rss
print(json.dumps({"base": r0, "imported": r1, "loaded": r2, "after_read": r3}))
"""


def bench_memory() -> dict[str, float]:
    root = str(Path(__file__).resolve().parents[1])
    out = subprocess.run([sys.executable, "-c", _MEM_CODE % root], capture_output=True, text=True, check=True,
                         cwd=root).stdout
    m = json.loads(out.strip().splitlines()[-1])
    mb = 1024 * 1024
    return {"imports_mb": (m["imported"] - m["base"]) / mb, "models_loaded_mb": (m["loaded"] - m["imported"]) / mb,
            "after_first_read_mb": (m["after_read"] - m["imported"]) / mb}


# --- search -----------------------------------------------------------------------------------------------

_NAMES = ["Alvarez", "Brightwater", "Celestine", "Dunmore", "Eastfield", "Fairhaven", "Glenrock", "Harbourside",
          "Ivybridge", "Juniper", "Kingsmere", "Larkspur", "Millbrook", "Northgate", "Oakhurst", "Pinecrest"]


def synthetic_texts(lines: dict[str, list[str]], n: int, seed: int = 7) -> list[list[str]]:
    rnd = random.Random(seed)
    sources = [v for v in lines.values() if v]
    vocab = sorted({w for v in sources for ln in v for w in ln.split() if len(w) > 2})
    out = []
    for _ in range(n):
        base = rnd.choice(sources)
        k = rnd.randint(1, min(len(base), 12))
        picked = rnd.sample(base, k)
        varied = []
        for ln in picked:
            words = ln.split()
            for i in range(len(words)):
                r = rnd.random()
                if r < 0.08:
                    words[i] = rnd.choice(vocab)
                elif r < 0.10:
                    words[i] = f"{words[i]}{rnd.randint(0, 999)}"
            if rnd.random() < 0.15:
                words.append(rnd.choice(_NAMES) + str(rnd.randint(1, 99)))
            varied.append(" ".join(words))
        out.append(varied)
    return out


def build_db(url: str, texts: list[list[str]], owners: int = 4) -> tuple[Any, list[str]]:
    from sqlalchemy import insert

    from photonest.db.engine import Database, migrate
    from photonest.db.tables import Asset, AssetOcr, AssetOcrSearch, User
    from photonest.db.types import utcnow
    from photonest.library.ocr import normalise

    migrate(url)
    db = Database(url)
    now = utcnow()
    owner_ids = [str(uuid.uuid4()) for _ in range(owners)]
    with db.session() as s:
        s.execute(insert(User), [{"id": o, "email": f"u{i}@example.com"} for i, o in enumerate(owner_ids)])
    batch = 5000
    for start in range(0, len(texts), batch):
        assets, lines, search = [], [], []
        for i, t in enumerate(texts[start:start + batch], start):
            aid = str(uuid.uuid4())
            assets.append({"id": aid, "owner_id": owner_ids[i % owners], "checksum": uuid.uuid4().bytes[:20],
                           "type": "IMAGE", "original_path": f"x/{aid}", "original_file_name": f"{i}.jpg",
                           "file_created_at": now, "file_modified_at": now, "local_date_time": now,
                           "stages_done": [], "visibility": "timeline"})
            for j, ln in enumerate(t):
                y = j / max(1, len(t))
                lines.append({"id": str(uuid.uuid4()), "asset_id": aid, "x1": 0.1, "y1": y, "x2": 0.9, "y2": y,
                              "x3": 0.9, "y3": y + 0.05, "x4": 0.1, "y4": y + 0.05, "box_score": 0.9,
                              "text_score": 0.95, "text": ln})
            search.append({"asset_id": aid, "owner_id": owner_ids[i % owners], "text": normalise(" ".join(t))})
        with db.session() as s:
            s.execute(insert(Asset), assets)
            s.execute(insert(AssetOcr), lines)
            s.execute(insert(AssetOcrSearch), search)
    return db, owner_ids


def queries(lines: dict[str, list[str]], seed: int = 11) -> list[str]:
    rnd = random.Random(seed)
    words = sorted({w.strip(".,:;!?()\"'") for v in lines.values() for ln in v for w in ln.split()})
    words = [w for w in words if len(w) >= 4 and w.isalpha()]
    qs = ["parking", "prohibited", "centre", "linzen", "galleries", "sequencer", "komunikabideak", "brown fox",
          "lazy dog", "double parking", "the quick", "uber den", "marron rapido", "ÜBER", "e-mail", "12 point",
          "Fairhaven", "Juniper4", "xylophone", "zzqx", "the", "and", "of"]
    for _ in range(60):
        w = rnd.choice(words)
        r = rnd.random()
        if r < 0.4:
            qs.append(w)
        elif r < 0.7:
            i = rnd.randint(0, max(0, len(w) - 4))
            qs.append(w[i:i + 4])  # a substring
        else:
            qs.append(f"{w} {rnd.choice(words)}")
    return qs


def bench_search(url: str, lines: dict[str, list[str]], n: int) -> dict[str, Any]:
    from photonest.library.ocr import search_ocr

    t0 = time.perf_counter()
    db, owners = build_db(url, synthetic_texts(lines, n))
    build_s = time.perf_counter() - t0
    owner = owners[0]
    qs = queries(lines)
    times: list[float] = []
    cpu: list[float] = []
    slow: list[tuple[float, str, int]] = []
    with db.session(write=False) as s:
        for q in qs:  # warm the caches once
            search_ocr(s, [owner], q, 100)
        for _ in range(3):
            for q in qs:
                t, c = time.perf_counter(), time.process_time()
                hits = search_ocr(s, [owner], q, 100)
                dt = time.perf_counter() - t
                cpu.append(time.process_time() - c)
                times.append(dt)
                slow.append((dt, q, len(hits)))
    db.dispose()
    times.sort()
    cpu.sort()
    slow.sort(reverse=True)
    return {"assets": n, "owner_assets": n // len(owners), "build_s": build_s, "queries": len(times),
            "p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * times[int(0.95 * len(times)) - 1],
            "max_ms": 1000 * times[-1], "cpu_p50_ms": 1000 * statistics.median(cpu),
            "cpu_p95_ms": 1000 * cpu[int(0.95 * len(cpu)) - 1],
            "slowest": [(round(1000 * d, 1), q, h) for d, q, h in slow[:5]]}


def compare() -> None:
    """Float and int8 on every text photo: CPU seconds of each and the character error rate of int8 (the float
    model's text as the reference; lines joined with newlines, so a line split or merged counts one edit)."""
    from photonest.library.ocr import normalise

    runs = {q: bench_ocr(rounds=1, quantized=q) for q in (False, True)}
    edits = chars = words = found = 0
    print("file                        float cpu s (det/rec)   int8 cpu s (det/rec)   CER")
    for name, f in runs[False]["per_file"].items():
        i = runs[True]["per_file"][name]
        ref, hyp = "\n".join(runs[False]["lines"][name]), "\n".join(runs[True]["lines"][name])
        e = cer(ref, hyp)
        edits, chars = edits + e, chars + len(ref)
        wanted = [w for w in normalise(ref).split() if len(w) >= 3]
        words, found = words + len(wanted), found + sum(w in set(normalise(hyp).split()) for w in wanted)
        print(f"  {name:26} {f['cpu_s']:5.2f} ({f.get('det', 0):.2f}/{f.get('rec', 0):.2f})"
              f"      {i['cpu_s']:5.2f} ({i.get('det', 0):.2f}/{i.get('rec', 0):.2f})"
              f"      {e}/{len(ref)} = {e / max(1, len(ref)):.3f}")
    for q, r in runs.items():
        cpu = [v["cpu_s"] for v in r["per_file"].values()]
        print(f"{'int8' if q else 'float'}: median cpu {statistics.median(cpu):.2f} s, max {max(cpu):.2f} s")
    print(f"CER int8 vs float over all files: {edits}/{chars} = {edits / max(1, chars):.4f}; words (3+ letters) "
          f"the float model read that int8 read too: {found}/{words}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--assets", type=int, default=100_000)
    ap.add_argument("--postgres", help="also run the search bench on this PostgreSQL URL (an empty database)")
    ap.add_argument("--skip-ocr", action="store_true")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--float", action="store_true", help="the float models instead of the int8 ones")
    ap.add_argument("--compare", action="store_true", help="float and int8: times and character error rate")
    args = ap.parse_args()
    if args.compare:
        compare()
        return

    cache = Path(tempfile.gettempdir()) / "photonest-bench-ocr-lines.json"
    if args.skip_ocr and cache.exists():  # the OCR'd lines of an earlier run (search bench only)
        ocr = {"lines": json.loads(cache.read_text())}
    else:
        ocr = bench_ocr(rounds=1 if args.skip_ocr else 2, quantized=not args.float)
        cache.write_text(json.dumps(ocr["lines"]))
    if not args.skip_ocr:
        print(f"OCR ({'float' if args.float else 'int8'}), one thread, per 1440 px preview (min of 2 runs):")
        for name, r in ocr["per_file"].items():
            print(f"  {name:26} {r['size']:>10} {r['lines']:3} lines  cpu {r['cpu_s']:.2f} s  wall {r['wall_s']:.2f} s"
                  f"  (last run: det {r.get('det', 0):.2f} cls {r.get('cls', 0):.2f} rec {r.get('rec', 0):.2f})")
        cpu = [r["cpu_s"] for r in ocr["per_file"].values()]
        print(f"  median cpu {statistics.median(cpu):.2f} s, mean {statistics.mean(cpu):.2f} s, max {max(cpu):.2f} s")
        mem = bench_memory()
        print(f"memory: imports +{mem['imports_mb']:.0f} MB, models loaded +{mem['models_loaded_mb']:.0f} MB, "
              f"after the first read +{mem['after_first_read_mb']:.0f} MB")
    if args.skip_search:
        return
    with tempfile.TemporaryDirectory() as tmp:
        r = bench_search(f"sqlite:///{tmp}/bench.db", ocr["lines"], args.assets)
    print(f"search, SQLite FTS5 trigram: {r}")
    if args.postgres:
        r = bench_search(args.postgres, ocr["lines"], args.assets)
        print(f"search, PostgreSQL: {r}")


if __name__ == "__main__":
    main()
