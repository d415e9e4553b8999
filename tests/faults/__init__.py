"""Faults: what the project must survive, and states its own commands produce."""
