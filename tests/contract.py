"""Compare our OpenAPI document with Immich's contract, and write docs/api-compatibility.md.

Regenerate the compatibility table with `make api-docs` (= `.venv/bin/python -m tests.contract`); that also prints
every drift the checker finds. tests/test_contract.py fails on any drift and on a stale table.

What is compared, for every operation we serve under /api (our path = "/api" + Immich's path):
- the operation exists in the contract (or is in EXTRA_OPERATIONS with a reason), same operationId and tag;
- path parameters; query/header parameters (contract-required ones must be required in ours, optional ones must
  stay optional; ones we do not read make the operation "partial"; ones the contract lacks are drift);
- the request body: content type, schema name, and whether we demand it when Immich does not;
- the success responses: status codes, content types, schema names (also arrays of $ref);
- every schema reachable from the request/response schemas, by name: property names equal to Immich's, enum values
  equal, property shapes equal; responses promise at least Immich's required fields, requests demand at most them;
- auth: the route's auth dependency (photonest.api.deps.auth) carries `.permission` and `.admin_only`, which must
  equal x-immich-permission / x-immich-admin-only; operations without `security` in the contract must be public.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

ROOT = Path(__file__).resolve().parents[1]
CONTRACT_PATH = ROOT.parent / "shared" / "reference" / "immich-openapi-3.1.0.json"
DOC_PATH = ROOT / "docs" / "api-compatibility.md"
PREFIX = "/api"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
REF = "#/components/schemas/"

# Routes we serve under /api that Immich does not have, documented in /api/spec.json or not:
# (METHOD or "*", our path) -> why. Any other route beyond the contract fails the test.
TUS = "resumable uploads (tus 1.0) for large files, used by `photonest upload`; Immich has none"
LOCATION_HISTORY = "ours: location history, trips, home and GPX import (docs/places.md)"
EXTRA_OPERATIONS: dict[tuple[str, str], str] = {
    ("*", "/api/{rest}"): "catch-all: unknown /api paths answer an Immich-shaped 404 instead of the web UI",
    ("OPTIONS", "/api/upload/tus"): TUS,
    ("POST", "/api/upload/tus"): TUS,
    ("HEAD", "/api/upload/tus/{upload_id}"): TUS,
    ("PATCH", "/api/upload/tus/{upload_id}"): TUS,
    ("DELETE", "/api/upload/tus/{upload_id}"): TUS,
    ("GET", "/api/people/suggestions"): "ours: merge suggestions for the web UI (docs/people.md)",
    ("POST", "/api/people/suggestions/answers"): "ours: answer a merge suggestion (docs/people.md)",
    ("DELETE", "/api/people/suggestions/answers"): "ours: withdraw a \"not the same person\" answer",
    ("GET", "/api/map/style.json"): "ours: the MapLibre style over PHOTONEST_MAP_TILE_URL that server/config's "
                                    "map style URLs point to (docs/places.md)",
    ("GET", "/api/location-history/days"): LOCATION_HISTORY,
    ("GET", "/api/location-history/trips"): LOCATION_HISTORY,
    ("GET", "/api/location-history/trips/{id}"): LOCATION_HISTORY,
    ("GET", "/api/location-history/home"): LOCATION_HISTORY,
    ("PUT", "/api/location-history/home"): LOCATION_HISTORY,
    ("DELETE", "/api/location-history/home"): LOCATION_HISTORY,
    ("POST", "/api/location-history/gpx/preview"): LOCATION_HISTORY,
    ("POST", "/api/location-history/gpx/apply"): LOCATION_HISTORY,
}

# Implemented but knowingly incomplete: operationId -> what is missing. Shown as "partial" in the table.
# Optional fields we accept beyond Immich's (clients that don't know them are unaffected), with the reason.
EXTRA_PROPERTIES: dict[tuple[str, str], str] = {
    ("TagUpdateDto", "name"): "rename a tag level and its sub-tags (Immich only recolours)",
}

PARTIAL: dict[str, str] = {
    "updateConfig": "ffmpeg, oauth, smtp, storage template, library, nightly tasks and other fields are stored and "
                    "answered but not acted on (docs/configuration.md, System config)",
    "getAboutInfo": "no ffmpeg/libvips/exiftool/imagemagick version fields yet",
}

Problems = list[str]


# --------------------------------------------------------------------------------------------------- schema shapes
def _ref_name(ref: str) -> str:
    return ref[len(REF):] if ref.startswith(REF) else ref


def shape(schema: dict[str, Any] | None) -> str:
    """A short type signature of a schema, ignoring nullability, descriptions and validation details."""
    if not schema:
        return "any"
    if "$ref" in schema:
        return "ref:" + _ref_name(schema["$ref"])
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            parts = sorted({shape(s) for s in schema[key] if s.get("type") != "null"})
            return parts[0] if len(parts) == 1 else f"{key}[{', '.join(parts)}]"
    typ = schema.get("type")
    if isinstance(typ, list):
        types = [t for t in typ if t != "null"]
        typ = types[0] if len(types) == 1 else "|".join(sorted(types))
    if typ == "array":
        return f"array<{shape(schema.get('items'))}>"
    if (typ == "string" and schema.get("format") == "binary") or schema.get("contentMediaType"):
        return "binary"
    if typ == "object" and isinstance(schema.get("additionalProperties"), dict) and schema["additionalProperties"]:
        return f"map<{shape(schema['additionalProperties'])}>"  # a free-form object ({} or true) is just "object"
    if typ == "integer":
        return "number"  # Immich marks some integers as "number"; JSON does not tell them apart
    return str(typ or "any")


def _refs_in(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        if "$ref" in schema:
            yield _ref_name(schema["$ref"])
        for v in schema.values():
            yield from _refs_in(v)
    elif isinstance(schema, list):
        for v in schema:
            yield from _refs_in(v)


def nullable(schema: dict[str, Any] | None) -> bool:
    if not schema:
        return True
    if schema.get("nullable"):
        return True
    typ = schema.get("type")
    if typ == "null" or (isinstance(typ, list) and "null" in typ):
        return True
    return any(nullable(s) for key in ("anyOf", "oneOf") for s in schema.get(key, []))


def _enum(schema: dict[str, Any]) -> list[Any] | None:
    if "enum" in schema:
        return list(schema["enum"])
    return None


def _inline_enum(schema: dict[str, Any]) -> list[str] | None:
    """The values of an enum written in place (not a $ref), nullability aside."""
    for sub in [schema, *schema.get("anyOf", []), *schema.get("oneOf", []), *schema.get("items", {}).get("anyOf", []),
                schema.get("items", {})]:
        if isinstance(sub, dict) and "enum" in sub:
            return sorted(str(v) for v in sub["enum"] if v is not None)
    return None


def compare_schema(name: str, ours: dict[str, Any], theirs: dict[str, Any], direction: str,
                   seen: set[tuple[str, str]]) -> Problems:
    """Compare component `name` in both documents, and every component it refers to (direction: request/response)."""
    if (name, direction) in seen:
        return []
    seen.add((name, direction))
    o = ours["components"]["schemas"].get(name)
    t = theirs["components"]["schemas"].get(name)
    if t is None:
        return [f"schema {name} is not in the Immich contract (name our models as the contract does)"]
    if o is None:
        return [f"schema {name} is referenced but missing from our components"]
    problems: Problems = []
    oe, te = _enum(o), _enum(t)
    if te is not None or oe is not None:
        if set(oe or []) != set(te or []):
            missing = sorted(set(te or []) - set(oe or []), key=str)
            extra = sorted(set(oe or []) - set(te or []), key=str)
            problems.append(f"schema {name}: enum differs (missing {missing}, extra {extra})")
        return problems
    oprops, tprops = o.get("properties", {}), t.get("properties", {})
    if missing := sorted(set(tprops) - set(oprops)):
        problems.append(f"schema {name}: properties missing {missing}")
    if extra := sorted(set(oprops) - set(tprops) - {p for (n, p) in EXTRA_PROPERTIES if n == name}):
        problems.append(f"schema {name}: properties not in the contract {extra}")
    for p in sorted(set(oprops) - set(tprops)):
        if (name, p) in EXTRA_PROPERTIES and p in o.get("required", []):
            problems.append(f"schema {name}: extra property {p} must be optional (Immich clients never send it)")
    oreq, treq = set(o.get("required", [])), set(t.get("required", []))
    if direction == "response" and (less := sorted(treq - oreq)):
        problems.append(f"schema {name}: contract requires {less} in responses, ours does not promise them")
    if direction == "request" and (more := sorted(oreq - treq)):
        problems.append(f"schema {name}: we require {more}, which Immich clients may leave out")
    for prop in sorted(set(oprops) & set(tprops)):
        so, st = shape(oprops[prop]), shape(tprops[prop])
        if so != st:
            problems.append(f"schema {name}.{prop}: type {so}, contract has {st}")
        elif (oe := _inline_enum(oprops[prop])) != (te := _inline_enum(tprops[prop])):
            problems.append(f"schema {name}.{prop}: values {oe}, contract has {te}")
        no, nt = nullable(oprops[prop]), nullable(tprops[prop])
        # Optional properties come out as `X | None = None` from the DTO generator; unset ones are left out of
        # responses (response_model_exclude_unset), so only properties Immich requires must never be null.
        if direction == "response" and no and not nt and prop in treq:
            problems.append(f"schema {name}.{prop}: may be null in our responses, the contract never is")
        if direction == "request" and nt and not no:
            problems.append(f"schema {name}.{prop}: we reject null, which the contract allows")
    for ref in sorted(set(_refs_in(o)) | set(_refs_in(t))):
        problems += compare_schema(ref, ours, theirs, direction, seen)
    return problems


# --------------------------------------------------------------------------------------------------- auth
@dataclass
class AuthInfo:
    required: bool
    permission: str | None
    admin_only: bool


def _dependency_calls(dependant: Dependant) -> Iterator[Any]:
    for dep in dependant.dependencies:
        yield dep.call
        yield from _dependency_calls(dep)


def api_routes(app: FastAPI, *, documented: bool = True) -> dict[tuple[str, str], Any]:
    """(METHOD, path) -> the route as FastAPI sees it (path with prefixes, dependant with router deps).

    documented=False: the routes left out of the OpenAPI document (include_in_schema=False) instead."""
    iter_contexts = getattr(routing, "iter_route_contexts", None)  # FastAPI >= 0.16x: included routers are lazy
    candidates = list(iter_contexts(app.routes)) if iter_contexts else list(app.routes)
    found: dict[tuple[str, str], Any] = {}
    for r in candidates:
        original = getattr(r, "original_route", r)
        if isinstance(original, APIRoute) and bool(original.include_in_schema and r.include_in_schema) == documented:
            for m in r.methods or ():
                found[(m, r.path_format)] = r
    return found


def _extra(key: tuple[str, str], extra_operations: dict[tuple[str, str], str]) -> str | None:
    return extra_operations.get(key) or extra_operations.get(("*", key[1]))


def route_auth(route: Any) -> list[AuthInfo]:
    """The auth dependencies of a route: callables carrying `.permission` (see photonest.api.deps.auth)."""
    found = []
    for call in _dependency_calls(route.dependant):
        if call is not None and hasattr(call, "permission"):
            found.append(AuthInfo(required=not getattr(call, "optional", False),
                                  permission=getattr(call, "permission", None),
                                  admin_only=bool(getattr(call, "admin_only", False))))
    return found


def compare_auth(route: Any, contract_op: dict[str, Any]) -> Problems:
    deps = route_auth(route)
    public = not contract_op.get("security")
    if len(deps) > 1:
        return [f"{len(deps)} auth dependencies; use exactly one"]
    dep = deps[0] if deps else None
    if public:
        return [] if dep is None or not dep.required else ["requires auth, but the contract makes it public"]
    if dep is None or not dep.required:
        return ["is public, but the contract requires auth (add an Auth(...) dependency)"]
    problems: Problems = []
    want_perm = contract_op.get("x-immich-permission")
    if dep.permission != want_perm:
        problems.append(f"permission {dep.permission!r}, contract has {want_perm!r}")
    want_admin = bool(contract_op.get("x-immich-admin-only", False))
    if dep.admin_only != want_admin:
        problems.append(f"admin_only={dep.admin_only}, contract has x-immich-admin-only={want_admin}")
    return problems


# --------------------------------------------------------------------------------------------------- operations
def _params(op: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(p["in"], p["name"].lower() if p["in"] == "header" else p["name"]): p
            for p in op.get("parameters", [])}


def _success(op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {code: r for code, r in op.get("responses", {}).items() if code.startswith("2")}


def compare_operation(ours: dict[str, Any], theirs: dict[str, Any], op: dict[str, Any], cop: dict[str, Any]
                      ) -> tuple[Problems, Problems]:
    """(problems, gaps): problems are drift; gaps are contract features we do not serve yet (make it partial)."""
    problems: Problems = []
    gaps: Problems = []
    if op.get("operationId") != cop["operationId"]:
        problems.append(f"operationId {op.get('operationId')!r}, contract has {cop['operationId']!r}")
    tag = primary_tag(cop)
    if tag not in op.get("tags", []):
        problems.append(f"tags {op.get('tags', [])}, contract's tag is {tag!r}")

    # Parameters.
    op_params, c_params = _params(op), _params(cop)
    for key, cp in c_params.items():
        where, name = key
        p = op_params.get(key)
        if p is None:
            if cp.get("required"):
                problems.append(f"{where} parameter {name!r} (required) is missing")
            else:
                gaps.append(f"{where} parameter {name!r}")
            continue
        if bool(p.get("required")) != bool(cp.get("required")):
            problems.append(f"{where} parameter {name!r}: required={bool(p.get('required'))}, "
                            f"contract has {bool(cp.get('required'))}")
        so, st = shape(p.get("schema")), shape(cp.get("schema"))
        if so != st:
            problems.append(f"{where} parameter {name!r}: type {so}, contract has {st}")
        elif (oe := _inline_enum(p.get("schema") or {})) != (te := _inline_enum(cp.get("schema") or {})):
            problems.append(f"{where} parameter {name!r}: values {oe}, contract has {te}")
    for key in sorted(set(op_params) - set(c_params)):
        problems.append(f"{key[0]} parameter {key[1]!r} is not in the contract")
    seen: set[tuple[str, str]] = set()
    for key in sorted(set(op_params) & set(c_params)):
        for ref in _refs_in(c_params[key].get("schema")):
            problems += compare_schema(ref, ours, theirs, "request", seen)

    # Request body.
    body, cbody = op.get("requestBody"), cop.get("requestBody")
    if cbody is None and body is not None:
        problems.append("has a request body; the contract has none")
    elif cbody is not None and body is None:
        problems.append("takes no request body; the contract has one")
    elif cbody is not None and body is not None:
        if body.get("required") and not cbody.get("required"):
            problems.append("requires a request body; the contract makes it optional")
        if set(body["content"]) != set(cbody["content"]):
            problems.append(f"request content types {sorted(body['content'])}, contract has {sorted(cbody['content'])}")
        for ctype in set(body["content"]) & set(cbody["content"]):
            so, st = shape(body["content"][ctype].get("schema")), shape(cbody["content"][ctype].get("schema"))
            if so != st:
                problems.append(f"request body {so}, contract has {st}")
            else:
                for ref in _refs_in(cbody["content"][ctype].get("schema")):
                    problems += compare_schema(ref, ours, theirs, "request", seen)

    # Success responses.
    ok, cok = _success(op), _success(cop)
    if set(ok) != set(cok):
        problems.append(f"success status {sorted(ok)}, contract has {sorted(cok)}")
    seen = set()
    for code in sorted(set(ok) & set(cok)):
        content, ccontent = ok[code].get("content", {}), cok[code].get("content", {})
        if set(content) != set(ccontent):
            problems.append(f"{code} response content types {sorted(content)}, contract has {sorted(ccontent)}")
            continue
        for ctype in ccontent:
            so, st = shape(content[ctype].get("schema")), shape(ccontent[ctype].get("schema"))
            if ctype != "application/json":
                continue  # files and streams: the content type is the contract
            if so != st:
                problems.append(f"{code} response {so}, contract has {st}")
            else:
                for ref in _refs_in(ccontent[ctype].get("schema")):
                    problems += compare_schema(ref, ours, theirs, "response", seen)
    for code in sorted(set(op.get("responses", {})) - set(ok)):
        if code == "422":
            problems.append("documents FastAPI's 422 response (our validation errors are 400)")
    return problems, gaps


def primary_tag(cop: dict[str, Any]) -> str:
    tags = [t for t in cop.get("tags", []) if t != "Deprecated"]
    return tags[0] if tags else "Other"


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec.get("paths", {}).items():
        for method, op in item.items():
            if method in METHODS:
                yield method.upper(), path, op


# --------------------------------------------------------------------------------------------------- report
@dataclass
class Row:
    method: str
    path: str
    operation_id: str
    tag: str
    status: str  # implemented | partial | missing | drift
    note: str = ""
    deprecated: bool = False


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    problems: dict[str, Problems] = field(default_factory=dict)  # "METHOD /api/path" -> problems
    extras: list[tuple[str, str, bool, str]] = field(default_factory=list)  # (method, path, in spec.json, why)

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def problem_text(self) -> str:
        return "\n".join(f"{op}:\n" + "\n".join(f"  - {p}" for p in ps) for op, ps in sorted(self.problems.items()))


def check(app: FastAPI, contract: dict[str, Any], *, partial: dict[str, str] | None = None,
          extra_operations: dict[tuple[str, str], str] | None = None) -> Report:
    partial = PARTIAL if partial is None else partial
    extra_operations = EXTRA_OPERATIONS if extra_operations is None else extra_operations
    ours = app.openapi()
    report = Report()
    routes = api_routes(app)
    contract_ops = {(m, PREFIX + p): op for m, p, op in operations(contract)}
    our_ops = {(m, p): op for m, p, op in operations(ours)}

    def add(key: tuple[str, str], problem: str) -> None:
        report.problems.setdefault(f"{key[0]} {key[1]}", []).append(problem)

    for key, op in sorted(our_ops.items()):
        cop = contract_ops.get(key)
        if cop is None:
            if why := _extra(key, extra_operations):
                report.extras.append((key[0], key[1], True, why))
            elif key[1].startswith(PREFIX + "/"):
                add(key, f"not in the Immich contract ({op.get('operationId')}); fix the path/method or add it to "
                         "EXTRA_OPERATIONS in tests/contract.py with a reason")
            else:
                add(key, "documented outside /api; leave it out of the schema (include_in_schema=False)")
            continue
        problems, _ = compare_operation(ours, contract, op, cop)
        route = routes.get(key)
        if route is None:
            problems.append("no APIRoute serves it (cannot check auth)")
        else:
            problems += compare_auth(route, cop)
        for p in problems:
            add(key, p)
    hidden = api_routes(app, documented=False)
    for key in sorted(hidden):
        if not key[1].startswith(PREFIX + "/") or (key[0] == "HEAD" and ("GET", key[1]) in hidden):
            continue
        if key in contract_ops:
            add(key, "an Immich operation left out of /api/spec.json (include_in_schema=False); document it")
        elif why := _extra(key, extra_operations):
            report.extras.append((key[0], key[1], False, why))
        else:
            add(key, "served under /api but neither in the Immich contract nor in EXTRA_OPERATIONS "
                     "(tests/contract.py); add it there with a reason")
    for key in sorted(extra_operations):
        served = set(our_ops) | set(hidden)
        if key not in served and not (key[0] == "*" and any(path == key[1] for _, path in served)):
            add(key, "listed in EXTRA_OPERATIONS but not served; remove the entry")
    served_ids = {op.get("operationId") for op in our_ops.values()}
    for op_id in sorted(partial):
        if op_id not in served_ids:
            add(("PARTIAL", op_id), "listed in PARTIAL but not served; remove the entry")
    names = ours.get("components", {}).get("schemas", {})
    for name in sorted(names):
        if name.startswith("Body_") or "__" in name or name in ("HTTPValidationError", "ValidationError") \
                or name.endswith(("-Input", "-Output")):
            add(("SCHEMA", name), "FastAPI-generated component name; name it as the contract does")

    for key, cop in contract_ops.items():
        method, path = key
        op = our_ops.get(key)
        row = Row(method, path, cop["operationId"], primary_tag(cop), "missing",
                  deprecated=bool(cop.get("deprecated")))
        if op is not None:
            _, gaps = compare_operation(ours, contract, op, cop)
            notes = [partial[row.operation_id]] if row.operation_id in partial else []
            if gaps:
                notes.append("ignores " + ", ".join(gaps))
            if f"{method} {path}" in report.problems:
                row.status = "drift"
                notes.insert(0, "differs from the contract: " + "; ".join(report.problems[f"{method} {path}"]))
            else:
                row.status = "partial" if notes else "implemented"
            row.note = "; ".join(notes)
        report.rows.append(row)
    return report


# --------------------------------------------------------------------------------------------------- the document
def render(report: Report, contract: dict[str, Any]) -> str:
    total = len(report.rows)
    lines = [
        "# Immich API compatibility",
        "",
        "Generated by `make api-docs` (`python -m tests.contract`) from our OpenAPI document (`/api/spec.json`) and",
        f"Immich's contract (`immich-openapi-{contract['info']['version']}.json`); do not edit by hand.",
        "`tests/test_contract.py` fails when an implemented operation differs from the contract (path, method,",
        "operationId, parameters, request and response schemas, permission, admin-only, public/authenticated) or",
        "when this file is stale.",
        "",
        "- **implemented**: served, and our description of it matches the contract.",
        "- **partial**: served and matching, but something is knowingly not done yet (see the note).",
        "- **missing**: not served yet (answers 404).",
        "",
        "| status | operations |",
        "|---|---|",
    ]
    for status in ("implemented", "partial", "missing", "drift"):
        n = report.count(status)
        if n or status != "drift":
            lines.append(f"| {status} | {n} |")
    lines += [f"| **total** | **{total}** |", ""]
    tag_order = [t["name"] for t in contract.get("tags", [])]
    by_tag: dict[str, list[Row]] = {}
    for row in report.rows:
        by_tag.setdefault(row.tag, []).append(row)
    for tag in sorted(by_tag, key=lambda t: (tag_order.index(t) if t in tag_order else len(tag_order), t)):
        rows = sorted(by_tag[tag], key=lambda r: (r.path, METHODS.index(r.method.lower())))
        done = sum(1 for r in rows if r.status in ("implemented", "partial"))
        lines += [f"## {tag} ({done}/{len(rows)})", "", "| method | path | operationId | status | note |",
                  "|---|---|---|---|---|"]
        for r in rows:
            note = r.note + ("; " if r.note and r.deprecated else "") + ("deprecated in Immich" if r.deprecated else "")
            lines.append(f"| {r.method} | `{r.path}` | {r.operation_id} | {r.status} | {note.replace('|', '/')} |")
        lines.append("")
    lines += ["## Beyond Immich", ""]
    if report.extras:
        grouped: dict[tuple[str, bool, str], list[str]] = {}
        for method, path, in_spec, why in report.extras:
            grouped.setdefault((path, in_spec, why), []).append(method)
        lines += ["| methods | path | in /api/spec.json | why |", "|---|---|---|---|"]
        lines += [f"| {', '.join(sorted(methods))} | `{path}` | {'yes' if in_spec else 'no'} | {why} |"
                  for (path, in_spec, why), methods in sorted(grouped.items())]
    else:
        lines.append("Nothing: every operation we document is one of Immich's.")
    lines.append("")
    return "\n".join(lines)


def load_contract() -> dict[str, Any]:
    return json.loads(CONTRACT_PATH.read_text())  # type: ignore[no-any-return]


def build_app() -> FastAPI:
    from photonest.app import create_app
    from photonest.config import Settings

    # Building the app touches no disk: the data dir and database are opened by the lifespan, which never runs.
    return create_app(Settings(data=Path("/nonexistent/photonest"), workers=False, _env_file=None))  # type: ignore[call-arg]


def main() -> int:
    contract = load_contract()
    report = check(build_app(), contract)
    DOC_PATH.write_text(render(report, contract))
    print(f"wrote {DOC_PATH.relative_to(ROOT)}: " + ", ".join(
        f"{report.count(s)} {s}" for s in ("implemented", "partial", "missing", "drift")))
    if report.problems:
        print("drift from the Immich contract:\n" + report.problem_text(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
