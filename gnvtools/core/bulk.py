"""Making many objects at once without Python's cycle collector passing over them again and again.

Reading a table of 100 000 rows and splitting an amount over its recipients makes about half a
million container objects (rows, recipients, lines), none of them part of a reference cycle.
Every 700 new containers start a collection of the youngest objects, and every few of those a
pass over every object the process holds: measured on ``benchmarks/bench_keys.py``, about 0,5 s
of its run went to those passes. ``collector_paused`` holds the collector off while such a bulk
is made; reference counting still frees everything as usual, and what is left for the collector
(cycles made meanwhile) is collected once it runs again.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector held off inside the block (nested blocks: the outermost
    decides); it is on again afterwards if it was on before, whatever the block raised."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
