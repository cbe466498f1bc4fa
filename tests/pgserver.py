"""The tests' throw-away PostgreSQL cluster: the benchmark's (:mod:`benchmarks.pgserver`).

`.ci/run` starts and stops it with ``python -m tests.pgserver start|stop FOLDER``.
"""

from __future__ import annotations

import sys

from benchmarks.pgserver import (
    ADMIN,
    Cluster,
    ClusterError,
    bin_dir,
    create,
    describe,
    free_port,
    from_environment,
    main,
    throwaway,
)

__all__ = [
    "ADMIN",
    "Cluster",
    "ClusterError",
    "bin_dir",
    "create",
    "describe",
    "free_port",
    "from_environment",
    "main",
    "throwaway",
]

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
