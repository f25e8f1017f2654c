"""The vault on S3-compatible object storage (issue 10 item 6, ADR 27), through django-storages, against moto's
server mode run locally on a free port: the same chunks, encrypted before they leave, read back and checked."""

from __future__ import annotations

import hashlib
import os
import socket
import uuid

import boto3
import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from vault import crypto
from vault import services as vault
from vault.crypto import VaultIntegrityError

BUCKET = "concordat-vault-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def s3_vault(settings, s3_endpoint, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    bucket = f"{BUCKET}-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-2")
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    settings.STORAGES = {**settings.STORAGES, "vault": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": s3_endpoint, "region_name": "eu-west-2", "default_acl": None,
        "file_overwrite": False, "access_key": "testing", "secret_key": "testing"}}}
    return client, bucket


def objects(client, bucket) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read() for item in listed}


def test_the_settings_choose_s3_by_name():
    """CONCORDAT_VAULT_STORAGE=s3 selects django-storages' S3 backend (concordat/settings.py)."""
    import subprocess
    import sys

    program = ("import os; os.environ['SECRET_KEY']='x'*60; os.environ['CONCORDAT_VAULT_STORAGE']='s3';"
               "os.environ['VAULT_S3_BUCKET']='b'; os.environ['VAULT_S3_ENDPOINT_URL']='http://127.0.0.1:9';"
               "import concordat.settings as s; v=s.STORAGES['vault'];"
               "print(v['BACKEND'], v['OPTIONS']['bucket_name'], v['OPTIONS']['endpoint_url'])")
    answer = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert answer.stdout.split() == ["storages.backends.s3.S3Storage", "b", "http://127.0.0.1:9"]


def test_a_multi_chunk_file_round_trips_through_s3_encrypted(s3_vault, settings):
    client, bucket = s3_vault
    data = os.urandom(2 * crypto.DEFAULT_CHUNK_SIZE + 1234)  # three chunks, read by S3's upload in its own sizes
    file_id = uuid.uuid4()
    from vault.keys import kek

    sealed = crypto.seal(SimpleUploadedFile("t.csv", data), file_id=file_id, kek=kek(), storage=storages["vault"],
                         name=f"files/{file_id.hex}")
    stored = objects(client, bucket)
    assert list(stored) == [sealed.storage_name]
    ciphertext = stored[sealed.storage_name]
    assert len(ciphertext) == crypto.ciphertext_size(len(data), crypto.DEFAULT_CHUNK_SIZE)
    assert data[:1024] not in ciphertext
    record = {"file_id": file_id, "data_key": kek().unwrap(sealed.wrapped_key, crypto.key_context(file_id)),
              "nonce_prefix": sealed.nonce_prefix, "chunk_size": sealed.chunk_size, "size": sealed.size,
              "sha256": sealed.sha256}
    assert sealed.sha256 == hashlib.sha256(data).hexdigest()
    assert b"".join(crypto.open_plaintext(storages["vault"], sealed.storage_name, **record)) == data

    tampered = bytearray(ciphertext)
    tampered[-3] ^= 1
    client.put_object(Bucket=bucket, Key=sealed.storage_name, Body=bytes(tampered))
    with pytest.raises(VaultIntegrityError, match="Chunk 3"):
        b"".join(crypto.open_plaintext(storages["vault"], sealed.storage_name, **record))


def test_a_delivery_and_its_download_through_s3(cast, api, s3_vault):
    from sharing import services as sharing
    from sharing.models import DeliveryFile
    from sharing.states import RequestState
    from tests.support.requests import draft, walk

    client, bucket = s3_vault
    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    content = b"region,count\nLondon,120\n"
    sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking="OFFICIAL", uploads=[SimpleUploadedFile("tables.csv", content)])
    delivery_file = DeliveryFile.objects.get()
    assert list(objects(client, bucket)) == [delivery_file.vault_file.storage_name]
    response = api(cast.iasc_requester).get(f"/api/files/{delivery_file.pk}/download/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    vault.discard(delivery_file.vault_file.storage_name)
    assert objects(client, bucket) == {}


def test_a_missing_object_is_a_plain_refusal(cast, api, s3_vault):
    from sharing import services as sharing
    from sharing.models import DeliveryFile
    from sharing.states import RequestState
    from tests.support.requests import draft, walk

    request = walk(draft(cast.iasc_requester), cast, RequestState.AGREED)
    sharing.deliver(request, by=cast.msu_assessor, expected_version=request.version, description="Tables",
                    marking="OFFICIAL", uploads=[SimpleUploadedFile("tables.csv", b"a,b\n1,2\n")])
    delivery_file = DeliveryFile.objects.get()
    vault.storage().delete(delivery_file.vault_file.storage_name)  # the object alone; its key is still held
    response = api(cast.iasc_requester).get(f"/api/files/{delivery_file.pk}/download/")
    assert response.status_code == 409 and b"cannot be found" in response.content
