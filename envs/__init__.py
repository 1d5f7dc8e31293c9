"""Gymnasium environments for vrgym templates (installed as `vrgym.envs`)."""
