"""Fault tests (issue 9): caches, databases and worker processes that fail or disagree.

Helpers that start throwaway servers live in tests/faults/servers.py.
"""
