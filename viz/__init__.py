"""Interactive HTML views of the accountability graph (pyvis)."""
