"""The engine's two inner loops compiled by Numba (ADR 0063): pricing every cube through a cell
(:mod:`disclosure.cubes`) and refuting a release by bounds propagation (:mod:`disclosure.bounds`).

Each is a plain loop over arrays, the same arithmetic as the numpy it replaced or a proof it only shortcuts, so
the patterns are the same; numpy spent most of its time there on thousands of small temporary arrays.

Compiled code is cached on disk (``NUMBA_CACHE_DIR``, else beside the module, else the user's cache directory): the
first process compiles (a few seconds), later ones load (about half a second on the bench's machine, once per
process). Where no cache directory is writable the kernels compile once per process instead of failing.
"""

from __future__ import annotations

import numba
import numpy as np


def jit(function):
    try:
        return numba.njit(cache=True, nogil=True)(function)
    except RuntimeError:  # no writable cache directory: compile in each process
        return numba.njit(nogil=True)(function)


def warm() -> None:
    """Load (or compile) both kernels now, with the argument types the engine passes, so that the one-off cost is
    paid at a process's start (a worker's, a benchmark's) rather than inside the first table protected."""
    from .bounds import _contradiction
    from .cubes import _NO_DIMENSION, _cheapest_cube

    nodes, signs = _NO_DIMENSION
    one_int, one_bool, one_float = np.zeros(1, dtype=np.int64), np.ones(1, dtype=bool), np.ones(1)
    _cheapest_cube(nodes, signs, nodes, signs, nodes, signs, np.zeros(3, dtype=np.int64), np.zeros(3, dtype=np.int64),
                   one_int, one_bool,
                   ~one_bool, one_float, one_float, one_bool, 0.05, 1.0, True, 0.0, 1e-9)
    ptr = np.array([0, 1], dtype=np.int64)
    _contradiction(ptr, one_int, np.ones(1), ptr, one_int, np.zeros(1), np.zeros(1), one_int, 1e-6, 1)
