"""The vault's file format (ADR 27): AES-256-GCM in chunks, one fresh data key per file, read and written as a stream.

A stored file is the concatenation of its chunks, each `chunk_size` bytes of plaintext (the last one fewer, never
none) sealed with AES-256-GCM and followed by its 16-byte tag. Chunk i is sealed

- under the file's own random 256-bit data key (never stored in the clear: the key-encryption key wraps it, see
  vault/keys.py; destroying the wrapped key destroys the file, which is how disposal will crypto-shred it);
- with the nonce `prefix (8 random bytes) || i (4 bytes, big-endian)`, so no nonce repeats under a key;
- with associated data binding the format, the file's id, the chunk's index and whether it is the last chunk.

So a chunk altered, moved to another place in the file or to another file, or a file cut short at a chunk boundary
(its new last chunk was sealed as "not last") fails authentication, and a reader is told so by
`VaultIntegrityError`. The plaintext's SHA-256 and size are computed on the way in and checked again at the end of
every full read, before its last chunk is released.

Nothing here reads settings or the database: the data migration and bench/vault.py use it as the services do.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files import File

FORMAT = b"concordat-vault-v1"
DEFAULT_CHUNK_SIZE = 1024 * 1024
MIN_CHUNK_SIZE = 16 * 1024
MAX_CHUNK_SIZE = 8 * 1024 * 1024
TAG_BYTES = 16
DATA_KEY_BYTES = 32
NONCE_PREFIX_BYTES = 8
MAX_CHUNKS = 2**32  # the counter's four bytes: 4 TiB at 1 MiB a chunk


class VaultError(Exception):
    """A file the vault will not store or read; the message is fit to show a person."""


class VaultIntegrityError(VaultError):
    """The stored copy is not what was stored: altered, truncated, reordered, or sealed under another key."""


def associated_data(file_id: uuid.UUID, index: int, final: bool) -> bytes:
    return FORMAT + b"\0" + file_id.bytes + index.to_bytes(8, "big") + (b"\x01" if final else b"\x00")


def nonce(prefix: bytes, index: int) -> bytes:
    if not 0 <= index < MAX_CHUNKS:
        raise VaultError("The file has more chunks than the vault's format allows.")
    return prefix + index.to_bytes(4, "big")


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=DATA_KEY_BYTES * 8)


def new_nonce_prefix() -> bytes:
    return os.urandom(NONCE_PREFIX_BYTES)


def check_chunk_size(chunk_size: int) -> int:
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise VaultError(f"A chunk is between {MIN_CHUNK_SIZE} and {MAX_CHUNK_SIZE} bytes.")
    return chunk_size


def fill(source: BinaryIO, view: memoryview) -> int:
    """Read into `view` until it is full or the source ends; the number of bytes read. Straight into a buffer
    allocated once per stream: a fresh 1 MiB object a chunk (what `read` gives) cost as much as the hashing itself
    in this machine's fresh processes (ADR 48). A raw stream may return less than asked before its end; a stream
    without `readinto` (S3's streaming body) is read and copied in."""
    readinto = getattr(source, "readinto", None)
    got = 0
    while got < len(view):
        if readinto is not None:
            count = readinto(view[got:]) or 0
        else:
            data = source.read(len(view) - got) or b""
            count = len(data)
            view[got:got + count] = data
        if not count:
            break
        got += count
    return got


class _Digest:
    """SHA-256 of a sequence of buffers, from the second buffer on on a thread of its own: hashlib releases the GIL
    for buffers over 2 KiB, so the caller's reading, AES-GCM and writing run on the other core meanwhile (ADR 48).
    One worker, so buffers are hashed in the order given; a one-chunk file never starts it."""

    def __init__(self):
        self._sha = hashlib.sha256()
        self._pool: ThreadPoolExecutor | None = None
        self._pending: deque[Future] = deque()
        self._updates = 0

    def update(self, data) -> None:
        self._updates += 1
        if self._updates == 1:
            self._sha.update(data)
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="vault-sha256")
        self._pending.append(self._pool.submit(self._sha.update, data))

    def settle(self, outstanding: int = 0) -> None:
        """Wait until at most `outstanding` buffers are still to be hashed (so the others may be reused)."""
        while len(self._pending) > outstanding:
            self._pending.popleft().result()

    def finish(self) -> str:
        """The hex digest of everything given, the thread stopped."""
        self.settle()
        self.close()
        return self._sha.hexdigest()

    def close(self) -> None:
        """Stop the thread, dropping what it had not hashed yet (a stream finished or abandoned)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._pending.clear()


def ciphertext_size(size: int, chunk_size: int) -> int:
    chunks = -(-size // chunk_size)
    return size + chunks * TAG_BYTES


class EncryptingStream:
    """Reads plaintext from `source` chunk by chunk and gives the sealed chunks: as whole chunks (`blocks`, what a
    local storage writes) or as a readable file (`read`, what an S3 upload reads). One chunk is read ahead, to know
    which chunk is the last. The plaintext is read into RING buffers allocated once, hashed on a thread one or two
    chunks behind the encryption (ADR 48). Memory: about four chunks, whatever the file's size."""

    RING = 3  # the chunk being sealed, the one read ahead, the one the hashing thread may still be reading

    def __init__(self, source: BinaryIO, *, file_id: uuid.UUID, data_key: bytes, nonce_prefix: bytes,
                 chunk_size: int = DEFAULT_CHUNK_SIZE):
        self._source = source
        self._file_id = file_id
        self._aead = AESGCM(data_key)
        self._prefix = nonce_prefix
        self._chunk_size = check_chunk_size(chunk_size)
        self._ring: list[memoryview] = []  # allocated as needed: a small file takes two buffers, not three
        self._reads = 0
        self._index = 0
        self._pending: memoryview | None = None
        self._done = False
        self._buffer = memoryview(b"")
        self._digest = _Digest()
        self._sha256: str | None = None
        self.size = 0

    @property
    def sha256(self) -> str:
        if self._sha256 is None:
            raise VaultError("The file was not read to its end: it has no SHA-256 yet.")
        return self._sha256

    @property
    def finished(self) -> bool:
        return self._done

    def _read_chunk(self) -> memoryview:
        """The next chunk of plaintext, read into the ring's next buffer once the hashing thread is done with it."""
        self._digest.settle(outstanding=self.RING - 1)
        if len(self._ring) < self.RING:
            self._ring.append(memoryview(bytearray(self._chunk_size)))
        slot = self._ring[self._reads % self.RING]
        self._reads += 1
        chunk = slot[:fill(self._source, slot)]
        if chunk:
            self._digest.update(chunk)
            self.size += len(chunk)
        return chunk

    def _next_block(self) -> bytes | None:
        if self._done:
            return None
        if self._pending is None:
            self._pending = self._read_chunk()
            if not self._pending:
                raise VaultError("The file is empty: there is nothing to store.")
        current = self._pending
        following = self._read_chunk()
        final = not following
        block = self._aead.encrypt(nonce(self._prefix, self._index), current,
                                   associated_data(self._file_id, self._index, final))
        self._index += 1
        self._pending = following
        if final:
            self._sha256 = self._digest.finish()
            self._done = True
        return block

    def blocks(self) -> Iterator[bytes]:
        while (block := self._next_block()) is not None:
            yield block

    # The file-like side, for storages that read (S3's upload_fileobj).
    closed = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, count: int = -1) -> bytes:
        if count is None or count < 0:
            rest = [bytes(self._buffer), *self.blocks()]
            self._buffer = memoryview(b"")
            return b"".join(rest)
        # Whole blocks gathered and joined once: an S3 part of 8 MiB is eight blocks, not eight growing copies.
        pieces, have = [self._buffer], len(self._buffer)
        while have < count and (block := self._next_block()) is not None:
            pieces.append(block)
            have += len(block)
        if len(pieces) > 1:
            self._buffer = memoryview(b"".join(pieces))
        answer, self._buffer = bytes(self._buffer[:count]), self._buffer[count:]
        return answer

    def close(self) -> None:
        """Stop the hashing thread (the stream is finished, or abandoned by a failed store)."""
        self._digest.close()


def decrypt_blocks(source: BinaryIO, *, file_id: uuid.UUID, data_key: bytes, nonce_prefix: bytes, chunk_size: int,
                   size: int, sha256: str) -> Iterator[bytes]:
    """The plaintext, chunk by chunk; VaultIntegrityError as soon as a chunk fails, and before the last chunk is
    given if the whole does not have the recorded size and SHA-256. The ciphertext is read into two buffers
    allocated once (the chunk being opened, the one read ahead to know which is last); each plaintext chunk is a
    fresh `bytes` the caller may keep, hashed on a thread at most two chunks behind (ADR 48)."""
    aead = AESGCM(data_key)
    sealed_chunk = check_chunk_size(chunk_size) + TAG_BYTES
    ring = [memoryview(bytearray(sealed_chunk)) for _ in range(2)]
    digest = _Digest()
    total = 0
    index = 0
    current = ring[0][:fill(source, ring[0])]
    if not current:
        raise VaultIntegrityError("The stored copy is empty: it has been truncated.")
    try:
        while True:
            slot = ring[(index + 1) % 2]
            following = slot[:fill(source, slot)]
            final = not following
            try:
                plain = aead.decrypt(nonce(nonce_prefix, index), current, associated_data(file_id, index, final))
            except InvalidTag:
                raise VaultIntegrityError(
                    f"Chunk {index + 1} of the stored copy failed its integrity check: the copy has been altered, "
                    "truncated or reordered, or it was sealed under another key. It is not served.") from None
            total += len(plain)
            if total > size:
                raise VaultIntegrityError("The stored copy is longer than the file recorded. It is not served.")
            digest.settle(outstanding=1)  # at most two chunks held for the hash, whatever the reader's pace
            digest.update(plain)
            if final:
                if total != size or digest.finish() != sha256:
                    raise VaultIntegrityError("The stored copy does not match the SHA-256 recorded when it was "
                                              "stored. It is not served.")
                yield plain
                return
            yield plain
            current = following
            index += 1
    finally:
        digest.close()


@dataclass(frozen=True)
class Sealed:
    """What storing a file learnt: to be recorded with it."""

    storage_name: str
    size: int
    sha256: str
    wrapped_key: bytes
    kek_id: str
    nonce_prefix: bytes
    chunk_size: int


def key_context(file_id: uuid.UUID) -> bytes:
    """What a wrapped data key is bound to: it unwraps only for its own file."""
    return FORMAT + b"\0data-key\0" + file_id.bytes


def seal(source: BinaryIO, *, file_id: uuid.UUID, kek, storage, name: str,
         chunk_size: int = DEFAULT_CHUNK_SIZE) -> Sealed:
    """Encrypt `source` into `storage` under `name`, as a stream, under a fresh data key wrapped by `kek`.
    Nothing is left in the storage if it fails."""
    data_key = new_data_key()
    prefix = new_nonce_prefix()
    stream = EncryptingStream(source, file_id=file_id, data_key=data_key, nonce_prefix=prefix, chunk_size=chunk_size)
    saved = None
    try:
        saved = storage.save(name, _SealedContent(stream, name))
        if not stream.finished:
            raise VaultError("The file was not stored whole.")
        wrapped = kek.wrap(data_key, key_context(file_id))
    except BaseException:
        if saved is not None:
            storage.delete(saved)
        elif storage.exists(name):  # a storage that failed half-way through writing
            storage.delete(name)
        raise
    finally:
        stream.close()
    return Sealed(storage_name=saved, size=stream.size, sha256=stream.sha256, wrapped_key=wrapped,
                  kek_id=kek.key_id, nonce_prefix=prefix, chunk_size=chunk_size)


class _SealedContent(File):
    """The encrypting stream as Django storages take it: whole chunks for a local storage, read() for S3."""

    def __init__(self, stream: EncryptingStream, name: str):
        super().__init__(stream, name)

    def chunks(self, chunk_size=None):
        return self.file.blocks()

    def multiple_chunks(self, chunk_size=None):
        return True

    @property
    def size(self):
        return None


def open_plaintext(storage, name: str, **record) -> Iterator[bytes]:
    """The decrypted chunks of a stored file; the generator closes the stored copy when it is done or dropped."""
    try:
        handle = _open_stream(storage, name)
    except Exception as error:  # a missing object is a FileNotFoundError locally, a ClientError on S3
        raise VaultIntegrityError("The stored copy cannot be found or opened. It is not served.") from error
    try:
        yield from decrypt_blocks(handle, **record)
    finally:
        handle.close()


def _open_stream(storage, name: str):
    """The stored copy as a stream. django-storages' S3File would first download the whole object to a temporary
    file; the object's own streaming body reads it as it comes, so a 2 GB file is never held anywhere."""
    bucket = getattr(storage, "bucket", None)
    if bucket is not None and hasattr(storage, "_normalize_name"):
        from storages.utils import clean_name

        return bucket.Object(storage._normalize_name(clean_name(name))).get()["Body"]
    return storage.open(name, "rb")
