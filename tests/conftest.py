"""Test-wide setup: the `pytester` fixture, used to run whole pytest sessions with the vrgym plugin."""

pytest_plugins = ["pytester"]
