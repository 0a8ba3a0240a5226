"""Base class of the generated DTOs: schemas are built on first use, so start-up does not pay for ~600 models."""

from pydantic import BaseModel, ConfigDict


class DtoBase(BaseModel):
    model_config = ConfigDict(defer_build=True)
