"""A strict validator for the contract's schemas: required fields, no unknown ones, types, nullability, enums,
patterns (the contract's date-time and uuid patterns), numeric ranges."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from tests.conftest import CONTRACT


@cache
def schemas() -> dict[str, Any]:
    return json.loads(CONTRACT.read_text())["components"]["schemas"]  # type: ignore[no-any-return]


def validate(name: str, value: Any, *, where: str = "") -> None:
    _check(schemas()[name], value, f"{where or name}")


def _check(sch: dict[str, Any], v: Any, path: str) -> None:
    if "$ref" in sch:
        _check(schemas()[sch["$ref"].rsplit("/", 1)[-1]], v, path)
        return
    for key in ("allOf", "anyOf", "oneOf"):
        if key in sch:
            errors = []
            for sub in sch[key]:
                try:
                    _check(sub, v, path)
                    if key != "allOf":
                        break
                except AssertionError as e:
                    errors.append(str(e))
                    if key == "allOf":
                        raise
            else:
                if key != "allOf":
                    raise AssertionError(f"{path}: no alternative matches: {errors}")
            return
    if v is None:
        assert sch.get("nullable") or sch.get("type") == "null", f"{path}: null not allowed"
        return
    t = sch.get("type")
    if "enum" in sch:
        assert v in sch["enum"], f"{path}: {v!r} not in {sch['enum']}"
    if t == "object":
        assert isinstance(v, dict), f"{path}: expected object, got {v!r}"
        props = sch.get("properties", {})
        missing = set(sch.get("required", [])) - set(v)
        assert not missing, f"{path}: missing {sorted(missing)}"
        if props and sch.get("additionalProperties") is None:
            extra = set(v) - set(props)
            assert not extra, f"{path}: unknown fields {sorted(extra)}"
        for k, sub in props.items():
            if k in v:
                _check(sub, v[k], f"{path}.{k}")
    elif t == "array":
        assert isinstance(v, list), f"{path}: expected array"
        for i, item in enumerate(v):
            _check(sch.get("items", {}), item, f"{path}[{i}]")
    elif t == "string":
        assert isinstance(v, str), f"{path}: expected string, got {v!r}"
        if "pattern" in sch:
            assert re.search(sch["pattern"], v), f"{path}: {v!r} does not match {sch['pattern'][:40]}"
    elif t == "integer":
        assert isinstance(v, int) and not isinstance(v, bool), f"{path}: expected integer, got {v!r}"
    elif t == "number":
        assert isinstance(v, (int, float)) and not isinstance(v, bool), f"{path}: expected number, got {v!r}"
    elif t == "boolean":
        assert isinstance(v, bool), f"{path}: expected boolean, got {v!r}"
    if t in ("integer", "number"):
        if "minimum" in sch:
            assert v >= sch["minimum"], f"{path}: {v} < {sch['minimum']}"
        if "maximum" in sch:
            assert v <= sch["maximum"], f"{path}: {v} > {sch['maximum']}"
