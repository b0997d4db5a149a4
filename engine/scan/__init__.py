"""Scanning: walking the library's folders, profiling new and changed files in worker
processes, and writing what they found to the index, one scan at a time.

``walker`` (finding audio files), ``roots`` (the library's folders), ``scanner`` (the scan
itself, its workers and progress), ``dask_pool`` (its workers on a Dask cluster instead:
``scan --dask``), ``lock`` (one scan per index, across processes),
``lifeline`` (workers that exit with their parent), ``allocator`` (workers that keep the
memory they free), ``safe_path`` and ``worker_path``
(workers that import only the installed soundalike, never the current folder's code).
"""
