"""Shared helpers below both apps: slugs, the site's own address and the public page cache.

Both apps import from here and nothing here imports either (STYLE.md: apps in one direction).
"""
