"""Files wksbm writes (export -o, summary -o, backup) never clobber: not the database, not an existing
file without --force, not through a symbolic link; always 0600 and whole; leftovers of an interrupted
write are removed by the next run; folders it creates are 0700."""

import hashlib
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time

import pytest

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes, links and signals")

# Each command that writes a file, as the arguments before the file name (and after it).
WRITERS = {
    "export": (["export", "villages", "-o"], []),
    "summary": (["summary", "-o"], []),
    "backup": (["backup"], []),
}


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_to(cli, command, target, *extra):
    before, after = WRITERS[command]
    return cli(*before, target, *after, *extra)


def named(command, tmp_path, stem="out"):
    return tmp_path / f"{stem}.{ {'export': 'csv', 'summary': 'html', 'backup': 'db'}[command] }"


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("sidecar", ["", "-wal", "-shm"])
def test_nothing_is_written_onto_the_database_or_its_wal_and_shm(besuk, db_path, command, sidecar):
    target = db_path.with_name(db_path.name + sidecar)
    before = digest(db_path)
    result = write_to(besuk, command, target, "--force")
    assert result.exit_code == 1
    if sidecar:
        assert result.stderr == f"Error: {target} belongs to the database {db_path}: choose another file\n"
    else:
        assert result.stderr == f"Error: {target} is the database itself: choose another file\n"
    assert digest(db_path) == before
    assert len(besuk.json("village", "list")) == 3


@posix_only
@pytest.mark.parametrize("command", WRITERS)
def test_the_database_under_another_name_is_refused_too(besuk, db_path, tmp_path, command):
    (tmp_path / "sub").mkdir()
    hard = tmp_path / "sub" / "same.db"
    os.link(db_path, hard)
    before = digest(db_path)
    result = write_to(besuk, command, tmp_path / "sub" / ".." / db_path.name, "--force")
    assert (result.exit_code, "is the database itself" in result.stderr) == (1, True)
    result = write_to(besuk, command, hard, "--force")
    assert (result.exit_code, "is the database itself" in result.stderr) == (1, True)
    assert digest(db_path) == before


@pytest.mark.parametrize("command", WRITERS)
def test_an_existing_file_is_kept_unless_forced(besuk, tmp_path, command):
    target = named(command, tmp_path)
    target.write_text("precious")
    result = write_to(besuk, command, target)
    assert result.exit_code == 1
    assert result.stderr == f"Error: {target} already exists: choose another name, or --force to replace it\n"
    assert target.read_text() == "precious"
    result = write_to(besuk, command, target, "--force")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != b"precious"
    assert not [path.name for path in tmp_path.iterdir() if ".partial" in path.name]


@posix_only
@pytest.mark.parametrize("command", WRITERS)
def test_a_symbolic_link_is_never_followed(besuk, tmp_path, command):
    victim = tmp_path / "victim.txt"
    victim.write_text("someone else's file")
    link = named(command, tmp_path)
    link.symlink_to(victim)
    dangling = named(command, tmp_path, "dangling")
    dangling.symlink_to(tmp_path / "nowhere.txt")
    for target in (link, dangling):
        result = write_to(besuk, command, target, "--force")
        assert result.exit_code == 1
        assert result.stderr == (f"Error: {target} is a symbolic link: wksbm does not write through links; "
                                 "give the real file's path\n")
        assert os.path.islink(target)
    assert victim.read_text() == "someone else's file"
    assert not (tmp_path / "nowhere.txt").exists()


@pytest.mark.parametrize("command", WRITERS)
def test_a_missing_folder_is_one_sentence(besuk, tmp_path, command):
    target = tmp_path / "no" / "such" / named(command, tmp_path).name
    result = write_to(besuk, command, target)
    assert result.exit_code == 1
    assert result.stderr == f"Error: there is no folder {target.parent}: create it first, or write the file elsewhere\n"
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("command", WRITERS)
def test_a_folder_is_not_a_file_name(besuk, tmp_path, command):
    result = write_to(besuk, command, tmp_path, "--force")
    assert (result.exit_code, result.stderr) == (1, f"Error: {tmp_path} is a folder: give a file name\n")


def test_an_empty_output_name_is_one_sentence(besuk):
    result = besuk("export", "villages", "-o", "")
    assert result.exit_code == 1
    assert result.stderr == "Error: no file name given: name the file to write, e.g. -o kasus.csv\n"


@posix_only
@pytest.mark.parametrize("command", WRITERS)
def test_files_written_are_private_and_replacing_keeps_them_private(besuk, tmp_path, command):
    old = os.umask(0o000)
    try:
        target = named(command, tmp_path)
        target.write_text("old")
        os.chmod(target, 0o666)
        result = write_to(besuk, command, target, "--force")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


@posix_only
@pytest.mark.parametrize("command", WRITERS)
def test_leftovers_of_an_interrupted_write_are_removed_by_the_next_run(besuk, tmp_path, command):
    target = named(command, tmp_path)
    leftovers = [
        tmp_path / f".{target.name}.k2j4h5g6.partial",  # as older versions named them
        tmp_path / f".{target.name}.wksbm-abcd1234.partial{target.suffix}",
        tmp_path / ".wksbm-2021-12-30.db.wksbm-zz99yy88.partial.db",  # another day's backup
        tmp_path / ".wksbm-2021-12-30.db.wksbm-zz99yy88.partial.db-journal",
    ]
    for leftover in leftovers:
        leftover.write_text("Mbok Sarmi,3513134107450001")
    unrelated = [tmp_path / ".notes.txt.partial", tmp_path / ".bashrc", tmp_path / "kasus.partial"]
    for other in unrelated:
        other.write_text("not ours")
    result = write_to(besuk, command, target)
    assert result.exit_code == 0, result.output
    assert [path.name for path in leftovers if path.exists()] == []
    assert all(other.exists() for other in unrelated)


@posix_only
def test_a_copy_another_run_is_still_writing_is_left_alone(besuk, tmp_path):
    busy = tmp_path / ".kasus.csv.wksbm-busy0001.partial.csv"
    busy.write_text("in progress")
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import fcntl, sys, time
            f = open({str(busy)!r}, "rb"); fcntl.flock(f, fcntl.LOCK_EX)
            print("locked", flush=True); sys.stdin.read()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = besuk("export", "villages", "-o", tmp_path / "kasus.csv")
        assert result.exit_code == 0, result.output
        assert busy.exists()
    finally:
        holder.communicate("")
    assert besuk("export", "villages", "-o", tmp_path / "kasus.csv", "--force").exit_code == 0
    assert not busy.exists()


@posix_only
def test_a_write_killed_by_sigterm_leaves_no_copy_behind(tmp_path):
    target = tmp_path / "kasus.csv"
    script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from wksbm_cli.files import write_privately

        def slow(temp):
            temp.write_text("Mbok Sarmi,3513134107450001\\n")
            print("writing", flush=True)
            time.sleep(60)

        write_privately(Path({str(target)!r}), slow)
    """)
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert run.stdout.readline().strip() == "writing"
    assert [path.name for path in tmp_path.iterdir() if ".partial" in path.name]
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=20) == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []


@posix_only
def test_folders_the_tool_creates_are_private_whatever_the_umask(cli, tmp_path):
    old = os.umask(0o000)
    try:
        result = cli("--db", tmp_path / "a" / "b" / "wksbm.db", "village", "add", "Satu")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    modes = [stat.S_IMODE(os.stat(folder).st_mode) for folder in (tmp_path / "a", tmp_path / "a" / "b")]
    assert modes == [0o700, 0o700]
    assert stat.S_IMODE(os.stat(tmp_path / "a" / "b" / "wksbm.db").st_mode) == 0o600


@posix_only
def test_a_backup_written_while_the_umask_forbids_writing_still_lands(besuk, tmp_path):
    old = os.umask(0o277)
    try:
        result = besuk("backup", tmp_path / "copy.db")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(tmp_path / "copy.db").st_mode) == 0o600
    time.sleep(0)  # nothing left behind either
    assert [path.name for path in tmp_path.iterdir() if ".partial" in path.name] == []


def test_a_new_database_stays_private_when_another_run_cleans_up_before_it_locks_its_copy(tmp_path, monkeypatch):
    """Two first runs on a new database: the other's clean-up may find this run's hidden copy after it is
    made and before it is locked, and delete it; SQLite would then make a new copy with the umask's mode."""
    import tempfile

    from wksbm_cli import db as wksbm_db

    target = tmp_path / "baru.db"
    made = tempfile.mkstemp
    cleaned = []

    def made_then_cleaned_by_another_run(*args, **kwargs):
        fd, name = made(*args, **kwargs)
        if not cleaned:  # the other run's remove_leftovers, in its own process, in the window
            other = subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                                    "from wksbm_cli.files import remove_leftovers; "
                                    "print(len(remove_leftovers(Path(sys.argv[1]))))", str(target)],
                                   capture_output=True, text=True, check=True)
            cleaned.append(int(other.stdout))
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", made_then_cleaned_by_another_run)
    assert wksbm_db.create_database(target) is True
    assert cleaned == [1]  # the first copy was taken; the run made another
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert [name for name in os.listdir(tmp_path) if name != "baru.db"] == []
