"""Reading audio files into mono float32 arrays, read-only and bounded in length.

Every format libsndfile decodes is accepted (WAV/WAVEX at any bit depth, AIFF/AIFC,
FLAC, OGG/Vorbis, Opus, MP3...). Channels are mixed to mono and the file's own
sample rate is returned with the samples: nothing is relabelled or resampled
here. Long files are read only up to ``max_seconds`` so a one-hour field
recording costs no more than a long cymbal.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import soundfile

from ..errors import AudioError

AUDIO_EXTENSIONS = frozenset(
    {
        ".wav",
        ".wave",
        ".bwf",
        ".w64",
        ".rf64",
        ".aif",
        ".aiff",
        ".aifc",
        ".flac",
        ".ogg",
        ".oga",
        ".opus",
        ".mp3",
        ".caf",
    }
)


_AUDIO_EXTENSIONS_BYTES = frozenset(e.encode() for e in AUDIO_EXTENSIONS)


def is_audio_name(name: bytes | str) -> bool:
    """True when a file name has one of the audio extensions, matched case-insensitively."""
    if isinstance(name, bytes):  # bytes.lower() changes ASCII letters alone, as wanted here
        dot = name.rfind(b".")
        return dot >= 0 and name[dot:].lower() in _AUDIO_EXTENSIONS_BYTES
    dot = name.rfind(".")
    return dot >= 0 and name[dot:].lower() in AUDIO_EXTENSIONS


@dataclass(frozen=True)
class DecodedAudio:
    """Mono samples of (the start of) a file, plus what the file says about itself."""

    y: np.ndarray  # float32, shape (n,)
    sr: int
    channels: int
    frames: int  # the file's true length in frames, not len(y)
    format: str
    subtype: str

    @property
    def duration(self) -> float:
        return self.frames / self.sr if self.sr else 0.0


def decode(path: bytes | str, *, max_seconds: float | None = None) -> DecodedAudio:
    """Decode ``path`` to mono float32 at its own sample rate.

    Raises :class:`AudioError` with a reason a user understands when the file
    cannot be decoded. The file is only ever opened for reading.
    """
    try:
        with soundfile.SoundFile(path, mode="r") as f:
            sr = int(f.samplerate)
            channels = int(f.channels)
            frames = int(f.frames)
            if sr <= 0:
                raise AudioError("the file declares no sample rate")
            wanted = -1 if max_seconds is None else int(np.ceil(max_seconds * sr))
            data = f.read(frames=wanted, dtype="float32", always_2d=True)
            fmt, subtype = f.format, f.subtype
    except AudioError:
        raise
    except soundfile.LibsndfileError as exc:
        raise AudioError(_libsndfile_reason(exc)) from exc
    except (RuntimeError, ValueError, TypeError) as exc:
        raise AudioError(f"cannot decode: {exc}") from exc
    except MemoryError as exc:
        raise AudioError("the file is too large to decode") from exc
    if data.shape[0] == 0:
        raise AudioError("the file holds no audio (0 frames)")
    delivered = data.shape[0]
    if wanted < 0 or delivered < wanted:
        # We read to the real end: trust it over a header (truncated files, MP3 estimates).
        frames = delivered
    else:
        frames = max(frames, delivered)
    y = mix_to_mono(data)
    if not np.isfinite(y.sum()):  # one pass; NaN/inf only in broken float files
        y = np.nan_to_num(y, nan=0.0, posinf=0.0, neginf=0.0)
    return DecodedAudio(
        y=np.ascontiguousarray(y, dtype=np.float32),
        sr=sr,
        channels=channels,
        frames=frames,
        format=fmt,
        subtype=subtype,
    )


def mix_to_mono(data: np.ndarray) -> np.ndarray:
    """Average the channels of a ``(frames, channels)`` array.

    A matrix product, because ``mean(axis=1)`` over interleaved channels is
    several times slower than decoding itself.
    """
    channels = data.shape[1]
    if channels == 1:
        return data[:, 0]
    return data @ np.full(channels, 1.0 / channels, dtype=np.float32)


def _libsndfile_reason(exc: soundfile.LibsndfileError) -> str:
    """libsndfile's message, reworded for people where we know what it means."""
    text = str(getattr(exc, "error_string", "") or exc)
    lowered = text.lower()
    if "permission denied" in lowered:
        return "permission denied"
    if "no such file" in lowered:
        return "file not found"
    if "format not recognised" in lowered or "unknown format" in lowered:
        return "not an audio file libsndfile recognises (wrong extension or corrupt header)"
    if "unimplemented format" in lowered or "not supported" in lowered:
        return f"unsupported audio encoding ({text.strip()})"
    return f"cannot decode: {text.strip()}"
