"""Code verification that cannot be gamed: hidden tests run in the sandbox, results compared outside.

`CodeSpec` (the problem's hidden tests) → `check_code(code, spec)` → `Verdict`. Only the candidate
code and the test *inputs* enter the sandbox; values come back strictly serialised in one record
tagged with a per-run nonce and are compared here, outside (`compare.py`), so exiting early,
always-equal objects, forged output and reading test files earn nothing. See `driver.py` for what
runs inside and `docs/code.md` for the rules.
"""

from vrgym.verifiers.code.spec import CallTest, CodeSpec, StdioTest

__all__ = ["CallTest", "CodeSpec", "StdioTest"]
