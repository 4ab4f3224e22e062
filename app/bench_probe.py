"""The search process of `python -m app bench`: it maps a saved vector index, as the app's
searchers do, times one query at a time, and prints its latency and peak memory as JSON.

It imports numpy and the FAISS store only, so its resident memory is the index's, not torch's.
Run as `python -m app.bench_probe INDEX QUERIES.npy FAISS_CONFIG_JSON K`.
"""

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from retrieval.config import FaissConfig
from retrieval.store import FaissStore


class Latency(BaseModel):
    """Percentiles of one operation, in milliseconds."""

    p50_ms: float
    p95_ms: float


def latency(operation, inputs, before=None) -> Latency:
    """Percentiles of `operation` over `inputs`; `before` runs untimed ahead of each one."""
    times = []
    for item in inputs:
        if before is not None:
            before()
        started = time.perf_counter()
        operation(item)
        times.append((time.perf_counter() - started) * 1000)
    return Latency(p50_ms=float(np.percentile(times, 50)), p95_ms=float(np.percentile(times, 95)))


def peak_rss_mb() -> float:
    """This process's peak resident memory. `VmHWM` belongs to the process's own memory map,
    which `exec` replaced; `ru_maxrss` would still count the parent that forked it."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def serve_queries(path: Path, query_file: Path, config: FaissConfig, k: int) -> dict:
    """In the search process: load the index memory-mapped and time each query."""
    store = FaissStore.load(path, config, mmap=config.mmap)
    queries = np.load(query_file)
    dense = latency(lambda q: store.search(q[None, :], k), queries)
    return {
        "dense": dense.model_dump(),
        "rss_mb": peak_rss_mb(),
        "file_mb": path.stat().st_size / 2**20,
    }


if __name__ == "__main__":
    index_path, queries_path, faiss_config, candidates = sys.argv[1:5]
    figures = serve_queries(
        Path(index_path),
        Path(queries_path),
        FaissConfig.model_validate_json(faiss_config),
        int(candidates),
    )
    print(json.dumps(figures))
