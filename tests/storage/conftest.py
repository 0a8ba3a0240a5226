"""A real S3 endpoint for the storage tests: moto's server mode (Flask over HTTP on a free loopback port), not an
in-process mock. One server per test module; every test gets a fresh bucket."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.helpers import free_port

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")

KEY_ID, SECRET, REGION = "photonest-test", "photonest-test-secret", "us-east-1"


@dataclass
class S3:
    endpoint: str
    bucket: str
    client: Any

    def env(self, **extra: str) -> dict[str, str]:
        """PHOTONEST_* variables that point a server at this bucket."""
        return {"PHOTONEST_STORAGE": "s3", "PHOTONEST_S3_ENDPOINT_URL": self.endpoint,
                "PHOTONEST_S3_BUCKET": self.bucket, "PHOTONEST_S3_REGION": REGION,
                "PHOTONEST_S3_ACCESS_KEY_ID": KEY_ID, "PHOTONEST_S3_SECRET_ACCESS_KEY": SECRET, **extra}

    def settings(self) -> dict[str, Any]:
        return {"storage": "s3", "s3_endpoint_url": self.endpoint, "s3_bucket": self.bucket, "s3_region": REGION,
                "s3_access_key_id": KEY_ID, "s3_secret_access_key": SECRET}

    def objects(self, prefix: str = "") -> dict[str, bytes]:
        out = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            for o in page.get("Contents", []):
                out[o["Key"]] = self.client.get_object(Bucket=self.bucket, Key=o["Key"])["Body"].read()
        return out


def start_moto() -> tuple[Any, str]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    return server, f"http://127.0.0.1:{port}"


def client_for(endpoint: str) -> Any:
    return boto3.session.Session().client("s3", endpoint_url=endpoint, region_name=REGION,
                                          aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET)


@pytest.fixture(scope="module")
def moto_endpoint() -> Iterator[str]:
    server, endpoint = start_moto()
    yield endpoint
    server.stop()


@pytest.fixture
def s3(moto_endpoint: str) -> S3:
    client = client_for(moto_endpoint)
    bucket = f"photonest-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    return S3(moto_endpoint, bucket, client)
