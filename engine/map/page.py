"""The library map as one self-contained HTML page (and as a PNG picture).

The page needs nothing but a browser: data and code are inline, points are drawn
on a canvas (50,000 stay smooth), hovering shows a sound's name, length and
cluster, a click selects and plays it, lists its nearest neighbours (arrow
keys step through them) and rings its cluster-mates. Points are coloured by
instrument category from one fixed palette (the same colour means the same
category in every library); the legend lists every category with its count and a
click on it hides or shows that category; a text box filters by file name and a
menu by category; the wheel zooms and a drag pans. Sounds play from ``file://`` URLs when the page is opened from disk,
or from the small local server of ``soundalike map --serve``, which also
converts formats browsers cannot play.

Over 450 lines on purpose: most of it is the page's HTML, CSS and JavaScript, kept as one
template that reads top to bottom as the browser will run it.
"""

from __future__ import annotations

import html
import json
import struct
import zlib
from dataclasses import dataclass

import numpy as np

from ..paths import display_path
from ..sound.categories import ALL_CATEGORIES

#: Browsers play these directly (Chromium and Firefox); others need --serve to convert them.
BROWSER_FORMATS = (".wav", ".mp3", ".ogg", ".oga", ".opus", ".flac")
PALETTE = [
    (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
    (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60), (250, 190, 212),
    (0, 128, 128), (220, 190, 255), (170, 110, 40), (255, 250, 200), (128, 0, 0),
    (170, 255, 195), (128, 128, 0), (255, 215, 180), (0, 0, 128), (128, 128, 128),
]

#: One colour per instrument category, the same in every library: distinct hues for the
#: categories most often side by side on a map (hats, cymbals, snares, claps, rims).
CATEGORY_COLOURS: dict[str, tuple[int, int, int]] = {
    "kick": (230, 25, 75),  # red
    "snare": (67, 99, 216),  # blue
    "clap": (245, 130, 49),  # orange
    "rim": (145, 30, 180),  # purple
    "closed hat": (255, 225, 25),  # yellow
    "open hat": (245, 245, 245),  # white
    "cymbal": (66, 212, 244),  # cyan
    "crash": (66, 212, 244),  # cyan
    "ride": (0, 128, 128),  # teal
    "other cymbal": (170, 255, 195),  # mint
    "tom": (60, 180, 75),  # green
    "shaker": (240, 50, 230),  # magenta
    "hand drum": (154, 99, 36),  # brown
    "metal percussion": (177, 156, 255),  # lavender
    "loop": (128, 0, 0),  # maroon
    "vocal": (250, 190, 212),  # pink
    "fx": (210, 245, 60),  # lime
    "tonal": (0, 0, 128),  # navy
    "other": (140, 140, 140),  # grey
}
NO_CATEGORY = (96, 96, 96)
assert set(ALL_CATEGORIES) <= set(CATEGORY_COLOURS)


@dataclass
class MapData:
    positions: np.ndarray  # (n, 2) in [0, 1]
    paths: list[bytes]
    durations: np.ndarray  # (n,) seconds
    clusters: np.ndarray  # (n,) cluster id (0: none)
    labels: dict[int, str]
    neighbours: np.ndarray  # (n, k) rows, nearest first
    categories: np.ndarray | None = None  # (n,) codes into ALL_CATEGORIES, -1: none


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def page_data(data: MapData, audio_base: str | None) -> dict:
    """The compact JSON the page reads: folders and names apart, coordinates as integers."""
    folders: dict[str, int] = {}
    folder_of, names = [], []
    for path in data.paths:
        text = display_path(path)
        folder, _, name = text.rpartition("/")
        folder_of.append(folders.setdefault(folder, len(folders)))
        names.append(name)
    cluster_ids = sorted({int(c) for c in data.clusters})
    return {
        "x": np.round(data.positions[:, 0] * 10000).astype(int).tolist(),
        "y": np.round(data.positions[:, 1] * 10000).astype(int).tolist(),
        "folder": folder_of,
        "folders": list(folders),
        "name": names,
        "ms": np.round(data.durations * 1000).astype(int).tolist(),
        "cluster": [int(c) for c in data.clusters],
        "labels": {str(c): data.labels.get(c, "") for c in cluster_ids},
        "k": int(data.neighbours.shape[1]) if data.neighbours.ndim == 2 else 0,
        "neighbours": data.neighbours.astype(int).ravel().tolist(),
        "audioBase": audio_base,
        "browserFormats": list(BROWSER_FORMATS),
        "palette": [_hex(rgb) for rgb in PALETTE],
        "category": ([] if data.categories is None
                     else [int(c) for c in data.categories]),
        "categories": list(ALL_CATEGORIES),
        "categoryColours": [_hex(CATEGORY_COLOURS[c]) for c in ALL_CATEGORIES],
        "noCategoryColour": _hex(NO_CATEGORY),
    }


def render_page(data: MapData, *, title: str = "soundalike map",
                audio_base: str | None = None) -> str:
    payload = json.dumps(page_data(data, audio_base), ensure_ascii=False, separators=(",", ":"))
    # The title first: a file may well be called __TITLE__.wav.
    return PAGE.replace("__TITLE__", html.escape(title)).replace("__DATA__", script_json(payload))


#: Inside a <script> element the HTML parser looks for "</script" and, after "<!--", for
#: "<script" too (a name holding "<!--<script>" would swallow the rest of the page). JSON may
#: spell any character as \uXXXX: these never appear raw, and JSON.parse reads them back.
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028",
                  "\u2029": "\\u2029"}


def script_json(payload: str) -> str:
    """JSON text safe inside an HTML <script> element whatever the strings in it hold (file
    names are data: ``</script``, ``<!--``, quotes and line separators included)."""
    for raw, escaped in _SCRIPT_UNSAFE.items():
        payload = payload.replace(raw, escaped)
    return payload


def point_colours(data: MapData) -> np.ndarray:
    """``(n, 3)`` colours: by category when the library has categories, else by cluster."""
    if data.categories is None:
        return np.array([PALETTE[int(c) % len(PALETTE)] for c in data.clusters],
                        dtype=np.uint8).reshape(-1, 3)
    table = np.array([CATEGORY_COLOURS[c] for c in ALL_CATEGORIES] + [NO_CATEGORY],
                     dtype=np.uint8)
    return table[np.asarray(data.categories, dtype=np.int64)]  # -1: the last row


def legend_entries(data: MapData) -> list[tuple[str, tuple[int, int, int], int]]:
    """``(name, colour, count)`` for every category on the map, commonest first."""
    if data.categories is None:
        return []
    codes, counts = np.unique(np.asarray(data.categories, dtype=np.int64), return_counts=True)
    entries = [(ALL_CATEGORIES[c] if c >= 0 else "no category",
                CATEGORY_COLOURS[ALL_CATEGORIES[c]] if c >= 0 else NO_CATEGORY, int(n))
               for c, n in zip(codes, counts, strict=True)]
    return sorted(entries, key=lambda e: -e[2])


LEGEND_WIDTH = 300


def render_png(data: MapData, width: int = 1200, height: int = 900) -> bytes:
    """A picture of the map: one dot per sound coloured by category, on a dark background,
    with the legend (colour, category, count) on the right."""
    entries = legend_entries(data)
    panel = LEGEND_WIDTH if entries else 0
    image = np.zeros((height, width + panel, 3), dtype=np.uint8)
    image[:] = (24, 24, 28)
    margin = 20
    xs = (margin + data.positions[:, 0] * (width - 2 * margin)).astype(int)
    ys = (margin + data.positions[:, 1] * (height - 2 * margin)).astype(int)
    colours = point_colours(data)
    for dx in (0, 1):
        for dy in (0, 1):
            image[np.clip(ys + dy, 0, height - 1), np.clip(xs + dx, 0, width - 1)] = colours
    if entries:
        image[:, width:] = (34, 34, 40)
        _text(image, width + 16, 20, f"{len(data.paths)} SOUNDS", (220, 220, 220))
        for k, (name, colour, count) in enumerate(entries):
            top = 56 + 30 * k
            image[top:top + 16, width + 16:width + 32] = colour
            _text(image, width + 42, top, f"{name} ({count})".upper(), (220, 220, 220))
    return _png(image)


def _png(image: np.ndarray) -> bytes:
    height, width = image.shape[:2]
    raw = b"".join(b"\x00" + image[row].tobytes() for row in range(height))

    def chunk(tag: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + tag + body
                + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b""))


#: A 3x5 pixel font for the picture's legend (no imaging library needed): rows of 3 bits.
_FONT = {
    "A": "010101111101101", "B": "110101110101110", "C": "011100100100011",
    "D": "110101101101110", "E": "111100110100111", "F": "111100110100100",
    "G": "011100101101011", "H": "101101111101101", "I": "111010010010111",
    "J": "001001001101010", "K": "101101110101101", "L": "100100100100111",
    "M": "101111111101101", "N": "110101101101101", "O": "010101101101010",
    "P": "110101110100100", "Q": "010101101110011", "R": "110101110101101",
    "S": "011100010001110", "T": "111010010010010", "U": "101101101101111",
    "V": "101101101101010", "W": "101101111111101", "X": "101101010101101",
    "Y": "101101010010010", "Z": "111001010100111", "0": "111101101101111",
    "1": "010110010010111", "2": "110001010100111", "3": "110001010001110",
    "4": "101101111001001", "5": "111100110001110", "6": "011100111101111",
    "7": "111001010010010", "8": "111101111101111", "9": "111101111001110",
    " ": "000000000000000", "(": "010100100100010", ")": "010001001001010",
    "%": "101001010100101", "-": "000000111000000", ",": "000000000010100",
    ".": "000000000000010", ":": "000010000010000",
}


def _text(image: np.ndarray, x: int, y: int, text: str, colour, scale: int = 3) -> None:
    """Draw ``text`` (upper case) with its top-left corner at ``(x, y)``."""
    for ch in text:
        glyph = _FONT.get(ch, _FONT[" "])
        for bit, on in enumerate(glyph):
            if on == "1":
                r, c = divmod(bit, 3)
                top, left = y + r * scale, x + c * scale
                image[top:top + scale, left:left + scale] = colour
        x += 4 * scale
        if x >= image.shape[1] - 4 * scale:
            break


PAGE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>__TITLE__</title>
<style>
  html, body { margin: 0; height: 100%; background: #18181c; color: #ddd;
               font: 13px system-ui, sans-serif; overflow: hidden; }
  #map { position: absolute; left: 0; top: 0; width: calc(100% - 320px); height: 100%;
         cursor: crosshair; }
  #side { position: absolute; right: 0; top: 0; width: 300px; height: 100%; padding: 10px;
          background: #222228; overflow-y: auto; }
  #filter { width: 100%; box-sizing: border-box; padding: 6px; background: #111; color: #eee;
            border: 1px solid #444; }
  #tip { position: absolute; pointer-events: none; background: #000c; padding: 4px 6px;
         border-radius: 3px; display: none; white-space: nowrap; }
  #neighbours li { cursor: pointer; padding: 2px 0; }
  #neighbours li.current { color: #fff; background: #3a3a48; }
  #message { color: #f90; margin-top: 6px; min-height: 1em; }
  h1 { font-size: 15px; margin: 0 0 8px; }
  .muted { color: #888; }
  .swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; }
  #category { width: 100%; margin-top: 6px; padding: 4px; background: #111; color: #eee;
              border: 1px solid #444; }
  #legend .entry { cursor: pointer; padding: 2px 0; user-select: none; }
  #legend .entry.off { opacity: 0.35; text-decoration: line-through; }
</style>
</head>
<body>
<canvas id="map"></canvas>
<div id="tip"></div>
<div id="side">
  <h1>__TITLE__</h1>
  <input id="filter" type="search" placeholder="filter by file name" autocomplete="off">
  <select id="category"><option value="">all categories</option></select>
  <div id="count" class="muted"></div>
  <div id="selected" class="muted">Click a sound to hear it. Arrow keys step through its
    nearest neighbours; the wheel zooms, a drag pans.</div>
  <div id="message"></div>
  <ol id="neighbours"></ol>
  <div id="legend"></div>
</div>
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
const D = JSON.parse(document.getElementById("data").textContent);
const N = D.name.length;
const canvas = document.getElementById("map");
const ctx = canvas.getContext("2d");
const tip = document.getElementById("tip");
const lower = D.name.map((s) => s.toLowerCase());
let visible = new Uint8Array(N).fill(1);
const byCategory = D.category.length === N;
const hidden = new Set();  // category codes hidden from the legend
let selected = -1, current = -1, view = { scale: 1, dx: 0, dy: 0 };
let audio = null;

function colour(i) {
  if (!byCategory) return D.palette[D.cluster[i] % D.palette.length];
  const c = D.category[i];
  return c >= 0 ? D.categoryColours[c] : D.noCategoryColour;
}
function categoryName(i) { const c = byCategory ? D.category[i] : -1; return c >= 0 ? D.categories[c] : "no category"; }
function pathOf(i) { return D.folders[D.folder[i]] + "/" + D.name[i]; }
function label(i) {
  const c = D.cluster[i];
  return (byCategory ? categoryName(i) + ", " : "") + (c ? "cluster " + c + " (" + D.labels[c] + ")" : "no cluster");
}

function size() {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = canvas.clientWidth * ratio;
  canvas.height = canvas.clientHeight * ratio;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  draw();
}
function screen(i) {
  const w = canvas.clientWidth - 40, h = canvas.clientHeight - 40, s = Math.min(w, h);
  const left = 20 + (w - s) / 2, top = 20 + (h - s) / 2;
  return [left + (D.x[i] / 10000 * s) * view.scale + view.dx, top + (D.y[i] / 10000 * s) * view.scale + view.dy];
}
function draw() {
  ctx.fillStyle = "#18181c";
  ctx.fillRect(0, 0, canvas.clientWidth, canvas.clientHeight);
  const dot = N > 20000 ? 2 : 3;
  for (let i = 0; i < N; i++) {
    if (!visible[i]) continue;
    const [x, y] = screen(i);
    ctx.fillStyle = colour(i);
    ctx.fillRect(x - dot / 2, y - dot / 2, dot, dot);
  }
  if (selected >= 0) {
    ctx.strokeStyle = "#fff8";
    ctx.lineWidth = 1;
    const cluster = D.cluster[selected];  // the selected sound's cluster, as rings
    for (let i = 0; cluster && i < N; i++) {
      if (!visible[i] || D.cluster[i] !== cluster || i === selected) continue;
      const [x, y] = screen(i);
      ctx.beginPath(); ctx.arc(x, y, 5, 0, 2 * Math.PI); ctx.stroke();
    }
    ctx.strokeStyle = "#fff";
    for (const j of neighboursOf(selected)) { const [x, y] = screen(j); ctx.strokeRect(x - 4, y - 4, 8, 8); }
    const [x, y] = screen(selected);
    ctx.beginPath(); ctx.arc(x, y, 7, 0, 2 * Math.PI); ctx.lineWidth = 2; ctx.stroke();
  }
}
function nearest(mx, my) {
  let best = -1, bestD = 100;
  for (let i = 0; i < N; i++) {
    if (!visible[i]) continue;
    const [x, y] = screen(i);
    const d = (x - mx) * (x - mx) + (y - my) * (y - my);
    if (d < bestD) { bestD = d; best = i; }
  }
  return best;
}
function neighboursOf(i) {
  const out = [];
  for (let j = 0; j < D.k; j++) { const n = D.neighbours[i * D.k + j]; if (n >= 0) out.push(n); }
  return out;
}
function play(i) {
  const message = document.getElementById("message");
  message.textContent = "";
  const path = pathOf(i);
  const dot = path.lastIndexOf(".");
  const ext = dot >= 0 ? path.slice(dot).toLowerCase() : "";
  if (!D.audioBase && D.browserFormats.indexOf(ext) < 0) {
    message.textContent = "Your browser cannot play " + ext + " files from a page on disk: run soundalike map --serve to hear them.";
    return;
  }
  const url = D.audioBase ? D.audioBase + i : "file://" + path.split("/").map(encodeURIComponent).join("/");
  if (audio) audio.pause();
  audio = new Audio(url);
  audio.onerror = () => { message.textContent = "Cannot play " + D.name[i] + " here" + (D.audioBase ? "." : ": open the page with soundalike map --serve."); };
  const started = audio.play();
  if (started && started.catch) started.catch(() => {});
}
function select(i, andPlay) {
  selected = i; current = -1;
  const info = document.getElementById("selected");
  const list = document.getElementById("neighbours");
  list.innerHTML = "";
  if (i < 0) { info.textContent = ""; draw(); return; }
  info.innerHTML = "";
  const strong = document.createElement("strong"); strong.textContent = D.name[i];
  info.append(strong, document.createElement("br"), (D.ms[i] / 1000).toFixed(2) + " s, " + label(i));
  neighboursOf(i).forEach((j, rank) => {
    const item = document.createElement("li");
    item.textContent = D.name[j];
    item.title = pathOf(j);
    item.dataset.index = j;
    item.onclick = () => { current = rank; mark(); play(j); };
    list.append(item);
  });
  if (andPlay) play(i);
  draw();
}
function mark() {
  const items = document.querySelectorAll("#neighbours li");
  items.forEach((item, k) => item.classList.toggle("current", k === current));
}
function applyFilter() {
  const text = document.getElementById("filter").value.trim().toLowerCase();
  const only = document.getElementById("category").value;
  let count = 0;
  for (let i = 0; i < N; i++) {
    const c = byCategory ? D.category[i] : -1;
    visible[i] = (!text || lower[i].indexOf(text) >= 0) && (only === "" || String(c) === only)
      && !hidden.has(c) ? 1 : 0;
    count += visible[i];
  }
  document.getElementById("count").textContent = count + " of " + N + " sounds";
  draw();
}
function legend() {
  const box = document.getElementById("legend");
  if (!byCategory) {  // a library without categories: its largest clusters
    const counts = {};
    D.cluster.forEach((c) => { counts[c] = (counts[c] || 0) + 1; });
    const top = Object.keys(counts).sort((a, b) => counts[b] - counts[a]).slice(0, 20);
    box.innerHTML = "<h1>Largest clusters</h1>";
    for (const c of top) {
      const row = document.createElement("div");
      const sw = document.createElement("span"); sw.className = "swatch"; sw.style.background = D.palette[c % D.palette.length];
      row.append(sw, (c === "0" ? "no cluster" : c + " " + (D.labels[c] || "")) + " (" + counts[c] + ")");
      box.append(row);
    }
    document.getElementById("category").style.display = "none";
    return;
  }
  const counts = new Map();
  D.category.forEach((c) => counts.set(c, (counts.get(c) || 0) + 1));
  const codes = Array.from(counts.keys()).sort((a, b) => counts.get(b) - counts.get(a));
  box.innerHTML = "<h1>Categories</h1><div class=\"muted\">click to hide or show</div>";
  const menu = document.getElementById("category");
  for (const c of codes) {
    const name = c >= 0 ? D.categories[c] : "no category";
    const row = document.createElement("div");
    row.className = "entry"; row.dataset.category = name;
    const sw = document.createElement("span"); sw.className = "swatch";
    sw.style.background = c >= 0 ? D.categoryColours[c] : D.noCategoryColour;
    row.append(sw, name + " (" + counts.get(c) + ")");
    row.onclick = () => {
      if (hidden.has(c)) hidden.delete(c); else hidden.add(c);
      row.classList.toggle("off", hidden.has(c));
      applyFilter();
    };
    box.append(row);
    const option = document.createElement("option");
    option.value = String(c); option.textContent = name + " (" + counts.get(c) + ")";
    menu.append(option);
  }
}
canvas.addEventListener("mousemove", (e) => {
  if (drag) { view.dx += e.offsetX - drag[0]; view.dy += e.offsetY - drag[1]; drag = [e.offsetX, e.offsetY]; moved = true; draw(); return; }
  const i = nearest(e.offsetX, e.offsetY);
  if (i < 0) { tip.style.display = "none"; return; }
  tip.textContent = D.name[i] + " · " + (D.ms[i] / 1000).toFixed(2) + " s · " + label(i);
  tip.style.left = (e.clientX + 12) + "px"; tip.style.top = (e.clientY + 12) + "px";
  tip.style.display = "block";
});
let drag = null, moved = false;
canvas.addEventListener("mousedown", (e) => { drag = [e.offsetX, e.offsetY]; moved = false; });
window.addEventListener("mouseup", () => { drag = null; });
canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });
canvas.addEventListener("click", (e) => { if (moved) return; select(nearest(e.offsetX, e.offsetY), true); });
canvas.addEventListener("wheel", (e) => {
  e.preventDefault();
  const factor = e.deltaY < 0 ? 1.2 : 1 / 1.2;
  view.dx = e.offsetX - (e.offsetX - view.dx) * factor; view.dy = e.offsetY - (e.offsetY - view.dy) * factor;
  view.scale *= factor; draw();
}, { passive: false });
window.addEventListener("keydown", (e) => {
  if (e.target.id === "filter" || selected < 0) return;
  const list = neighboursOf(selected);
  if (e.key === "ArrowDown" || e.key === "ArrowUp") {
    e.preventDefault();
    current = Math.max(0, Math.min(list.length - 1, current + (e.key === "ArrowDown" ? 1 : -1)));
    mark(); play(list[current]);
  } else if (e.key === "Enter" || e.key === " ") {
    e.preventDefault(); play(current >= 0 ? list[current] : selected);
  } else if (e.key === "Escape") { select(-1, false); }
});
document.getElementById("filter").addEventListener("input", applyFilter);
document.getElementById("category").addEventListener("change", applyFilter);
window.addEventListener("resize", size);
window.soundalikeMap = { points: () => N, visible: () => visible.reduce((a, b) => a + b, 0),
                         screen: screen, selected: () => selected, neighbours: neighboursOf };
legend();
applyFilter();
size();
</script>
</body>
</html>
"""
