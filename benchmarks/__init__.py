"""Pressdesk's benchmark: builds published releases at a chosen size, serves them with gunicorn
against PostgreSQL and Redis, loads every public path with wrk and prints one table of warm and
cold throughput, latency and SQL queries, each a ratio to a trivial view in the same run.

Run it as `python -m benchmarks` (see benchmarks/README.md). Nothing here runs in production: the
trivial view is routed only when PRESSDESK_BENCHMARK is on (pressdesk/urls.py).
"""
