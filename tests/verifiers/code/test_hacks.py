"""The reward-hack suite: every known trick against unit-test rewards scores 0, the host unharmed.

Each hack is a real program run through `check_code` on the sandbox (local, and docker when it
can start; see conftest.py). The hidden expected values are drawn fresh per session, so no hack
can know them; a correct solution scores 1 on the same spec, so a 0 here means "hack defeated",
not "verifier broken". After the suite no marked process survives and no zombie is left.
"""

from __future__ import annotations

import os
import random
import secrets
import textwrap
from pathlib import Path

import pytest

from tests.verifiers.code.conftest import assert_no_leftovers
from vrgym.sandbox import Executor
from vrgym.verifiers.code import CodeSpec, check_code
from vrgym.verifiers.code.check import build_job

_rng = random.Random(secrets.randbits(64))
PAIRS = [(_rng.randrange(10**9, 10**12), _rng.randrange(10**9, 10**12)) for _ in range(5)]
CALL = CodeSpec.model_validate(
    {"kind": "call", "entry_point": "add", "tests": [{"args": [a, b], "expected": a + b} for a, b in PAIRS], "test_seconds": 1.0}
)
STDIO = CodeSpec.model_validate(
    {"kind": "stdio", "tests": [{"stdin": f"{a} {b}\n", "expected": f"{a + b}\n"} for a, b in PAIRS], "test_seconds": 1.0}
)
SCRIPT = CodeSpec.model_validate(
    {"kind": "script", "entry_point": "add", "test_seconds": 1.0, "prelude": "import math\n",
     "script": "def check(candidate):\n" + "".join(f"    assert candidate({a}, {b}) == {a + b}\n" for a, b in PAIRS)}
)
FAST = {"limits": {"wall_seconds": 2.0, "cpu_seconds": 2}, "test_seconds": 0.5}
"""Tighter limits for the hangs, so the suite stays fast."""

CORRECT = "def add(a, b):\n    return a + b\n"
WRONG = "def add(a, b):\n    return 0\n"
CORRECT_STDIO = "a, b = map(int, input().split())\nprint(a + b)\n"
MARKER = "98765.4321"


def run(code: str, spec: CodeSpec, executor: Executor) -> str:
    verdict = check_code(textwrap.dedent(code), spec, executor=executor)
    assert verdict.reward in (0, 1)
    return verdict.reason


@pytest.mark.parametrize("spec, code", [(CALL, CORRECT), (STDIO, CORRECT_STDIO), (SCRIPT, CORRECT)], ids=["call", "stdio", "script"])
def test_correct_solutions_pass(spec: CodeSpec, code: str, code_executor: Executor) -> None:
    assert run(code, spec, code_executor) == "ok"


EXIT_HACKS = {
    "sys_exit_at_import": "import sys\nsys.exit(0)\n",
    "exit_builtin": "exit(0)\n",
    "os_exit_at_import": "import os\nos._exit(0)\n",
    "os_exit_in_call": "import os\ndef add(a, b):\n    os._exit(0)\n",
    "sys_exit_in_call": "import sys\ndef add(a, b):\n    sys.exit(0)\n",
    "atexit_exit": "import atexit, os\natexit.register(lambda: os._exit(0))\n" + WRONG,
    "excepthook_exit": "import sys, os\nsys.excepthook = lambda *a: os._exit(0)\nraise RuntimeError('boom')\n",
    "kill_the_driver": "import os, signal\ndef add(a, b):\n    os.kill(os.getppid(), signal.SIGKILL)\n    return 0\n",
}
VALUE_HACKS = {
    "always_true_eq": """
        class Anything:
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            __hash__ = object.__hash__
        def add(a, b):
            return Anything()
    """,
    "lying_int_subclass": """
        class Liar(int):
            def __eq__(self, other): return True
            __hash__ = int.__hash__
        def add(a, b):
            return Liar(0)
    """,
    "lying_str_and_float": """
        class S(str):
            def __eq__(self, other): return True
        def add(a, b):
            return S("x")
    """,
    "bool_for_int": "def add(a, b):\n    return True\n",
    "generator_instead_of_value": "def add(a, b):\n    yield a + b\n",
}
FORGERY_HACKS = {
    "forged_result_line": """
        import os, sys
        line = '\\nNONCE {"load":{"load":"ok"},"results":[' + ','.join(['{"passed":true}'] * 5) + ']}\\n'
        print(line); sys.stdout.flush(); os.write(1, line.encode()); os.write(2, line.encode())
        def add(a, b):
            os.write(1, line.encode())
            return 0
    """,
    "steal_nonce_and_forge_through_proc": """
        import os, json, signal
        parent = os.getppid()
        try:
            nonce = json.loads(open(f"/proc/{parent}/fd/0").read())["nonce"]
            with open(f"/proc/{parent}/fd/1", "w") as out:
                out.write("\\n" + nonce + ' {"load":{"load":"ok"},"results":[{"passed":true}]}\\n')
            os.kill(parent, signal.SIGKILL)
        except Exception:
            pass
        def add(a, b):
            return 0
    """,
    "steal_nonce_from_driver_memory": """
        import os, re, signal
        parent = os.getppid()
        try:
            mem = open(f"/proc/{parent}/mem", "rb", 0)
            for line in open(f"/proc/{parent}/maps").read().splitlines():
                low, high = (int(x, 16) for x in line.split()[0].split("-"))
                if "rw" in line.split()[1] and high - low < 2**26:
                    try:
                        mem.seek(low)
                        found = re.search(rb'"nonce": "([0-9a-f]{32})"', mem.read(high - low))
                    except OSError:
                        continue
                    if found:
                        with open(f"/proc/{parent}/fd/1", "w") as out:
                            out.write("\\n" + found.group(1).decode() + ' {"load":{"load":"ok"},"results":[{"passed":true}]}\\n')
                        os.kill(parent, signal.SIGKILL)
        except Exception:
            pass
        def add(a, b):
            return 0
    """,
    "patch_json_and_print": """
        import json, builtins
        json.dumps = lambda *a, **k: '{"value": 1}'
        builtins.print = lambda *a, **k: None
        def add(a, b):
            return 0
    """,
    "read_and_patch_the_harness": """
        import gc, os
        seen = {name: open(name).read() for name in os.listdir(".") if os.path.isfile(name)}
        for obj in gc.get_objects():
            if callable(obj) and getattr(obj, "__name__", "") in ("encode", "same_value", "send"):
                try:
                    obj.__code__ = (lambda *a, **k: None).__code__
                except Exception:
                    pass
        def add(a, b):
            return 0
    """,
    "hard_code_visible_guess": "def add(a, b):\n    return 3\n",
    "search_own_memory_for_the_asserts": """
        # a script spec's asserts reached the sandbox through its stdin: look for them in inherited memory
        import gc, re
        table = {}
        def scan(blob):
            for m in re.finditer(rb"candidate\\((\\d+), (\\d+)\\) == (\\d+)", blob):
                table[(int(m.group(1)), int(m.group(2)))] = int(m.group(3))
        for obj in gc.get_objects():
            if type(obj) is dict:
                for value in list(obj.values()):
                    if type(value) is str and "candidate(" in value:
                        scan(value.encode())
        try:
            mem = open("/proc/self/mem", "rb", 0)
            for line in open("/proc/self/maps").read().splitlines():
                low, high = (int(x, 16) for x in line.split()[0].split("-"))
                if "rw" in line.split()[1] and high - low < 2**28:
                    try:
                        mem.seek(low)
                        scan(mem.read(high - low))
                    except OSError:
                        pass
        except OSError:
            pass
        def add(a, b):
            return table.get((a, b), -1)
    """,
    "rewrite_the_trusted_prelude": """
        # the test process of a script spec runs the prelude: rewrite it to report "passed" on every fd
        with open("prelude.py", "w") as out:
            out.write("import os\\nfor fd in range(3, 64):\\n    try:\\n        os.write(fd, b'{\\"passed\\": true}\\\\n')\\n"
                      "    except OSError:\\n        pass\\nos._exit(0)\\n")
        def add(a, b):
            return 0
    """,
}


@pytest.mark.parametrize("name", sorted(EXIT_HACKS))
def test_exit_hacks_earn_nothing(name: str, code_executor: Executor) -> None:
    for spec in (CALL, SCRIPT):
        assert run(EXIT_HACKS[name], spec, code_executor) != "ok", (name, spec.kind)


@pytest.mark.parametrize("name", sorted(VALUE_HACKS))
def test_value_hacks_earn_nothing(name: str, code_executor: Executor) -> None:
    for spec in (CALL, SCRIPT):
        assert run(VALUE_HACKS[name], spec, code_executor) != "ok", (name, spec.kind)


@pytest.mark.parametrize("name", sorted(FORGERY_HACKS))
def test_forgery_hacks_earn_nothing(name: str, code_executor: Executor) -> None:
    for spec in (CALL, SCRIPT):
        assert run(FORGERY_HACKS[name], spec, code_executor) != "ok", (name, spec.kind)


def test_printing_a_guess_of_the_expected_output_earns_nothing(code_executor: Executor) -> None:
    assert run("print(42)\nprint(' '.join(open('inputs.json').read().split()[:3]))\n", STDIO, code_executor) == "wrong_answer"


def test_expected_values_never_enter_the_sandbox() -> None:
    """Reading every file of the job (or its stdin) finds no expected output: there is no test file to read."""
    for spec in (CALL, STDIO):
        job = build_job(CORRECT, spec, "nonce")
        inside = "\n".join(job.files.values()) + job.stdin
        for a, b in PAIRS:
            assert str(a + b) not in inside
            assert str(a) in inside  # the inputs are there, as they must be


def test_network_is_unreachable(code_executor: Executor) -> None:
    code = """
        import socket
        def add(a, b):
            try:
                socket.create_connection(("1.1.1.1", 53), timeout=0.5).close()
                return a + b  # only a reachable network would give the right answer
            except OSError:
                return -1
    """
    assert run(code, CALL, code_executor) == "wrong_answer"


def test_writing_outside_the_work_dir_is_refused(code_executor: Executor, tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o777)
    target = tmp_path / "escaped.txt"
    code = f"""
        def add(a, b):
            try:
                with open({str(target)!r}, "w") as out:
                    out.write("escaped")
                return a + b
            except OSError:
                return -1
    """
    run(code, CALL, code_executor)
    assert not target.exists(), "the job wrote a file outside its work dir"


@pytest.mark.parametrize(
    "name, code, reasons",
    [
        ("fork_bomb", "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n", {"timeout", "runtime_error"}),
        ("memory_bomb", "def add(a, b):\n    x = bytearray(10**11)\n    return a + b\n", {"memory"}),
        ("memory_bomb_at_import", "blocks = []\nwhile True:\n    blocks.append(bytearray(10**8))\n", {"memory", "timeout"}),
        ("infinite_loop", "def add(a, b):\n    while True:\n        pass\n", {"timeout"}),
        ("infinite_loop_at_import", "while True:\n    pass\n", {"timeout"}),
        ("sleep_past_the_timeout", "import time\ndef add(a, b):\n    time.sleep(30)\n    return a + b\n", {"timeout"}),
        ("ignore_signals_and_spin", "import signal\nfor s in (signal.SIGTERM, signal.SIGALRM, signal.SIGINT):\n    signal.signal(s, signal.SIG_IGN)\ndef add(a, b):\n    while True:\n        pass\n", {"timeout"}),
    ],
)
def test_resource_hacks_are_stopped(name: str, code: str, reasons: set[str], code_executor: Executor) -> None:
    spec = CodeSpec.model_validate({**CALL.model_dump(), **FAST})
    assert run(code, spec, code_executor) in reasons
    assert_no_leftovers()


def test_a_process_that_should_outlive_the_job_is_killed(code_executor: Executor) -> None:
    code = f"""
        import os, sys
        def add(a, b):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    try:
                        os.execv("/bin/sleep", ["sleep", "{MARKER}"])
                    finally:
                        import time
                        time.sleep(60)
                os._exit(0)
            return 0
    """
    spec = CodeSpec.model_validate({**CALL.model_dump(), **FAST})
    assert run(code, spec, code_executor) != "ok"
    assert_no_leftovers((MARKER,))


def test_unserialisable_values_pass_no_script_assert(code_executor: Executor) -> None:
    """Weak asserts (truthiness, `!=`, `in`) that a stand-in object would satisfy all fail on one."""
    weak = CodeSpec.model_validate({"kind": "script", "entry_point": "add", "script": (
        "def check(candidate):\n"
        "    for a, b in [(1, 2), (3, 4)]:\n"
        "        assert candidate(a, b)\n"
        "        assert candidate(a, b) != -1\n"
        "        assert candidate(a, b) not in (None, 0)\n")})
    assert run(CORRECT, weak, code_executor) == "ok"
    for name in ("always_true_eq", "generator_instead_of_value"):
        assert run(VALUE_HACKS[name], weak, code_executor) != "ok", name


def test_a_left_behind_process_holding_stdout_does_not_stall_a_stdio_test(code_executor: Executor) -> None:
    code = """
        import os, sys, time
        a, b = map(int, input().split())
        print(a + b)
        sys.stdout.flush()
        if os.fork() == 0:
            os.setsid()
            time.sleep(30)
    """
    spec = CodeSpec.model_validate({**STDIO.model_dump(), "test_seconds": 3.0})
    verdict = check_code(textwrap.dedent(code), spec, executor=code_executor)
    assert verdict.reason == "ok", verdict.detail
    assert_no_leftovers()
