"""Code on a Dask cluster: connect to one, send it the coder once, code a Dask DataFrame of comments.

Coding is a pure function of a batch of comments, the codebook and the model
(:func:`tcs_themes.coding.analyst_codes.code_table`), so the batch function of
``tcs-themes code`` runs on each partition of a Dask DataFrame unchanged and the
coded rows equal one process's. Dask (the ``distributed`` package) is an
optional extra: ``pip install "tcs-themes[dask]"``.

The codebook and the model reach each worker once, not once per task: a
:class:`CoderPlugin` (a Dask worker plugin) carries the codebook and the model
file's bytes; each worker, when it joins (a replacement for a worker that died
too), writes the bytes to a private temporary file and loads them with
:func:`tcs_themes.coding.model.model_io.coder_for`, with every check a model file
gets in one process. Tasks then name the coder by a key, a few bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from tcs_themes.codebook.model import Codebook
from tcs_themes.coding.analyst_codes import CodeProblem, code_table
from tcs_themes.coding.hybrid import HybridCoder
from tcs_themes.errors import MissingExtraError, TcsError, UsageError

try:  # the extra is optional: without it the plugin is never registered, and require_distributed() says so
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - exercised only without the extra
    WorkerPlugin = object

if TYPE_CHECKING:
    import dask.dataframe as dd
    from distributed import Client

INSTALL_HINT = 'pip install "tcs-themes[dask]"'
#: How long to wait for a scheduler to answer, and for it to have a worker.
CONNECT_TIMEOUT_S = 15
#: ``local:N`` starts at most this many worker processes per core (each loads its own coder).
MAX_LOCAL_WORKERS = 4


def require_distributed() -> Any:
    """Import and return the ``distributed`` package (Dask's cluster scheduler).

    Raises
    ------
    MissingExtraError
        If it is not installed; the message says what to install.
    """
    try:
        import dask.dataframe  # noqa: F401, PLC0415 - the extra's import, checked once here
        import distributed  # noqa: PLC0415
    except ImportError:
        raise MissingExtraError(
            f"--dask needs Dask's distributed scheduler, which is not installed: {INSTALL_HINT}"
        ) from None
    return distributed


class SchedulerError(TcsError, ConnectionError):
    """The Dask scheduler cannot be reached or started; the message says which and what to do."""


def parse_scheduler(spec: str) -> int | str:
    """Return the number of workers of ``local`` / ``local:N`` (``local``: one per core), else the address.

    Raises
    ------
    UsageError
        If ``spec`` is empty, or ``local:N`` has no whole number from 1 to :data:`MAX_LOCAL_WORKERS` times the cores.
    """
    spec = spec.strip()
    cores = os.cpu_count() or 1
    if spec == "local":
        return cores
    if spec.startswith("local:"):
        count = spec.removeprefix("local:")
        if not count.isdigit() or not 1 <= int(count) <= MAX_LOCAL_WORKERS * cores:
            raise UsageError(
                f"--dask local:N needs N, a number of workers from 1 to {MAX_LOCAL_WORKERS * cores} "
                f"({MAX_LOCAL_WORKERS} per core), not '{count}'"
            )
        return int(count)
    if not spec:
        raise UsageError("--dask needs a scheduler address (tcp://host:8786) or local[:N]")
    return spec


@contextmanager
def connect(scheduler: str) -> Iterator[Client]:
    """Yield a Dask client for ``scheduler``; close it (and a local cluster) afterwards.

    Parameters
    ----------
    scheduler : str
        A scheduler's address (``tcp://host:8786``), or ``local[:N]`` to start a
        ``LocalCluster`` of N worker processes (one thread each; ``local``: one
        worker per core) that ends with the block.

    Raises
    ------
    MissingExtraError
        If Dask's ``distributed`` package is not installed.
    UsageError
        If ``scheduler`` is neither an address nor ``local[:N]``.
    SchedulerError
        If the scheduler cannot be reached, or has no worker within :data:`CONNECT_TIMEOUT_S`.
    """
    distributed = require_distributed()
    target = parse_scheduler(scheduler)
    if isinstance(target, int):
        cluster = distributed.LocalCluster(
            n_workers=target, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
        )
        try:
            with distributed.Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    try:
        client = distributed.Client(target, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as error:
        raise SchedulerError(
            f"cannot reach the Dask scheduler at '{target}' ({type(error).__name__}); start one with "
            "'dask scheduler' and workers with 'dask worker ADDRESS', or use --dask local:N (docs/cluster.md)"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError):
            raise SchedulerError(
                f"the Dask scheduler at '{target}' has no workers; start some with 'dask worker {target}'"
            ) from None
        yield client


def describe(client: Client) -> str:
    """One line about the cluster: the scheduler's address, its workers and their threads."""
    workers = client.scheduler_info(n_workers=-1).get("workers", {})
    threads = sum(int(w.get("nthreads", 0)) for w in workers.values())
    return (f"Dask scheduler {client.scheduler.address}: {len(workers)} worker{'s' if len(workers) != 1 else ''}, "
            f"{threads} thread{'s' if threads != 1 else ''}")  # fmt: skip


# --- the coder on the workers -------------------------------------------------------------------------

#: The coders this process holds as a worker, by key (set up by CoderPlugin).
_CODERS: dict[str, HybridCoder] = {}
#: One coder per worker process: tasks on a worker's threads take turns with it.
_CODER_LOCK = threading.Lock()


@dataclass(frozen=True)
class CoderRecipe:
    """What a worker needs to build the coder: the codebook, the model file's bytes, the method.

    Attributes
    ----------
    codebook : Codebook
    model_bytes : bytes or None
        The ``.skops`` file's contents (None for ``rules`` and ``codebook``, which read no model).
    method : str
        One of :data:`tcs_themes.coding.model.model_io.CODER_METHODS`.
    batch_size : int
        Comments the coder codes at a time.
    """

    codebook: Codebook
    model_bytes: bytes | None
    method: str
    batch_size: int

    @property
    def key(self) -> str:
        """A name for this coder, the same for the same codebook, model, method and batch size."""
        digest = hashlib.sha256(self.codebook.fingerprint().encode())
        digest.update(self.model_bytes or b"")
        digest.update(f"{self.method}/{self.batch_size}".encode())
        return f"tcs-themes-coder-{digest.hexdigest()[:16]}"

    def build(self) -> HybridCoder:
        """Load the coder, from a private temporary copy of the model file."""
        from tcs_themes.coding.model.model_io import MODEL_SUFFIX, coder_for  # noqa: PLC0415

        if self.model_bytes is None:
            return coder_for(self.codebook, None, method=self.method, batch_size=self.batch_size)
        with tempfile.TemporaryDirectory(prefix="tcs-themes-model-") as folder:
            path = Path(folder) / f"model{MODEL_SUFFIX}"
            path.write_bytes(self.model_bytes)
            return coder_for(self.codebook, path, method=self.method, batch_size=self.batch_size)


def coder_recipe(
    codebook: Codebook, model: str | Path | None = None, method: str = "hybrid", batch_size: int = 2000
) -> CoderRecipe:
    """Return the recipe of the coder :func:`~tcs_themes.coding.model.model_io.coder_for` would give."""
    from tcs_themes.coding.model.model_io import DEFAULT_MODEL  # noqa: PLC0415

    model_bytes = None
    if method not in ("rules", "codebook"):
        model_bytes = Path(model if model is not None else DEFAULT_MODEL).read_bytes()
    return CoderRecipe(codebook, model_bytes, method, batch_size)


class CoderPlugin(WorkerPlugin):
    """A Dask worker plugin that builds the coder once on each worker (and on each worker that joins later).

    Registered with :func:`send_coder`; Dask pickles it to each worker once.
    """

    def __init__(self, recipe: CoderRecipe) -> None:
        self.recipe = recipe
        self.name = recipe.key  # Dask replaces a plugin registered again under the same name

    def setup(self, worker: Any) -> None:  # noqa: ARG002 - Dask's plugin interface
        """Build the coder in this worker process, then prepare the process as the worker pool's are
        (:func:`tcs_themes.coding.stream.start_worker`: the coder's objects frozen out of the garbage
        collector's sight, PyTorch on one thread)."""
        from tcs_themes.coding.stream import start_worker  # noqa: PLC0415

        _CODERS[self.name] = self.recipe.build()
        start_worker()

    def teardown(self, worker: Any) -> None:  # noqa: ARG002
        """Drop the coder."""
        _CODERS.pop(self.name, None)


def send_coder(client: Client, recipe: CoderRecipe) -> str:
    """Register the coder of ``recipe`` on every worker of ``client`` (once per worker); return its key."""
    client.register_plugin(CoderPlugin(recipe), name=recipe.key)
    return recipe.key


def release_coder(client: Client, key: str) -> None:
    """Remove the coder ``key`` from the workers of ``client`` (a scheduler that stays up keeps no model)."""
    client.unregister_worker_plugin(key)


def worker_coder(key: str) -> HybridCoder:
    """The coder ``key`` of this worker process (see :class:`CoderPlugin`)."""
    try:
        return _CODERS[key]
    except KeyError:
        raise RuntimeError(f"no coder {key} on this worker; send it with send_coder() first") from None


def code_with_worker_coder(
    comments: pd.DataFrame, key: str, text_column: str = "text"
) -> tuple[pd.DataFrame, list[CodeProblem]]:
    """Code one partition with this worker's coder ``key``: :func:`~tcs_themes.coding.analyst_codes.code_table`."""
    with _CODER_LOCK:
        return code_table(worker_coder(key), comments, text_column)


def code_partition(comments: pd.DataFrame, key: str, text_column: str = "text") -> pd.DataFrame:
    """Code one partition with this worker's coder: the coded table (see :func:`code_dataframe`)."""
    return code_with_worker_coder(comments, key, text_column)[0]


def code_dataframe(
    comments: dd.DataFrame,
    client: Client | None = None,
    *,
    codebook: Codebook | None = None,
    model: str | Path | None = None,
    method: str = "hybrid",
    text_column: str = "text",
    batch_size: int = 2000,
) -> dd.DataFrame:
    """Code a Dask DataFrame of comments on a cluster; return the Dask DataFrame of coded comments (lazy).

    Each partition is coded as :func:`tcs_themes.coding.in_memory.code` codes a
    table, so the coded rows equal one process's: every input column, then the
    coded columns and a ``score_<theme_id>`` per theme, one row per input row, in
    order. The coder is sent to each worker once (:func:`send_coder`) and stays
    there for later computations; :func:`release_coder` removes it.

    Parameters
    ----------
    comments : dask.dataframe.DataFrame
        Comments with a text column, e.g. ``dd.read_parquet("comments/")`` of an ingested table.
    client : distributed.Client, optional
        The cluster's client (default: the current one, ``distributed.get_client()``).
    codebook : Codebook, optional
        Default: the bundled TCS codebook.
    model : str or Path, optional
        A ``.skops`` model file (default: the model shipped with the package).
    method : {"hybrid", "rules", "model", "codebook"}, default "hybrid"
    text_column : str, default "text"
    batch_size : int, default 2000
        Comments the coder codes at a time within a partition (the result does not depend on it).

    Returns
    -------
    dask.dataframe.DataFrame

    Raises
    ------
    MissingExtraError
        If Dask's ``distributed`` package is not installed.
    CodingInputError
        If ``comments`` has no ``text_column`` (or lacks a context column the model reads).
    ModelError
        If the model file cannot be used with the codebook (checked here, before anything is sent).

    Examples
    --------
    >>> import dask.dataframe as dd  # doctest: +SKIP
    >>> from distributed import Client
    >>> client = Client("tcp://127.0.0.1:8786")
    >>> coded = code_dataframe(dd.read_parquet("comments/"), client)
    >>> coded.to_parquet("coded/")
    """
    distributed = require_distributed()
    from tcs_themes.codebook import load_codebook  # noqa: PLC0415
    from tcs_themes.coding.in_memory import code  # noqa: PLC0415

    recipe = coder_recipe(codebook if codebook is not None else load_codebook(), model, method, batch_size)
    meta = code(comments._meta, recipe.build(), text_column=text_column)  # checks the columns and the model here
    key = send_coder(client if client is not None else distributed.get_client(), recipe)
    return comments.map_partitions(code_partition, key, text_column, meta=meta, enforce_metadata=False)
