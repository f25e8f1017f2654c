"""The vault's format (ADR 27): round trips of every shape, and every way a stored copy can be wrong refused."""

from __future__ import annotations

import hashlib
import io
import os
import threading
import tracemalloc
import uuid

import pytest
from django.core.files.storage import FileSystemStorage

from vault import crypto
from vault.crypto import MIN_CHUNK_SIZE, TAG_BYTES, VaultError, VaultIntegrityError
from vault.keys import LocalKeyEncryptionKey, MissingVaultKey

CHUNK = MIN_CHUNK_SIZE  # small chunks: many of them in a small file


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=str(tmp_path / "vault"))


@pytest.fixture
def kek():
    return LocalKeyEncryptionKey(os.urandom(32))


def sealed(data: bytes, storage, kek, chunk_size=CHUNK):
    file_id = uuid.uuid4()
    result = crypto.seal(io.BytesIO(data), file_id=file_id, kek=kek, storage=storage, name=f"files/{file_id.hex}",
                         chunk_size=chunk_size)
    return file_id, result


def read_back(file_id, result, storage, kek, **changes) -> bytes:
    record = {"file_id": file_id, "data_key": kek.unwrap(result.wrapped_key, crypto.key_context(file_id)),
              "nonce_prefix": result.nonce_prefix, "chunk_size": result.chunk_size, "size": result.size,
              "sha256": result.sha256, **changes}
    return b"".join(crypto.open_plaintext(storage, result.storage_name, **record))


def path_of(storage, result) -> str:
    return storage.path(result.storage_name)


@pytest.mark.parametrize("size", [1, 100, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 5 * CHUNK + 17])
def test_round_trip_of_every_shape(size, storage, kek):
    data = os.urandom(size)
    file_id, result = sealed(data, storage, kek)
    assert (result.size, result.sha256) == (size, hashlib.sha256(data).hexdigest())
    assert os.path.getsize(path_of(storage, result)) == crypto.ciphertext_size(size, CHUNK)
    assert data not in open(path_of(storage, result), "rb").read() or size < 4
    assert read_back(file_id, result, storage, kek) == data


def test_an_exactly_chunk_sized_file_is_one_final_chunk(storage, kek):
    file_id, result = sealed(b"x" * CHUNK, storage, kek)
    assert os.path.getsize(path_of(storage, result)) == CHUNK + TAG_BYTES
    assert read_back(file_id, result, storage, kek) == b"x" * CHUNK


def test_an_empty_file_is_refused_and_nothing_is_left(storage, kek):
    with pytest.raises(VaultError, match="empty"):
        sealed(b"", storage, kek)
    assert not os.path.exists(storage.location) or not any(os.scandir(os.path.join(storage.location, "files")))


def test_a_tampered_chunk_is_refused(storage, kek):
    file_id, result = sealed(os.urandom(3 * CHUNK), storage, kek)
    with open(path_of(storage, result), "r+b") as handle:
        handle.seek(CHUNK + TAG_BYTES + 10)  # the second chunk
        byte = handle.read(1)
        handle.seek(-1, io.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 1]))
    with pytest.raises(VaultIntegrityError, match="Chunk 2"):
        read_back(file_id, result, storage, kek)


def test_a_file_truncated_at_a_chunk_boundary_is_refused(storage, kek):
    file_id, result = sealed(os.urandom(3 * CHUNK), storage, kek)
    with open(path_of(storage, result), "r+b") as handle:
        handle.truncate(2 * (CHUNK + TAG_BYTES))
    with pytest.raises(VaultIntegrityError, match="Chunk 2"):
        read_back(file_id, result, storage, kek)


def test_a_file_truncated_inside_a_chunk_is_refused(storage, kek):
    file_id, result = sealed(os.urandom(2 * CHUNK + 50), storage, kek)
    with open(path_of(storage, result), "r+b") as handle:
        handle.truncate(2 * (CHUNK + TAG_BYTES) + 20)
    with pytest.raises(VaultIntegrityError):
        read_back(file_id, result, storage, kek)


def test_an_emptied_file_is_refused(storage, kek):
    file_id, result = sealed(b"tables", storage, kek)
    open(path_of(storage, result), "wb").close()
    with pytest.raises(VaultIntegrityError, match="empty"):
        read_back(file_id, result, storage, kek)


def test_swapped_chunks_are_refused(storage, kek):
    file_id, result = sealed(os.urandom(3 * CHUNK), storage, kek)
    sealed_chunk = CHUNK + TAG_BYTES
    path = path_of(storage, result)
    content = open(path, "rb").read()
    first, second = content[:sealed_chunk], content[sealed_chunk:2 * sealed_chunk]
    open(path, "wb").write(second + first + content[2 * sealed_chunk:])
    with pytest.raises(VaultIntegrityError, match="Chunk 1"):
        read_back(file_id, result, storage, kek)


def test_a_chunk_from_another_file_is_refused(storage, kek):
    """The file id is in each chunk's associated data: even under the same data key, a chunk does not move."""
    file_id, result = sealed(os.urandom(CHUNK), storage, kek)
    with pytest.raises(VaultIntegrityError):
        read_back(uuid.uuid4(), result, storage, kek,
                  data_key=kek.unwrap(result.wrapped_key, crypto.key_context(file_id)))


def test_a_wrapped_key_does_not_open_under_another_kek_or_for_another_file(storage, kek):
    file_id, result = sealed(b"tables", storage, kek)
    with pytest.raises(VaultIntegrityError, match="unwrapped"):
        LocalKeyEncryptionKey(os.urandom(32)).unwrap(result.wrapped_key, crypto.key_context(file_id))
    with pytest.raises(VaultIntegrityError, match="unwrapped"):
        kek.unwrap(result.wrapped_key, crypto.key_context(uuid.uuid4()))


def test_a_wrong_data_key_is_refused(storage, kek):
    file_id, result = sealed(b"tables", storage, kek)
    with pytest.raises(VaultIntegrityError, match="Chunk 1"):
        read_back(file_id, result, storage, kek, data_key=os.urandom(32))


def test_a_recorded_hash_or_size_that_differs_is_refused_before_the_last_chunk(storage, kek):
    data = os.urandom(2 * CHUNK + 5)
    file_id, result = sealed(data, storage, kek)
    with pytest.raises(VaultIntegrityError, match="SHA-256"):
        read_back(file_id, result, storage, kek, sha256="0" * 64)
    with pytest.raises(VaultIntegrityError, match="longer"):
        read_back(file_id, result, storage, kek, size=CHUNK)
    given = []
    record = {"file_id": file_id, "data_key": kek.unwrap(result.wrapped_key, crypto.key_context(file_id)),
              "nonce_prefix": result.nonce_prefix, "chunk_size": CHUNK, "size": result.size, "sha256": "0" * 64}
    with pytest.raises(VaultIntegrityError):
        for chunk in crypto.open_plaintext(storage, result.storage_name, **record):
            given.append(chunk)
    assert b"".join(given) == data[:2 * CHUNK]  # the last chunk was never handed over


@pytest.mark.parametrize("piece", [7919, 2 * CHUNK + 5])  # less than a block; several blocks joined at once
def test_the_stream_reads_in_any_sizes_as_an_s3_upload_does(piece, kek):
    data = os.urandom(7 * CHUNK + 7)
    key, prefix, file_id = crypto.new_data_key(), crypto.new_nonce_prefix(), uuid.uuid4()
    whole = b"".join(crypto.EncryptingStream(io.BytesIO(data), file_id=file_id, data_key=key, nonce_prefix=prefix,
                                             chunk_size=CHUNK).blocks())
    stream = crypto.EncryptingStream(io.BytesIO(data), file_id=file_id, data_key=key, nonce_prefix=prefix,
                                     chunk_size=CHUNK)
    pieces = []
    while part := stream.read(piece):
        pieces.append(part)
    assert {len(part) for part in pieces[:-1]} == {piece}
    assert b"".join(pieces) == whole
    plain = crypto.decrypt_blocks(io.BytesIO(whole), file_id=file_id, data_key=key, nonce_prefix=prefix,
                                  chunk_size=CHUNK, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    assert b"".join(plain) == data


@pytest.mark.parametrize("chunk_size", [0, 1024, MIN_CHUNK_SIZE - 1, crypto.MAX_CHUNK_SIZE + 1])
def test_chunk_sizes_out_of_bounds_are_refused(chunk_size, storage, kek):
    with pytest.raises(VaultError, match="chunk"):
        sealed(b"tables", storage, kek, chunk_size=chunk_size)


@pytest.mark.parametrize("secret", [b"", b"short", os.urandom(31), os.urandom(33)])
def test_a_kek_must_be_256_bits(secret):
    with pytest.raises(MissingVaultKey):
        LocalKeyEncryptionKey(secret)


def test_the_kek_is_named_without_being_revealed():
    secret = os.urandom(32)
    key = LocalKeyEncryptionKey(secret)
    assert key.key_id.startswith("local:") and secret.hex() not in key.key_id
    assert key.key_id == LocalKeyEncryptionKey(secret).key_id != LocalKeyEncryptionKey(os.urandom(32)).key_id


# ADR 48: the plaintext read into buffers allocated once, hashed on a thread of its own.

class Trickle(io.RawIOBase):
    """A raw stream that gives at most `most` bytes a call, as a pipe or socket may."""

    def __init__(self, data: bytes, most: int):
        self._data, self._at, self._most = data, 0, most

    def readable(self):
        return True

    def readinto(self, buffer):
        piece = self._data[self._at:self._at + min(self._most, len(buffer))]
        buffer[:len(piece)] = piece
        self._at += len(piece)
        return len(piece)


class ReadOnly:
    """A stream with `read` and no `readinto`, as S3's streaming body, giving odd sizes."""

    def __init__(self, data: bytes):
        self._source = io.BytesIO(data)

    def read(self, count=-1):
        return self._source.read(min(count, 5000) if count and count > 0 else count)


def vault_threads() -> list:
    return [thread for thread in threading.enumerate() if thread.name.startswith("vault-sha256")]


@pytest.mark.parametrize("wrap", [lambda data: Trickle(data, 3001), ReadOnly], ids=["short reads", "no readinto"])
def test_sources_that_give_less_than_asked_or_no_readinto_round_trip(wrap, storage, kek):
    data = os.urandom(4 * CHUNK + 99)
    file_id = uuid.uuid4()
    result = crypto.seal(wrap(data), file_id=file_id, kek=kek, storage=storage, name=f"files/{file_id.hex}",
                         chunk_size=CHUNK)
    assert (result.size, result.sha256) == (len(data), hashlib.sha256(data).hexdigest())
    record = {"file_id": file_id, "data_key": kek.unwrap(result.wrapped_key, crypto.key_context(file_id)),
              "nonce_prefix": result.nonce_prefix, "chunk_size": CHUNK, "size": result.size, "sha256": result.sha256}
    ciphertext = open(path_of(storage, result), "rb").read()
    for source in (Trickle(ciphertext, 777), ReadOnly(ciphertext)):
        assert b"".join(crypto.decrypt_blocks(source, **record)) == data


@pytest.mark.parametrize("chunks", [16, 64])
def test_memory_stays_a_few_chunks_whatever_the_size(chunks, storage, kek):
    """Never the whole file in memory: the peak is the same few chunks for a file four times the size."""
    data = os.urandom(chunks * CHUNK - 3)
    tracemalloc.start()
    try:
        file_id, result = sealed(data, storage, kek)
        _, peak_store = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        digest = hashlib.sha256()
        for chunk in crypto.open_plaintext(storage, result.storage_name, file_id=file_id,
                                           data_key=kek.unwrap(result.wrapped_key, crypto.key_context(file_id)),
                                           nonce_prefix=result.nonce_prefix, chunk_size=CHUNK, size=result.size,
                                           sha256=result.sha256):
            digest.update(chunk)
        _, peak_read = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.sha256 == digest.hexdigest() == hashlib.sha256(data).hexdigest()  # hashed in order, all of it
    assert peak_store < 8 * CHUNK and peak_read < 8 * CHUNK, (peak_store, peak_read)


def test_a_one_chunk_file_starts_no_thread_and_a_longer_one_exactly_one(storage, kek, monkeypatch):
    started = []

    class Counted(crypto.ThreadPoolExecutor):
        def __init__(self, *args, **kwargs):
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(crypto, "ThreadPoolExecutor", Counted)
    file_id, result = sealed(b"x" * CHUNK, storage, kek)
    read_back(file_id, result, storage, kek)
    assert started == []
    file_id, result = sealed(os.urandom(6 * CHUNK), storage, kek)
    assert len(started) == 1
    read_back(file_id, result, storage, kek)
    assert len(started) == 2


def test_no_hashing_thread_outlives_a_store_a_read_an_abandoned_read_or_a_failed_store(storage, kek):
    data = os.urandom(6 * CHUNK)
    file_id, result = sealed(data, storage, kek)
    assert read_back(file_id, result, storage, kek) == data
    record = {"file_id": file_id, "data_key": kek.unwrap(result.wrapped_key, crypto.key_context(file_id)),
              "nonce_prefix": result.nonce_prefix, "chunk_size": CHUNK, "size": result.size, "sha256": result.sha256}
    chunks = crypto.open_plaintext(storage, result.storage_name, **record)
    next(chunks), next(chunks), next(chunks)
    chunks.close()  # a download the person cancelled

    class FullDisk(FileSystemStorage):
        def _save(self, name, content):
            for index, _ in enumerate(content.chunks()):
                if index == 3:
                    raise OSError("No space left on device")
            return name

    with pytest.raises(OSError, match="No space"):
        sealed(data, FullDisk(location=storage.location), kek)
    assert vault_threads() == []


def test_a_tampered_chunk_far_into_a_long_file_is_refused_and_the_last_chunk_never_given(storage, kek):
    data = os.urandom(40 * CHUNK + 1)
    file_id, result = sealed(data, storage, kek)
    with open(path_of(storage, result), "r+b") as handle:
        handle.seek(37 * (CHUNK + TAG_BYTES) + 5)
        handle.write(b"\0\0\0\0")
    given = []
    with pytest.raises(VaultIntegrityError, match="Chunk 38"):
        for chunk in crypto.open_plaintext(storage, result.storage_name, file_id=file_id,
                                           data_key=kek.unwrap(result.wrapped_key, crypto.key_context(file_id)),
                                           nonce_prefix=result.nonce_prefix, chunk_size=CHUNK, size=result.size,
                                           sha256=result.sha256):
            given.append(chunk)
    assert b"".join(given) == data[:37 * CHUNK]
    assert vault_threads() == []
