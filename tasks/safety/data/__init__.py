"""Package data of the safety templates: hand-written seed prompts (`harmful.jsonl`, `benign.jsonl`).

A package (this file) so wheels ship the files with the `*.jsonl` package-data rule; they are read
with `importlib.resources` by `vrgym.tasks.safety.seeds`, never by a path into the source tree.
"""
