"""Kit-sized clusters from numpy's own k-means: known groups are found, the same input gives
the same clusters, and big libraries (fitted on a sample) and copies of one sound work."""

from __future__ import annotations

import numpy as np
import pytest

from soundalike.engine.clusters import clustering
from soundalike.engine.clusters.clustering import KitClusterer, cluster_means, cluster_rows
from soundalike.engine.errors import EngineError


def blobs(count: int, members: int, dim: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``count`` tight, far-apart groups of ``members`` points, shuffled; and each row's group."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((count, dim)) * 50
    truth = np.repeat(np.arange(count), members)
    X = centres[truth] + rng.standard_normal((len(truth), dim)) * 0.5
    order = rng.permutation(len(truth))
    return X[order].astype(np.float32), truth[order]


def same_partition(a: np.ndarray, b: np.ndarray) -> bool:
    pairs = set(zip(a.tolist(), b.tolist(), strict=True))
    return len(pairs) == len(set(a.tolist())) == len(set(b.tolist()))


def test_kit_sized_clusters_find_well_separated_groups():
    X, truth = blobs(40, 16)
    model = KitClusterer(size=16).fit(X)
    assert model.n_clusters_ == 40
    assert same_partition(model.labels_, truth)
    np.testing.assert_allclose(model.centres_, cluster_means(X, model.labels_, 40), rtol=1e-5)
    assert model.typicality_.shape == (len(X),) and model.typicality_.max() < 5


def test_count_clusters_and_groups():
    X, truth = blobs(6, 30)
    assert same_partition(KitClusterer(count=6).fit(X).labels_, truth)
    # Groups keep clusters apart even where the points would join: two groups of one blob.
    halves = np.arange(len(X)) % 2
    model = KitClusterer(size=30).fit(X, halves)
    assert all(len(set(halves[model.labels_ == c])) == 1 for c in range(model.n_clusters_))


def test_same_input_same_clusters_and_seed_matters():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((600, 12)).astype(np.float32)  # no structure: the seed decides
    first = KitClusterer().fit(X).labels_
    assert np.array_equal(first, KitClusterer().fit(X.copy()).labels_)
    assert not np.array_equal(first, KitClusterer(random_state=1).fit(X).labels_)
    sizes = np.bincount(first)
    assert sizes.max() <= 32 and 600 / 32 <= len(sizes) <= 600 / 4


def test_a_big_library_is_fitted_on_a_sample(monkeypatch):
    calls = []
    lloyd = clustering._lloyd

    def counting(X, k, rng):
        calls.append(len(X))
        return lloyd(X, k, rng)

    monkeypatch.setattr(clustering, "SAMPLE", 500)
    monkeypatch.setattr(clustering, "SAMPLE_PER_CENTRE", 4)
    monkeypatch.setattr(clustering, "_lloyd", counting)
    X, truth = blobs(50, 40)  # 2,000 rows: the coarse k-means sees 500 of them
    model = KitClusterer(size=40).fit(X)
    assert calls[0] == 500
    assert same_partition(model.labels_, truth)


def test_copies_of_one_sound_are_cut_into_kit_sized_clusters():
    X = np.ones((100, 4), dtype=np.float32)
    model = KitClusterer(size=16).fit(X)
    sizes = np.bincount(model.labels_)
    assert sizes.sum() == 100 and sizes.max() <= 32 and len(sizes) >= 4
    assert np.all(model.typicality_ == 0)


def test_cluster_rows_match_a_scan_per_cluster():
    labels = np.random.default_rng(0).integers(0, 7, 200)
    rows = cluster_rows(labels, 7)
    for c in range(7):
        assert np.array_equal(rows[c], np.flatnonzero(labels == c))


def test_bad_requests():
    with pytest.raises(EngineError, match="no profiled sounds"):
        KitClusterer().fit(np.empty((0, 4)))
    with pytest.raises(EngineError, match="--size"):
        KitClusterer(size=1).fit(np.ones((3, 2)))
    with pytest.raises(EngineError, match="--count"):
        KitClusterer(count=0).fit(np.ones((3, 2)))


def test_polishing_moves_a_sound_to_its_nearest_cluster_within_limits():
    X, truth = blobs(4, 10)
    labels = truth.copy()
    stray = np.flatnonzero(truth == 0)[:2]
    labels[stray] = 1  # two sounds of blob 0 put in blob 1's cluster
    polished = clustering._polish(X, labels, None, largest=20)
    assert same_partition(polished, truth)
    # A cluster that is full takes no one: blob 0's cluster may not grow past 8.
    full = clustering._polish(X, labels, None, largest=8)
    assert np.array_equal(full, labels)
    # Groups are kept apart: the strays' group differs from blob 0's, so they stay.
    groups = np.where(np.isin(np.arange(len(X)), stray) | (truth == 1), 1, 0)
    kept = clustering._polish(X, labels, groups, largest=20)
    assert np.array_equal(kept, labels)


def test_after_a_scan_the_space_and_clusters_use_one_blas_thread(tmp_path, library,
                                                                 monkeypatch):
    """The feature space fit and the catalogue after a scan run with one BLAS thread: with
    several, its small products spin against each other (several times the CPU time on a
    busy 2-core machine, see ClusterKeeper.refresh)."""
    from threadpoolctl import threadpool_info, threadpool_limits

    from soundalike.engine.index.feature_space import FeatureSpace
    from tests.conftest import write_drum

    seen = []
    fit = FeatureSpace.fit

    def watched(self, X, **options):
        seen.append(max(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"))
        return fit(self, X, **options)

    monkeypatch.setattr(FeatureSpace, "fit", watched)
    for i, family in enumerate(("kick", "snare", "hat", "kick", "snare", "hat")):
        write_drum(tmp_path / "lib" / f"{family} {i}.wav", family, seed=i)
    with threadpool_limits(2, user_api="blas"):  # as a command starts on two cores
        report = library.scan([tmp_path / "lib"], jobs=1)
        after = max(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
    assert report.profiled == 6
    assert seen == [1]
    assert after == 2  # the limit ends with the clustering


def test_a_large_library_is_clustered_on_threads_with_the_same_clusters(monkeypatch):
    """From THREADS_FROM sounds the instrument groups, and the polishing's neighbours and
    moves, are computed on several threads: the very clusters one thread makes."""
    import threading

    rng = np.random.default_rng(9)
    centres = rng.standard_normal((40, 16)).astype(np.float32) * 4
    E = (centres[rng.integers(0, 40, 6000)] + rng.standard_normal((6000, 16))).astype(
        np.float32)
    groups = rng.integers(0, 5, 6000)
    monkeypatch.setattr(clustering, "THREADS_FROM", 10**9)
    alone = KitClusterer().fit(E, groups)
    seen: set[str] = set()
    kit_sized = KitClusterer._kit_sized

    def noted(self, *args):
        seen.add(threading.current_thread().name)
        return kit_sized(self, *args)

    monkeypatch.setattr(KitClusterer, "_kit_sized", noted)
    monkeypatch.setattr(clustering.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(clustering, "THREADS_FROM", 1000)
    threaded = KitClusterer().fit(E, groups)
    assert any(name.startswith("clusters") for name in seen)
    np.testing.assert_array_equal(threaded.labels_, alone.labels_)
    np.testing.assert_array_equal(threaded.typicality_, alone.typicality_)


def test_new_sounds_join_the_nearest_centre_of_their_category_as_one_by_one():
    """A rescan places new sounds by their distances to every cluster's centre, computed a
    block of sounds at a time: each joins the cluster a pass over every centre finds (of
    its own category where it has one; the first of equal centres, as copies of one sound
    make them), blocks cut anywhere."""
    from soundalike.engine.clusters import keeper

    rng = np.random.default_rng(5)
    E = rng.standard_normal((600, 12)).astype(np.float16)
    # clusters of copies of one sound: centres on it, and a last bit away (means of copies)
    on = E[:20].astype(np.float32)
    centres = np.concatenate([rng.standard_normal((40, 12)).astype(np.float32),
                              np.nextafter(on, np.float32(np.inf)), on, on])
    codes = rng.integers(-1, 5, 600).astype(np.int8)
    main = rng.integers(-1, 4, len(centres))  # no centre of category 4

    def one_by_one(row, main):
        d2 = ((centres - E[row]) ** 2).sum(axis=1)
        if main is not None and (main == codes[row]).any():
            d2 = np.where(main == codes[row], d2, np.inf)
        return int(np.argmin(d2))

    rows = [*range(20), *rng.choice(600, 200, replace=False).tolist()]  # copies first
    for at_once in (7, keeper.PLACED_AT_ONCE):
        keeper.PLACED_AT_ONCE, kept = at_once, keeper.PLACED_AT_ONCE
        try:
            for kinds in (main, None):  # clusters kept within one category, or mixed
                assert keeper.ClusterKeeper._nearest_clusters(
                    E, rows, centres, codes, kinds) == [one_by_one(r, kinds) for r in rows]
        finally:
            keeper.PLACED_AT_ONCE = kept


def test_a_fit_going_round_in_circles_ends_where_all_its_iterations_would(monkeypatch):
    """Two near-identical sounds held many times (the same sample profiled twice, copies
    of a pack) make k-means put empty clusters back round and round: the fit stops once it
    sees the circle, on the very centres its last iteration would have reached, in a few
    iterations instead of all of them."""
    outcomes = {}
    for seed in range(12):
        rng = np.random.default_rng(seed)
        sound = (rng.standard_normal(48) * 0.3).astype(np.float32)
        again = sound + (rng.standard_normal(48) * 8e-5).astype(np.float32)
        X = np.concatenate([np.tile(sound, (65, 1)), np.tile(again, (8, 1))])
        for seen in (True, False):
            calls: list[int] = []

            def counted(*args, calls=calls, real=clustering._nearest, **kwargs):
                calls.append(1)
                return real(*args, **kwargs)

            monkeypatch.setattr(clustering, "_nearest", counted)
            if not seen:
                monkeypatch.setattr(clustering, "_repeats", lambda *a: None)
            centres = clustering._lloyd(X, 5, np.random.default_rng(0))
            outcomes[seed, seen] = centres, len(calls)
            monkeypatch.undo()
    cut_short, iterations, all_iterations = 0, 0, 0
    for seed in range(12):
        (seen, with_check), (every, without) = outcomes[seed, True], outcomes[seed, False]
        np.testing.assert_array_equal(seen, every)
        cut_short += with_check < without
        iterations, all_iterations = iterations + with_check, all_iterations + without
    # the circles are there to be seen (here 9 of the 12 fits ran all 100 iterations, and
    # 67 iterations made them all where 908 did)
    assert cut_short >= 4 and iterations * 3 < all_iterations
