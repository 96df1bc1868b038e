"""A pool of query processes (graph/query_worker.py) that enforces a time limit by killing the one that runs over.

Each process opens the same on-disk store read-only, so a replacement is ready in well under a second and
shares the operating system's page cache with the others. A request that finds every process busy waits for
one up to QUEUE_WAIT, then is turned away (busy is not the client's fault: 503).
"""

from __future__ import annotations

import multiprocessing
import queue
import sys
import threading
from dataclasses import dataclass
from typing import Any

from policykg.graph.query_worker import Request

START_TIMEOUT = 60.0  # seconds a new process may take to open the store
QUEUE_WAIT = 30.0  # seconds a request waits for a free process (one that ran over is being replaced meanwhile)


@dataclass(frozen=True)
class Limits:
    timeout: float = 10.0  # seconds of evaluation per query
    max_result_bytes: int = 32 * 1024 * 1024
    max_body_bytes: int = 1024 * 1024


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


class _Process:
    def __init__(self, ctx: Any, store_path: str, max_bytes: int) -> None:
        from policykg.graph import query_worker

        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=query_worker.serve, args=(child, store_path, max_bytes), daemon=True)
        self.proc.start()
        child.close()
        if not self.conn.poll(START_TIMEOUT) or self.conn.recv() != ("ready",):
            self.kill()
            raise RuntimeError("a query process did not start")

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryPool:
    def __init__(self, store_path: str, workers: int, limits: Limits) -> None:
        self.store_path = store_path
        self.limits = limits
        self._ctx = multiprocessing.get_context("spawn")  # a fork of a threaded server copies held locks
        self._idle: queue.Queue[_Process] = queue.Queue()
        self._all: set[_Process] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(max(1, workers)):
            self._add(self._new())

    def _new(self) -> _Process:
        return _Process(self._ctx, self.store_path, self.limits.max_result_bytes)

    def _add(self, p: _Process) -> None:
        with self._lock:
            if self._closed:
                p.kill()
                return
            self._all.add(p)
        self._idle.put(p)

    def _replace(self, dead: _Process) -> None:
        with self._lock:
            self._all.discard(dead)
        dead.kill()
        threading.Thread(target=self._respawn, daemon=True).start()

    def _respawn(self) -> None:
        for _ in range(3):
            try:
                self._add(self._new())
                return
            except (RuntimeError, OSError) as exc:
                print(f"policykg: warning: a query process could not be restarted ({exc})", file=sys.stderr)

    def run(self, req: Request) -> Answer:
        timeout = self.limits.timeout
        try:
            p = self._idle.get(timeout=QUEUE_WAIT)
        except queue.Empty:
            return Answer(503, "text/plain; charset=utf-8", b"every query process is busy; try again later\n")
        try:
            p.conn.send(req)
            if not p.conn.poll(timeout):
                self._replace(p)  # pyoxigraph cannot be interrupted: the process goes, and the query with it
                return Answer(503, "text/plain; charset=utf-8",
                              f"the query ran past the time limit of {timeout:g} s and was stopped\n".encode())
            status, media, body = p.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(p)
            return Answer(500, "text/plain; charset=utf-8", b"the query process failed\n")
        self._idle.put(p)
        return Answer(status, media, body)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            procs, self._all = list(self._all), set()
        for p in procs:
            p.kill()
