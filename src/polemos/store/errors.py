"""Storage faults a user can act on: a read-only store, a full disk, a damaged block.

Kept free of heavy imports. ``exit_code`` tells the command line to print the message
and exit 2, as for other bad input, instead of reporting an internal error.
"""

from __future__ import annotations

import errno


class StoreError(Exception):
    """The store cannot do what was asked; the message says why and what to do."""

    exit_code = 2


class BlockDamaged(StoreError):
    """A stored block does not match its recorded checksum (or is missing)."""

    def __init__(self, run_id: str, block: int, why: str):
        self.run_id, self.block, self.why = run_id, block, why
        super().__init__(f"block {block} of run {run_id} is damaged: {why}; "
                         f"run `polemos runs repair {run_id}` to recompute it")


def os_error(exc: OSError, path: object, root: object) -> StoreError:
    """A clear :class:`StoreError` for an operating-system failure writing ``path``."""
    code = exc.errno
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return StoreError(f"the store {root} is not writable ({exc.strerror}: {path}); "
                          "choose another with --store or $POLEMOS_STORE")
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return StoreError(f"no space left for the store {root} ({exc.strerror}); free some "
                          "disk space or choose another store with --store, then rerun with "
                          "--resume")
    return StoreError(f"cannot write {path}: {exc.strerror or exc}")
