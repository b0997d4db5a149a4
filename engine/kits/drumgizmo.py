"""A kit as a DrumGizmo kit: the kit XML, one XML per instrument, and a MIDI map.

DrumGizmo's format 2.0: the kit lists its audio channels (here ``left`` and ``right``) and
its instruments, each instrument file lists its samples (one here, at full power) with one
audio file per channel; the MIDI map ties General MIDI notes to instruments. A kit has one
sample rate, so samples recorded at another rate are resampled to the kit's (the most
common rate of its samples). Mono samples feed both channels. The hats share a choke group.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .instrument_files import KitSample, resample_file, xml_text

CHANNELS = ("left", "right")
HATS = ("closed hat", "open hat", "pedal hat")


def write(folder: Path, name: str, samples: list[KitSample]) -> Path:
    """Write ``folder/<name>.xml``, ``folder/instruments/*.xml`` and ``folder/midimap.xml``
    for ``samples`` (already in ``folder/samples``). Returns the kit file's path."""
    ordered = sorted(samples, key=lambda s: s.note)
    rate = Counter(s.rate for s in ordered).most_common(1)[0][0]
    for sample in ordered:
        if sample.rate != rate:
            resample_file(folder / sample.file, rate)
    (folder / "instruments").mkdir(exist_ok=True)
    names = [_instrument_name(s) for s in ordered]
    entries = []
    for sample, instrument in zip(ordered, names, strict=True):
        (folder / "instruments" / f"{instrument}.xml").write_text(
            _instrument(sample, instrument), encoding="utf-8")
        group = ' group="hihat"' if sample.role in HATS else ""
        maps = "\n".join(f'      <channelmap in="{c}" out="{c}" main="true"/>' for c in CHANNELS)
        entries.append(f'    <instrument name="{xml_text(instrument)}"{group} '
                       f'file="instruments/{xml_text(instrument)}.xml">\n{maps}\n'
                       "    </instrument>")
    kit = "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<drumkit version="2.0" name="{xml_text(name)}" samplerate="{rate}">',
        "  <metadata>",
        "    <version>1.0</version>",
        f"    <title>{xml_text(name)}</title>",
        "    <author>soundalike</author>",
        "    <license>the licenses of the samples' packs</license>",
        "    <description>made by soundalike kit: one instrument per General MIDI note"
        "</description>",
        "  </metadata>",
        "  <channels>",
        *(f'    <channel name="{c}"/>' for c in CHANNELS),
        "  </channels>",
        "  <instruments>",
        *entries,
        "  </instruments>",
        "</drumkit>",
        "",
    ])
    path = folder / f"{name}.xml"
    path.write_text(kit, encoding="utf-8")
    midimap = "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<midimap>",
        *(f'  <map note="{s.note}" instr="{xml_text(n)}"/>' for s, n in zip(ordered, names,
                                                                             strict=True)),
        "</midimap>",
        "",
    ])
    (folder / "midimap.xml").write_text(midimap, encoding="utf-8")
    return path


def _instrument_name(sample: KitSample) -> str:
    return f"{sample.note} {sample.role}"


def _instrument(sample: KitSample, name: str) -> str:
    files = "\n".join(
        f'      <audiofile channel="{channel}" file="../{xml_text(sample.file)}" '
        f'filechannel="{min(i + 1, sample.channels)}"/>'
        for i, channel in enumerate(CHANNELS))
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<instrument version="2.0" name="{xml_text(name)}">',
        "  <samples>",
        f'    <sample name="{xml_text(name)}" power="1">',
        files,
        "    </sample>",
        "  </samples>",
        "</instrument>",
        "",
    ])
