"""PDF rendering in a child process: WeasyPrint, a locked-down fetcher, and limits.

This module imports nothing from Django on purpose: it is loaded by a multiprocessing
*forkserver* (a clean process that never ran Django or any request thread), and the renderer is a
long-lived fork of it that runs one render after another (Renderer). The parent
(myths/pdf/render.py) renders the template, decides which files the document may read, and
waits at most `timeout` seconds; a render still running then is killed with SIGKILL (and the
renderer replaced), so a runaway layout cannot keep a CPU or a worker busy. Python threads cannot
be stopped from outside, which is why this is a process and not a thread.
"""

from __future__ import annotations

import mimetypes
import multiprocessing
import resource
import threading
import time
from urllib.parse import unquote, urlsplit
from urllib.request import Request

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .pagefill import page_fill_broken


class PdfWorkerError(Exception):
    """A render that could not finish: timed out, too large, crashed. The message says which."""


class ResourceRefused(ValueError):
    """Raised by the fetcher; WeasyPrint logs it and skips the resource (image, stylesheet, …)."""


# The scheme of a figure in the document: `media:<storage name>`. The parent reads each of the
# release's figures through Django's storage (local disk or S3 alike) and hands the bytes over.
MEDIA_SCHEME = "media"


class ConfinedFetcher(URLFetcher):
    """Fetches only `data:` URLs and the files in `files` (storage name -> bytes), as `media:`.

    Everything else is refused before any I/O: every `file:` path (the document never reads the
    disk, so no `..` trick or symlink can lead anywhere), another release's files (they are not
    in `files`), http(s), ftp and every other scheme. No redirect can happen because nothing is
    ever requested over a network.
    """

    def __init__(self, *, files: dict[str, bytes]):
        super().__init__(allowed_protocols=("data", MEDIA_SCHEME), allow_redirects=False)
        self.files = dict(files)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return self._data(url)
        if scheme == MEDIA_SCHEME:
            return self._media(url)
        return self._refuse(url, f"the {scheme or 'relative'} scheme is not allowed")

    def _refuse(self, url: str, why: str):
        self.refused.append(url)
        raise ResourceRefused(f"Resource refused ({why}): {url[:200]}")

    def _data(self, url: str):
        from urllib.request import DataHandler

        # urllib's own data: parser; it does no I/O.
        response = DataHandler().data_open(Request(url))  # noqa: S310 - data: only
        return URLFetcherResponse(url, response.read(), headers=dict(response.headers.items()))

    def _media(self, url: str):
        name = unquote(url[len(MEDIA_SCHEME) + 1 :])
        if name not in self.files:
            return self._refuse(url, "not one of this release's figures")
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, self.files[name], headers={"Content-Type": content_type})


def html_to_pdf(
    html: str,
    *,
    base_url: str,
    files: dict[str, bytes],
    max_pages: int,
    pdf_variant: str | None,
    refit_css: str = "",
    time_budget: float | None = None,
) -> bytes:
    """Lay out and write the PDF in this process, with the confined fetcher. Runs in the child.

    When the layout breaks the last-page rule (myths/pdf/pagefill.py) and `refit_css` is given,
    the document is laid out once more with it added, if the first layout took under a third of
    `time_budget` seconds (the parent's time limit still ends a render that overruns); the
    second layout is kept only if it keeps the rule and the page limit.
    """
    fetcher = ConfinedFetcher(files=files)
    started = time.monotonic()
    document = _layout(html, base_url=base_url, fetcher=fetcher, pdf_variant=pdf_variant)
    _check_pages(document, max_pages)
    took = time.monotonic() - started
    if refit_css and (time_budget is None or 3 * took < time_budget) and page_fill_broken(document):
        refitted = _layout(
            html.replace("</head>", f"<style>{refit_css}</style></head>", 1),
            base_url=base_url,
            fetcher=fetcher,
            pdf_variant=pdf_variant,
        )
        if len(refitted.pages) <= max_pages and not page_fill_broken(refitted):
            document = refitted
    return document.write_pdf(pdf_variant=pdf_variant, pdf_tags=True)


def _layout(html: str, *, base_url: str, fetcher: URLFetcher, pdf_variant: str | None):
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        pdf_variant=pdf_variant, pdf_tags=True
    )


def _check_pages(document, max_pages: int) -> None:
    if len(document.pages) > max_pages:
        raise PdfWorkerError(
            f"The document has {len(document.pages)} pages, more than the limit of {max_pages}."
        )


# Address space a render may use; a hostile document that tries to allocate without bound gets a
# MemoryError instead of pushing the server into swap.
MEMORY_LIMIT_BYTES = 2 * 1024**3


def _limit_memory() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = MEMORY_LIMIT_BYTES
    if hard != resource.RLIM_INFINITY:
        limit = min(hard, limit)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(connection):
    """The renderer's loop: one job at a time, each answered with ("ok", value) or ("error", why).

    A job's exception is reported and the loop goes on; a MemoryError may leave the heap in a poor
    state, so the loop ends after it and the parent starts a fresh renderer for the next job.
    """
    _limit_memory()
    try:
        while True:
            try:
                function, args, kwargs = connection.recv()
            except EOFError:  # the parent closed its end: nothing more to do
                return
            try:
                connection.send(("ok", function(*args, **kwargs)))
            except BaseException as exc:  # reported to the parent, never lost in stderr
                connection.send(("error", f"{type(exc).__name__}: {exc}"))
                if isinstance(exc, MemoryError):
                    return
    finally:
        connection.close()


_context = None


def _get_context():
    global _context  # one forkserver per process, started on first use
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        # The forkserver imports WeasyPrint (and its fonts' Python side) once; every renderer
        # then forks from it and starts warm.
        _context.set_forkserver_preload([__name__])
    return _context


class Renderer:
    """A long-lived child process that runs one job after another under the memory limit.

    Starting a child costs more than a small render (imports, fonts, WeasyPrint's first-use
    caches), so it is kept between renders. It is replaced when it dies, when a job overruns its
    time (the child is killed: a Python thread could not be stopped), and after `max_jobs` jobs,
    so whatever a render leaks does not accumulate.
    """

    def __init__(self, *, max_jobs: int = 100):
        self.max_jobs = max_jobs
        self.process = None
        self.connection = None
        self.jobs = 0
        self.lock = threading.Lock()  # runserver serves requests in threads

    def _start(self):
        context = _get_context()
        self.connection, child_end = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child_end,), daemon=True)
        self.process.start()
        child_end.close()
        self.jobs = 0

    def stop(self):
        """End the child (killed, since it may be in the middle of a runaway job)."""
        if self.connection is not None:
            self.connection.close()
        if self.process is not None:
            if self.process.is_alive():
                self.process.kill()
            self.process.join(5)
        self.process = self.connection = None

    def run(self, function, args, kwargs, *, timeout: float):
        with self.lock:
            if self.process is None or not self.process.is_alive() or self.jobs >= self.max_jobs:
                self.stop()
                self._start()
            self.jobs += 1
            try:
                self.connection.send((function, args, kwargs))
                if not self.connection.poll(timeout):
                    self.stop()
                    raise PdfWorkerError(
                        f"Rendering took longer than {timeout:g} seconds and was stopped."
                    )
                status, value = self.connection.recv()
            except (EOFError, OSError) as exc:
                exitcode = self.process.exitcode if self.process else None
                self.stop()
                raise PdfWorkerError(
                    f"The rendering process ended unexpectedly (exit code {exitcode})."
                ) from exc
        if status != "ok":
            raise PdfWorkerError(value)
        return value


_renderer = Renderer()


def run_isolated(function, *args, timeout: float, **kwargs):
    """Run `function(*args, **kwargs)` in the renderer child process and return its result.

    Raises PdfWorkerError if it raises, if it does not finish within `timeout` seconds (the child
    is then killed and replaced), or if the child dies. The function and its arguments must be
    picklable.
    """
    return _renderer.run(function, args, kwargs, timeout=timeout)
