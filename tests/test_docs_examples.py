"""Every shell example in README.md, docs/ and max_for_live/README.md runs here.

The fenced ``sh`` blocks are extracted from the documents and run with bash against a
generated sample library, with its paths and free ports put in place of the examples' own
(``/usr/share/hydrogen/data/drumkits`` and ``~/Samples`` become the generated folder,
``/path/to/kick.wav`` one of its kicks, ports 9000/9001 free ports). ``HOME`` is a temporary
folder, so nothing is written outside it. What cannot run inside a test is replaced, and said
here:

- ``python3 -m venv .venv && .venv/bin/pip install ...``: the environment running this test
  (``.ci/run`` performs exactly those install steps before the tests); ``.venv`` is a link to it.
- ``python -m pytest``: collected, not run (a test cannot run the suite it belongs to).
- ``python training/*.py``: about 10 minutes on data sets a test cannot download; each script
  is run with ``--help`` and every option the example gives must be one it takes.
- ``soundalike serve`` without ``--port`` is given free ports (another program may hold 9000),
  and so is a Dask scheduler on its usual port 8786 (docs/scale.md).
- a command that keeps running (``soundalike serve``, ``oscdump``) is stopped when the
  example's effect has been seen (a server answering a ping; the reply dumped); the request
  after ``oscdump ... &`` waits until oscdump listens (a person types slower than it starts).

A new block that none of these rules can run fails :func:`test_every_block_is_run`.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import write_drum

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
             ROOT / "max_for_live" / "README.md"]
VENV_BIN = Path(sys.executable).parent


def shell_blocks(path: Path) -> list[tuple[int, str]]:
    """``(line, text)`` of every fenced ``sh`` block of a Markdown file."""
    blocks, current, start = [], None, 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if current is None and re.fullmatch(r"```(sh|bash|shell|console)\s*", line):
            current, start = [], number
        elif current is not None and line.strip() == "```":
            blocks.append((start, "\n".join(current)))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


ALL_BLOCKS = [(doc, line, text) for doc in DOCUMENTS for line, text in shell_blocks(doc)]


def block_id(item) -> str:
    doc, line, _ = item
    return f"{doc.relative_to(ROOT)}:{line}"


def kind_of(text: str) -> str:
    if "training/" in text:
        return "training"
    if "-m pytest" in text:
        return "tests"
    if "oscsend" in text:
        return "osc"
    if re.search(r"^\s*soundalike serve\b", text, re.MULTILINE):
        return "serve"
    return "plain"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A home folder with ``~/Samples`` (a generated library, scanned into ``$SOUNDALIKE_DB``)
    and ``.venv`` linking to the running environment."""
    home = tmp_path_factory.mktemp("home")
    samples = home / "Samples"
    # fixed seeds (``hash`` of a string changes with every process): with some draws two
    # generated hits were near-copies, and the examples' copies-left-out answers came up short
    for p, pack in enumerate(("Pack A", "Pack B")):
        for i, family in enumerate(("kick", "snare", "hat", "clap", "tom", "bell")):
            write_drum(samples / pack / f"{family} {i}.wav", family, seed=100 * p + i)
    (home / ".venv").symlink_to(VENV_BIN.parent)
    env = dict(os.environ, HOME=str(home), SOUNDALIKE_DB=str(home / "index" / "library.db"),
               SOUNDALIKE_CACHE=str(home / "cache"),
               PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    subprocess.run([str(VENV_BIN / "soundalike"), "scan", "-q", str(samples)], env=env,
                   check=True, timeout=300)
    return home, samples, env


def substitute(text: str, home: Path, samples: Path, ports: dict[str, int]) -> str:
    text = re.sub(r"python3 -m venv \.venv && \.venv/bin/pip install [^&]*&& ", "", text)
    text = re.sub(r"\.venv/bin/pip install [^&]*&& ", "", text)
    text = text.replace("/usr/share/hydrogen/data/drumkits", str(samples))
    text = text.replace("/path/to/kick.wav", str(samples / "Pack A" / "kick 0.wav"))
    for old, new in ports.items():
        text = re.sub(rf"\b{old}\b", str(new), text)
    # a server on the default ports could meet another program's on a test machine
    return re.sub(r"^(\s*soundalike serve)(?!.*--port)",
                  rf"\1 --port {ports['9000']} --reply-port {ports['9001']}", text,
                  flags=re.MULTILINE)


def run(script: str, home: Path, env: dict, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=home, env=env,
                          capture_output=True, text=True, timeout=timeout)


def ping(port: int, timeout: float = 60.0) -> bool:
    """Whether a soundalike server answers ``/soundalike/ping`` on ``port`` (python-osc)."""
    from pythonosc.osc_message import OscMessage
    from pythonosc.osc_message_builder import OscMessageBuilder

    builder = OscMessageBuilder("/soundalike/ping")
    for value in (1, "reply_port", 0):
        builder.add_arg(value)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(0.5)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sock.sendto(builder.build().dgram, ("127.0.0.1", port))
            try:
                data, _ = sock.recvfrom(65536)
            except (TimeoutError, ConnectionRefusedError):
                continue
            return OscMessage(data).address == "/soundalike/ping/done"
    return False


def listening(port: int) -> str:
    """A shell line that waits until a program listens on UDP ``port`` (binding it fails)."""
    probe = (f"import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM)"
             f".bind(('127.0.0.1', {port}))")
    return f'until ! {shlex.quote(sys.executable)} -c "{probe}" 2>/dev/null; do sleep 0.05; done'


def stop(process: subprocess.Popen) -> str:
    os.killpg(process.pid, signal.SIGTERM)
    out, _ = process.communicate(timeout=20)
    return out


def test_every_block_is_run():
    """The documents hold shell examples, and each is of a kind this file knows how to run."""
    assert len(ALL_BLOCKS) >= 5
    kinds = {block_id(b): kind_of(b[2]) for b in ALL_BLOCKS}
    assert {"training", "tests", "osc", "serve", "plain"} <= set(kinds.values()), kinds


@pytest.mark.parametrize("item", ALL_BLOCKS, ids=block_id)
def test_example_runs(item, world):
    doc, line, text = item
    home, samples, env = world
    kind = kind_of(text)
    where = f"{doc.relative_to(ROOT)}:{line}"
    if kind == "training":
        check_training(text, where)
        return
    if kind == "osc" and not (shutil.which("oscsend") and shutil.which("oscdump")):
        pytest.skip("install liblo-tools (oscsend, oscdump)")
    ports = {"9000": free_port(), "9001": free_port(), "8786": free_port()}
    script = substitute(text, home, samples, ports)
    if kind == "tests":
        script = script.replace("-m pytest", "-m pytest --collect-only -q")
        result = run(script, ROOT, env)
        assert result.returncode == 0, f"{where}:\n{script}\n{result.stdout}{result.stderr}"
        assert " tests collected" in result.stdout or "test_" in result.stdout
        return
    if kind == "plain":
        result = run(script, home, env)
        assert result.returncode == 0, f"{where}:\n{script}\n{result.stdout}{result.stderr}"
        if "similar" in script:  # the README's first example ends with 8 neighbours
            assert len(re.findall(r"^\s*\d+\s", result.stdout, re.MULTILINE)) >= 8, result.stdout
        return
    if kind == "serve":
        process = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script], cwd=home,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, start_new_session=True)
        try:
            assert ping(ports["9000"]), f"{where}: no server answered on port 9000's stand-in"
        finally:
            out = stop(process)
        assert "soundalike serving" in out, out
        return
    # osc: the server the README's section is about, then the example itself
    server = subprocess.Popen(
        [str(VENV_BIN / "soundalike"), "serve", "--port", str(ports["9000"]),
         "--reply-port", str(ports["9001"])], env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        assert ping(ports["9000"])
        # oscdump buffers its output when it is not a terminal: -L flushes every line
        script = script.replace("oscdump ", "oscdump -L ")
        # and the request waits until oscdump listens (a reply sent before is lost)
        script = re.sub(r"^(oscdump .*&)$", rf"\1\n{listening(ports['9001'])}", script,
                        flags=re.MULTILINE)
        result = run(f"{script}\nsleep 2\nkill %1\n", home, env, timeout=60)
    finally:
        stop(server)
    assert result.returncode == 0, f"{where}:\n{script}\n{result.stdout}{result.stderr}"
    assert "/soundalike/similar/done" in result.stdout, result.stdout + result.stderr
    done = re.search(r"/soundalike/similar/done ii 1 (\d+)", result.stdout)
    assert done and int(done.group(1)) == 11, result.stdout  # the other 11 sounds of 12
    assert len(re.findall(r"/soundalike/similar/result", result.stdout)) == 11, result.stdout


def check_training(text: str, where: str) -> None:
    """Each ``python training/X.py`` line: the script exists and takes every option given."""
    commands = [shlex.split(c) for c in text.replace("\\\n", " ").splitlines()
                if c.strip().startswith("python training/")]
    assert commands, where
    for words in commands:
        script = ROOT / words[1]
        assert script.is_file(), f"{where}: {words[1]} does not exist"
        help_text = subprocess.run([sys.executable, str(script), "--help"], capture_output=True,
                                   text=True, timeout=120, cwd=ROOT)
        assert help_text.returncode == 0, f"{where}: {words[1]} --help: {help_text.stderr}"
        for option in (w for w in words[2:] if w.startswith("--")):
            assert re.search(rf"{re.escape(option)}\b", help_text.stdout), (
                f"{where}: {words[1]} does not take {option}")
