"""Adapters to third-party internals, each kept in one module per library.

Code elsewhere in reportgen uses only a library's public API plus these
modules; each use of a private name here says which versions it was checked
against, so an upgrade knows what to re-check.
"""
