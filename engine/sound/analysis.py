"""The hand-made ``soundalike-2`` analysis: what a one-shot sounds like, in numbers people can name.

Pure functions of a mono signal ``y`` (float32) and its sample rate ``sr``: no I/O, no globals
read at call time. Filterbanks are built in Hz for the file's own rate, so a 96 kHz kick and its
44.1 kHz copy land on the same vector without resampling.

Onset-aligned (leading silence skipped) and gain-invariant (all levels in dB relative to the
loudest frame): log-mel spectra at five moments of the sound (attack, early, body, decay, tail),
the loudness curve over sixteen log-spaced instants, envelope times (attack, decays, effective
length), brightness and noisiness per moment, and the low end / pitch (dominant frequency, its
glide, tonality, sub and low energy, zero crossings). Its blocks are named in
:data:`SOUNDALIKE_ASPECTS` so search can weigh them. :func:`soundalike_analysis` also returns the
onset-aligned mel frames the learned embedding (:mod:`.embedding`) reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

# --- the soundalike descriptor -------------------------------------------------------------

#: Instants (seconds after the onset) at which the spectrum is sampled: dense in the
#: attack, where drums differ most, sparse in the tail.
FRAME_TIMES = np.array(
    [0.0, 0.008, 0.016, 0.028, 0.045, 0.07, 0.1, 0.14, 0.2, 0.28, 0.4, 0.56, 0.8, 1.1, 1.5, 2.0]
)
#: Frames averaged into each named moment of the sound.
MOMENTS = {
    "attack": slice(0, 3),  # 0-16 ms
    "early": slice(3, 6),  # 28-70 ms
    "body": slice(6, 9),  # 100-200 ms
    "decay": slice(9, 12),  # 280-560 ms
    "tail": slice(12, 16),  # 0.8-2 s
}
N_MELS = 48
MEL_FMIN = 30.0
MEL_FMAX = 16000.0
MIN_BINS = 2.0
#: Analysis window: 1024 samples at 44.1 kHz, the same duration at every rate, so a hit and its
#: resampled copy see the same spectrum (FFT sizes are the next power of two, zero-padded).
FRAME_SECONDS = 1024 / 44100
ENVELOPE_HOP_SECONDS = 0.0025
ONSET_THRESHOLD_DB = -30.0
FLOOR_DB = -60.0  # re the loudest frame: quieter detail is inaudible in a mix
DECAY_LEVELS_DB = (-6.0, -12.0, -24.0, -40.0)
_DECAY_LEVELS = np.array(DECAY_LEVELS_DB)
EFFECTIVE_LENGTH_DB = -50.0
#: Shortest sound we profile; shorter files are reported as failures.
MIN_SECONDS = 0.005
#: A file whose loudest sample is below this is "silent": indexed, flagged, never a neighbour.
SILENCE_PEAK = 10 ** (-80.0 / 20.0)

_EPS = 1e-12


def _layout() -> tuple[int, dict[str, slice]]:
    """Offsets of each block in the soundalike vector, and the aspects built from them."""
    sizes = [("mel_" + name, N_MELS) for name in MOMENTS] + [
        ("loudness", len(FRAME_TIMES)),
        ("envelope", 3 + len(DECAY_LEVELS_DB) + 1),
        ("centroid", len(MOMENTS)),
        ("spread", len(MOMENTS)),
        ("flatness", len(MOMENTS)),
        ("low", 6),
    ]
    blocks: dict[str, slice] = {}
    offset = 0
    for name, size in sizes:
        blocks[name] = slice(offset, offset + size)
        offset += size
    return offset, blocks


SOUNDALIKE_DIM, SOUNDALIKE_BLOCKS = _layout()


def _ranges() -> tuple[np.ndarray, np.ndarray]:
    """The bounds every number of the vector stays within, block by block: levels in dB re
    the loudest frame are floored at :data:`FLOOR_DB` and never above 0; times are log10
    seconds (1 ms to hours); brightness is in octaves re 1 kHz; the dominant frequency lies
    in 20 Hz - 5 kHz. The index stores each number in one byte between these bounds
    (:mod:`..index.vector_codec`): never change them without a new descriptor version."""
    bounds = {
        **{"mel_" + name: (FLOOR_DB, 0.0) for name in MOMENTS},
        "loudness": (FLOOR_DB, 0.0),
        # attack, decay to -6/-12/-24/-40 dB, effective length (log10 s), crest (dB), length
        "envelope": [(-3.0, 4.0)] * 6 + [(0.0, 48.0), (-3.0, 4.0)],
        "centroid": (-6.0, 6.0),
        "spread": (0.0, 6.0),
        "flatness": (-6.0, 0.0),
        # dominant frequency, its glide (octaves), tonality (dB), sub and low share (dB),
        # zero-crossing rate (octaves re 1 kHz)
        "low": [(-6.0, 3.0), (-8.0, 8.0), (0.0, 64.0), (FLOOR_DB, 0.0), (FLOOR_DB, 0.0),
                (-7.0, 7.0)],
    }
    low, high = np.empty(SOUNDALIKE_DIM, np.float32), np.empty(SOUNDALIKE_DIM, np.float32)
    for name, block in SOUNDALIKE_BLOCKS.items():
        pairs = bounds[name]
        pairs = pairs if isinstance(pairs, list) else [pairs] * (block.stop - block.start)
        low[block], high[block] = np.array(pairs, np.float32).T
    return low, high


#: ``(low, high)``: bounds of each number of the soundalike vector (see :func:`_ranges`).
SOUNDALIKE_RANGES = _ranges()


def _span(*names: str) -> list[int]:
    return [i for n in names for i in range(SOUNDALIKE_BLOCKS[n].start, SOUNDALIKE_BLOCKS[n].stop)]


#: The aspects a listener names, as lists of vector indices ("leans" for weighted search).
SOUNDALIKE_ASPECTS: dict[str, list[int]] = {
    "attack": _span("mel_attack", "mel_early"),
    "body": _span("mel_body"),
    "tail": _span("mel_decay", "mel_tail"),
    "envelope": _span("loudness", "envelope"),
    "brightness": _span("centroid", "spread", "flatness"),
    "pitch": _span("low"),
}


def window_length(sr: int) -> int:
    """Samples in one analysis window at this rate (23.2 ms)."""
    return max(16, int(round(sr * FRAME_SECONDS)))


def frame_length(sr: int) -> int:
    """FFT size: twice the window (zero-padded), rounded up to a size FFTs compute fast.

    Sampling the spectrum twice as densely as the window resolves makes the mel
    bands' integration nearly independent of where the bin grid falls, and so of
    the sample rate (a 48 kHz copy of a 44.1 kHz hit lands on the same vector).
    """
    import scipy.fft

    return int(scipy.fft.next_fast_len(2 * window_length(sr), real=True))


@lru_cache(maxsize=32)
def mel_filterbank(sr: int, n_fft: int, n_mels: int = N_MELS) -> np.ndarray:
    """Triangular mel filters in Hz for this rate, shape ``(n_mels, n_fft // 2 + 1)``.

    Bands above the Nyquist frequency of a low-rate file stay empty (all zero),
    so their energy reads as the floor: the file really has nothing there.
    """
    fmax = MEL_FMAX
    mels = np.linspace(_hz_to_mel(MEL_FMIN), _hz_to_mel(fmax), n_mels + 2)
    edges = _mel_to_hz(mels)
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    # Low bands are narrower than an FFT bin; each side spans at least MIN_BINS bins, so a
    # partial's energy is shared smoothly between bands wherever the bin grid falls (the
    # grid differs from one sample rate to another, the band edges do not).
    reach = MIN_BINS / FRAME_SECONDS  # in Hz: the window's own resolution, whatever the FFT size
    lower = np.minimum(lower, centre - reach)
    upper = np.maximum(upper, centre + reach)
    rising = (freqs[None, :] - lower) / (centre - lower)
    falling = (upper - freqs[None, :]) / (upper - centre)
    fb = np.maximum(0.0, np.minimum(rising, falling))
    fb[centre[:, 0] >= sr / 2] = 0.0  # above Nyquist: the file has nothing there
    fb /= np.maximum(fb.sum(axis=1, keepdims=True), _EPS)
    return fb.astype(np.float32)


def _hz_to_mel(f):
    return 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)


def _mel_to_hz(m):
    return 700.0 * (10.0 ** (np.asarray(m) / 2595.0) - 1.0)


@lru_cache(maxsize=32)
def _window(n_fft: int) -> np.ndarray:
    """Periodic Hann window (as ``scipy.signal.get_window("hann", n)``, without importing scipy)."""
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)



def envelope_hop(sr: int) -> int:
    """Samples per frame of :func:`envelope` at ``sr``."""
    return max(1, int(round(sr * ENVELOPE_HOP_SECONDS)))

def envelope(*, y: np.ndarray, sr: int) -> tuple[np.ndarray, int]:
    """RMS envelope on a 2.5 ms grid, and its hop in samples. Shape ``(len(y) // hop,)``."""
    hop = envelope_hop(sr)
    n = max(1, len(y) // hop)
    frames = y[: n * hop].reshape(n, hop) if len(y) >= hop else y[None, :]
    return np.sqrt(np.einsum("ij,ij->i", frames, frames) / frames.shape[1]), hop


def onset_index(*, y: np.ndarray, sr: int) -> int:
    """Sample where the sound starts: one hop before the envelope first reaches -30 dB re peak."""
    env, hop = envelope(y=y, sr=sr)
    return _onset_frame(env) * hop


def _onset_frame(env: np.ndarray) -> int:
    peak = env.max()
    if peak <= 0:
        return 0
    return max(0, int(np.argmax(env >= peak * 10 ** (ONSET_THRESHOLD_DB / 20.0))) - 1)


@dataclass(frozen=True)
class _Plan:
    """Everything about the analysis that depends only on the sample rate, computed once."""

    n_fft: int
    window: np.ndarray  # (window_length,)
    offsets: np.ndarray  # (frames, window_length) sample offsets of each analysis frame
    starts: tuple[int, ...]  # first sample offset of each analysis frame
    mel: np.ndarray  # (bins, mels), transposed filterbank
    band: np.ndarray  # bins inside the mel range
    octaves: np.ndarray  # log2(f / 1 kHz) of those bins
    dominant: np.ndarray  # bins searched for the dominant frequency (30 Hz - 5 kHz)
    bin_hz: float
    sub: np.ndarray  # bins below 60 Hz
    low: np.ndarray  # bins below 150 Hz


def _averaging_matrix(spans: list[slice]) -> np.ndarray:
    """One row per span of frames: ``matrix @ frames`` averages the frames of each span."""
    matrix = np.zeros((len(spans), len(FRAME_TIMES)), dtype=np.float32)
    for row, span in enumerate(spans):
        matrix[row, span] = 1.0 / (span.stop - span.start)
    return matrix


_MOMENT_MATRIX = _averaging_matrix(list(MOMENTS.values()))
#: The moments, then the body-wide span (28 ms - 560 ms) and the head (0 - 200 ms) for the low end.
_SPECTRUM_MATRIX = _averaging_matrix([*MOMENTS.values(), slice(3, 12), slice(0, 9)])


@lru_cache(maxsize=32)
def _plan(sr: int) -> _Plan:
    n_fft = frame_length(sr)
    length = window_length(sr)
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    band = np.flatnonzero((freqs >= MEL_FMIN) & (freqs <= min(MEL_FMAX, sr / 2)))
    starts = np.round(FRAME_TIMES * sr).astype(np.int64)
    return _Plan(
        n_fft=n_fft,
        window=_window(length),
        offsets=starts[:, None] + np.arange(length)[None, :],
        starts=tuple(starts.tolist()),
        mel=np.ascontiguousarray(mel_filterbank(sr, n_fft).T),
        band=band,
        octaves=np.log2(np.maximum(freqs[band], 1.0) / 1000.0).astype(np.float32),
        dominant=np.flatnonzero((freqs >= 30.0) & (freqs <= 5000.0)),
        bin_hz=float(freqs[1]),
        sub=np.flatnonzero(freqs < 60.0),
        low=np.flatnonzero(freqs < 150.0),
    )


def soundalike_descriptor(*, y: np.ndarray, sr: int) -> np.ndarray:
    """The default descriptor of a non-silent mono signal. Shape ``(SOUNDALIKE_DIM,)``, float32.

    ``y`` must hold at least :data:`MIN_SECONDS` of sound and not be silent
    (see :func:`check_profilable`); the result is always finite.
    """
    return soundalike_descriptors([(y, sr)])[0]


def soundalike_descriptors(signals: Sequence[tuple[np.ndarray, int]]) -> np.ndarray:
    """:func:`soundalike_descriptor` of many signals at once, shape ``(n, SOUNDALIKE_DIM)``.

    Signals of one sample rate share their FFTs and matrix products: a scan
    worker describes a batch of files in a few numpy calls instead of a few
    dozen per file (the Python overhead of small calls was most of the cost).
    """
    return soundalike_analysis(signals)[0]


def soundalike_analysis(
    signals: Sequence[tuple[np.ndarray, int]],
) -> tuple[np.ndarray, np.ndarray]:
    """The descriptors of many signals and their onset-aligned log-mel frames.

    Returns ``(vectors, frames)``: vectors of shape ``(n, SOUNDALIKE_DIM)`` as
    :func:`soundalike_descriptors`, and frames of shape ``(n, 16, N_MELS)``, the
    dB (re the loudest frame, floored at :data:`FLOOR_DB`) mel spectra at
    :data:`FRAME_TIMES` that the learned embedding reads beside the vector.
    """
    out = np.empty((len(signals), SOUNDALIKE_DIM), dtype=np.float32)
    frames = np.empty((len(signals), len(FRAME_TIMES), N_MELS), dtype=np.float32)
    by_rate: dict[int, list[int]] = {}
    for index, (_, sr) in enumerate(signals):
        by_rate.setdefault(int(sr), []).append(index)
    for sr, members in by_rate.items():
        out[members], frames[members] = _describe_same_rate([signals[i][0] for i in members], sr)
    if not np.isfinite(out.sum() + frames.sum()):  # never true for sane input, but never NaN
        out = np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)
        frames = np.nan_to_num(frames, nan=FLOOR_DB, posinf=0.0, neginf=FLOOR_DB)
    return out, frames


def _describe_same_rate(signals: list[np.ndarray], sr: int) -> tuple[np.ndarray, np.ndarray]:
    """The descriptors and mel frames of signals of one rate, from one FFT of every frame.

    Per signal only what its own length decides (envelope, onset, which frames hold sound);
    the spectra, the mel frames and every aspect computed from them, the envelope times and
    the zero crossings are computed for the whole batch at once.
    """
    plan = _plan(sr)
    m = len(signals)
    count = len(plan.offsets)
    length = len(plan.window)
    sounds, envelopes, lives, totals = [], [], [], []
    hop = 1
    for y in signals:
        y = np.asarray(y, dtype=np.float32)
        env, hop = envelope(y=y, sr=sr)
        first = _onset_frame(env)
        sound = y[first * hop :]
        sounds.append(sound)
        envelopes.append(env[first:])
        lives.append(_live_frames(len(sound), plan))  # later frames would be silent: no FFT
        totals.append(len(y))
    bins = plan.n_fft // 2 + 1
    power = np.zeros((m, count, bins), dtype=np.float32)
    rows = sum(lives)
    if rows:
        # Each frame's samples go straight into the FFT's zero-padded input, windowed in place.
        padded = np.zeros((rows, plan.n_fft), dtype=np.float32)
        row = 0
        for sound, live in zip(sounds, lives, strict=True):
            if live:
                _frames_into(padded[row : row + live], sound, plan, live)
                row += live
        padded[:, :length] *= plan.window
        spectrum = rfft_rows(padded)
        row = 0
        for j, live in enumerate(lives):
            part = spectrum[row : row + live]
            np.add(np.square(part.real), np.square(part.imag), out=power[j, :live])
            row += live
    flat = power.reshape(m * count, bins)
    mel = (flat @ plan.mel).reshape(m, count, -1)  # (m, frames, mels)
    frame_energy = mel.sum(axis=2)
    reference = np.maximum(frame_energy.max(axis=1), _EPS)[:, None]
    mel_db = np.maximum(10.0 * np.log10(mel / reference[:, :, None] + _EPS), FLOOR_DB)

    out = np.empty((m, SOUNDALIKE_DIM), dtype=np.float32)
    moments_db = np.matmul(_MOMENT_MATRIX, mel_db)  # (m, moments, mels)
    for row, name in enumerate(MOMENTS):
        out[:, SOUNDALIKE_BLOCKS["mel_" + name]] = moments_db[:, row]
    out[:, SOUNDALIKE_BLOCKS["loudness"]] = np.maximum(
        10.0 * np.log10(frame_energy / reference + _EPS), FLOOR_DB
    )
    moment_power = np.matmul(_SPECTRUM_MATRIX, power)  # (m, moments + 2, bins)
    moments = moment_power[:, : len(MOMENTS)][:, :, plan.band].reshape(m * len(MOMENTS), -1)
    centroid, spread, flatness = _spectral_shape(moments, plan.octaves)
    out[:, SOUNDALIKE_BLOCKS["centroid"]] = centroid.reshape(m, -1)
    out[:, SOUNDALIKE_BLOCKS["spread"]] = spread.reshape(m, -1)
    out[:, SOUNDALIKE_BLOCKS["flatness"]] = flatness.reshape(m, -1)
    heads, head_lengths = _heads(sounds, max(2, int(0.1 * sr)))
    out[:, SOUNDALIKE_BLOCKS["low"]] = _low_features(moment_power, heads, head_lengths, plan,
                                                     sr=sr)
    out[:, SOUNDALIKE_BLOCKS["envelope"]] = _envelope_features(
        envelopes, hop=hop, heads=heads, head_lengths=head_lengths, sr=sr,
        totals=np.asarray(totals),
    )
    return out, mel_db


def _live_frames(samples: int, plan: _Plan) -> int:
    """How many analysis frames start before a sound of ``samples`` ends (the rest are silent)."""
    half = len(plan.window) // 2
    needed = int(plan.offsets[-1, -1]) + 1
    return int(np.searchsorted(plan.offsets[:, 0], half + min(samples, needed - half)))


def _frames_into(out: np.ndarray, sound: np.ndarray, plan: _Plan, live: int) -> None:
    """Write the samples of the first ``live`` analysis frames (centred on :data:`FRAME_TIMES`)
    into the rows of ``out`` (``(live, >= window)``, zeros before the sound starts and after
    it ends already there): each frame's stretch of the sound copied once, no padded copy of
    the sound and no index per sample."""
    length = len(plan.window)
    half = length // 2
    n = len(sound)
    for k, start in enumerate(plan.starts[:live]):
        first = start - half  # where the frame begins, in samples of the sound
        low, high = max(first, 0), min(first + length, n)
        if high > low:
            out[k, low - first : high - first] = sound[low:high]


def _heads(sounds: list[np.ndarray], size: int) -> tuple[np.ndarray, np.ndarray]:
    """The first ``size`` samples of each sound, zero-padded, shape ``(n, size)``, and how
    many of them each sound has."""
    heads = np.zeros((len(sounds), size), dtype=np.float32)
    lengths = np.empty(len(sounds), dtype=np.int64)
    for j, sound in enumerate(sounds):
        head = sound[:size]
        heads[j, : len(head)] = head
        lengths[j] = len(head)
    return heads, lengths


def rfft_rows(frames: np.ndarray) -> np.ndarray:
    """Real FFT of each row: scipy's (twice numpy's speed in float32), imported on first use
    so that starting the command line stays fast."""
    import scipy.fft

    return scipy.fft.rfft(frames, axis=1, overwrite_x=True)


def _spectral_shape(spectra: np.ndarray, octaves: np.ndarray):
    """Centroid and spread (octaves re 1 kHz) and flatness (log10) of each row of power spectra."""
    totals = spectra.sum(axis=1, keepdims=True)
    silent = totals[:, 0] <= _EPS
    weights = spectra / np.maximum(totals, _EPS)
    centroid = weights @ octaves
    spread = np.sqrt(np.maximum(weights @ (octaves * octaves) - centroid * centroid, 0.0))
    # On the normalised spectrum, so the floor is relative and gain cannot move it; every
    # other bin is plenty for a flatness and halves the cost of the logarithms.
    sampled = weights[:, ::2]
    flatness = np.log10(sampled + 1e-10).mean(axis=1) - np.log10(sampled.mean(axis=1) + 1e-10)
    flatness = np.maximum(flatness, -6.0)
    for values in (centroid, spread, flatness):
        values[silent] = 0.0
    return centroid, spread, flatness


def _seconds_feature(seconds):
    """Durations on a log scale, 1 ms resolution: 10 ms and 20 ms differ as 1 s and 2 s do."""
    return np.log10(np.maximum(seconds, 0.0) + 0.001)


def _envelope_features(envelopes: list[np.ndarray], *, hop: int, heads: np.ndarray,
                       head_lengths: np.ndarray, sr: int, totals: np.ndarray) -> np.ndarray:
    """Attack time, decay times to -6/-12/-24/-40 dB, effective length, crest, true length.

    Shape ``(signals, 8)``. ``envelopes`` start at each onset; ``heads`` hold each sound's
    first 100 ms (zero-padded, ``head_lengths`` real samples of them).
    """
    m = len(envelopes)
    frames = max(len(env) for env in envelopes) + 1  # every row ends with padding
    # Padded with -inf dB: past a sound's end is below every level and never audible, so the
    # first frame below a level is the sound's own length when it never falls below it.
    env_db = np.full((m, frames), -np.inf, dtype=np.float32)
    for j, env in enumerate(envelopes):
        env_db[j, : len(env)] = env / max(float(env.max()), _EPS)
    live = np.isfinite(env_db)
    np.log10(env_db + _EPS, out=env_db, where=live)
    env_db[live] *= 20.0
    peak = np.argmax(env_db, axis=1)
    after = np.arange(frames)[None, :] >= peak[:, None]
    times = np.empty((m, 2 + len(DECAY_LEVELS_DB)), dtype=np.float64)
    times[:, 0] = peak
    for k, level in enumerate(_DECAY_LEVELS):
        below = after & (env_db < level)  # the -inf padding is below: never "not found"
        times[:, 1 + k] = np.argmax(below, axis=1) - peak
    audible = env_db > EFFECTIVE_LENGTH_DB
    last = frames - np.argmax(audible[:, ::-1], axis=1)
    times[:, -1] = np.where(audible.any(axis=1), last, 0)
    lengths = np.maximum(head_lengths, 1).astype(np.float32)
    # One dot product per head, of its own samples: the same sums as one sound at a time.
    energy = np.array([np.dot(h[:n], h[:n]) for h, n in zip(heads, head_lengths, strict=True)],
                      dtype=np.float32)
    rms = np.sqrt(energy / lengths).astype(np.float64)
    crest = np.abs(heads).max(axis=1).astype(np.float64) / np.maximum(rms, _EPS)
    features = np.empty((m, 8), dtype=np.float64)
    features[:, :6] = _seconds_feature(times * hop / sr)
    features[:, 6] = 20.0 * np.log10(np.maximum(crest, 1.0))
    features[:, 7] = _seconds_feature(totals / sr)
    return features


def _low_features(moment_power: np.ndarray, heads: np.ndarray, head_lengths: np.ndarray,
                  plan: _Plan, *, sr: int) -> np.ndarray:
    """Dominant frequency and its glide, tonality, sub and low energy share, zero-crossing rate.

    Shape ``(signals, 6)``; ``heads`` as :func:`_envelope_features` reads them.
    """
    m = len(moment_power)
    spectra = moment_power[:, [1, 5, 3]].reshape(m * 3, -1)  # early, body-wide, decay
    frequency, prominence = _dominant(spectra, plan)
    frequency, prominence = frequency.reshape(m, 3), prominence.reshape(m, 3)
    early_f, body_f, later_f = frequency[:, 0], frequency[:, 1], frequency[:, 2]
    head = moment_power[:, 6]
    total = np.maximum(head.sum(axis=1), _EPS)
    sub = head[:, plan.sub].sum(axis=1) / total
    low = head[:, plan.low].sum(axis=1) / total
    signs = np.signbit(heads)
    changes = signs[:, 1:] != signs[:, :-1]
    changes &= np.arange(1, heads.shape[1])[None, :] < head_lengths[:, None]  # not the padding
    crossings = np.count_nonzero(changes, axis=1)
    zcr = crossings * sr / (2.0 * head_lengths)  # Hz-like rate of a sine this busy
    return np.stack([
        np.log2(body_f / 1000.0),
        np.log2(early_f / np.maximum(later_f, 1.0)),
        prominence[:, 1],
        10.0 * np.log10(sub + 1e-6),
        10.0 * np.log10(low + 1e-6),
        np.log2(np.maximum(zcr, 10.0) / 1000.0),
    ], axis=1)


def _dominant(spectra: np.ndarray, plan: _Plan) -> tuple[np.ndarray, np.ndarray]:
    """Strongest peak of each spectrum in 30 Hz - 5 kHz (parabolic interpolation), in Hz,
    and its prominence over the band's mean level in dB. Silent spectra give 1 kHz, 0 dB."""
    band = spectra[:, plan.dominant]
    k = band.argmax(axis=1)
    i = plan.dominant[k]
    rows = np.arange(len(spectra))
    last = spectra.shape[1] - 1
    # dB only where needed: the peak and its two neighbours.
    around = np.stack([np.maximum(i - 1, 0), i, np.minimum(i + 1, last)])
    left, centre, right = 10.0 * np.log10(spectra[rows, around] + _EPS)
    denom = left - 2.0 * centre + right
    safe = np.where(denom != 0, denom, 1.0)
    shift = np.where(denom != 0, 0.5 * (left - right) / safe, 0.0)
    frequency = np.maximum((i + shift) * plan.bin_hz, 20.0)
    # Over the mean *power*: a mean of dB would sink into the window's spectral nulls, whose
    # depth depends on the FFT grid (and so on the sample rate).
    prominence = centre - 10.0 * np.log10(band.mean(axis=1) + _EPS)
    silent = band.max(axis=1) <= _EPS
    frequency[silent] = 1000.0
    prominence[silent] = 0.0
    return frequency, prominence
