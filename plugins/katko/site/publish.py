"""Putting a newly built site in place of the old one, so that the site folder is never
missing or half-written, and cleaning up after a build that was killed.

A build writes into a sibling folder (``site.katko-staging`` beside ``site``)
and :func:`swap` puts it in place only when the build has succeeded. A web
server that serves ``site/`` must find a complete site there at every moment,
so on Linux the two folders are exchanged in one step (``renameat2`` with
``RENAME_EXCHANGE``): a request is answered from the old site or from the new
one, never from nothing. Elsewhere, or on a file system that cannot exchange,
the old folder is renamed aside and the new one into its place, which leaves
``site/`` missing for the moment between the two renames.

A build killed at any point leaves at worst a complete ``site/`` with
leftovers beside it, or (in the fallback, between the two renames) the old
site renamed aside: :func:`prepare`, which the next build runs before
anything else, puts that back and removes the leftovers.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
from pathlib import Path

STAGING_SUFFIX = ".katko-staging"
OLD_SUFFIX = ".katko-old"

# From <fcntl.h> and <linux/fs.h>.
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# What renameat2 says when the kernel, the C library's wrapper or the file system cannot exchange.
_CANNOT_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}


def staging(target: Path) -> Path:
    """The folder a build writes into before it is put in place of ``target``."""
    return target.with_name(target.name + STAGING_SUFFIX)


def _old(target: Path) -> Path:
    return target.with_name(target.name + OLD_SUFFIX)


def prepare(target: Path) -> Path:
    """Clean up after an earlier build that was killed; return the (empty) staging folder's path."""
    old, new = _old(target), staging(target)
    if not target.exists() and not target.is_symlink() and old.is_dir():
        old.rename(target)  # killed between the fallback's two renames: the old site goes back
    for leftover in (new, old):
        _remove(leftover)
    return new


def swap(new: Path, target: Path) -> None:
    """Put the built site ``new`` in place of ``target``, then remove the old one."""
    if not target.exists() and not target.is_symlink():
        new.rename(target)
        return
    if _exchange(new, target):
        _remove(new)  # now the old site
        return
    old = _old(target)
    _remove(old)
    target.rename(old)
    try:
        new.rename(target)
    except OSError:
        old.rename(target)
        raise
    _remove(old)


def merge(new: Path, target: Path, kept: set[str], previous: set[str] | None) -> set[str]:
    """Move the files of ``new`` into ``target`` and remove what the site no longer has; return
    the site's files (paths relative to ``target``, with ``/``).

    A preview's rebuild writes only what it rendered anew; ``kept`` are the files it left as the
    previous rebuild wrote them in ``target``, ``previous`` the site's files after that rebuild
    (None: unknown, so every other file in ``target`` goes, but for hidden ones at its top, as
    MkDocs' cleaning leaves them). Unchanged files are not written again, and ``target`` is a
    complete site at every moment: each file is replaced in one step."""
    made: set[str] = set()
    for folder, _, names in os.walk(new):
        here = Path(folder)
        for name in names:
            made.add((here / name).relative_to(new).as_posix())
    for rel in sorted(made):
        destination = target / rel
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(new / rel, destination)
    present = made | kept
    if previous is None:
        previous = set()
        for folder, folders, names in os.walk(target):
            here = Path(folder)
            if here == target:
                folders[:] = [f for f in folders if not f.startswith(".")]
                names = [n for n in names if not n.startswith(".")]
            previous.update((here / name).relative_to(target).as_posix() for name in names)
    for rel in sorted(previous - present):
        path = target / rel
        path.unlink(missing_ok=True)
        for parent in path.parents:
            if parent == target or not parent.is_relative_to(target) or any(parent.iterdir()):
                break
            parent.rmdir()
    _remove(new)
    return present


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths in one step; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # C library older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _CANNOT_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(a), None, str(b))


def _remove(path: Path) -> None:
    """Remove a folder, file or link, if there is one."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)
