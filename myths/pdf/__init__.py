"""Press-release PDFs: render.py typesets and caches a revision, views.py serves it, worker.py runs
WeasyPrint in a child process (whose forkserver imports this package: keep it free of imports)."""
