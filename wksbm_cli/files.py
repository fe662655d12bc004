"""Files the tool writes besides the database (exports, reports, backups): private, whole, never clobbering.

Every such file goes through `write_privately`: it refuses the database and its -wal/-shm, an existing
file without `force`, a symbolic link, a missing folder; it writes a hidden 0600 copy beside the target,
syncs it, and only then moves it into place; and it removes what an interrupted earlier write left.
"""

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

from wksbm_cli.errors import Conflict, WksbmError
from wksbm_cli.i18n import _

T = TypeVar("T")

# A hidden copy of a write in progress: `.NAME.wksbm-RANDOM.partial.EXT` (plus SQLite's own
# -journal/-wal/-shm beside a backup's copy). Older versions wrote `.NAME.RANDOM.partial`.
_OURS = re.compile(r"\..+\.wksbm-[a-z0-9_]+\.partial.*", re.DOTALL)
_SIDECARS = ("-journal", "-wal", "-shm")


def write_privately(path: Path | str, write: Callable[[Path], T], *, force: bool = False,
                    database: Path | str | None = None) -> T:
    """Run `write(temp)` on a new 0600 file beside `path`, then move it into place; returns what it returns.

    Refused (a WksbmError, nothing written): `path` is `database` or one of its -wal/-shm/-journal
    files, a symbolic link, a folder, in a folder that does not exist, or exists and `force` is
    false. Whoever reads `path` sees the old file or the whole new one, never half of it.
    """
    target = checked_target(path, force=force, database=database)
    remove_leftovers(target)
    fd, temp = _new_partial(target)
    try:
        with _cleanup_on_termination():
            try:
                result = write(temp)
                os.fsync(fd)  # the bytes are on disk before the name points at them
                _move_into_place(temp, target, force)
            except BaseException:
                _remove_partial(temp)
                raise
    finally:
        os.close(fd)  # also releases the lock that tells a later run this copy is still being written
    _sync_folder(target.parent)
    return result


def create_privately(path: Path | str, write: Callable[[Path], object]) -> bool:
    """Like write_privately, for a file that must not exist yet: True if this call made it.

    False if the file exists, or another process put one there while `write` ran (theirs is kept).
    """
    target = Path(os.path.abspath(Path(path).expanduser()))
    if os.path.lexists(target):
        return False
    remove_leftovers(target)
    fd, temp = _new_partial(target)
    try:
        with _cleanup_on_termination():
            try:
                write(temp)
                os.fsync(fd)
                _move_into_place(temp, target, force=False)
            except Conflict:
                return False
            finally:
                _remove_partial(temp)
    finally:
        os.close(fd)
    _sync_folder(target.parent)
    return True


def checked_target(path: Path | str, *, force: bool = False, database: Path | str | None = None) -> Path:
    """`path` as an absolute path, if wksbm may write a file there (see write_privately); else WksbmError."""
    if not str(path).strip() or str(path) == ".":
        raise WksbmError(_("no file name given: name the file to write, e.g. -o kasus.csv"))
    shown = Path(path).expanduser()  # messages name the file as it was given
    target = Path(os.path.abspath(shown))
    if database is not None:
        _refuse_database(target, Path(database), shown)
    try:
        status = os.lstat(target)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise WksbmError(_("cannot write {path}: {reason}").format(path=shown, reason=error.strerror)) from None
    if status is not None:
        import stat

        if stat.S_ISLNK(status.st_mode):
            raise Conflict(_("{path} is a symbolic link: wksbm does not write through links; "
                             "give the real file's path").format(path=shown))
        if stat.S_ISDIR(status.st_mode):
            raise Conflict(_("{path} is a folder: give a file name").format(path=shown))
        if not force:
            raise Conflict(_("{path} already exists: choose another name, or --force to replace it").format(path=shown))
    if not target.parent.is_dir():
        raise WksbmError(_("there is no folder {folder}: create it first, or write the file elsewhere")
                         .format(folder=shown.parent))
    return target


def remove_leftovers(target: Path) -> list[Path]:
    """Delete hidden copies that interrupted writes left in `target`'s folder (they may hold full NIKs).

    A copy another wksbm is still writing is locked by it and left alone. Returns what was removed.
    """
    folder, own = target.parent, f".{target.name}."
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    candidates = sorted(name for name in names
                        if (name.startswith(own) and ".partial" in name[len(own):]) or _OURS.fullmatch(name))
    removed = []
    for name in candidates:  # a copy sorts before its sidecars, so they go with it
        path = folder / name
        main = _sidecar_of(path)
        if main is not None and main.exists():
            continue  # belongs to a copy in progress (or one just judged in use)
        if main is None:
            if _remove_unused(path):
                removed.append(path)
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def make_private_folder(folder: Path) -> None:
    """Create `folder` and any missing parents with mode 0700, whatever the umask."""
    missing = []
    current = Path(folder)
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for each in reversed(missing):
        try:
            os.mkdir(each, 0o700)
        except FileExistsError:
            continue
        if hasattr(os, "fchmod"):  # POSIX: a umask like 0277 would leave it 0500, 000 would not matter
            os.chmod(each, 0o700)


def create_private_file(path: Path) -> None:
    """Create an empty file with mode 0600 whatever the umask; FileExistsError if it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        _make_private(fd)
    finally:
        os.close(fd)


def _refuse_database(target: Path, database: Path, shown: Path) -> None:
    database = Path(os.path.abspath(database.expanduser()))
    for suffix in ("", *_SIDECARS):
        protected = Path(f"{database}{suffix}")
        if _same_file(target, protected):
            if suffix:
                raise Conflict(_("{path} belongs to the database {database}: choose another file")
                               .format(path=shown, database=database))
            raise Conflict(_("{path} is the database itself: choose another file").format(path=shown))


def _same_file(one: Path, other: Path) -> bool:
    with contextlib.suppress(OSError):
        if os.path.samefile(one, other):  # also a hard link, or another spelling on a case-blind disk
            return True
    return os.path.normcase(os.path.realpath(one)) == os.path.normcase(os.path.realpath(other))


def _new_partial(target: Path) -> tuple[int, Path]:
    """A new hidden 0600 file beside `target`, open and locked (so that no other run removes it)."""
    import tempfile

    for _attempt in range(10):
        try:
            fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.wksbm-",
                                        suffix=f".partial{target.suffix}")
        except OSError as error:
            raise WksbmError(_("cannot write in {folder}: {reason}").format(folder=target.parent, reason=error.strerror)) from None
        try:
            _make_private(fd)
            _lock(fd, blocking=True)
        except BaseException:
            os.close(fd)
            Path(name).unlink(missing_ok=True)
            raise
        # Until it was locked, another run's remove_leftovers could take it for an interrupted
        # write's and delete it; SQLite would then make a new file under the name, with the umask's mode.
        if _still_named(fd, name):
            return fd, Path(name)
        os.close(fd)
    raise WksbmError(_("cannot write in {folder}: its hidden files keep disappearing").format(folder=target.parent))


def _move_into_place(temp: Path, target: Path, force: bool) -> None:
    if force:
        os.replace(temp, target)
        return
    try:
        os.link(temp, target)  # fails if a file appeared there meanwhile: never replaces one unasked
    except FileExistsError:
        raise Conflict(_("{path} already exists: choose another name, or --force to replace it").format(path=target)) from None
    except (OSError, NotImplementedError, AttributeError):  # no hard links (FAT memory sticks): check, then rename
        if os.path.lexists(target):
            raise Conflict(_("{path} already exists: choose another name, or --force to replace it").format(path=target)) from None
        os.replace(temp, target)
        return
    temp.unlink()


def _remove_partial(temp: Path) -> None:
    for suffix in ("", *_SIDECARS):
        with contextlib.suppress(OSError):
            Path(f"{temp}{suffix}").unlink()


def _sidecar_of(path: Path) -> Path | None:
    """The copy a SQLite -journal/-wal/-shm file belongs to, or None if `path` is not one."""
    for suffix in _SIDECARS:
        if path.name.endswith(suffix):
            return path.with_name(path.name[: -len(suffix)])
    return None


def _remove_unused(path: Path) -> bool:
    """Delete `path` (a regular file of ours) if no running wksbm holds it; True if it was deleted.

    It is deleted while this run holds its lock: a run that locks it afterwards finds its name
    gone (see _new_partial) instead of writing into a file that is no longer there.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        import stat

        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or (hasattr(os, "getuid") and status.st_uid != os.getuid()):
            return False
        if not _lock(fd, blocking=False):
            return False
        if os.name == "nt":  # no locks there, and a file open anywhere cannot be deleted: close it first
            os.close(fd)
            fd = None
        try:
            path.unlink()
        except OSError:
            return False
        return True
    finally:
        if fd is not None:
            os.close(fd)


def _still_named(fd: int, name: str) -> bool:
    """Whether `name` is still the file open as `fd` (another run's clean-up may have deleted it)."""
    try:
        named = os.stat(name, follow_symlinks=False)
    except OSError:
        return False
    held = os.fstat(fd)
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _lock(fd: int, *, blocking: bool) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows: a file still open elsewhere cannot be deleted anyway
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
    except OSError:
        return False
    return True


def _make_private(fd: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, 0o600)  # a umask like 0277 would otherwise leave it unwritable (0400)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); best effort."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _cleanup_on_termination() -> Iterator[None]:
    """Turn SIGTERM/SIGHUP (a closed terminal, `kill`) into an exception, so the partial copy is removed."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is signal.SIG_DFL:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
