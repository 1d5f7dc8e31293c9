"""vrgym.sandbox (being built; its owner replaces this docstring)."""
