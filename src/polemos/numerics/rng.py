"""Random streams.

The generator is always an explicit argument. Replicates and chunks get independent
child streams from :class:`numpy.random.SeedSequence`, so results are bit-identical
whatever the number of workers or the chunk size: chunk ``k`` of a run with seed ``s``
always uses ``SeedSequence(s, spawn_key=(k,))``.
"""

from __future__ import annotations

import numpy as np

SeedLike = int | np.random.SeedSequence | None


def seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """Return a :class:`~numpy.random.SeedSequence` for ``seed`` (an int or a sequence)."""
    if isinstance(seed, np.random.SeedSequence):
        return seed
    return np.random.SeedSequence(seed)


def generator(seed: SeedLike) -> np.random.Generator:
    """A PCG64 generator for ``seed``."""
    return np.random.Generator(np.random.PCG64(seed_sequence(seed)))


def child_sequence(seed: SeedLike, *key: int) -> np.random.SeedSequence:
    """The child of ``seed`` addressed by ``key`` (e.g. ``(chunk,)`` or ``(chunk, stage)``).

    Unlike ``SeedSequence.spawn``, which is stateful, the child is a pure function of
    ``(seed, key)``, which is what makes chunked runs reproducible in any order.
    """
    root = seed_sequence(seed)
    return np.random.SeedSequence(root.entropy, spawn_key=tuple(root.spawn_key) + tuple(key))


def child_generator(seed: SeedLike, *key: int) -> np.random.Generator:
    """A generator on the child stream ``key`` of ``seed``."""
    return np.random.Generator(np.random.PCG64(child_sequence(seed, *key)))
