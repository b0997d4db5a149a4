"""What the engine tells its callers: plain data (pydantic models), no printing.

The CLI renders these for a terminal or as JSON; the OSC bridge turns them into
messages. Paths are strings here, shown with undecodable bytes escaped.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel as _PydanticModel
from pydantic import ConfigDict, Field


class BaseModel(_PydanticModel):
    """Every report: its validators and serialisers are built when first used, not at import
    (a command uses two or three of these models: building all of them cost every command
    about 30 ms).

    The reports a command's answer is made of in bulk (neighbours, kit pads, a scan's report
    and progress) are made with ``model_construct``: from values the engine computed with
    the right types, so not validated again. The first validation of any model loads
    pydantic's plugin machinery (``importlib.metadata``): 0.1 s of every command's start."""

    model_config = ConfigDict(defer_build=True)


def plain_data(report: _PydanticModel):
    """``report.model_dump()`` for reports of plain values, lists and other reports, made
    without pydantic's serialiser (whose first build costs what a first validation does)."""
    if isinstance(report, _PydanticModel):
        return {name: plain_data(getattr(report, name)) for name in type(report).model_fields}
    if isinstance(report, list):
        return [plain_data(item) for item in report]
    return report


class Failure(BaseModel):
    path: str
    reason: str
    retry: bool = False  # the cause can pass (unreadable, vanished...): the next scan tries again
    kept_profile: bool = False  # a failed re-profile: the file's earlier profile still answers


class ScanProgress(BaseModel):
    """A snapshot sent while a scan runs (never more often than the caller can draw)."""

    phase: str  # "walking", "profiling", "finishing"
    done: int = 0
    total: int = 0
    failed: int = 0
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        if self.done == 0 or self.total <= self.done:
            return None
        return (self.total - self.done) / self.rate


#: What a scan calls with its progress (:class:`ScanProgress`).
ProgressCallback = Callable[[ScanProgress], None]


class ScanReport(BaseModel):
    """The summary of one scan. ``failures`` lists the files that failed in this scan."""

    roots: list[str]
    descriptor: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    moved: int = 0
    removed: int = 0
    retried: int = 0  # files whose earlier failure could pass, tried again
    recovered: int = 0  # of those, profiled (or found silent) this time
    failed: int = 0
    silent: int = 0
    profiled: int = 0
    elapsed: float = 0.0
    #: Every sound now has a profile of this scan's descriptor: searches switched to it.
    descriptor_switched: bool = False
    #: Files named ``loop`` by the loop rule's one pass after an upgrade (scan.loop_recount).
    loops_found: int = 0
    #: Loops given their hits' learned numbers by that pass (those newly named included).
    loops_placed: int = 0
    #: Files that pass no longer names ``loop`` (profiled again: a stricter loop rule).
    loops_unnamed: int = 0
    offline_roots: list[str] = Field(default_factory=list)
    failures: list[Failure] = Field(default_factory=list)

    @property
    def changed_library(self) -> bool:
        return bool(self.new or self.changed or self.moved or self.removed or self.recovered
                    or self.descriptor_switched)


class LabelReport(BaseModel):
    """Sounds given a category by a person (or cleared back to the model's)."""

    files: list[str]
    category: str | None  # None: labels cleared
    changed: int  # labels written or cleared


class ForgetReport(BaseModel):
    """Folders taken out of the library, and how many of their files left the index."""

    folders: list[str]
    files: int


class RootStatus(BaseModel):
    path: str
    match: str | None = None
    last_scan: str | None = None  # ISO 8601, local time
    online: bool = True


class LibraryStatus(BaseModel):
    db: str
    db_bytes: int
    schema_version: int
    descriptor: str
    roots: list[RootStatus]
    files: int
    profiled: int
    silent: int
    failed: int
    retrying: int = 0  # failures whose cause can pass: the next scan tries these files again
    long: int
    stale: int  # profiled with another descriptor version: the next scan redoes them
    search_descriptor: str | None = None  # what searches use: ``descriptor`` once switched
    categories: dict[str, int] = Field(default_factory=dict)  # profiled sounds per category
    last_scan: ScanReport | None = None
    last_scan_finished: str | None = None
    failures: list[Failure] = Field(default_factory=list)


class Neighbour(BaseModel):
    rank: int  # 1 = the closest
    path: str
    path_bytes: str | None = None  # base64 of the exact name when it is not UTF-8
    distance: float  # RMS difference of standardised descriptors: 0 = identical
    duration: float
    cluster: int | None = None
    aspects: dict[str, float] = Field(default_factory=dict)  # per aspect: 1 = identical
    category: str | None = None  # instrument category, from the sound (None: no categories)
    category_confidence: float | None = None  # the model's probability for it (1 for yours)
    category_source: str | None = None  # "you" (a correction, `soundalike label`) or "model"


class SimilarResult(BaseModel):
    query: str
    in_library: bool  # False: the query was profiled on the fly and not added
    neighbours: list[Neighbour]
    category: str | None = None  # the query's own category
    category_confidence: float | None = None
    category_source: str | None = None  # "you" or "model"


class ClusterSummary(BaseModel):
    id: int
    label: str
    size: int
    category: str | None = None  # the commonest instrument category of its members
    category_share: float | None = None  # the share of its members in that category


class ClusterMember(BaseModel):
    rank: int  # 1 = the most typical member
    path: str
    path_bytes: str | None = None  # base64 of the exact name when it is not UTF-8
    duration: float
    typicality: float  # distance to the cluster's centre: smaller is more typical
    category: str | None = None
    category_source: str | None = None  # "you" or "model"


class ClusterDetail(ClusterSummary):
    members: list[ClusterMember]


class MatesResult(BaseModel):
    query: str
    cluster: int
    label: str
    mates: list[Neighbour]


class DuplicateGroup(BaseModel):
    paths: list[str]  # the first is the one to keep: highest rate, lossless, largest
    distance: float  # the largest distance between two linked members


class ClusteringReport(BaseModel):
    clusters: int
    files: int
    kept_ids: int  # clusters that kept the id of an earlier cluster
    mode: str  # "size 16" or "count 40"
    incremental: bool = False
    elapsed: float = 0.0


class KitPad(BaseModel):
    """One pad of a kit: a role on its MIDI note, and the sound chosen for it (or why none)."""

    note: int  # General MIDI percussion note (36 kick, 38 snare, 42 closed hat...)
    role: str  # "kick", "low tom", "crash"...
    category: str  # the instrument category the role asks for
    path: str | None = None  # None: the role stays empty (see ``empty``)
    path_bytes: str | None = None  # base64 of the exact name when it is not UTF-8
    distance: float | None = None  # mean distance to the reference sounds (0 for a reference)
    category_confidence: float | None = None
    category_source: str | None = None  # "you": the sound's category is a correction
    reference: bool = False  # one of the sounds the kit was built around
    locked: bool = False  # a pad the user locked (``--keep``): it never changes
    pack: str | None = None  # the pack (top folder under a library root) it comes from
    empty: str | None = None  # why no sound fits, for an empty pad


class SavedKit(BaseModel):
    """A kit written as an instrument file (``kit --save``)."""

    format: str  # hydrogen, drumgizmo, sfz
    folder: str
    file: str  # the kit file: drumkit.xml, <name>.xml, <name>.sfz
    samples: list[str]  # the copied samples, relative to the folder
    converted: int  # how many were converted to WAV


class KitResult(BaseModel):
    references: list[str]
    pack: str | None  # the home pack the kit was taken from first
    pads: list[KitPad]  # in note order, empty roles included
    notes: list[str]  # what a musician should know: empty roles, references without a pad
    saved: SavedKit | None = None  # where ``--save`` wrote it
