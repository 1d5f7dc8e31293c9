"""vrgym.safety (being built; its owner replaces this docstring)."""
