"""Kits by role: a playable kit around one or more sounds, one pad per role, by MIDI note.

A cluster is a family of similar sounds (sixteen kicks); a producer mostly wants a *kit*
that goes with a sound they like: a kick, hats, a clap, toms and cymbals that belong with
this snare, each on the pad where a Drum Rack (or any General MIDI drum map) expects it.

Every role asks for one instrument category (see :mod:`..sound.categories`). Categories come from
the learned embedding and are wrong about a quarter of the time on real kits, mostly
between neighbours (closed/open hat and cymbal, rim and snare, tom and kick), so a kit is
chosen to be robust to that:

- a sound is a candidate for a role when the model gives the role's category at least
  :data:`MIN_CONFIDENCE` (its probability, not only its best guess); a role with none
  stays empty, and the kit says why;
- one *home pack* supplies every role it has: a pack's sounds were recorded together and
  sound like a kit (the references' own pack, or else the one holding a sure kick, snare,
  closed hat and cymbal whose sounds are nearest to the references);
- for a role of another category than the references', the *most typical* sure sound of
  that category wins, with nearness to the references counting less: the "snare" nearest
  to a hat is too often a hat the model got wrong. For a role of the references' own
  category (snare 2 beside a snare), nearness counts fully;
- no sound (nor a copy of it) is used twice, and a reference keeps its own role;
- a role may ask for a finer instrument than the model knows (crash, ride, pedal hat): it
  takes the coarser category (cymbal, closed hat) until the model has the finer one, and the
  user's corrections (``soundalike label``) decide between siblings meanwhile;
- ``variation`` N gives the N-th next kit, ``keep`` locks pads (see :func:`build_kit`).

The weights were chosen on hydrogen-drumkits (benchmarks/bench_kit.py), which the model
never saw; they are few and coarse, to carry over to other libraries.

Pure functions of a :class:`~..index.catalogue.Catalogue`, like :mod:`..search.similar`.

Over 450 lines on purpose: the role table and the choice of each pad (candidates, home pack,
typicality, variations, locks, the reason a pad stays empty) read as one procedure.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import EngineError
from ..index.catalogue import Catalogue
from ..index.probabilities import SURE, category_centre_distances, category_probabilities
from ..paths import display_path, path_bytes
from ..reports import KitPad, KitResult
from ..search.duplicates import DUPLICATE_DISTANCE
from ..search.similar import query_vector
from ..sound.categories import ALL_CATEGORIES, CATEGORIES
from ..sound.category_names import coarse
from .roles import DEFAULT_PADS, LAYOUT, MAX_PADS, Role

#: Below this category confidence a sound is not a candidate for its category's roles.
#: On hydrogen-drumkits, 0.5 keeps most sounds and raises the share of right categories
#: on the pads (see benchmarks/bench_kit.py).
MIN_CONFIDENCE = 0.5
#: How much distance one unit of missing confidence costs a candidate outside the home pack,
#: and inside it (where the sound matters less than being sure of the instrument).
CONFIDENCE_WEIGHT = 0.5
#: How much nearness to the references counts, for a role of another category than theirs
#: and for one of theirs (snare 2 beside a snare reference).
REFERENCE_WEIGHT = 0.3
REFERENCE_WEIGHT_SAME = 1.0
#: Packs holding all core roles are compared by how many roles they hold, in steps of this.
HOME_ROLES_STEP = 100
#: A pack "has" a role when one of its sounds is at least this sure to be of its category.
HOME_SURE = SURE
#: References used for the kit's character when a whole cluster is the reference.
MAX_REFERENCES = 8
#: How far ahead of the other candidates a sound labelled with a role's finer instrument is.
LABELLED_FIRST = 100.0
#: The furthest ``variation`` asked for (each is built after the ones before it).
MAX_VARIATION = 99
#: The roles a kit needs before anything else: a home pack must have the most of these.
CORE_ROLES = ("kick", "snare", "closed hat", "crash")
#: ... and the model's categories they take their sounds from.
CORE = tuple(role.category for role in LAYOUT if role.name in CORE_ROLES)


@dataclass
class _Reference:
    path: bytes
    z: np.ndarray
    row: int | None
    category: str | None
    confidence: float | None


def build_kit(
    catalogue: Catalogue,
    files: Iterable[str | os.PathLike | bytes] = (),
    *,
    pads: int = DEFAULT_PADS,
    cluster: int | None = None,
    other_folders: bool = False,
    min_confidence: float = MIN_CONFIDENCE,
    variation: int = 0,
    keep: Mapping[int | str, str | os.PathLike | bytes] | None = None,
) -> KitResult:
    """A kit of ``pads`` roles (see :data:`LAYOUT`) around the reference sounds.

    References are ``files`` (in the library or not) and, with ``cluster``, that cluster's
    most typical member of each category. ``other_folders`` takes nothing from the
    references' own packs (the references themselves still keep their pads).

    ``variation`` N > 0 is the N-th next kit for the same references: kit N takes no sound
    that kit N-1 had on a pad (the references and locked pads aside) unless the library has
    nothing else for a role, and prefers sounds no earlier kit had; the same N always gives
    the same kit. ``keep`` locks pads: ``{note (or role name): file}`` puts that file on that
    pad whatever else changes (with no ``files``, the locked sounds are the references).
    """
    if not 1 <= pads <= MAX_PADS:
        raise EngineError(f"pads must be between 1 and {MAX_PADS}")
    if not 0 <= variation <= MAX_VARIATION:
        raise EngineError(f"variation must be between 0 and {MAX_VARIATION}")
    if catalogue.descriptor.categorise is None:
        raise EngineError(
            f"the library is profiled with {catalogue.descriptor.key}, which has no categories: "
            "run `soundalike scan` to bring it up to date"
        )
    roles = LAYOUT[:pads]
    locked = _locked_pads(catalogue, roles, keep or {})
    references = [_reference(catalogue, f) for f in files]
    if cluster is not None:
        references += _cluster_references(catalogue, cluster)
    if not references:
        references = [ref for _, ref in locked.values()]
    if not references:
        raise EngineError("a kit needs at least one reference sound (a file, or a cluster)")
    previous: set[int] = set()
    earlier: set[int] = set()
    for _ in range(variation + 1):
        result, taken = _one_kit(catalogue, roles, references, locked, other_folders,
                                 min_confidence, previous, earlier)
        previous = taken
        earlier |= taken
    return result


def _locked_pads(catalogue: Catalogue, roles: tuple[Role, ...],
                 keep: Mapping) -> dict[int, tuple[Role, _Reference]]:
    """``{layout position: (role, sound)}`` for the pads the user locked."""
    locked: dict[int, tuple[Role, _Reference]] = {}
    for key, file in keep.items():
        spot = next((i for i, role in enumerate(roles)
                     if (str(key).strip().isdigit() and role.note == int(key))
                     or str(key).strip().lower() == role.name), None)
        if spot is None:
            pads = ", ".join(f"{r.note} {r.name}" for r in roles)
            raise EngineError(f"cannot lock {key}: it is not a pad of this kit ({pads})")
        locked[spot] = (roles[spot], _reference(catalogue, file))
    return locked


def _one_kit(catalogue, roles, references, locked, other_folders, min_confidence,
             previous: set[int], earlier: set[int]) -> tuple[KitResult, set[int]]:
    """One kit, avoiding the rows of ``previous`` (the last variation) unless nothing else
    fits and preferring rows in no ``earlier`` one. Returns it with the rows it chose."""
    notes: list[str] = []
    chosen: dict[int, KitPad] = {}  # layout position -> pad
    used_rows: set[int] = set()
    used_z: list[np.ndarray] = []
    for spot, (role, ref) in locked.items():
        pad = _pad(role, catalogue, ref.path, 0.0, ref.confidence, False)
        chosen[spot] = pad.model_copy(update={"locked": True})
        if ref.row is not None:
            used_rows.add(ref.row)
        used_z.append(ref.z)
    # Each reference keeps its own role: the first free role of its category.
    for ref in references:
        if ref.row is not None and ref.row in used_rows:
            continue
        spot = next((i for i, role in enumerate(roles)
                     if ref.category in (role.wants, role.category) and i not in chosen), None)
        if ref.row is not None:
            used_rows.add(ref.row)
        used_z.append(ref.z)
        if spot is None:
            notes.append(f"{display_path(ref.path)} ({ref.category or 'no category'}) has no "
                         "free pad of its category in this layout")
            continue
        chosen[spot] = _pad(roles[spot], catalogue, ref.path, 0.0, ref.confidence, True)
    character = references[:MAX_REFERENCES]

    ref_packs = {catalogue.pack_of(r.path) for r in references} - {-1}
    probabilities = category_probabilities(catalogue)
    pool = np.ones(catalogue.size, dtype=bool)
    if "loop" in CATEGORIES:  # a loop is never a pad's one-shot
        pool &= catalogue.categories != ALL_CATEGORIES.index("loop")
    if other_folders:
        pool &= ~np.isin(catalogue.packs, list(ref_packs))
    distance = _distance_to(catalogue, character)
    ref_categories = {coarse(r.category) for r in references if r.category}
    home = _home_pack(catalogue, character, roles, pool, probabilities, distance, ref_packs,
                      other_folders, min_confidence)
    for i, role in enumerate(roles):
        if i in chosen:
            continue
        p = probabilities[:, CATEGORIES.index(role.category)]
        candidates = pool & (p >= min_confidence)
        candidates[list(used_rows)] = False
        candidates, preferred = _corrected(catalogue, role, candidates)
        # Among sounds of another category than the references', the one nearest to them is
        # too often one of their own kind that the model got wrong (the "snare" nearest to
        # a hat is a hat): there, the most typical sound of the category counts most.
        near = REFERENCE_WEIGHT_SAME if role.category in ref_categories else REFERENCE_WEIGHT
        score = (near * distance + _typicality(catalogue, probabilities, role.category)
                 + CONFIDENCE_WEIGHT * (1.0 - p))
        if preferred:
            score = score.copy()
            score[preferred] -= LABELLED_FIRST
        row = None
        # Variations: first sounds no earlier kit had, then any but the last kit's, then any.
        for tier in _tiers(candidates, previous, earlier):
            if home is not None:
                row = _best(catalogue, tier & (catalogue.packs == home), score, used_z)
            if row is None:
                row = _best(catalogue, tier, score, used_z)
            if row is not None:
                break
        if row is None:
            chosen[i] = KitPad.model_construct(
                note=role.note, role=role.name, category=role.category,
                empty=_why_empty(catalogue, role, p, ref_packs, other_folders, min_confidence))
            continue
        used_rows.add(row)
        used_z.append(catalogue.index.rows(row))
        chosen[i] = _pad(role, catalogue, catalogue.paths[row], float(distance[row]),
                         float(p[row]), False)
    _order_toms(catalogue, roles, chosen)
    taken = {r for r in (catalogue.row_of(os.fsencode(p.path)) for p in chosen.values()
                         if p.path is not None and not p.reference and not p.locked)
             if r is not None}
    result = [chosen[i] for i in range(len(roles))]
    for pad in result:
        if pad.path is None:
            notes.append(f"{pad.role} (note {pad.note}): empty, {pad.empty}")
    home_name = None
    if home is not None:
        home_name = display_path(next(k for k, v in catalogue.pack_keys.items() if v == home))
    return KitResult.model_construct(
        references=[display_path(r.path) for r in references],
        pack=home_name,
        pads=sorted(result, key=lambda p: p.note),
        notes=notes,
    ), taken


def _tiers(candidates: np.ndarray, previous: set[int], earlier: set[int]):
    """The candidates in the order a variation tries them (only ``candidates`` for the first
    kit): never used by an earlier kit, not used by the last one, any."""
    if not earlier:
        yield candidates
        return
    fresh = candidates.copy()
    fresh[list(earlier)] = False
    yield fresh
    if previous != earlier:
        not_last = candidates.copy()
        not_last[list(previous)] = False
        yield not_last
    yield candidates


def _reference(catalogue: Catalogue, file) -> _Reference:
    path, z, row, (category, confidence) = query_vector(catalogue, file)
    return _Reference(path, np.asarray(z, dtype=np.float32), row, category, confidence)


def _cluster_references(catalogue: Catalogue, cluster: int) -> list[_Reference]:
    """The most typical member of each category of a cluster, most common category first."""
    if cluster not in catalogue.cluster_labels:
        raise EngineError(f"no cluster {cluster} (the clusters list shows them)")
    rows = catalogue.cluster_rows(cluster)
    counts = Counter(int(catalogue.categories[r]) for r in rows)
    firsts: dict[int, int] = {}
    for row in rows:  # most typical first
        firsts.setdefault(int(catalogue.categories[row]), int(row))
    order = sorted(firsts, key=lambda code: -counts[code])
    return [
        _Reference(catalogue.paths[firsts[code]], catalogue.index.rows(firsts[code]),
                   firsts[code],
                   catalogue.category_of(firsts[code]),
                   float(catalogue.category_confidence[firsts[code]]))
        for code in order
    ]


def _distance_to(catalogue: Catalogue, references: list[_Reference]) -> np.ndarray:
    """Every row's mean distance to the references (the learned distance of ``similar``),
    in one pass over the library's vectors."""
    each = catalogue.index.distances_to_all(np.stack([ref.z for ref in references]))
    return (each.astype(np.float64).sum(axis=0) / len(references)).astype(np.float32)


def _home_pack(catalogue, references, roles, pool, probabilities, distance, ref_packs,
               other_folders, min_confidence):
    """The pack that supplies every role it can: the references' own pack, or else (outside
    the library, or with ``other_folders``) the pack that holds the most roles with a sure
    sound, among those the nearest to the references."""
    if not other_folders:
        own = Counter(catalogue.pack_of(r.path) for r in references if r.row is not None)
        if own:
            return own.most_common(1)[0][0]
    wanted = sorted({CATEGORIES.index(r.category) for r in roles})
    core = [CATEGORIES.index(c) for c in CORE if CATEGORIES.index(c) in wanted]
    same = {ALL_CATEGORIES.index(coarse(r.category)) for r in references
            if r.category and coarse(r.category) in CATEGORIES}
    best_key, best = None, None
    for pack in np.unique(catalogue.packs[pool]):
        mask = pool & (catalogue.packs == pack)
        sure = probabilities[mask][:, wanted].max(axis=0) >= HOME_SURE
        coverage = sum(bool(sure[wanted.index(code)]) for code in core)
        # Recording colour: how near the pack's sounds of the references' own kinds are.
        near = [float(distance[mask & (catalogue.categories == c)].min())
                for c in same if (mask & (catalogue.categories == c)).any()]
        key = (-coverage, -int(sure.sum()) // HOME_ROLES_STEP,
               float(np.mean(near)) if near else float(distance[mask].min()) + 1.0)
        if best_key is None or key < best_key:
            best_key, best = key, int(pack)
    return best


def _corrected(catalogue: Catalogue, role: Role,
               candidates: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """The candidates as the user's corrections have them, and the rows to prefer: a sound
    labelled with another finer instrument of the role's category (a ``ride`` for the crash
    pad, a ``pedal hat`` for the closed hat pad) is not a candidate; for a role finer than
    the model (crash while the model has only cymbals), the sounds labelled with it come
    first (in the home pack first, as every choice)."""
    if not catalogue.labels:
        return candidates, []
    mine, others = [], []
    for row, label in catalogue.labels.items():
        if label == role.wants and role.wants != role.category:
            mine.append(row)
        elif (label not in ALL_CATEGORIES and label != role.wants
              and coarse(label) == role.category):
            others.append(row)
    candidates = candidates.copy()
    candidates[others] = False
    return candidates, mine


def _typicality(catalogue: Catalogue, probabilities: np.ndarray, category: str) -> np.ndarray:
    """Every row's distance to the centre of the sounds surely of ``category`` (0 for none),
    kept with the catalogue (:func:`..index.probabilities.centre_distances_of`)."""
    return category_centre_distances(catalogue)[:, CATEGORIES.index(category)]


def _best(catalogue, candidates, score, used_z):
    """The best candidate row, skipping copies of sounds already on the kit (None if none)."""
    rows = np.flatnonzero(candidates)
    if not len(rows):
        return None
    score = score[rows]
    scale = catalogue.space.scale_
    used = np.stack(used_z) if used_z else None
    for row in rows[np.argsort(score, kind="stable")]:
        # The row's distance to every sound already on the kit at once (as
        # raw_distances_to measures it: the row read once, not once per sound).
        if used is not None and _raw_distances(catalogue, scale, row, used).min() <= (
                DUPLICATE_DISTANCE):
            continue
        return int(row)
    return None


def _raw_distances(catalogue: Catalogue, scale: np.ndarray, row: int,
                   used: np.ndarray) -> np.ndarray:
    """:func:`..search.duplicates.raw_distances_to` from each of ``used`` to one row."""
    skip = catalogue.index.learned
    diff = (np.asarray(used[:, skip:], dtype=np.float32)
            - catalogue.index.rows(row)[skip:]) * scale[skip:]
    return np.sqrt(np.mean(diff * diff, axis=1))


def _order_toms(catalogue, roles, chosen) -> None:
    """Low, mid and high tom by pitch: the chosen toms are swapped so the lowest is on 41."""
    pitch = catalogue.index.aspects.get("pitch")
    spots = [i for i, role in enumerate(roles) if role.category == "tom"
             and chosen[i].path is not None and not chosen[i].locked]
    if pitch is None or len(spots) < 2:
        return
    rows = [catalogue.row_of(os.fsencode(chosen[i].path)) for i in spots]
    if any(r is None for r in rows):
        return
    # The first "low" feature is the body's dominant frequency (log2), standardised.
    heights = [float(catalogue.index.Z[r, pitch[0]]) for r in rows]
    pads = [chosen[i] for i in spots]
    ordered = [pads[j] for j in np.argsort(heights, kind="stable")]
    for i, pad in zip(sorted(spots, key=lambda s: roles[s].note), ordered, strict=True):
        chosen[i] = pad.model_copy(update={"note": roles[i].note, "role": roles[i].name})


def _pad(role: Role, catalogue: Catalogue, path: bytes, distance: float,
         confidence: float | None, reference: bool) -> KitPad:
    row = catalogue.row_of(path)
    source = catalogue.category_source(row) if row is not None else None
    return KitPad.model_construct(
        note=role.note, role=role.name, category=role.category, path=display_path(path),
        path_bytes=path_bytes(path), distance=round(distance, 4),
        category_confidence=None if confidence is None else round(float(confidence), 3),
        reference=reference, pack=display_path(_pack_path(catalogue, path)),
        category_source=source,
    )


def _pack_path(catalogue: Catalogue, path: bytes) -> bytes:
    from ..index.catalogue import pack_key

    return pack_key(path, catalogue.roots)


def _why_empty(catalogue, role, p, ref_packs, other_folders, min_confidence) -> str:
    """Why a role has no sound, in the words a musician would use."""
    if not (p >= 0.5).any():
        return f"the library has no {role.category}"
    confident = p >= min_confidence
    if not confident.any():
        return (f"no {role.category} is confident enough (best {float(p.max()):.2f}, "
                f"needs {min_confidence:.2f})")
    if other_folders and not (confident & ~np.isin(catalogue.packs, list(ref_packs))).any():
        return f"no {role.category} outside the references' folders"
    return f"every confident {role.category} is already on a pad"
