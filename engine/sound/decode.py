"""Reading audio files into mono float32 arrays, read-only and bounded in length.

Every format libsndfile decodes is accepted (WAV/WAVEX at any bit depth, AIFF/AIFC,
FLAC, OGG/Vorbis, Opus, MP3...). Channels are mixed to mono and the file's own
sample rate is returned with the samples: nothing is relabelled or resampled
here. Long files are read only up to ``max_seconds`` so a one-hour field
recording costs no more than a long cymbal.

What a file claims is checked before anything is read: a sample rate outside
1 kHz-768 kHz is refused (a header claiming 100 MHz would otherwise make
"the first 2.5 seconds" 250 million frames), and the samples are read in
blocks mixed to mono as they come, so memory stays bounded by ``max_seconds``
at the file's rate, whatever its channel count or claimed length.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
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


#: Sample rates a file may declare: from telephone-grade to the highest any converter records
#: (768 kHz). Outside, the header is broken or hostile, and it decides how much we would read.
MIN_SAMPLE_RATE = 1_000
MAX_SAMPLE_RATE = 768_000
#: Float files may go past full scale (1.0), and some store integer-scaled values (up to
#: 2^31 for 32-bit); beyond that the data is not audio, and squaring it would overflow.
MAX_PEAK = 2.0**31
#: Samples (all channels) read at a time: 4 MB of float32 per block, whatever the channels.
BLOCK_SAMPLES = 1 << 20
#: Integer encodings read as integers and scaled here. libsndfile's own conversion to float
#: costs several times the decoding (measured: 0.55 ms against 0.10 ms for 2.5 s of 16-bit
#: stereo) and gives the same numbers: each sample times 2^-15 (as int16) or 2^-31 (as
#: int32, left-justified), exact in float32 (tests/test_scan.py compares them bit for bit).
_INTEGER_READS = {
    "PCM_S8": ("int16", np.float32(2.0**-15)),
    "PCM_U8": ("int16", np.float32(2.0**-15)),
    "PCM_16": ("int16", np.float32(2.0**-15)),
    "PCM_24": ("int32", np.float32(2.0**-31)),
    "PCM_32": ("int32", np.float32(2.0**-31)),
}


def check_sample_rate(sr: int) -> None:
    """An :class:`AudioError` for a sample rate no real recording has."""
    if sr <= 0:
        raise AudioError("the file declares no sample rate (0 Hz): its header is broken")
    if sr < MIN_SAMPLE_RATE or sr > MAX_SAMPLE_RATE:
        raise AudioError(
            f"the file declares a sample rate of {sr:,} Hz, outside what audio files use "
            f"({MIN_SAMPLE_RATE // 1000} kHz to {MAX_SAMPLE_RATE // 1000} kHz): its header is "
            "broken or not what it claims"
        )


def decode(path: bytes | str, *, max_seconds: float | None = None) -> DecodedAudio:
    """Decode ``path`` to mono float32 at its own sample rate.

    Raises :class:`AudioError` with a reason a user understands when the file
    cannot be decoded, and OSError when it cannot be opened at all (see :func:`os_reason`).
    The file is only ever opened for reading.
    """
    try:
        with open_sound(path) as f:
            sr = int(f.samplerate)
            channels = int(f.channels)
            frames = int(f.frames)
            check_sample_rate(sr)
            if channels < 1:
                raise AudioError("the file declares no channels: its header is broken")
            wanted = -1 if max_seconds is None else int(np.ceil(max_seconds * sr))
            fmt, subtype = f.format, f.subtype
            y = _read_mono(f, channels, wanted, subtype)
    except AudioError:
        raise
    except soundfile.LibsndfileError as exc:
        raise AudioError(_libsndfile_reason(exc)) from exc
    except (RuntimeError, ValueError, TypeError) as exc:
        raise AudioError(f"cannot decode: {exc}") from exc
    except MemoryError as exc:
        raise AudioError("the file is too large to decode") from exc
    if y.shape[0] == 0:
        raise AudioError("the file holds no audio (0 frames)")
    delivered = y.shape[0]
    if wanted < 0 or delivered < wanted:
        # We read to the real end: trust it over a header (truncated files, MP3 estimates).
        frames = delivered
    else:
        frames = max(frames, delivered)
    return DecodedAudio(
        y=np.ascontiguousarray(y, dtype=np.float32),
        sr=sr,
        channels=channels,
        frames=frames,
        format=fmt,
        subtype=subtype,
    )


@contextlib.contextmanager
def open_sound(path: bytes | str) -> Iterator[soundfile.SoundFile]:
    """``path`` opened read-only for decoding (a context manager).

    On POSIX the file is opened here and libsndfile is handed the descriptor: libsndfile
    refuses paths over 1,024 bytes ("Supplied filename too long"), and deep sample folders
    have longer ones. Raises OSError when the file itself cannot be opened.
    """
    if os.name == "nt":  # libsndfile and Python may not share a C runtime's descriptors there
        with soundfile.SoundFile(path, mode="r") as sound:
            yield sound
        return
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        with soundfile.SoundFile(fd, mode="r", closefd=False) as sound:
            yield sound
    finally:
        os.close(fd)  # ours to close, whether libsndfile opened it or refused it


def os_reason(exc: OSError, path: bytes | str) -> str:
    """Why a file could not be opened, in the user's words."""
    if exc.errno == errno.ENAMETOOLONG:
        return (f"its path is too long for this system to open ({len(os.fsencode(path)):,} "
                "bytes): move it to a shallower folder or shorten the folder names")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "file not found"
    if exc.errno == errno.EISDIR:
        return "a folder, not a file"
    return f"cannot read: {exc.strerror or exc}"


def _read_mono(f: soundfile.SoundFile, channels: int, wanted: int,
               subtype: str = "") -> np.ndarray:
    """Up to ``wanted`` frames (all: -1) of ``f`` mixed to mono, read block by block: the
    memory used is the mono result plus one block, never the file's claimed length times its
    channels. Integer subtypes are read as integers (see :data:`_INTEGER_READS`)."""
    dtype, scale = _INTEGER_READS.get(subtype, ("float32", None))
    block = max(256, BLOCK_SAMPLES // channels)
    parts: list[np.ndarray] = []
    got = 0
    while wanted < 0 or got < wanted:
        n = block if wanted < 0 else min(block, wanted - got)
        data = _read_block(f, n, dtype, got)
        if data.shape[0] == 0:
            break
        if scale is not None:
            data = np.multiply(data, scale, dtype=np.float32)
        parts.append(mix_to_mono(data))  # a new array, or (mono) the block's only column
        got += data.shape[0]
        if data.shape[0] < n:
            break
    if not parts:
        return np.zeros(0, dtype=np.float32)
    y = parts[0] if len(parts) == 1 else np.concatenate(parts)
    return y if scale is not None else _check_values(y)  # integers are within full scale


#: libsndfile's reading function and C type for each dtype :func:`_read_block` reads.
_READERS = {"int16": ("sf_readf_short", "short *"), "int32": ("sf_readf_int", "int *"),
            "float32": ("sf_readf_float", "float *")}


def _read_block(f: soundfile.SoundFile, frames: int, dtype: str, position: int) -> np.ndarray:
    """What ``f.read(frames, dtype=dtype, always_2d=True)`` returns, read from ``position``
    (where the previous block ended: the decoder never seeks), as soundfile reads it: no
    more frames than the header says remain, cut to those libsndfile delivered, its error
    raised. Without the three seeks soundfile makes around every read to keep its own
    position, which in a FLAC file decode again (0.13 ms of 1.2 per 24-bit stereo file, 0.05
    ms per file over the benchmark's mix of formats). Through soundfile's own ``read`` when
    its handle is not where this version keeps it, or for a file that cannot seek."""
    handle = getattr(f, "_file", None)
    snd, ffi = getattr(soundfile, "_snd", None), getattr(soundfile, "_ffi", None)
    if handle is None or snd is None or ffi is None or not f.seekable():
        return f.read(frames=frames, dtype=dtype, always_2d=True)
    frames = max(0, min(frames, f.frames - position))
    out = np.empty((frames, f.channels), dtype=dtype)
    if frames:
        function, ctype = _READERS[dtype]
        delivered = getattr(snd, function)(handle, ffi.cast(ctype, out.ctypes.data), frames)
        code = snd.sf_error(handle)
        if code:
            raise soundfile.LibsndfileError(code)
        out = out[:delivered]
    return out


def _check_values(y: np.ndarray) -> np.ndarray:
    """Samples a float file may hold that are not audio: a few NaN or infinite ones (a broken
    sample or two) are silenced; more than 1 %, or values past :data:`MAX_PEAK`, make the
    whole file unusable."""
    if y.size == 0:
        return y
    # Two reductions and no temporary array; NaN if any sample is NaN (then the slow path).
    if float(y.min()) >= -MAX_PEAK and float(y.max()) <= MAX_PEAK:
        return y
    finite = np.isfinite(y)
    if not finite.all():
        if np.count_nonzero(~finite) > 0.01 * y.size:
            raise AudioError("its samples are infinite or not numbers (the float data is "
                             "broken, not audio)")
        y = np.where(finite, y, np.float32(0.0))
    peak = float(np.max(np.abs(y)))
    if peak > MAX_PEAK:
        raise AudioError(f"its samples reach {peak:.3g}, far past full scale (1.0): the float "
                         "data is broken or not audio")
    return y


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
    if "not a regular file" in lowered:  # said of a file we did open: its decoder gave up
        return ("the audio data is cut short or corrupt (no complete frame could be decoded; "
                "a truncated download or copy?)")
    if "sf_info struct incomplete" in lowered:
        return "its header is broken: it declares no sample rate (0 Hz) or no channels"
    return f"cannot decode: {text.strip()}"
