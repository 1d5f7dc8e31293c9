"""vrgym.integrations (being built; its owner replaces this docstring)."""
