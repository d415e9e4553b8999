"""Security: each weakness of the first security review, reproduced and proved closed.

One module per concern: deploy checks, dependencies, sign-in throttling, input bounds, headers.
"""
