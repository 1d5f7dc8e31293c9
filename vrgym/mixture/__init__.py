"""vrgym.mixture (being built; its owner replaces this docstring)."""
