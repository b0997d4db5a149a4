"""Hits in a recording: cutting one out to ask with, and counting them to tell a loop.

Cutting: "find me sounds like *this*", where *this* is playing.

A client at the DAW records the last seconds of a track (a loop, a resampled snare, a synth)
and wants to ask with the hit in it, not with seconds of audio. :func:`strongest_hit` finds the
hits in the recording on the engine's own loudness envelope (:func:`.analysis.envelope`, the
2.5 ms RMS grid every descriptor reads), picks one and bounds it from its onset (the rule of
:func:`.analysis.onset_index`: one hop before the envelope reaches -30 dB re the hit's peak) to
the end of its decay (-50 dB re its peak, the next hit, or ``max_seconds``); the cut starts at
the first sample within 40 dB of the attack's loudest, as a one-shot file does.

Which hit: the loudest; of the hits within :data:`RECENT_DB` of the loudest, the latest, so a
loop of equal hits gives the one that just played. A hit already decaying when the recording
began (its onset is not in it) is taken only when there is no other.

Counting (:func:`count_hits`): a file of several separate hits in the seconds a scan reads of
it is a loop (or a phrase), whatever a one-shot model would call it: the same onsets, counted
with stricter settings (:data:`LOOP_FLOOR_DB`, :data:`LOOP_GAP_SECONDS`) so that a clap's
bursts, a flam, a rattle or a ghost note do not make a one-shot a loop.

The loudness envelope misses the hits of a mixed, compressed loop (a hat over a held bass
never rises 9 dB in 10 ms) and the notes of a legato riff (the level hardly moves when the
pitch does). :func:`is_loop` therefore also counts, in files of a second or more, onsets
where the *spectrum* changes (:func:`count_spectral_onsets`): new energy across many bands
at once, the "spectral flux" of onset detectors, with a vibrato's or a glide's shift to a
neighbouring band not counted (the previous frame is taken at its loudest over neighbouring
bands, as SuperFlux does).

Pure functions of ``y`` and ``sr``; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..errors import AudioError
from .analysis import (
    EFFECTIVE_LENGTH_DB,
    SILENCE_PEAK,
    envelope,
    envelope_hop,
    onset_index,
    rfft_rows,
)

#: The longest hit cut, in seconds (the descriptor reads the first 2 s after the onset).
MAX_HIT_SECONDS = 2.0
#: A rise of this much (dB) over the quietest of the previous :data:`RISE_SECONDS` starts a hit.
RISE_DB = 9.0
RISE_SECONDS = 0.01
#: The envelope is held at its maximum over this long before rises are looked for: a 40 Hz
#: kick's 2.5 ms frames dip at every zero crossing, which must not read as new hits.
HOLD_SECONDS = 0.025
#: Rises quieter than this re the recording's loudest frame are not hits (noise, bleed).
HIT_FLOOR_DB = -40.0
#: Two onsets closer than this are one hit (a flam's second stroke, a clap's bursts).
MIN_GAP_SECONDS = 0.05
#: The cut starts at the first sample this loud re the attack's loudest sample.
START_DB = -40.0
#: Hits within this of the loudest count as loud as it: the latest of them is taken.
RECENT_DB = 6.0

#: A file with at least this many hits in what a scan reads of it (2.5 s) is a loop.
LOOP_HITS = 4
#: For counting, only hits within this of the loudest count (a loop's hits, not its ghosts).
LOOP_FLOOR_DB = -24.0
#: ... and hits closer than this are one (a flam, a clap's bursts, a rattle, a drag).
LOOP_GAP_SECONDS = 0.12
#: The confidence a file named ``loop`` by its hits is given.
LOOP_CONFIDENCE = 0.99
#: Spectral onsets (:func:`count_spectral_onsets`): frames of about 12 ms, without overlap (a
#: scan counts every file long enough to be a loop: a quarter of a millisecond per second of
#: audio), the power summed in log-spaced bands between these edges.
FLUX_FRAME_SECONDS = 0.0116
FLUX_BANDS = 16
FLUX_LOW_HZ, FLUX_HIGH_HZ = 60.0, 16000.0
#: An onset is a frame whose mean rise over the previous frame, in dB across the bands, is the
#: largest within :data:`FLUX_PEAK_SECONDS` and exceeds the average of the surrounding
#: :data:`FLUX_AVERAGE_SECONDS` by this much. Chosen on training material only
#: (``training/``'s sources, not the evaluation collections): at 3 dB, generated dense loops
#: (hats, kick and snare over a legato line, saturated) 100% loops, legato phrases of
#: melodic notes 23%, while no acoustic-kit or drum-machine one-shot, 1.3% of GM drums, 0.5%
#: of held melodic notes and 15% of synthesized effects (sweeps with wobble, crackle) read as
#: loops (docs/model.md, "Loops by their spectrum").
FLUX_RISE_DB = 3.0
FLUX_PEAK_SECONDS = 0.03
FLUX_AVERAGE_SECONDS = 0.2
#: Band levels are floored this far below the loudest (a fade's noise is not an onset), and
#: an onset quieter than :data:`LOOP_FLOOR_DB` re the loudest frame is a ghost, not a hit.
FLUX_FLOOR_DB = -60.0
#: Shorter files are not looked at: four hits :data:`LOOP_GAP_SECONDS` apart need this long.
LOOP_MIN_SECONDS = 0.5
#: The spectrum is counted only in files this long: a loop lasts a bar at least, and a bar
#: of 3/4 at 180 BPM lasts 1 s (the training loops, 1-4 bars of 4/4 at 70-180 BPM, last
#: 1.33 s or more). A shorter file in which the loudness finds fewer than four hits is a hit
#: with a tail, a flam or a short phrase (of the 5,301 sounds of the drum training set, 2
#: were named loops by their spectrum, both under 1 s), and counting the spectrum of every
#: such file cost about a fiftieth of a scan worker's time (docs/scale.md, session 16).
SPECTRUM_MIN_SECONDS = 1.0
#: Names the rule :func:`is_loop` applies and how loops are placed (``-2``: by their hits'
#: mean, :mod:`.loop_embedding`; ``-3``: the spectrum counted from :data:`SPECTRUM_MIN_SECONDS`
#: only); a library whose loops an older rule counted or placed has them brought up to date
#: once (:mod:`..scan.loop_recount`).
LOOP_RULE = "hits+spectrum-3"

_EPS = 1e-12


@dataclass(frozen=True)
class Hit:
    """Where the hit is in the recording: samples ``start`` to ``stop`` (exclusive)."""

    start: int
    stop: int
    sr: int
    peak_db: float  # its loudest envelope frame, dB re full scale

    @property
    def seconds(self) -> float:
        return (self.stop - self.start) / self.sr


def strongest_hit(*, y: np.ndarray, sr: int, max_seconds: float = MAX_HIT_SECONDS) -> Hit:
    """The hit of ``y`` (mono float, or ``(frames, channels)``, mixed to mono) to ask with.

    Raises :class:`~soundalike.engine.errors.AudioError` when the recording is silent or
    too short to hold a hit.
    """
    y = np.asarray(y, dtype=np.float32)
    if y.ndim == 2:
        y = y.mean(axis=1)
    if sr <= 0:
        raise AudioError(f"the recording's sample rate must be positive, not {sr}")
    if len(y) < int(0.01 * sr):
        raise AudioError("the recording is shorter than 10 ms: there is no hit in it")
    if not np.isfinite(y).all():
        raise AudioError("the recording holds values that are not numbers (NaN or infinite)")
    if float(np.abs(y).max()) < SILENCE_PEAK:
        raise AudioError("the recording is silent: nothing was playing")
    env, hop = envelope(y=y, sr=sr)
    db = 20.0 * np.log10(env + _EPS)
    onsets = _onsets(db, hop=hop, sr=sr)
    # each hit runs from its onset frame to the next one; its peak is the loudest frame there
    bounds = list(zip(onsets, [*onsets[1:], len(env)], strict=True))
    peaks = np.array([db[a:b].max() for a, b in bounds])
    whole = [i for i, (a, _) in enumerate(bounds) if a > 0]
    pool = whole or list(range(len(bounds)))  # a hit cut by the recording's start: last resort
    loudest = max(peaks[i] for i in pool)
    chosen = max(i for i in pool if peaks[i] >= loudest - RECENT_DB)
    first, last = bounds[chosen]
    # the onset inside the hit's rise, by the engine's rule, on its stretch of the recording
    start = first * hop + onset_index(y=y[first * hop: last * hop], sr=sr)
    peak_frame = first + int(np.argmax(db[first:last]))
    # ... then to its first sample within START_DB of its loudest, as a one-shot file starts
    # (the envelope's grid would leave up to two hops of silence before the attack)
    attack = np.abs(y[start: (peak_frame + 1) * hop])
    if len(attack):
        start += int(np.argmax(attack >= attack.max() * 10 ** (START_DB / 20.0)))
    below = np.nonzero(db[peak_frame:last] < peaks[chosen] + EFFECTIVE_LENGTH_DB)[0]
    end_frame = peak_frame + int(below[0]) if len(below) else last
    stop = min(end_frame * hop if end_frame < len(env) else len(y),
               start + int(round(max_seconds * sr)), len(y))
    return Hit(start=int(start), stop=int(max(stop, start + 1)), sr=sr,
               peak_db=round(float(peaks[chosen]), 2))


def cut_hit(*, y: np.ndarray, sr: int, max_seconds: float = MAX_HIT_SECONDS) -> np.ndarray:
    """The samples of :func:`strongest_hit` (all channels of a 2-D ``y``), shape
    ``(hit.stop - hit.start,)`` or ``(hit.stop - hit.start, channels)``."""
    hit = strongest_hit(y=y, sr=sr, max_seconds=max_seconds)
    return np.asarray(y)[hit.start: hit.stop]


def count_hits(y: np.ndarray, sr: int) -> int:
    """How many separate hits ``y`` (mono) holds: 0 for silence, 1 for a one-shot (or a
    sound that swells in), several for a loop."""
    y = np.asarray(y, dtype=np.float32)
    if len(y) < int(0.01 * sr) or not np.isfinite(y).all() or \
            float(np.abs(y).max()) < SILENCE_PEAK:
        return 0
    return _count(y, sr)


def _count(y: np.ndarray, sr: int) -> int:
    """:func:`count_hits` of a signal known to be finite and not silent."""
    env, hop = envelope(y=y, sr=sr)
    db = 20.0 * np.log10(env + _EPS)
    return len(_onsets(db, hop=hop, sr=sr, floor_db=LOOP_FLOOR_DB,
                       min_gap_seconds=LOOP_GAP_SECONDS))


def is_loop(y: np.ndarray, sr: int, *, checked: bool = False) -> bool:
    """Whether ``y`` holds at least :data:`LOOP_HITS` hits, by its loudness or (from
    :data:`SPECTRUM_MIN_SECONDS` on) by its spectrum (``checked``: ``y`` is known to be
    finite and not silent, as every signal a scan describes is)."""
    return loops_among([(y, sr)], checked=checked)[0]


def loops_among(signals: list[tuple[np.ndarray, int]], *, checked: bool = True) -> list[bool]:
    """:func:`is_loop` of each ``(y, sr)`` (``checked`` by default: a scan's signals are), the
    spectra of those the loudness leaves
    undecided counted together, by sample rate (:func:`_spectral_onsets_of`): a scan asks
    this of every batch, and one file's count is some 25 numpy calls on a few hundred
    numbers, which cost more than the arithmetic."""
    signals = [(np.asarray(y, dtype=np.float32), sr) for y, sr in signals]
    verdicts: list[bool | None] = []
    undecided: dict[int, list[int]] = {}
    for i, (y, sr) in enumerate(signals):
        verdicts.append(_loop_by_loudness(y, sr, checked))
        if verdicts[-1] is None:
            undecided.setdefault(int(sr), []).append(i)
    for sr, members in undecided.items():
        found = _spectral_onsets_of([signals[i][0] for i in members], sr)
        for i, onsets in zip(members, found, strict=True):
            verdicts[i] = max(1, len(onsets)) >= LOOP_HITS
    return verdicts


def _loop_by_loudness(y: np.ndarray, sr: int, checked: bool) -> bool | None:
    """:func:`is_loop` of ``y`` (float32) where its loudness decides it; None where its
    spectrum must be counted."""
    if len(y) < LOOP_MIN_SECONDS * sr and not _room_for_loop_hits(len(y), sr):
        return False  # a short one-shot, the most common file: nothing to count
    if checked and len(y) >= int(0.01 * sr):
        hits = _count(y, sr)
    else:
        hits = count_hits(y, sr)
    if hits >= LOOP_HITS:
        return True
    if hits == 0 or len(y) < SPECTRUM_MIN_SECONDS * sr:
        return False
    return None


def _room_for_loop_hits(samples: int, sr: int) -> bool:
    """Whether ``samples`` at ``sr`` are long enough for :func:`_count` to find
    :data:`LOOP_HITS` hits. Each hit after the first is found by a rise at least
    :data:`LOOP_GAP_SECONDS` after the previous hit's onset, an onset at most
    :data:`RISE_SECONDS` before its rise (:func:`_onsets`), all in envelope frames: the
    last of them rises at frame ``(LOOP_HITS - 1) * gap - (LOOP_HITS - 2) * window`` or
    later, so a shorter file holds fewer."""
    hop = envelope_hop(sr)
    gap, window = _frames(LOOP_GAP_SECONDS, sr, hop), _frames(RISE_SECONDS, sr, hop)
    return samples // hop > (LOOP_HITS - 1) * gap - (LOOP_HITS - 2) * window


def _frames(seconds: float, sr: int, hop: int) -> int:
    """``seconds`` in envelope frames of ``hop`` samples (one at least)."""
    return max(1, int(round(seconds * sr / hop)))


def count_spectral_onsets(y: np.ndarray, sr: int) -> int:
    """How many hits or notes ``y`` (mono float32, finite, not silent) holds by where its
    spectrum changes: the sound's start, then every onset of new energy across the bands,
    onsets closer than :data:`LOOP_GAP_SECONDS` counted once."""
    return max(1, len(_spectral_onsets(y, sr)))


def hit_starts(y: np.ndarray, sr: int, most: int) -> list[int]:
    """Where (in samples) the first ``most`` hits or notes :func:`count_spectral_onsets`
    counts begin: half a frame before the frame of each onset, the sound's start first."""
    size = _flux_plan(sr)[0]
    return [max(0, frame * size - size // 2) for frame in _spectral_onsets(y, sr)[:most]] or [0]


def _spectral_onsets(y: np.ndarray, sr: int) -> list[int]:
    """The frames (of :func:`_flux_plan`'s size) where :func:`count_spectral_onsets`'s hits
    begin; none when ``y`` is shorter than three frames."""
    return _spectral_onsets_of([y], sr)[0]


def _spectral_onsets_of(signals: list[np.ndarray], sr: int) -> list[list[int]]:
    """:func:`_spectral_onsets` of each of ``signals`` (float32, one rate), every step after
    each signal's FFT made once for all of them on their frames end to end, with the same
    numbers as one by one: each step is per frame, or per signal by its boundaries (a
    frame's previous one, the loudest of each, the peaks' window kept within each by
    ``-inf`` between them, the moving average on a row per signal, reflected at its end
    as at its start)."""
    from scipy.ndimage import uniform_filter1d  # (not at start-up: most commands count nothing)

    size, window, starts = _flux_plan(sr)
    found: list[list[int]] = [[] for _ in signals]
    counted = [i for i, y in enumerate(signals) if len(y) // size >= 3]
    if not counted:
        return found
    bands = []
    for i in counted:
        y = signals[i]
        n = len(y) // size
        # only the bins the bands sum (above FLUX_HIGH_HZ: two thirds of them at 96 kHz)
        spectrum = rfft_rows(y[: n * size].reshape(n, size) * window)[:, : starts[-1]]
        power = spectrum.real * spectrum.real
        power += spectrum.imag * spectrum.imag
        bands.append(np.add.reduceat(power, starts[:-1], axis=1))
    lengths = np.array([len(b) for b in bands])
    first = np.concatenate([[0], np.cumsum(lengths)[:-1]])  # each signal's first frame
    every = np.concatenate(bands)
    level = 10.0 * np.log10(every + _EPS)
    loudest = np.maximum.reduceat(level.max(axis=1), first)
    level = np.maximum(level, np.repeat(loudest + FLUX_FLOOR_DB, lengths)[:, None])
    # each band of the frame before at its loudest with its neighbours: a shift to a
    # neighbouring band is no onset
    before = level[:-1].copy()
    np.maximum(before[:, 1:], level[:-1, :-1], out=before[:, 1:])
    np.maximum(before[:, :-1], level[:-1, 1:], out=before[:, :-1])
    flux = np.empty(len(level))
    flux[1:] = np.maximum(level[1:] - before, 0.0).mean(axis=1)
    flux[first] = 0.0  # a signal's first frame has none before it
    reach = max(1, int(round(FLUX_PEAK_SECONDS * sr / size)))
    # the loudest flux within ``reach`` frames either side of each, ``reach`` frames of -inf
    # after each signal
    frames = np.arange(len(flux)) + np.repeat(reach * np.arange(len(first)), lengths)
    padded = np.full(len(flux) + reach * len(first), -np.inf)
    padded[frames] = flux
    around = _trailing(np.maximum, padded, 2 * reach + 1)[frames + reach]
    peaks = flux == around
    rows = _reflected_rows(flux, first, lengths)
    average = uniform_filter1d(rows, int(round(FLUX_AVERAGE_SECONDS * sr / size)) | 1,
                               axis=1)[np.arange(lengths.max())[None, :] < lengths[:, None]]
    loudness = 10.0 * np.log10(every.sum(axis=1) + _EPS)
    loud = loudness >= np.repeat(np.maximum.reduceat(loudness, first) + LOOP_FLOOR_DB,
                                 lengths)
    onsets = np.flatnonzero(peaks & (flux >= average + FLUX_RISE_DB) & loud)
    gap = LOOP_GAP_SECONDS * sr / size
    bounds = np.searchsorted(onsets, np.concatenate([first, [len(flux)]]))
    for k, i in enumerate(counted):
        begin = int(first[k])
        start = int(np.argmax(loud[begin: begin + lengths[k]]))  # its first loud frame
        kept = [start]
        for frame in (onsets[bounds[k]: bounds[k + 1]] - begin).tolist():
            if frame > start and frame - kept[-1] >= gap:
                kept.append(frame)
        found[i] = kept
    return found


def _reflected_rows(values: np.ndarray, first: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The signals of ``values`` (each ``lengths`` long from ``first``) as rows of the
    longest's length, each continued past its end by its reflection (``d c b a | a b c d |
    d c b a``, as scipy.ndimage's ``reflect``): filtered along the rows, each row's values
    are those of its signal filtered alone."""
    columns = np.arange(lengths.max())[None, :]
    period = 2 * lengths[:, None]
    folded = columns % period
    folded = np.where(folded < lengths[:, None], folded, period - 1 - folded)
    return values[first[:, None] + folded]


@lru_cache(maxsize=16)
def _flux_plan(sr: int) -> tuple[int, np.ndarray, np.ndarray]:
    """Frame size (a power of two near :data:`FLUX_FRAME_SECONDS`), its Hann window and the
    first FFT bin of each band, for one sample rate."""
    size = 1 << max(5, int(np.ceil(np.log2(FLUX_FRAME_SECONDS * sr))))
    freqs = np.fft.rfftfreq(size, 1.0 / sr)
    edges = np.geomspace(FLUX_LOW_HZ, min(FLUX_HIGH_HZ, sr / 2.0), FLUX_BANDS + 1)
    starts = np.unique(np.searchsorted(freqs, edges))
    return size, np.hanning(size).astype(np.float32), starts[starts < len(freqs)]



def _trailing(extreme: np.ufunc, x: np.ndarray, size: int) -> np.ndarray:
    """``extreme`` (:func:`numpy.maximum` or :func:`numpy.minimum`) of the ``size`` values of
    ``x`` up to each one (fewer at its start).

    By ``size - 1`` shifted comparisons: exactly what scipy's ``maximum_filter1d`` gives,
    without its 30 microseconds of checks per call (a scan counts the hits of every file, on
    a few hundred frames: those checks were a third of the count).
    """
    out = x.copy()
    for shift in range(1, min(size, len(x))):
        extreme(out[shift:], x[:-shift], out=out[shift:])
    return out


def _onsets(db: np.ndarray, *, hop: int, sr: int, floor_db: float = HIT_FLOOR_DB,
            min_gap_seconds: float = MIN_GAP_SECONDS) -> list[int]:
    """Envelope frames where a hit starts: a rise of :data:`RISE_DB` over the recent minimum,
    loud enough to matter. Frame 0 is always one (whatever was sounding when recording began)."""
    window, gap = _frames(RISE_SECONDS, sr, hop), _frames(min_gap_seconds, sr, hop)
    hold = _frames(HOLD_SECONDS, sr, hop)
    # the loudest of the last ``hold`` frames, and the quietest of the ``window`` frames before
    # each frame (frame 0 has none)
    held = _trailing(np.maximum, db, hold)
    floor = db.max() + floor_db
    recent = np.concatenate([[np.inf], _trailing(np.minimum, held, window)[:-1]])
    rising = np.nonzero((held - recent >= RISE_DB) & (held >= floor))[0]
    onsets = [0]
    for i in rising[rising > 0].tolist():
        if i - onsets[-1] >= gap:
            # the frame where the rise began: the quietest of the window before it
            begin = max(0, i - window) + int(np.argmin(db[max(0, i - window): i]))
            onsets.append(max(begin, onsets[-1] + 1))
    if len(onsets) > 1 and db[: onsets[1]].max() < floor:
        onsets.pop(0)  # leading silence (or noise): not a hit
    return onsets
