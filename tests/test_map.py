"""The library map, in a real headless Chromium."""

from __future__ import annotations

import os
import shutil
import threading
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from soundalike.engine import Library
from soundalike.engine.map.page import render_page, render_png
from soundalike.engine.map.server import make_server
from tests.conftest import write_sound
from tests.synth import FAMILIES, drum


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    base = tmp_path_factory.mktemp("map")
    root = base / "samples"
    for family in FAMILIES:
        for m in range(6):
            write_sound(root / f"Pack {m % 2}" / f"{family} {m}.wav", drum(family, seed=m + 40),
                        44100)
    write_sound(root / "Pack 1" / "snare aiff.aiff", drum("snare", seed=99), 44100, fmt="AIFF")
    db = base / "map.db"
    with Library(db) as library:
        library.scan([root], jobs=1)
        data = library.map_data()
    return base, root, db, data


@pytest.fixture(scope="module")
def browser():
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        pytest.skip("needs a headless browser: install chromium chromium-driver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,800",
                 "--autoplay-policy=no-user-gesture-required"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    yield driver
    driver.quit()


def click_point(driver, index: int) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    canvas = driver.find_element(By.ID, "map")
    x, y = driver.execute_script(f"return window.soundalikeMap.screen({index});")
    width, height = canvas.size["width"], canvas.size["height"]
    ActionChains(driver).move_to_element_with_offset(canvas, x - width / 2,
                                                     y - height / 2).click().perform()


def severe(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def test_the_page_in_chromium(mapped, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base, root, db, data = mapped
    page = tmp_path / "map.html"
    page.write_text(render_page(data), encoding="utf-8")
    browser.get(page.as_uri())
    n = len(data.paths)
    assert browser.execute_script("return window.soundalikeMap.points();") == n == 37
    assert severe(browser) == []

    click_point(browser, 5)
    assert browser.execute_script("return window.soundalikeMap.selected();") == 5
    items = browser.find_elements(By.CSS_SELECTOR, "#neighbours li")
    assert len(items) == 8
    assert items[0].text == Path(data.paths[int(data.neighbours[5][0])].decode()).name
    assert Path(data.paths[5].decode()).name in browser.find_element(By.ID, "selected").text

    filter_box = browser.find_element(By.ID, "filter")
    filter_box.send_keys("snare")
    visible = browser.execute_script("return window.soundalikeMap.visible();")
    assert visible == 7
    assert browser.find_element(By.ID, "count").text == f"7 of {n} sounds"

    aiff = next(i for i, p in enumerate(data.paths) if p.endswith(b".aiff"))
    click_point(browser, aiff)
    assert "cannot play .aiff" in browser.find_element(By.ID, "message").text
    browser.save_screenshot(str(tmp_path / "map.png"))
    assert (tmp_path / "map.png").stat().st_size > 10_000
    assert severe(browser) == []


def test_serve_mode_plays_every_format(mapped, browser):
    base, root, db, data = mapped
    server = make_server(data, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        browser.get(url)
        assert browser.execute_script("return window.soundalikeMap.points();") == len(data.paths)
        aiff = next(i for i, p in enumerate(data.paths) if p.endswith(b".aiff"))
        with urllib.request.urlopen(f"{url}audio/{aiff}") as response:
            assert response.headers["Content-Type"] == "audio/wav"
            assert response.read(4) == b"RIFF"  # AIFF converted for the browser
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{url}audio/99999")
        click_point(browser, aiff)
        assert browser.find_element("id", "message").text == ""
        assert severe(browser) == []
    finally:
        server.shutdown()
        server.server_close()


def test_the_layout_survives_a_small_rescan(mapped, tmp_path):
    base, root, db, data = mapped
    with Library(db) as library:
        before = {p: tuple(xy) for p, xy in zip(data.paths, data.positions, strict=True)}
        write_sound(root / "Pack 0" / "hat new.wav", drum("hat", seed=300), 44100)
        library.scan(jobs=1)
        steps: list[str] = []
        after = library.map_data(progress=steps.append)
    assert steps == [f"placing {len(data.paths) + 1} sounds on the map (1 new)",
                     "finding each sound's nearest neighbours"]
    moved = [np.hypot(*(np.array(before[p]) - xy)) for p, xy in zip(after.paths, after.positions,
                                                                     strict=True) if p in before]
    assert max(moved) < 0.02  # the old sounds stay where they were
    assert len(after.paths) == len(data.paths) + 1


def test_png_picture(mapped):
    png = render_png(mapped[3])
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000


def test_legend_one_entry_per_category_click_hides_it(mapped, browser, tmp_path):
    from collections import Counter

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from soundalike.engine.map.page import CATEGORY_COLOURS
    from soundalike.engine.sound.categories import ALL_CATEGORIES

    base, root, db, data = mapped
    assert data.categories is not None
    counts = Counter(ALL_CATEGORIES[c] for c in data.categories)
    page = tmp_path / "map.html"
    page.write_text(render_page(data), encoding="utf-8")
    browser.get(page.as_uri())
    n = len(data.paths)
    entries = browser.find_elements(By.CSS_SELECTOR, "#legend .entry")
    shown = {e.get_attribute("data-category"): e.text for e in entries}
    assert set(shown) == set(counts)  # one entry per category on the map, no more
    for name, count in counts.items():
        assert shown[name] == f"{name} ({count})"
    # Same colour, same category: the swatch is the fixed palette's colour.
    first = entries[0]
    swatch = first.find_element(By.CSS_SELECTOR, ".swatch")
    swatch = swatch.value_of_css_property("background-color")
    r, g, b = CATEGORY_COLOURS[first.get_attribute("data-category")]
    assert swatch in (f"rgba({r}, {g}, {b}, 1)", f"rgb({r}, {g}, {b})")

    name, count = counts.most_common(1)[0]
    entry = next(e for e in entries if e.get_attribute("data-category") == name)
    entry.click()
    assert browser.execute_script("return window.soundalikeMap.visible();") == n - count
    assert "off" in entry.get_attribute("class")
    assert browser.find_element(By.ID, "count").text == f"{n - count} of {n} sounds"
    browser.save_screenshot(str(tmp_path / "hidden.png"))
    entry.click()
    assert browser.execute_script("return window.soundalikeMap.visible();") == n

    menu = Select(browser.find_element(By.ID, "category"))
    menu.select_by_value(str(ALL_CATEGORIES.index(name)))
    assert browser.execute_script("return window.soundalikeMap.visible();") == count
    menu.select_by_value("")
    assert browser.execute_script("return window.soundalikeMap.visible();") == n
    assert severe(browser) == []
    shots = os.environ.get("SOUNDALIKE_SCREENSHOTS")
    if shots:  # for people: what the map looks like with one category hidden
        Path(shots).mkdir(parents=True, exist_ok=True)
        shutil.copy(tmp_path / "hidden.png", Path(shots) / "map-category-hidden.png")


def test_png_picture_has_a_legend(mapped):
    import struct
    import zlib

    from soundalike.engine.map.page import LEGEND_WIDTH, legend_entries

    data = mapped[3]
    png = render_png(data, width=600, height=400)
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (600 + LEGEND_WIDTH, 400)
    idat = png[png.index(b"IDAT") + 4:png.index(b"IEND") - 8]
    rows = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(height, -1)
    image = rows[:, 1:].reshape(height, width, 3)  # filter byte 0 on every row
    legend = image[:, 600:].reshape(-1, 3)
    entries = legend_entries(data)
    assert entries and sum(count for _, _, count in entries) == len(data.paths)
    for _, colour, _ in entries:  # every category's swatch is drawn
        assert (legend == colour).all(axis=1).sum() >= 16 * 16
    text = np.array((220, 220, 220), dtype=np.uint8)
    assert (legend == text).all(axis=1).sum() > 500  # and its words


#: File names that are code somewhere: HTML comments and script tags, quotes, entities,
#: JavaScript's line separators, the page template's own placeholders, control characters.
HOSTILE_NAMES = [
    "<!--<script>kick.wav",
    "</script><script>document.body.innerHTML='pwned'</script> snare.wav",  # in 3 folders
    "\"quote' & <b>bold</b> &amp; hat.wav",
    "line\u2028separator\u2029 clap.wav",
    "__TITLE__ __DATA__ tom.wav",
    "back\\slash ${x} `tick` bell.wav",
    "new\nline\x1b[2J kick.wav",
]


def test_names_that_look_like_code_are_shown_as_names(browser, tmp_path):
    from selenium.webdriver.common.by import By

    root = tmp_path / "samples"
    for i, name in enumerate(HOSTILE_NAMES):
        family = FAMILIES[i % len(FAMILIES)]
        write_sound(root / name, drum(family, seed=i), 44100)
    for i, family in enumerate(FAMILIES):
        write_sound(root / f"plain {family}.wav", drum(family, seed=50 + i), 44100)
    with Library(tmp_path / "hostile.db") as library:
        report = library.scan([root], jobs=1)
        assert report.failed == 0 and report.new == len(HOSTILE_NAMES) + len(FAMILIES)
        data = library.map_data()
    page = tmp_path / "map.html"
    page.write_text(render_page(data), encoding="utf-8")
    browser.get(page.as_uri())
    n = len(data.paths)
    assert browser.execute_script("return window.soundalikeMap.points();") == n
    names = browser.execute_script("return D.name.map((_, i) => pathOf(i));")
    assert names == [os.fsdecode(p) for p in data.paths]  # exact, in the page's order
    assert sorted(os.path.relpath(p, root) for p in names) == sorted(
        HOSTILE_NAMES + [f"plain {f}.wav" for f in FAMILIES])
    assert browser.find_element(By.TAG_NAME, "h1").text == "soundalike map"
    assert "pwned" not in browser.find_element(By.TAG_NAME, "body").text
    for name in HOSTILE_NAMES[:3]:
        index = names.index(str(root / name))
        click_point(browser, index)
        assert browser.execute_script("return window.soundalikeMap.selected();") == index
        assert os.path.basename(name) in browser.find_element(By.ID, "selected").text
    filter_box = browser.find_element(By.ID, "filter")
    filter_box.send_keys("<!--")
    assert browser.execute_script("return window.soundalikeMap.visible();") == 1
    assert [e for e in severe(browser) if "Failed to load resource" not in e] == []


def raw_request(port: int, request_line: bytes, host: bytes | None) -> tuple[int, bytes]:
    """One real HTTP request written byte for byte (any path, any Host header or none)."""
    import socket

    headers = b"" if host is None else b"Host: " + host + b"\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request_line + b"\r\n" + headers + b"Connection: close\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    status_line, _, rest = received.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


def test_map_server_answers_only_this_computer_by_name(mapped, capfd):
    data = mapped[3]
    server = make_server(data, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    try:
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}",
                     f"[::1]:{port}", "localhost", "127.0.0.1"):
            status, body = raw_request(port, b"GET / HTTP/1.1", host.encode())
            assert status == 200 and b"soundalikeMap" in body, host
            status, body = raw_request(port, b"GET /audio/0 HTTP/1.1", host.encode())
            assert status == 200 and body.startswith(b"RIFF"), host
        # DNS rebinding: a page on another name that resolves to 127.0.0.1.
        for host in (f"evil.example:{port}", "evil.example", f"127.0.0.1.evil.example:{port}",
                     f"localhost.evil.example:{port}", f"localhost:{port + 1}",
                     f"[::1]x:{port}", f"localhost:{port}:{port}", "", "127.0.0.2"):
            for path in (b"/", b"/audio/0", b"/favicon.ico"):
                status, body = raw_request(port, b"GET " + path + b" HTTP/1.1", host.encode())
                assert status == 403 and b"RIFF" not in body and b"samples" not in body, host
        status, _ = raw_request(port, b"GET / HTTP/1.0", None)  # no Host header at all
        assert status == 403
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:  # a real client
            assert response.status == 200
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err


def test_map_server_malformed_paths_are_404_never_a_traceback(mapped, capfd):
    data = mapped[3]
    server = make_server(data, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    host = f"127.0.0.1:{port}".encode()
    try:
        for path in ("/audio/²".encode(), b"/audio/%C2%B2", b"/audio/\xb2", b"/audio/\xff\xfe",
                     b"/audio/-1", b"/audio/1e3", b"/audio/", b"/audio/ 1", b"/audio/0x1",
                     b"/audio/" + b"9" * 40, b"/audio/99999", b"/audio/1/../../../etc/passwd",
                     b"/../../etc/passwd", b"/%2e%2e/etc/passwd", b"/\x00", b"//evil.example/",
                     b"/audio/\xd9\xa3", b"/index.html/x", b"http://[bad/", b"/%"):
            status, body = raw_request(port, b"GET " + path + b" HTTP/1.1", host)
            assert status in (400, 404), (path, status)
            assert b"root:" not in body
        status, body = raw_request(port, b"GET /audio/1?x=1 HTTP/1.1", host)  # a query is fine
        assert status == 200 and body.startswith(b"RIFF")
        status, _ = raw_request(port, b"GET / HTTP/1.1", host)  # and the server carries on
        assert status == 200
    finally:
        server.shutdown()
        server.server_close()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "Exception" not in err
