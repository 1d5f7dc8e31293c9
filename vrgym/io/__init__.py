"""File input and output of vrgym: problems, responses and verdicts on disk.

* `vrgym.io.formats`   — jsonl / parquet / HF-folder formats and how a path picks one;
* `vrgym.io.reading`   — lazy record readers with line/row-numbered `DataFileError`s;
* `vrgym.io.writers`   — crash-safe writers (``<path>.partial`` until commit);
* `vrgym.io.problems`  — the problem row layout (documented there) and problem read/write;
* `vrgym.io.responses` — responses and verdicts files.

Importing this package imports neither pyarrow nor datasets; they load when a tabular file is
actually read or written.

    from vrgym.io import write_problems, read_problems
    write_problems(vrgym.generate("Arithmetic", n=100), "arith.parquet")
    problems = read_problems("arith.parquet")
"""

from vrgym.io.formats import Format, input_format, output_format, partial_path
from vrgym.io.problems import (
    index_problems,
    iter_problems,
    open_problem_writer,
    problem_to_row,
    read_problems,
    row_to_problem,
    write_problems,
)
from vrgym.io.responses import Response, iter_responses, open_verdict_writer, read_responses, read_verdicts

__all__ = [
    "Format",
    "Response",
    "index_problems",
    "input_format",
    "iter_problems",
    "iter_responses",
    "open_problem_writer",
    "open_verdict_writer",
    "output_format",
    "partial_path",
    "problem_to_row",
    "read_problems",
    "read_responses",
    "read_verdicts",
    "row_to_problem",
    "write_problems",
]
