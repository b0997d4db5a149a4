"""Descriptors: what a one-shot sounds like, as one fixed-length vector.

Every descriptor is a pure function of a mono signal ``y`` (float32) and its
sample rate ``sr``: no I/O, no globals read at call time. Filterbanks are
built in Hz for the file's own rate, so a 96 kHz kick and its 44.1 kHz copy
land on the same vector without resampling.

Two descriptors are registered:

``soundalike`` (the default)
    Onset-aligned (leading silence skipped) and gain-invariant (all levels in
    dB relative to the loudest frame). Log-mel spectra at five moments of the
    sound (attack, early, body, decay, tail), the loudness curve over sixteen
    log-spaced instants, envelope times (attack, decays, effective length),
    brightness and noisiness per moment, and the low end / pitch (dominant
    frequency, its glide, tonality, sub and low energy, zero crossings).
    Its blocks are named in :data:`SOUNDALIKE_ASPECTS` so search can weigh them.

``seed``
    The weekend script's profile this product grew from: dB power spectra of
    ten 2000-sample frames from the start of the file at 44.1 kHz. Kept by
    name so users and benchmarks can compare against it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .errors import EngineError

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
N_MELS = 32
MEL_FMIN = 30.0
MEL_FMAX = 16000.0
FRAME_SECONDS = 0.0232  # ~1024 samples at 44.1 kHz
ENVELOPE_HOP_SECONDS = 0.0025
ONSET_THRESHOLD_DB = -30.0
FLOOR_DB = -90.0
DECAY_LEVELS_DB = (-6.0, -12.0, -24.0, -40.0)
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


def frame_length(sr: int) -> int:
    """FFT size giving about 23 ms at any rate (a power of two)."""
    return int(2 ** round(np.log2(max(sr * FRAME_SECONDS, 64))))


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
    rising = (freqs[None, :] - lower) / (centre - lower)
    falling = (upper - freqs[None, :]) / (upper - centre)
    fb = np.maximum(0.0, np.minimum(rising, falling))
    # Narrow low bands can fall between two FFT bins: give them their nearest bin.
    empty = fb.sum(axis=1) == 0
    for band in np.flatnonzero(empty):
        if centre[band, 0] < sr / 2:
            fb[band, np.argmin(np.abs(freqs - centre[band, 0]))] = 1.0
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


def envelope(*, y: np.ndarray, sr: int) -> tuple[np.ndarray, int]:
    """RMS envelope on a 2.5 ms grid, and its hop in samples. Shape ``(len(y) // hop,)``."""
    hop = max(1, int(round(sr * ENVELOPE_HOP_SECONDS)))
    n = max(1, len(y) // hop)
    frames = y[: n * hop].reshape(n, hop) if len(y) >= hop else y[None, :]
    return np.sqrt(np.mean(frames * frames, axis=1, dtype=np.float64)), hop


def onset_index(*, y: np.ndarray, sr: int) -> int:
    """Sample where the sound starts: one hop before the envelope first reaches -30 dB re peak."""
    env, hop = envelope(y=y, sr=sr)
    peak = env.max()
    if peak <= 0:
        return 0
    first = int(np.argmax(env >= peak * 10 ** (ONSET_THRESHOLD_DB / 20.0)))
    return max(0, first - 1) * hop


def soundalike_descriptor(*, y: np.ndarray, sr: int) -> np.ndarray:
    """The default descriptor of a non-silent mono signal. Shape ``(SOUNDALIKE_DIM,)``, float32.

    ``y`` must hold at least :data:`MIN_SECONDS` of sound and not be silent
    (see :func:`check_profilable`); the result is always finite.
    """
    y = np.asarray(y, dtype=np.float32)
    start = onset_index(y=y, sr=sr)
    sound = y[start:]
    n_fft = frame_length(sr)
    power = _power_frames(sound, sr=sr, n_fft=n_fft)  # (frames, bins)
    fb = mel_filterbank(sr, n_fft)
    mel = power @ fb.T  # (frames, mels)
    reference = max(float(mel.sum(axis=1).max()), _EPS)
    mel_db = np.maximum(10.0 * np.log10(mel / reference + _EPS), FLOOR_DB)
    loudness_db = np.maximum(10.0 * np.log10(mel.sum(axis=1) / reference + _EPS), FLOOR_DB)

    out = np.empty(SOUNDALIKE_DIM, dtype=np.float64)
    freqs = np.fft.rfftfreq(n_fft, 1.0 / sr)
    band = (freqs >= MEL_FMIN) & (freqs <= min(MEL_FMAX, sr / 2))
    for name, frames in MOMENTS.items():
        out[SOUNDALIKE_BLOCKS["mel_" + name]] = mel_db[frames].mean(axis=0)
    out[SOUNDALIKE_BLOCKS["loudness"]] = loudness_db

    centroids, spreads, flatnesses = [], [], []
    for frames in MOMENTS.values():
        spectrum = power[frames].mean(axis=0)[band]
        c, s, fl = _spectral_shape(spectrum, freqs[band])
        centroids.append(c)
        spreads.append(s)
        flatnesses.append(fl)
    out[SOUNDALIKE_BLOCKS["centroid"]] = centroids
    out[SOUNDALIKE_BLOCKS["spread"]] = spreads
    out[SOUNDALIKE_BLOCKS["flatness"]] = flatnesses
    out[SOUNDALIKE_BLOCKS["envelope"]] = _envelope_features(sound, sr=sr, total=len(y))
    out[SOUNDALIKE_BLOCKS["low"]] = _low_features(power, freqs, sound, sr=sr)
    return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0).astype(np.float32)


def _power_frames(sound: np.ndarray, *, sr: int, n_fft: int) -> np.ndarray:
    """Power spectra of frames centred on :data:`FRAME_TIMES`; frames past the end are silent."""
    half = n_fft // 2
    padded = np.zeros(half + len(sound) + n_fft, dtype=np.float32)
    padded[half : half + len(sound)] = sound
    starts = np.minimum(np.round(FRAME_TIMES * sr).astype(np.int64), len(sound) + half)
    frames = padded[starts[:, None] + np.arange(n_fft)[None, :]] * _window(n_fft)
    spectrum = np.fft.rfft(frames, axis=1)
    return (spectrum.real**2 + spectrum.imag**2).astype(np.float32)


def _spectral_shape(spectrum: np.ndarray, freqs: np.ndarray) -> tuple[float, float, float]:
    """Centroid and spread (octaves re 1 kHz) and flatness (log10) of one power spectrum."""
    total = float(spectrum.sum())
    if total <= _EPS:
        return 0.0, 0.0, 0.0
    weights = spectrum / total
    octaves = np.log2(np.maximum(freqs, 1.0) / 1000.0)
    centroid = float(weights @ octaves)
    spread = float(np.sqrt(max(weights @ (octaves - centroid) ** 2, 0.0)))
    flatness = float(np.mean(np.log10(spectrum + _EPS)) - np.log10(spectrum.mean() + _EPS))
    return centroid, spread, max(flatness, -6.0)


def _seconds_feature(seconds: float) -> float:
    """Durations on a log scale, 1 ms resolution: 10 ms and 20 ms differ as 1 s and 2 s do."""
    return float(np.log10(max(seconds, 0.0) + 0.001))


def _envelope_features(sound: np.ndarray, *, sr: int, total: int) -> list[float]:
    """Attack time, decay times to -6/-12/-24/-40 dB, effective length, crest, true length."""
    env, hop = envelope(y=sound, sr=sr)
    env_db = 20.0 * np.log10(env / max(env.max(), _EPS) + _EPS)
    peak = int(np.argmax(env_db))
    after = env_db[peak:]
    features = [_seconds_feature(peak * hop / sr)]
    for level in DECAY_LEVELS_DB:
        below = np.flatnonzero(after < level)
        steps = below[0] if below.size else len(after)
        features.append(_seconds_feature(steps * hop / sr))
    audible = np.flatnonzero(env_db > EFFECTIVE_LENGTH_DB)
    features.append(_seconds_feature((audible[-1] + 1) * hop / sr if audible.size else 0.0))
    head = sound[: max(1, int(0.1 * sr))]
    crest = float(np.abs(head).max()) / max(float(np.sqrt(np.mean(head * head))), _EPS)
    features.append(20.0 * np.log10(max(crest, 1.0)))
    features.append(_seconds_feature(total / sr))
    return features


def _low_features(
    power: np.ndarray, freqs: np.ndarray, sound: np.ndarray, *, sr: int
) -> list[float]:
    """Dominant frequency and its glide, tonality, sub and low energy share, zero-crossing rate."""
    early_f, _ = _dominant(power[MOMENTS["early"]].mean(axis=0), freqs)
    body_f, tonality = _dominant(power[3:12].mean(axis=0), freqs)
    later_f, _ = _dominant(power[MOMENTS["decay"]].mean(axis=0) + _EPS, freqs)
    head = power[:9].sum(axis=0)
    total = max(float(head.sum()), _EPS)
    sub = float(head[freqs < 60.0].sum()) / total
    low = float(head[freqs < 150.0].sum()) / total
    first = sound[: max(2, int(0.1 * sr))]
    crossings = np.count_nonzero(np.signbit(first[1:]) != np.signbit(first[:-1]))
    zcr = crossings * sr / (2.0 * len(first))  # Hz-like rate of a sine with that many crossings
    return [
        float(np.log2(body_f / 1000.0)),
        float(np.log2(early_f / max(later_f, 1.0))),
        tonality,
        float(10.0 * np.log10(sub + 1e-6)),
        float(10.0 * np.log10(low + 1e-6)),
        float(np.log2(max(zcr, 10.0) / 1000.0)),
    ]


def _dominant(spectrum: np.ndarray, freqs: np.ndarray) -> tuple[float, float]:
    """Strongest peak between 30 Hz and 5 kHz (parabolic interpolation) and its prominence in dB."""
    band = np.flatnonzero((freqs >= 30.0) & (freqs <= 5000.0))
    if band.size < 3 or spectrum[band].max() <= _EPS:
        return 1000.0, 0.0
    db = 10.0 * np.log10(spectrum + _EPS)
    i = int(band[np.argmax(db[band])])
    shift = 0.0
    if 0 < i < len(db) - 1:
        a, b, c = db[i - 1], db[i], db[i + 1]
        denom = a - 2 * b + c
        shift = 0.5 * (a - c) / denom if denom != 0 else 0.0
    step = freqs[1] - freqs[0]
    frequency = max(float(freqs[i] + shift * step), 20.0)
    prominence = float(db[i] - np.median(db[band]))
    return frequency, prominence


# --- the seed descriptor -------------------------------------------------------------------

SEED_SR = 44100
SEED_FRAMES = 10
SEED_FRAME_LENGTH = 2000
SEED_DIM = SEED_FRAMES * (SEED_FRAME_LENGTH // 2 + 1)


def seed_descriptor(*, y: np.ndarray, sr: int) -> np.ndarray:
    """The original tool's profile: dB power spectra of ten 2000-sample frames at 44.1 kHz.

    Unlike the original, other rates are resampled (not relabelled) and all
    channels are mixed (by the decoder) rather than taking the left one.
    Shape ``(SEED_DIM,)``, float32.
    """
    import scipy.signal  # only this descriptor needs it; keeps start-up fast

    y = np.asarray(y, dtype=np.float64)
    if sr != SEED_SR:
        g = np.gcd(int(sr), SEED_SR)
        y = scipy.signal.resample_poly(
            y[: int(np.ceil(SEED_FRAMES * SEED_FRAME_LENGTH * sr / SEED_SR)) + 64],
            SEED_SR // g,
            int(sr) // g,
        )
    needed = SEED_FRAMES * SEED_FRAME_LENGTH
    head = np.zeros(needed)
    head[: min(needed, len(y))] = y[:needed]
    frames = head.reshape(SEED_FRAMES, SEED_FRAME_LENGTH)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    return (10.0 * np.log10(power + 1e-10)).ravel().astype(np.float32)


# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Descriptor:
    """A named, versioned descriptor. Bump ``version`` whenever its output changes."""

    name: str
    version: int
    dim: int
    compute: Callable[..., np.ndarray]
    aspects: dict[str, list[int]] = field(default_factory=dict)
    summary: str = ""

    @property
    def key(self) -> str:
        """What is stored beside every vector, e.g. ``soundalike-1``."""
        return f"{self.name}-{self.version}"


DESCRIPTORS: dict[str, Descriptor] = {
    d.name: d
    for d in (
        Descriptor(
            name="soundalike",
            version=1,
            dim=SOUNDALIKE_DIM,
            compute=soundalike_descriptor,
            aspects=SOUNDALIKE_ASPECTS,
            summary="onset-aligned log-mel at five moments, envelope, brightness, low end",
        ),
        Descriptor(
            name="seed",
            version=1,
            dim=SEED_DIM,
            compute=seed_descriptor,
            summary="the original script's dB spectra of ten 2000-sample frames",
        ),
    )
}
DEFAULT_DESCRIPTOR = "soundalike"


def get_descriptor(name: str) -> Descriptor:
    try:
        return DESCRIPTORS[name]
    except KeyError:
        known = ", ".join(sorted(DESCRIPTORS))
        raise EngineError(f"unknown descriptor {name!r} (known: {known})") from None


def check_profilable(*, y: np.ndarray, sr: int) -> str | None:
    """Why a signal cannot get a descriptor, or None when it can.

    Returns ``"silent"`` for silence (indexed and flagged, not a failure); any
    other string is a failure reason for people.
    """
    if len(y) < MIN_SECONDS * sr:
        return f"too short to profile ({1000.0 * len(y) / sr:.1f} ms; at least 5 ms needed)"
    if float(np.max(np.abs(y))) < SILENCE_PEAK:
        return "silent"
    return None
