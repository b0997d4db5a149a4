"""Pictures of the Pd patches for the docs, from real Pd (with its GUI) under Xvfb.

    python max_for_live/pd/screenshots.py --db LIBRARY.db --gui PD-GUI.tcl

writes docs/pd-sampler.png (the sampler after *kit* around a snare) and docs/pd-listen.png
(the [soundalike.listen~] help patch after its synthetic kick was played and *similar* asked).
It starts ``soundalike serve`` on port 9000 (the help patch's default) for the index given,
so that port must be free. Needs Xvfb, xwd (x11-apps), ImageMagick's convert and Pd's GUI
(``pd-gui.tcl``: the puredata-gui package, or its files extracted with ``apt-get download``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
from make_patches import PATCHES, listen_help  # noqa: E402

PORT = 9000  # the help patches' default


def free_display() -> int:
    for number in range(90, 200):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(
                f"/tmp/.X{number}-lock").exists():
            return number
    raise SystemExit("no free X display number")


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def shoot(display: str, gui: Path, folder: Path, patches: list[Path], out: Path,
          crop: str, wait: float) -> None:
    """Open ``patches`` in Pd with its GUI, wait, take the screen, crop it to ``crop``."""
    config = folder / "config" / "org.puredata.pd.pd-gui"
    config.mkdir(parents=True, exist_ok=True)
    (config / "docspath.conf").write_text("DISABLED\n")  # no "create a folder?" dialog
    args = ["wish", str(gui), "-pdarg", "-noprefs", "-pdarg", "-path", "-pdarg", str(folder)]
    for patch in patches:
        args += ["-open", str(patch)]
    env = dict(os.environ, DISPLAY=display, PD_CONFIG_DIR=str(folder / "config"))
    pd = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                          start_new_session=True)
    try:
        time.sleep(wait)
        screen = subprocess.run(["xwd", "-root", "-silent"], env=env, check=True,
                                capture_output=True).stdout
        subprocess.run(["convert", "xwd:-", "-crop", crop, "+repage", str(out)], input=screen,
                       check=True)
    finally:
        os.killpg(pd.pid, 15)
        pd.wait(10)
    print(f"wrote {out}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a scanned soundalike index")
    parser.add_argument("--gui", required=True, type=Path, help="Pd's pd-gui.tcl")
    parser.add_argument("--snare", help="the sampler picture's query (default: a snare of the "
                        "library)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    for tool in ("Xvfb", "xwd", "convert", "wish"):
        if not shutil.which(tool):
            raise SystemExit(f"needs {tool}: apt-get install xvfb x11-apps imagemagick tk")
    if not port_free(PORT):
        raise SystemExit(f"port {PORT} is in use: the help patch's server needs it")
    snare = args.snare
    if snare is None:
        out = subprocess.run([sys.executable, "-m", "soundalike.engine.cli", "--db", args.db,
                              "export", "csv", "-"], capture_output=True, text=True, check=True)
        snare = next(line.split(",")[0] for line in out.stdout.splitlines()[1:]
                     if "snare" in line.lower() and " " not in line.split(",")[0])
    number = free_display()
    xvfb = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1400x1400x24"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = subprocess.Popen([sys.executable, "-m", "soundalike.engine.cli", "--db", args.db,
                               "serve", "--port", str(PORT), "--reply-port", "0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(5)
        with tempfile.TemporaryDirectory() as scratch:
            folder = Path(scratch)
            for name, build in PATCHES.items():
                (folder / name).write_text(build().render(), encoding="utf-8")
            # the sampler after "kit" around a snare
            driver = folder / "sampler-picture.pd"
            driver.write_text(
                "#N canvas 0 0 930 520 12;\n"
                f"#X obj 10 120 soundalike.sampler localhost {PORT};\n"
                "#X obj 400 10 loadbang;\n#X obj 500 10 delay 2000;\n"
                f"#X msg 10 10 open {snare} \\, kit;\n"
                "#X connect 1 0 2 0;\n#X connect 2 0 3 0;\n#X connect 3 0 0 0;\n",
                encoding="utf-8")
            shoot(f":{number}", args.gui, folder, [driver], args.out / "pd-sampler.png",
                  "904x356+8+153", 10)
            # the listen~ help after its kick played and "similar" was asked: boxes added at
            # x 2000 (outside its window) press its "kick" and "similar" messages
            help_patch = listen_help()
            kick = next(b.index for b in help_patch.boxes if b.kind == "msg" and b.body == "kick")
            ask = next(b.index for b in help_patch.boxes
                       if b.kind == "msg" and b.body == "similar")
            first = len(help_patch.boxes)
            canvas = "pd-soundalike.listen~-help.pd"
            presser = folder / "press.pd"
            presser.write_text(
                "#N canvas 1100 900 200 100 12;\n"
                "#X obj 10 10 loadbang;\n#X obj 10 40 delay 1500;\n"
                f"#X msg 10 70 \\; {canvas} obj 2000 10 r shot-kick \\; "
                f"{canvas} obj 2000 40 r shot-ask \\; "
                f"{canvas} connect {first} 0 {kick} 0 \\; "
                f"{canvas} connect {first + 1} 0 {ask} 0 \\; pd dsp 1;\n"
                "#X obj 100 40 delay 2500;\n#X msg 100 70 \\; shot-kick bang;\n"
                "#X obj 190 40 delay 3500;\n#X msg 190 70 \\; shot-ask bang;\n"
                # then the cords it drew go again (the boxes stay, outside the window)
                "#X obj 280 40 delay 3600;\n"
                f"#X msg 280 70 \\; {canvas} disconnect {first} 0 {kick} 0 \\; "
                f"{canvas} disconnect {first + 1} 0 {ask} 0;\n"
                "#X connect 0 0 1 0;\n#X connect 1 0 2 0;\n#X connect 0 0 3 0;\n"
                "#X connect 3 0 4 0;\n#X connect 0 0 5 0;\n#X connect 5 0 6 0;\n"
                "#X connect 0 0 7 0;\n#X connect 7 0 8 0;\n",
                encoding="utf-8")
            shoot(f":{number}", args.gui, folder, [folder / "soundalike.listen~-help.pd",
                                                   presser], args.out / "pd-listen.png",
                  f"{help_patch.width}x{help_patch.height + 30}+40+40", 12)
    finally:
        server.terminate()
        server.wait(10)
        xvfb.terminate()
        xvfb.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
