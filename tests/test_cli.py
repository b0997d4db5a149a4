"""The command line as a user runs it: a real process, a real index, a real kill -9."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from soundalike.engine.sound.descriptors import get_descriptor
from tests.conftest import write_sound
from tests.synth import FAMILIES, drum


def soundalike(*args, db, check=True, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=check,
        **kwargs,
    )


def test_scan_and_status_json(small_kit, tmp_path):
    db = tmp_path / "cli.db"
    out = soundalike("scan", str(small_kit), "--json", db=db)
    report = json.loads(out.stdout)
    assert report["new"] == 12 and report["failed"] == 0 and report["descriptor"] == "soundalike-3"
    assert out.stderr == ""  # no progress bar when stderr is not a terminal
    status = json.loads(soundalike("status", "--json", db=db).stdout)
    assert status["files"] == status["profiled"] == 12
    assert status["roots"][0]["path"] == str(small_kit)
    assert status["last_scan"]["new"] == 12


IMPORTED = """
import sys
from soundalike.engine.cli.main import main
code = main(sys.argv[1:])
print(" ".join(sorted(sys.modules)), file=sys.stderr)
sys.exit(code)
"""


def test_a_command_imports_only_what_it_needs(small_kit, tmp_path):
    """Every command pays for its imports at every start: asking about a library sound, or
    rescanning an unchanged library, loads no audio decoder, no kit or export code, and not
    pydantic's plugin machinery (``importlib.metadata``, loaded by a report's first
    validation); a scan loads its scanner only when it scans."""
    db = tmp_path / "imports.db"
    soundalike("scan", str(small_kit), "-q", db=db)
    query = str(next(small_kit.rglob("*.wav")))
    for command, unwanted in (
        (["similar", "-k", "3", query], {"soundfile", "importlib.metadata",
                                         "soundalike.engine.scan.scanner",
                                         "soundalike.engine.kits.build",
                                         "soundalike.engine.export", "multiprocessing"}),
        (["kit", query], {"soundfile", "importlib.metadata", "soundalike.engine.export",
                          "soundalike.engine.scan.scanner"}),
        (["status"], {"soundalike.engine.kits.build", "soundalike.engine.scan.scanner",
                      "soundalike.engine.export", "soundfile"}),
    ):
        out = subprocess.run([sys.executable, "-c", IMPORTED, "--db", str(db), *command],
                             capture_output=True, text=True, check=True)
        loaded = set(out.stderr.split())
        assert "soundalike.engine.library" in loaded
        assert not loaded & unwanted, (command, loaded & unwanted)
    out = subprocess.run([sys.executable, "-c", IMPORTED, "--db", str(db), "scan", "-q"],
                         capture_output=True, text=True, check=True)
    assert "soundalike.engine.scan.scanner" in out.stderr.split()
    assert "importlib.metadata" not in out.stderr.split()


def test_human_summary_and_errors(small_kit, tmp_path):
    db = tmp_path / "cli.db"
    out = soundalike("scan", str(small_kit), db=db)
    assert "new 12" in out.stdout and "failed 0" in out.stdout
    text = soundalike("status", db=db).stdout
    assert "12 profiled" in text and str(small_kit) in text
    missing = soundalike("scan", str(tmp_path / "nope"), db=db, check=False)
    assert missing.returncode == 1
    assert "soundalike: error: no such folder" in missing.stderr


def test_forget_takes_folders_out_and_touches_no_file(tmp_path):
    packs = tmp_path / "samples"
    for pack in ("Keep", "Mistake", "Mistake/Inner"):
        for family in ("kick", "hat"):
            for m in range(3):
                write_sound(packs / pack / f"{family} {m}.wav", drum(family, seed=m), 44100)
    files = sorted(p for p in packs.rglob("*.wav"))
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}
    db = tmp_path / "forget.db"
    for folder in ("Keep", "Mistake", "Mistake/Inner"):  # Inner: a root inside another root
        soundalike("scan", str(packs / folder), "--quiet", db=db)

    inside = soundalike("forget", str(packs / "Keep" / "nowhere"), db=db, check=False)
    assert inside.returncode == 1 and "inside the library folder" in inside.stderr
    unknown = soundalike("forget", str(tmp_path), db=db, check=False)
    assert unknown.returncode == 1 and "not one of the library's folders" in unknown.stderr

    report = json.loads(soundalike("forget", str(packs / "Mistake"), "--json", db=db).stdout)
    assert report == {"folders": [str(packs / "Mistake")], "files": 6}  # Inner's 6 stay
    status = json.loads(soundalike("status", "--json", db=db).stdout)
    roots = [r["path"] for r in status["roots"]]
    assert roots == [str(packs / "Keep"), str(packs / "Mistake" / "Inner")]
    assert status["files"] == 12
    answer = json.loads(soundalike("similar", "-k", "20", "--json", str(files[0]), db=db).stdout)
    found = {n["path"] for n in answer["neighbours"]}
    assert found and not any(os.path.dirname(p) == str(packs / "Mistake") for p in found)
    clusters = json.loads(soundalike("clusters", "--json", db=db).stdout)
    assert sum(c["size"] for c in clusters) == 12

    text = soundalike("forget", str(packs / "Keep"), str(packs / "Mistake/Inner"), db=db).stdout
    assert "12 sounds left the index" in text
    status = json.loads(soundalike("status", "--json", db=db).stdout)
    assert status["roots"] == [] and status["files"] == 0
    empty = soundalike("clusters", db=db, check=False)
    assert empty.returncode == 1 and "no profiled sounds yet" in empty.stderr
    with sqlite3.connect(db) as conn:  # no cluster outlives its members
        assert conn.execute("SELECT COUNT(*) FROM clusters").fetchone() == (0,)
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files} == before

    again = json.loads(soundalike("scan", str(packs / "Keep"), "--json", db=db).stdout)
    assert again["new"] == 6  # scanning a forgotten folder brings it back


def test_db_from_environment(small_kit, tmp_path):
    db = tmp_path / "env.db"
    subprocess.run(
        [sys.executable, "-m", "soundalike.engine.cli", "scan", str(small_kit), "-q"],
        check=True,
        env={**os.environ, "SOUNDALIKE_DB": str(db)},
    )
    assert db.exists()


def count_rows(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM files").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


BIG = 4000


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory):
    """4,000 short hits: long enough to scan that a kill lands mid-scan, and a server's stop,
    which it acts on a moment later (1,500 were no longer enough once workers sped up)."""
    root = tmp_path_factory.mktemp("big") / "big"
    rng = np.random.default_rng(0)
    bases = [drum(f, seed=s) for f in FAMILIES for s in range(5)]
    for i in range(BIG):
        y = bases[i % len(bases)] * np.float32(rng.uniform(0.3, 1.0))
        write_sound(root / f"pack {i % 7}" / f"hit {i:04d}.wav", y[: 4410 + i], 44100)
    return root


def session_processes(session: int) -> list[str]:
    """Every process still in a session (the command started with start_new_session)."""
    out = subprocess.run(["ps", "-e", "-o", "sid=,pid=,args="], capture_output=True,
                         text=True, check=True).stdout
    return [line for line in out.splitlines() if line.split(None, 1)[0] == str(session)]


def wait_until_gone(session: int, limit: float = 60.0) -> list[str]:
    deadline = time.monotonic() + limit
    while (left := session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def wait_for_rows(db, more_than: int, process, limit: float = 120.0) -> None:
    deadline = time.monotonic() + limit
    while count_rows(db) <= more_than and time.monotonic() < deadline:
        assert process.poll() is None, "finished before it could be stopped"
        time.sleep(0.01)


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL])
def test_a_stopped_scan_leaves_no_process_behind(big_tree, tmp_path, how):
    db = tmp_path / "stopped.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), "scan", str(big_tree),
         "--jobs", "2"], start_new_session=True, stderr=subprocess.PIPE, text=True)
    wait_for_rows(db, 0, process)
    os.kill(process.pid, how)  # the scan alone, as `kill` does: not its process group
    _, stderr = process.communicate(timeout=120)
    assert wait_until_gone(process.pid) == []  # no worker, fork server or resource tracker
    if how == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:  # as Ctrl-C: a word, and what was profiled is kept
        assert process.returncode == 130 and "interrupted" in stderr
        assert "Traceback" not in stderr and "leaked" not in stderr
    assert 0 < count_rows(db) < BIG
    report = json.loads(soundalike("scan", "--json", "--jobs", "1", db=db).stdout)
    assert report["new"] + report["unchanged"] == BIG


SLOW_LOCKS = """
import sys, time
from concurrent.futures import _base
from soundalike.engine.cli.main import main

def slowly(self):  # wait() takes its futures' locks one by one, each a while
    for future in self.futures:
        future._condition.acquire()
        time.sleep(0.02)

_base._AcquireFutures.__enter__ = slowly
sys.exit(main(sys.argv[1:]))
"""


def test_a_stop_while_the_scan_waits_on_its_workers_does_not_hang_it(big_tree, tmp_path):
    """SIGHUP once hung a scan in CI: raised inside ``concurrent.futures.wait()`` while it
    took its futures' locks, the interrupt kept some of them, so the pool's manager thread
    waited for ever and so did the scan's shutdown of its pool. Here those locks are taken
    slowly, so a stop lands there nearly every time; the scan must still stop at once."""
    db = tmp_path / "slow_locks.db"
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_LOCKS, "--db", str(db), "scan", str(big_tree), "--jobs", "2"],
        start_new_session=True, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_rows(db, 0, process)
        time.sleep(0.3)  # well inside the pool's loop
        os.kill(process.pid, signal.SIGHUP)
        _, stderr = process.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130 and "interrupted" in stderr
    assert "Traceback" not in stderr
    assert wait_until_gone(process.pid) == []
    assert 0 < count_rows(db) < BIG


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_a_server_stopped_during_a_rescan_leaves_no_process_behind(big_tree, tmp_path, how):
    from soundalike.engine import Library

    db = tmp_path / "served.db"
    with Library(db) as library, library.store.transaction():
        library.store.add_root(os.fsencode(big_tree), None)  # a folder not yet scanned
    process = subprocess.Popen(
        [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), "serve", "--port", "0",
         "--rescan-on-start", "--jobs", "2"], start_new_session=True, stderr=subprocess.PIPE,
        text=True)
    wait_for_rows(db, 0, process)
    os.kill(process.pid, how)
    _, stderr = process.communicate(timeout=120)
    assert wait_until_gone(process.pid) == []
    assert "Traceback" not in stderr
    if how == signal.SIGTERM:
        assert process.returncode == 0 and "stopping (SIGTERM)" in stderr
    assert 0 < count_rows(db) < BIG


def test_kill_9_mid_scan_leaves_a_consistent_index_and_the_next_scan_resumes(big_tree, tmp_path):
    root = big_tree
    total = BIG
    db = tmp_path / "killed.db"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "soundalike.engine.cli",
            "--db",
            str(db),
            "scan",
            str(root),
            "--jobs",
            "2",
            "--quiet",
        ],
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while count_rows(db) == 0 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = count_rows(db)
    assert 0 < done < total, "the kill must land mid-scan"

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        descriptor = get_descriptor("soundalike")
        whole = 2 * descriptor.learned + (descriptor.dim - descriptor.learned)
        bad = conn.execute(  # every vector whole: the learned part in half precision (2
            # bytes a number), each hand-made number in one byte
            "SELECT COUNT(*) FROM files WHERE status = 'ok' AND "
            f"(vector IS NULL OR length(vector) != {whole})"
        ).fetchone()[0]
        assert bad == 0

    report = json.loads(soundalike("scan", "--json", db=db).stdout)
    assert report["unchanged"] == done
    assert report["new"] == total - done
    assert report["failed"] == 0
    assert count_rows(db) == total


def test_db_and_verbose_also_after_the_command(small_kit, tmp_path):
    db = tmp_path / "after.db"
    command = [sys.executable, "-m", "soundalike.engine.cli"]
    subprocess.run([*command, "scan", str(small_kit), "-q", "--db", str(db), "-v"], check=True,
                   capture_output=True)
    status = subprocess.run([*command, "status", "--json", "--db", str(db)], check=True,
                            capture_output=True, text=True)
    assert json.loads(status.stdout)["files"] == 12
    # Before the command still works, and the command's own --db wins over the global one.
    both = subprocess.run([*command, "--db", str(tmp_path / "other.db"), "status", "--json",
                           "--db", str(db)], check=True, capture_output=True, text=True)
    assert json.loads(both.stdout)["files"] == 12


def test_a_closed_pipe_ends_quietly(small_kit, tmp_path):
    db = tmp_path / "pipe.db"
    soundalike("scan", str(small_kit), "-q", db=db)
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (`| head`) is gone before anything is written
    try:
        done = subprocess.run(
            [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), "status", "--json"],
            stdout=write_end, stderr=subprocess.PIPE, text=True)
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == 141


def test_bad_numbers_are_refused_plainly(small_kit, tmp_path):
    db = tmp_path / "numbers.db"
    soundalike("scan", str(small_kit), "-q", db=db)
    query = str(next(small_kit.rglob("*.wav")))
    for weight in ("attack=nan", "attack=inf", "tail=-inf", "attack=loud"):
        out = soundalike("similar", query, "--weight", weight, db=db, check=False)
        assert out.returncode == 1 and "--weight takes ASPECT=NUMBER" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr
    out = soundalike("similar", query, "--max-duration", "nan", db=db, check=False)
    assert out.returncode == 2 and "not a finite number" in out.stderr
    for port in ("99999", "-1", "http"):
        out = soundalike("serve", "--port", port, db=db, check=False)
        assert out.returncode == 2 and "is not a port" in out.stderr, out.stderr
        assert "Traceback" not in out.stderr


def test_a_ticker_shows_progress_on_a_terminal_only():
    import pty

    from soundalike.engine.cli.terminal import Ticker

    master, slave = pty.openpty()
    try:
        with os.fdopen(slave, "w", closefd=False) as terminal, \
                Ticker("Laying out the map", terminal, interval=0.05, delay=0):
            seen = b""
            while b"Laying out the map... 0:0" not in seen:
                seen += os.read(master, 1024)  # blocks until the ticker draws
    finally:
        os.close(master)
        os.close(slave)
    quiet = io.StringIO()  # not a terminal: nothing at all
    with Ticker("Laying out the map", quiet, interval=0.01, delay=0):
        time.sleep(0.1)
    assert quiet.getvalue() == ""


def test_names_that_are_not_utf8_come_out_openable_in_json_and_csv(tmp_path):
    import base64
    import csv

    import soundfile as sf

    root = tmp_path / "kit"
    for family in FAMILIES:
        write_sound(root / f"{family}.wav", drum(family, seed=5), 44100)
    odd = os.fsencode(root) + b"/caf\xe9 kick.wav"  # Latin-1: not valid UTF-8
    sf.write(odd, drum("kick", seed=6), 44100, format="WAV", subtype="PCM_16")
    db = tmp_path / "latin1.db"
    soundalike("scan", str(root), "-q", db=db)

    def opened(record) -> bytes:
        raw = base64.b64decode(record["path_bytes"])
        with open(raw, "rb") as f:  # a program can open the file from the JSON alone
            f.read(4)
        return raw

    answer = json.loads(soundalike("similar", str(root / "kick.wav"), "--json", "-k", "20",
                                   db=db).stdout)
    odd_rows = [n for n in answer["neighbours"] if n["path_bytes"]]
    assert len(odd_rows) == 1 and opened(odd_rows[0]) == odd
    assert all(n["path_bytes"] is None for n in answer["neighbours"] if n not in odd_rows)
    records = json.loads(soundalike("export", "json", "-", db=db).stdout)
    assert [opened(r) for r in records if r["path_bytes"]] == [odd]
    soundalike("export", "csv", str(tmp_path / "out.csv"), db=db)
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [opened(r) for r in rows if r["path_bytes"]] == [odd]
    assert len(rows) == len(FAMILIES) + 1


#: Names that would act on a terminal if printed raw: retitle it (OSC 0), clear it (CSI 2J,
#: also as the one-byte C1 CSI), ring it, move to the line start, start a new line.
TERMINAL_NAMES = ["\x1b]0;pwned\x07 kick.wav", "\x1b[2J\x1b[H snare.wav", "\u009b2J hat.wav",
                  "two\nlines clap.wav", "back\rwards tom.wav"]
ESCAPED = [r"\x1b]0;pwned\x07 kick.wav", r"\x1b[2J\x1b[H snare.wav", r"\x9b2J hat.wav",
           r"two\nlines clap.wav", r"back\rwards tom.wav"]


def on_a_terminal(args: list[str], columns: int = 100) -> str:
    """Run soundalike with its standard output on a real pseudo-terminal ``columns`` wide;
    returns everything the terminal received."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen([sys.executable, "-m", "soundalike.engine.cli", *args],
                               stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end closed
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert process.wait(timeout=60) == 0, process.stderr.read()
    return received.decode("utf-8").replace("\r\n", "\n")


def test_names_with_control_characters_are_shown_escaped_on_a_terminal(tmp_path):
    root = tmp_path / "kit"
    for i, name in enumerate(TERMINAL_NAMES):
        write_sound(root / name, drum(FAMILIES[i], seed=i), 44100)
    (root / "\x1b[31mbroken\n.wav").write_bytes(b"RIFF1234WAVEnot really")
    db = tmp_path / "names.db"
    scan = on_a_terminal(["--db", str(db), "scan", str(root)])
    assert r"\x1b[31mbroken\n.wav: " in scan  # the failure, on one line
    k = len(TERMINAL_NAMES) - 1
    for name, escaped in zip(TERMINAL_NAMES, ESCAPED, strict=True):
        shown = on_a_terminal(["--db", str(db), "similar", str(root / name), "-k", str(k)])
        for control in ("\x1b", "\x07", "\x9b", "\r"):
            assert control not in shown
        lines = shown.rstrip("\n").split("\n")
        assert lines[0].startswith(f"Similar to {root}/{escaped} (")
        assert len(lines) == 2 + k  # heading, column titles, one line per sound
        expected = {f"{root}/{e}" for e in ESCAPED if e != escaped}
        assert {next(e for e in expected if e in row) for row in lines[2:]} == expected
        for rank, row in enumerate(lines[2:], start=1):  # every row a row of the table
            assert re.match(rf"^ *{rank}  +\d+\.\d{{3}}  +\d+\.\d\ds  ", row), row
    status = on_a_terminal(["--db", str(db), "status"])
    assert r"\x1b[31mbroken\n.wav" in status and "\x1b" not in status
    # Machine-readable output keeps the names exactly.
    answer = json.loads(soundalike("similar", str(root / TERMINAL_NAMES[0]), "--json",
                                   db=db).stdout)
    assert {n["path"] for n in answer["neighbours"]} == {str(root / n)
                                                         for n in TERMINAL_NAMES[1:]}
    records = json.loads(soundalike("export", "json", "-", db=db).stdout)
    assert str(root / "\x1b[31mbroken\n.wav") in {r["path"] for r in records}


def test_a_server_sent_sigterm_again_and_again_still_stops(small_kit, tmp_path):
    """Launchers (Node for Max's child_process) may signal twice: a signal handler that logs
    while the first is still logging must not deadlock the server."""
    db = tmp_path / "twice.db"
    soundalike("scan", str(small_kit), "-q", db=db)
    process = subprocess.Popen(
        [sys.executable, "-m", "soundalike.engine.cli", "--db", str(db), "serve", "--port", "0"],
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        while "soundalike serving" not in process.stderr.readline():
            assert process.poll() is None
        for _ in range(50):
            os.kill(process.pid, signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 0 and stderr.count("stopping (SIGTERM)") == 1
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
