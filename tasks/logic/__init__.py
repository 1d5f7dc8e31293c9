"""Logic-puzzle templates."""
