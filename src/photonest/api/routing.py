"""Our APIRouter and FastAPI app class: an OpenAPI document shaped like Immich's, responses like Immich's."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI

# FastAPI documents a 422 response on every operation that validates input; ours answer 400 (api/errors.py).
VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")


class Router(APIRouter):
    def add_api_route(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        # Responses leave out optional fields we did not set, as Immich's do. (FastAPI's decorators always pass
        # this argument, False by default, so it has to be overridden rather than defaulted.)
        kwargs["response_model_exclude_unset"] = True
        super().add_api_route(path, endpoint, **kwargs)


class ImmichAPI(FastAPI):
    """FastAPI whose /api/spec.json can be compared with Immich's contract (tests/contract.py does).

    Schema component names are our models' class names, which are Immich's (api/dto/immich.py); one schema per
    model (no "-Input"/"-Output" pairs); no 422 responses or HTTPValidationError, since validation errors are 400.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("separate_input_output_schemas", False)
        super().__init__(**kwargs)

    def openapi(self) -> dict[str, Any]:
        spec = super().openapi()
        for item in spec.get("paths", {}).values():
            for op in item.values():
                if isinstance(op, dict):
                    op.get("responses", {}).pop("422", None)
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        _add_referenced_dtos(spec, schemas)
        _inline_scalar_roots(spec, schemas)
        if "#/components/schemas/HTTPValidationError" not in _refs(spec.get("paths")):
            for name in VALIDATION_SCHEMAS:
                schemas.pop(name, None)
        return spec


def _refs(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _add_referenced_dtos(spec: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Schemas referenced only through openapi_extra (e.g. the streamed multipart upload, whose body FastAPI
    must not parse) are taken from the generated DTOs by name."""
    from photonest.api.dto import immich as dto

    prefix = "#/components/schemas/"
    for _ in range(10):
        missing = {r[len(prefix):] for r in _refs(spec) if r.startswith(prefix)} - set(schemas)
        models = [getattr(dto, n) for n in missing if hasattr(getattr(dto, n, None), "model_json_schema")]
        if not models:
            return
        for m in models:
            m.model_rebuild()
            js = _open_maps(m.model_json_schema(ref_template=prefix + "{model}"))
            for name, sub in js.pop("$defs", {}).items():
                schemas.setdefault(name, sub)
            schemas[m.__name__] = js


def _open_maps(node: Any) -> Any:
    """`additionalProperties: true` as `{}` (same meaning; the form FastAPI and Immich's contract use)."""
    if isinstance(node, dict):
        return {k: ({} if k == "additionalProperties" and v is True else _open_maps(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_open_maps(v) for v in node]
    return node


def _plain(sch: dict[str, Any]) -> bool:
    """A scalar, an array of scalars, or either or null (DurationItem, StackItem, ...): no object, enum or $ref."""
    if "anyOf" in sch:
        members = [m for m in sch["anyOf"] if m.get("type") != "null"]
        return len(members) == 1 and _plain(members[0])
    if "enum" in sch or "$ref" in sch:
        return False
    if sch.get("type") == "array":
        return isinstance(sch.get("items"), dict) and _plain(sch["items"])
    return sch.get("type") in ("string", "integer", "number", "boolean")


def _inline_scalar_roots(spec: dict[str, Any], schemas: dict[str, Any]) -> None:
    """The generated DTOs wrap some scalars in RootModels (AssetId, Id, ...); Immich's contract has plain
    `string`/uuid there. Inline those component schemas where they are referenced and drop them."""
    scalar = {name: sch for name, sch in schemas.items() if _plain(sch)}
    if not scalar:
        return
    refs = {f"#/components/schemas/{n}": {k: v for k, v in sch.items() if k != "title"} for n, sch in scalar.items()}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref in refs and len(node) == 1:
                return dict(refs[ref])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    for name in scalar:
        schemas.pop(name, None)
    spec["paths"] = walk(spec.get("paths", {}))
    inlined = walk(schemas)
    schemas.clear()
    schemas.update(inlined)
