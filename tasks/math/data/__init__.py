"""Package data of the math templates: small hand-written dataset fixtures (`dataset_*.jsonl`).

Each fixture imitates the row layout of a public math dataset (Hendrycks MATH, GSM8K,
NuminaMath, AIMO) with problems written for vrgym — no row is copied from those datasets. They
are the default sources of the dataset-backed templates (`vrgym.tasks.math.dataset_math`), so
those templates generate and self-check offline; point `source=` at a hub id or a local file for
real training data. This is a package (this file) so wheels ship the files with the `*.jsonl`
package-data rule, and they are read with `importlib.resources`.
"""
