"""The Whoosh index on disk (or in memory for tests): opening, searchers per thread, writers, swaps.

On disk, the index root holds generations (`gen-<n>/`) and a `current` symlink to the live one. A
rebuild writes a new generation beside the live one and swaps the symlink atomically; readers see
the swap on their next request.
"""

import contextlib
import os
import shutil
import socket
import tempfile
import threading
import time
import weakref
from collections.abc import Iterable, Iterator

from whoosh import index as whoosh_index
from whoosh import query as whoosh_query
from whoosh.filedb.filestore import FileStorage, RamStorage
from whoosh.index import Index, LockError
from whoosh.searching import Searcher
from whoosh.writing import IndexWriter

from .schema import SCHEMA

WRITE_TIMEOUT = 10.0  # seconds a writer waits for another process's lock
# Documents from which a write uses a process per core: below it, starting them costs more than it saves.
BIG_BATCH = 2000


class SearchUnavailable(RuntimeError):
    """The index is missing or unreadable; search degrades, the rest of the site carries on."""


class PrivateRamStorage(RamStorage):
    """Memory storage (for tests) whose writers' scratch files live in a folder of its own.

    Whoosh's RamStorage puts writers' temporary files in `<system temp>/MAIN.tmp`, a name shared
    by every process on the machine: one process's clean-up then deletes another's open files
    ("This file is already closed"). Here each storage has a private folder, removed with it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._scratch = tempfile.mkdtemp(prefix="pioneer-whoosh-")
        weakref.finalize(self, shutil.rmtree, self._scratch, ignore_errors=True)

    def temp_storage(self, name: str | None = None) -> FileStorage:
        return FileStorage(os.path.join(self._scratch, name or "scratch")).create()


class WhooshBackend:
    """One index, shared by the threads of a process; each thread keeps its own searcher.

    For one host only: each host's index follows the database through the search_pending outbox,
    which the first process to commit consumes (docs/search.md, "One host or several").
    """

    kind = "whoosh"
    uses_outbox = True

    def __init__(self, root: str | None = None) -> None:
        self.root = root
        self._memory = PrivateRamStorage() if root is None else None
        self._memory_index = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._opened = []  # every searcher handed out, so close() can release their files

    # The service's interface, shared with PostgresBackend (docs/search.md, "Two backends") -------

    def search(self, filters, text, page, per_page, texts=lambda ids: {}):
        from .service import search

        return search(self, filters, text, page, per_page, texts=texts)

    def apply_pending(self, engine, **options) -> int:
        from .indexing import apply_pending

        return apply_pending(self, engine, **options)

    def pending_count(self, engine) -> int:
        from .indexing import pending_count

        return pending_count(engine)

    def rebuild(self, engine, progress=lambda documents: documents) -> int:
        from .indexing import rebuild

        return rebuild(self, engine, progress=progress)

    def check(self, engine) -> list[str]:
        from .indexing import check

        return check(self, engine)

    # Opening -------------------------------------------------------------------------------

    def current_path(self) -> str:
        return os.path.realpath(os.path.join(self.root, "current"))

    def identity(self) -> int | str:
        """Name the live index, so caches tell a rebuilt index from the one it replaced."""
        return id(self._memory_index) if self._memory is not None else self.current_path()

    def consumer_name(self) -> str | None:
        """This index as the outbox's consumer: the host and the index folder (None in memory, for tests)."""
        if self._memory is not None:
            return None
        return f"{socket.gethostname()}:{os.path.realpath(self.root)}"[:500]

    def exists(self) -> bool:
        if self._memory is not None:
            return self._memory_index is not None
        if not os.path.isdir(self.current_path()):
            return False
        try:
            return whoosh_index.exists_in(self.current_path())
        except Exception:  # There is an index, but it is unreadable.
            return True

    def usable(self) -> bool:
        """Tell whether the live index opens, answers, and has this version's fields."""
        try:
            searcher = self.searcher()
        except SearchUnavailable:
            return False
        return sorted(searcher.schema.names()) == sorted(SCHEMA.names())

    def probe(self) -> int:
        """Open the live index afresh and run a small query; return how many documents it holds.

        A searcher kept by a thread can go on answering from what it read before its files were
        overwritten, and opening reads only the table of contents: a query over a term, its postings
        and a stored document reads the segments themselves. Raise SearchUnavailable saying what is wrong.
        """
        searcher = None
        try:
            searcher = self.open().searcher()
            if sorted(searcher.schema.names()) != sorted(SCHEMA.names()):
                raise SearchUnavailable("the search index has other fields than this version of Pioneer")
            count = searcher.doc_count()
            term = next(iter(searcher.lexicon("title")), None)
            probe = whoosh_query.Term("title", term) if term is not None else whoosh_query.Every()
            for hit in searcher.search(probe, limit=1):
                hit.fields()
            return count
        except SearchUnavailable:
            raise
        except Exception as error:  # Whoosh raises many kinds (OSError, struct.error, ...) for garbage.
            raise SearchUnavailable(f"the search index cannot be read: {error or type(error).__name__}") from error
        finally:
            if searcher is not None:
                try:
                    searcher.close()
                except Exception:
                    pass

    def open(self) -> Index:
        """Open the live index; raise SearchUnavailable if there is none or it is unreadable."""
        if self._memory is not None:
            if self._memory_index is None:
                raise SearchUnavailable("the search index has not been built")
            return self._memory_index
        path = self.current_path()
        try:
            # Mapped read-only: every process reads the same page-cache pages, and a term lookup is a
            # slice instead of a seek and a read (a third of an uncached search's time at 10,000
            # projects, docs/search.md "Counting without walking documents"). Whoosh never rewrites
            # a file: commits and merges write new segments, and a rebuild writes a new folder.
            return FileStorage(path, supports_mmap=True).open_index()
        except Exception as error:  # Whoosh raises many kinds for a missing or corrupt index.
            raise SearchUnavailable(f"the search index cannot be opened: {error}") from error

    def searcher(self) -> Searcher:
        """This thread's searcher, reopened when the index changed (never Searcher.refresh())."""
        local = self._local
        generation = "memory" if self._memory is not None else self.current_path()
        searcher = getattr(local, "searcher", None)
        if searcher is not None and local.generation == generation:
            try:
                if searcher.up_to_date():
                    return searcher
            except Exception:  # A generation deleted under us: open afresh.
                pass
        if searcher is not None:
            try:
                searcher.close()
            except Exception:
                pass
            local.searcher = None
        try:
            local.searcher = self.open().searcher()
            with self._lock:
                self._opened = [s for s in self._opened if not s.is_closed] + [local.searcher]
        except SearchUnavailable:
            raise
        except Exception as error:
            raise SearchUnavailable(f"the search index cannot be read: {error}") from error
        local.generation = generation
        return local.searcher

    def close(self) -> None:
        """Close every searcher this backend opened (at shutdown, and between tests)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for searcher in opened:
            try:
                searcher.close()
            except Exception:
                pass

    def writer(self, timeout: float = WRITE_TIMEOUT, documents: int = 0) -> IndexWriter:
        """A writer on the live index; waits up to timeout seconds for another process's lock.

        documents: about how many documents will be written. A big batch (an import) on disk is
        written as a rebuild is, by a writer process per core each leaving its own segment.

        A rebuild may swap generations while we wait: a writer that got the lock of a generation
        no longer live is dropped and the live one is tried instead.
        """
        for _attempt in range(3):
            writer = self.open().writer(timeout=timeout, **self._batch_options(documents))
            if self._memory is not None or os.path.realpath(writer.storage.folder) == self.current_path():
                return writer
            writer.cancel()
        raise SearchUnavailable("the search index kept changing while waiting to write")

    @contextlib.contextmanager
    def exclusive(self, timeout: float = 120.0) -> Iterator[None]:
        """Hold the live index's write lock (if there is an index) while a rebuild reads and writes."""
        writer = None
        if self.exists():
            try:
                writer = self.writer(timeout=timeout)
            except LockError:
                raise
            except Exception:  # A corrupt index has no lock worth taking: the rebuild replaces it.
                writer = None
        try:
            yield
        finally:
            if writer is not None:
                writer.cancel()

    def _batch_options(self, documents):
        if documents < BIG_BATCH:
            return {}
        procs = min(2, os.cpu_count() or 1) if self._memory is None else 1
        return {"limitmb": 128} | ({"procs": procs, "multisegment": True} if procs > 1 else {})

    # Building ------------------------------------------------------------------------------

    def build(self, documents: Iterable[dict]) -> int:
        """Write a fresh index from documents beside the live one, then swap it in; return the count."""
        if self._memory is not None:
            storage = PrivateRamStorage()
            new_index = storage.create_index(SCHEMA)
            count = self._write_all(new_index, documents)
            with self._lock:
                self._memory_index = new_index
            return count
        os.makedirs(self.root, exist_ok=True)
        generation = os.path.join(self.root, f"gen-{time.time_ns()}")
        os.makedirs(generation)
        new_index = FileStorage(generation, supports_mmap=False).create_index(SCHEMA)
        # Whoosh indexes in Python: a writer process per core, each leaving its own segment
        # (no final merge), is about three times as fast as one writer on two cores.
        count = self._write_all(new_index, documents, **self._batch_options(BIG_BATCH))
        self._swap(generation)
        return count

    @staticmethod
    def _write_all(new_index, documents, **options):
        writer = new_index.writer(**({"limitmb": 128} | options))
        count = 0
        try:
            for document in documents:
                writer.add_document(**document)
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        return count

    def _swap(self, generation):
        """Point `current` at generation atomically, then remove generations older than the last one."""
        link = os.path.join(self.root, "current")
        temporary = os.path.join(self.root, f"current.{os.getpid()}.tmp")
        previous = self.current_path() if os.path.islink(link) else None
        os.symlink(os.path.basename(generation), temporary)
        os.replace(temporary, link)
        # Keep the generation just replaced: searchers in other processes may still read it.
        keep = {os.path.basename(generation), os.path.basename(previous or "")}
        for name in os.listdir(self.root):
            if name.startswith("gen-") and name not in keep:
                shutil.rmtree(os.path.join(self.root, name), ignore_errors=True)
