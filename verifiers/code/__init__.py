"""Code verification that cannot be gamed: hidden tests run in the sandbox, results compared outside.

`CodeSpec` (the problem's hidden tests) → `check_code(code, spec)` → `Verdict`. Only the candidate
code and the test *inputs* enter the sandbox; values come back strictly serialised in one record
tagged with a per-run nonce and are compared here, outside (`compare.py`), so exiting early,
always-equal objects, forged output and reading test files earn nothing. `driver.py` is what
runs inside; `asserts.py` turns HumanEval/MBPP asserts into call tests; `docs/code.md` has the rules.
"""

from vrgym.verifiers.code.asserts import spec_from_asserts
from vrgym.verifiers.code.check import check_code, extract_code
from vrgym.verifiers.code.compare import same_output, same_value
from vrgym.verifiers.code.spec import CallTest, CodeSpec, StdioTest

__all__ = ["CallTest", "CodeSpec", "StdioTest", "check_code", "extract_code", "same_output", "same_value", "spec_from_asserts"]
