"""Public directory views (see the package docstring)."""
