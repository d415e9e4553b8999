"""Security: attacks from the first security review, each closed and proved."""
