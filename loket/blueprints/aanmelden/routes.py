"""Registration views (see the package docstring)."""
