"""Run a batch of generate/verify calls in a fresh Python process with another PYTHONHASHSEED.

Two contract checks need a second process: determinism (the same inputs give the same problem in
any process — catches `hash()` of strings and state leaking between calls) and cross-process
verification (a Problem loaded from JSON elsewhere still verifies — catches hidden state such as
answers kept in a dict at generation time). Starting Python costs about half a second, so the
parent sends every request of a contract run in one batch and the child answers them all.

The child finds the template by module and qualified name (falling back to the module's file for
test modules that are not importable by name). Templates defined inside a function or in
`__main__` cannot be found; `locate` says so and the contract records a note instead.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from vrgym.seeding import digest
from vrgym.template import Template

RESULT_PREFIX = "VRGYM-CHILD-RESULT "
_ANSWERED: dict[str, ChildResult] = {}
"""Answers of earlier identical batches: checks run one at a time (one test each) share one child."""
_ANSWERED_MAX = 16
CHILD_CODE = "from vrgym.testing.crossproc import main; raise SystemExit(main())"


@dataclass(frozen=True)
class Locator:
    """Where another process can import a template class from."""

    module: str
    qualname: str
    file: str | None


@dataclass
class ChildResult:
    """Answers of the child process, in request order; `error` is set when the child itself failed."""

    generated: list[dict[str, Any]] = field(default_factory=list)
    """Per generate request: {"json": problem JSON} or {"error": message}."""
    verified: list[dict[str, Any]] = field(default_factory=list)
    """Per verify request: {"reward", "reason", "detail"} or {"error": message}."""
    error: str | None = None
    hash_seed: str = ""


def locate(template: Template) -> Locator | str:
    """A Locator for `template`'s class, or the reason another process cannot import it."""
    cls = type(template)
    if "<locals>" in cls.__qualname__:
        return f"{cls.__qualname__} is defined inside a function; define it at module level so another process can import it"
    module = sys.modules.get(cls.__module__)
    file = getattr(module, "__file__", None)
    if cls.__module__ == "__main__" and not file:
        return f"{cls.__name__} is defined in an interactive __main__; put it in a module so another process can import it"
    return Locator(cls.__module__, cls.__qualname__, os.path.abspath(file) if file else None)


def child_hash_seed() -> str:
    """A PYTHONHASHSEED different from this process's (which may be random, and then differs anyway)."""
    return "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"


def run_in_child(
    locator: Locator,
    generate: Sequence[tuple[int, int, str]],
    verify: Sequence[tuple[str, str]],
    *,
    timeout: float = 300.0,
) -> ChildResult:
    """Generate (seed, index, difficulty) problems and verify (problem JSON, response) pairs in a child.

    An identical batch asked before in this process is answered from memory.
    """
    request = {"locator": locator.__dict__, "generate": list(generate), "verify": list(verify)}
    key = digest(json.dumps(request, sort_keys=True), 16).hex()
    if key not in _ANSWERED:
        result = _ask_child(request, timeout)
        if result.error:
            return result  # not remembered: a timeout or crash may not repeat
        if len(_ANSWERED) >= _ANSWERED_MAX:
            _ANSWERED.pop(next(iter(_ANSWERED)))
        _ANSWERED[key] = result
    return _ANSWERED[key]


def _ask_child(request: dict[str, Any], timeout: float) -> ChildResult:
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = child_hash_seed()
    env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) if p else os.getcwd() for p in sys.path)
    try:
        done = subprocess.run(
            [sys.executable, "-c", CHILD_CODE],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ChildResult(error=f"the child process did not answer within {timeout:.0f}s")
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            payload = json.loads(line[len(RESULT_PREFIX) :])
            return ChildResult(payload["generated"], payload["verified"], payload.get("error"), env["PYTHONHASHSEED"])
    tail = (done.stderr or done.stdout).strip().splitlines()[-8:]
    return ChildResult(error=f"the child process exited with code {done.returncode} without a result: " + " | ".join(tail))


def load_class(locator: Locator) -> type[Template]:
    """Import the template class a Locator names (by module name, else from the module's file).

    A class from a script (`__main__`) is loaded from the script's file under another module name,
    so the script's `if __name__ == "__main__":` block does not run again.
    """
    if locator.module == "__main__" and locator.file:
        module = _load_file("__vrgym_main__", locator.file)
    else:
        try:
            module = importlib.import_module(locator.module)
        except ImportError:
            if not locator.file:
                raise
            module = _load_file(locator.module, locator.file)
    obj: Any = module
    for part in locator.qualname.split("."):
        obj = getattr(obj, part)
    return obj


def _load_file(name: str, file: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {file} as module {name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _answer(request: dict[str, Any]) -> dict[str, Any]:
    from vrgym.problem import Problem

    template = load_class(Locator(**request["locator"]))()
    # Verify before generating: generation must not be what makes verification work (hidden state).
    verified: list[dict[str, Any]] = []
    for problem_json, response in request["verify"]:
        try:
            verdict = template.verify(Problem.from_json(problem_json), response)
            verified.append({"reward": verdict.reward, "reason": verdict.reason, "detail": verdict.detail})
        except Exception as exc:  # noqa: BLE001
            verified.append({"error": f"{type(exc).__name__}: {exc}"})
    generated: list[dict[str, Any]] = []
    for seed, index, difficulty in request["generate"]:
        try:
            generated.append({"json": template.generate(seed, index, difficulty=difficulty).to_json()})
        except Exception as exc:  # noqa: BLE001  (reported to the parent, which names the case)
            generated.append({"error": f"{type(exc).__name__}: {exc}"})
    return {"generated": generated, "verified": verified}


def main() -> int:
    """Child entry point: read a request on stdin, print one result line on stdout."""
    try:
        payload = _answer(json.loads(sys.stdin.read()))
    except Exception as exc:  # noqa: BLE001
        payload = {"generated": [], "verified": [], "error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write("\n" + RESULT_PREFIX + json.dumps(payload) + "\n")
    return 0
