"""A kit as a Hydrogen drumkit: ``drumkit.xml`` with the samples beside it.

Written to the schema Hydrogen 1.2 validates drumkits with (``data/xsd/drumkit.xsd``): one
instrument per pad in note order, each with one layer (its sample, for every velocity). Each
instrument's ``midiOutNote`` is its General MIDI note; Hydrogen maps incoming notes by that
note when "use output note as input note" is on (Preferences, MIDI), else instrument *n*
answers note 36 + *n*. The hats share a mute group, so a closed hat chokes an open one.
"""

from __future__ import annotations

from pathlib import Path

from .instrument_files import KitSample, xml_text

NAMESPACE = "http://www.hydrogen-music.org/drumkit"
#: Hydrogen's "mute group": hats choke each other as on a real hi-hat.
HAT_GROUP = 1
HATS = ("closed hat", "open hat", "pedal hat")


def write(folder: Path, name: str, samples: list[KitSample]) -> Path:
    """Write ``folder/drumkit.xml`` for ``samples`` (already beside it). Returns its path."""
    instruments = [_instrument(i, s) for i, s in enumerate(sorted(samples, key=lambda s: s.note))]
    text = "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<drumkit_info xmlns="{NAMESPACE}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        f" <name>{xml_text(name)}</name>",
        " <author>soundalike</author>",
        f" <info>A kit made by soundalike kit from the sounds of a library: "
        f"{len(samples)} instruments, each on its General MIDI note.</info>",
        " <license>the licenses of the samples&apos; packs</license>",
        " <image></image>",
        " <imageLicense></imageLicense>",
        " <componentList>",
        "  <drumkitComponent>",
        "   <id>0</id>",
        "   <name>Main</name>",
        "   <volume>1</volume>",
        "  </drumkitComponent>",
        " </componentList>",
        " <instrumentList>",
        *instruments,
        " </instrumentList>",
        "</drumkit_info>",
        "",
    ])
    path = folder / "drumkit.xml"
    path.write_text(text, encoding="utf-8")
    return path


def _instrument(index: int, sample: KitSample) -> str:
    group = HAT_GROUP if sample.role in HATS else -1
    return "\n".join([
        "  <instrument>",
        f"   <id>{index}</id>",
        f"   <name>{xml_text(sample.role.title())}</name>",
        "   <volume>1</volume>",
        "   <isMuted>false</isMuted>",
        "   <isSoloed>false</isSoloed>",
        "   <pan>0</pan>",
        "   <pitchOffset>0</pitchOffset>",
        "   <randomPitchFactor>0</randomPitchFactor>",
        "   <gain>1</gain>",
        "   <applyVelocity>true</applyVelocity>",
        "   <filterActive>false</filterActive>",
        "   <filterCutoff>1</filterCutoff>",
        "   <filterResonance>0</filterResonance>",
        "   <Attack>0</Attack>",
        "   <Decay>0</Decay>",
        "   <Sustain>1</Sustain>",
        "   <Release>1000</Release>",
        f"   <muteGroup>{group}</muteGroup>",
        "   <midiOutChannel>-1</midiOutChannel>",
        f"   <midiOutNote>{sample.note}</midiOutNote>",
        "   <isStopNote>false</isStopNote>",
        "   <sampleSelectionAlgo>VELOCITY</sampleSelectionAlgo>",
        "   <isHihat>-1</isHihat>",
        "   <lower_cc>0</lower_cc>",
        "   <higher_cc>127</higher_cc>",
        "   <instrumentComponent>",
        "    <component_id>0</component_id>",
        "    <gain>1</gain>",
        "    <layer>",
        f"     <filename>{xml_text(sample.file)}</filename>",
        "     <min>0</min>",
        "     <max>1</max>",
        "     <gain>1</gain>",
        "     <pitch>0</pitch>",
        "    </layer>",
        "   </instrumentComponent>",
        "  </instrument>",
    ])
