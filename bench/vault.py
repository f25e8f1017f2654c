"""How fast is the vault, and how much memory does it take? A plain script, not a test (ADR 27):

    .venv/bin/python bench/vault.py [--size-mb 1024] [--chunk-kb 1024] [--runs 3] [--dir /tmp]

It writes a file of random bytes (1 GB by default) in a temporary directory, then, each in a fresh subprocess
whose peak resident memory (VmHWM from /proc/self/status) is read at its end:

- copy:    a plain file copy (read and write in 1 MiB blocks): the floor of any store;
- sha256:  SHA-256 alone of the same file (read and hash in 1 MiB blocks): the reference of the targets;
- store:   the vault's store: crypto.seal through Django's FileSystemStorage, under a fresh data key wrapped by a
           LocalKeyEncryptionKey (read, hash, encrypt each chunk, write);
- read:    the vault's read back: crypto.open_plaintext (read, decrypt and authenticate each chunk, hash, compare
           with the recorded SHA-256 before the last chunk), the plaintext going where a download's would, nowhere
           on disk. The vault itself checks the plaintext against the SHA-256 recorded by the store (itself
           checked here against the file's), so the read is not hashed a second time.

Each run measures the four in turn (the file is in the page cache after the first pass, for all four alike); a
mode's ratio is taken against the SHA-256 alone of the same run, so that both saw about the same load, and the
figures are the medians over --runs (ADR 48), with the load average before each run. Beside the wall-clock ratio,
two that the other processes on the machine hardly change:

- cpu:      SHA-256 alone's CPU time over the mode's (all its threads): the work done, whatever the overlap;
- critical: SHA-256 alone's CPU time over the longer of the mode's main thread and its other threads (the vault
            hashes on a thread of its own): the wall-clock time the mode would take with two idle cores.

The targets (issue 10): store and read each at least 75% of SHA-256 alone's throughput (the median wall-clock ratio),
and under 150 MB peak resident memory. Exits 1 if a target is missed. Results also go to bench/out/vault.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

# This file is bench/vault.py: without this, `import vault` would import the script itself.
ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

BLOCK = 1024 * 1024
TARGET_RATIO = 0.75
TARGET_RSS_MB = 150


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _django():
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=True)
        django.setup()


def worker(mode: str, source: str, work: str, chunk_kb: int) -> dict:
    """One measurement, in this (fresh) process."""
    size = os.path.getsize(source)
    answer: dict = {"mode": mode}
    if mode in {"store", "read"}:
        _django()
        from django.core.files.storage import FileSystemStorage

        from vault import crypto
        from vault.keys import LocalKeyEncryptionKey

        storage = FileSystemStorage(location=work)
        kek = LocalKeyEncryptionKey(bytes.fromhex(Path(work, "kek").read_text()))
    started, cpu_started, main_started = time.perf_counter(), time.process_time(), time.thread_time()
    if mode == "copy":
        with open(source, "rb") as reader, open(os.path.join(work, "copy"), "wb") as writer:
            while block := reader.read(BLOCK):
                writer.write(block)
    elif mode == "sha256":
        digest = hashlib.sha256()
        with open(source, "rb") as reader:
            while block := reader.read(BLOCK):
                digest.update(block)
        answer["sha256"] = digest.hexdigest()
    elif mode == "store":
        file_id = uuid.uuid4()
        name = f"files/{file_id.hex}"
        with open(source, "rb") as reader:
            sealed = crypto.seal(reader, file_id=file_id, kek=kek, storage=storage, name=name,
                                 chunk_size=chunk_kb * 1024)
        answer["record"] = {"file_id": str(file_id), "storage_name": sealed.storage_name,
                            "wrapped_key": sealed.wrapped_key.hex(), "nonce_prefix": sealed.nonce_prefix.hex(),
                            "chunk_size": sealed.chunk_size, "size": sealed.size, "sha256": sealed.sha256}
    elif mode == "read":
        record = json.loads(Path(work, "record.json").read_text())
        file_id = uuid.UUID(record["file_id"])
        data_key = kek.unwrap(bytes.fromhex(record["wrapped_key"]), crypto.key_context(file_id))
        given = 0  # the vault checks the SHA-256 recorded at store time, before it gives the last chunk
        for chunk in crypto.open_plaintext(storage, record["storage_name"], file_id=file_id, data_key=data_key,
                                           nonce_prefix=bytes.fromhex(record["nonce_prefix"]),
                                           chunk_size=record["chunk_size"], size=record["size"],
                                           sha256=record["sha256"]):
            given += len(chunk)
        answer["given"] = given
    seconds = time.perf_counter() - started
    cpu, main_thread = time.process_time() - cpu_started, time.thread_time() - main_started
    answer.update(seconds=seconds, mb_per_s=size / seconds / 1e6, cpu_seconds=cpu,
                  critical_cpu_seconds=max(main_thread, cpu - main_thread), peak_rss_mb=peak_rss_mb())
    return answer


def run_worker(mode: str, source: str, work: str, chunk_kb: int) -> dict:
    # Each mode starts alike: the previous outputs gone (but the ciphertext a read needs) and nothing dirty left
    # for the kernel to write back, which would otherwise throttle whichever mode came next.
    if mode in {"copy", "store"}:
        for leftover in [Path(work, "copy"), *Path(work, "files").glob("*")]:
            leftover.unlink(missing_ok=True)
    os.sync()
    output = subprocess.run([sys.executable, __file__, "--worker", mode, "--source", source, "--work", work,
                             "--chunk-kb", str(chunk_kb)], capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def make_file(path: str, size_mb: int) -> str:
    digest = hashlib.sha256()
    block = os.urandom(8 * BLOCK)
    with open(path, "wb") as writer:
        for index in range(size_mb // 8):
            # Not one block repeated: each 8 MiB differs, so nothing downstream can profit from repetition.
            piece = index.to_bytes(8, "big") + block[8:]
            digest.update(piece)
            writer.write(piece)
    return digest.hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024)
    parser.add_argument("--chunk-kb", type=int, default=1024)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default=None)
    parser.add_argument("--worker", choices=["copy", "sha256", "store", "read"])
    parser.add_argument("--source")
    parser.add_argument("--work")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.source, args.work, args.chunk_kb)))
        return 0

    with tempfile.TemporaryDirectory(prefix="concordat-bench-vault-", dir=args.dir) as work:
        source = os.path.join(work, "source.bin")
        expected = make_file(source, args.size_mb)
        Path(work, "kek").write_text(os.urandom(32).hex())
        runs = [measure_run(source, work, args, expected) for _ in range(args.runs)]
    summary = summarise(runs)
    failures = report(summary, args)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    (out / "vault.json").write_text(json.dumps({"size_mb": args.size_mb, "chunk_kb": args.chunk_kb,
                                                "runs": runs, "summary": summary, "failures": failures},
                                               indent=2))
    return 1 if failures else 0


MODES = ("copy", "sha256", "store", "read")


def measure_run(source: str, work: str, args, expected: str) -> dict:
    """The four modes once each, with the load average before them."""
    run: dict = {"load_before": os.getloadavg()[0]}
    for mode in MODES:
        result = run_worker(mode, source, work, args.chunk_kb)
        if mode == "store":
            Path(work, "record.json").write_text(json.dumps(result["record"]))
            assert result["record"]["sha256"] == expected, "store hashed another file"
        if mode == "sha256":
            assert result["sha256"] == expected, "SHA-256 alone hashed another file"
        if mode == "read":  # the vault compared the bytes given with the recorded SHA-256, equal to this
            assert result["given"] == args.size_mb * BLOCK, "read gave another length"
        run[mode] = result
    run["load_after"] = os.getloadavg()[0]
    return run


def summarise(runs: list[dict]) -> dict:
    """Per mode: the median and best throughput, and the medians of the per-run ratios to SHA-256 alone."""
    summary: dict = {"load": [run["load_before"] for run in runs] + [runs[-1]["load_after"]]}
    for mode in MODES:
        pairs = [(run[mode], run["sha256"]) for run in runs]

        def median_ratio(of, pairs=pairs) -> float:
            return statistics.median(of(result, reference) for result, reference in pairs)

        summary[mode] = {
            "median_mb_per_s": statistics.median(result["mb_per_s"] for result, _ in pairs),
            "best_mb_per_s": max(result["mb_per_s"] for result, _ in pairs),
            "wall_ratio": median_ratio(lambda result, reference: reference["seconds"] / result["seconds"]),
            "cpu_ratio": median_ratio(lambda result, reference: reference["cpu_seconds"] / result["cpu_seconds"]),
            "critical_ratio": median_ratio(
                lambda result, reference: reference["cpu_seconds"] / result["critical_cpu_seconds"]),
            "peak_rss_mb": max(result["peak_rss_mb"] for result, _ in pairs),
        }
    return summary


def report(summary: dict, args) -> list[str]:
    load = ", ".join(f"{value:.1f}" for value in summary["load"])
    lines = [f"vault bench: {args.size_mb} MiB file, {args.chunk_kb} KiB chunks, {args.runs} runs, "
             f"{os.cpu_count()} CPUs, load average (1 min) before each run and after: {load}",
             f"{'':8} {'median MB/s':>12} {'best MB/s':>10} {'wall ratio':>11} {'cpu ratio':>10} "
             f"{'critical':>9} {'peak RSS MB':>12}"]
    failures = []
    for mode in MODES:
        result = summary[mode]
        lines.append(f"{mode:8} {result['median_mb_per_s']:12.0f} {result['best_mb_per_s']:10.0f} "
                     f"{result['wall_ratio']:10.0%} {result['cpu_ratio']:10.0%} {result['critical_ratio']:9.0%} "
                     f"{result['peak_rss_mb']:12.1f}")
        if mode in {"store", "read"}:
            if result["wall_ratio"] < TARGET_RATIO:
                failures.append(f"{mode} at {result['wall_ratio']:.0%} of SHA-256 alone (median; target "
                                f"{TARGET_RATIO:.0%})")
            if result["peak_rss_mb"] >= TARGET_RSS_MB:
                failures.append(f"{mode} peaked at {result['peak_rss_mb']:.0f} MB (target < {TARGET_RSS_MB})")
    lines.append("ratios: medians of each run's ratio to that run's SHA-256 alone (wall clock; CPU time of all "
                 "threads; CPU time of the busier of main thread and the rest)")
    print("\n".join(lines))
    print("targets met" if not failures else "TARGETS MISSED: " + "; ".join(failures))
    return failures


if __name__ == "__main__":
    sys.exit(main())
