"""Faults: states the project's own commands and failures leave behind, caches, databases and
worker processes that fail or disagree, and what must still work (issue 9).

Each module names the fault it reproduces; helpers that start throwaway servers are in servers.py.
"""
