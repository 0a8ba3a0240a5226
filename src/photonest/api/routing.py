"""Our APIRouter: responses leave out optional fields we did not set, as Immich's do."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter


class Router(APIRouter):
    def add_api_route(self, path: str, endpoint: Any, **kwargs: Any) -> None:
        kwargs.setdefault("response_model_exclude_unset", True)
        super().add_api_route(path, endpoint, **kwargs)
