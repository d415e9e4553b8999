"""Faults: states the project's own commands and failures leave behind, and what must still work.

Each module names the fault it reproduces (tests for issue 9).
"""
