"""LocalExecutor: real jobs through the fork-server — results, every limit, isolation and cleanup."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from pydantic import ValidationError

from tests.sandbox.conftest import assert_no_leftovers
from vrgym.errors import ConfigError
from vrgym.sandbox import ExecStatus, Job, Limits, default_executor, get_executor
from vrgym.sandbox.local import LocalExecutor, descendants


def py(code: str, **kwargs) -> Job:
    return Job(argv=("python", "-c", code), **kwargs)


def test_correct_program_prints_its_result(clean_sandbox):
    result = clean_sandbox.run(py("print(sum(range(100)))"))
    assert (result.status, result.exit_code, result.stdout, result.stderr) == (ExecStatus.OK, 0, "4950\n", "")
    assert result.ok and 0 < result.wall_seconds < 5


def test_stdin_reaches_the_job(clean_sandbox):
    result = clean_sandbox.run(py("import sys; data = sys.stdin.read(); print(len(data), data.split()[-1])", stdin="x\n" * 100_000 + "end\n"))
    assert result.stdout == "200004 end\n"


def test_files_argv_and_imports_from_the_work_dir(clean_sandbox):
    files = {"main.py": "import sys, helper\nprint(sys.argv[1:], helper.VALUE, open('data/in.txt').read())", "helper.py": "VALUE = 7", "data/in.txt": "é"}
    result = clean_sandbox.run(Job(argv=("python", "main.py", "a", "b"), files=files))
    assert result.stdout == "['a', 'b'] 7 é\n", result.stderr


def test_output_and_input_larger_than_the_pipes_arrive_whole(clean_sandbox):
    # The server drains the output pipes on a timer rather than per write: several MiB each way
    # must still arrive complete and in order, without a deadlock on full pipes.
    lines = clean_sandbox.run(py("for i in range(300000):\n    print(i)"))
    assert lines.status is ExecStatus.OK and lines.stdout == "".join(f"{i}\n" for i in range(300000))
    data = "".join(chr(97 + i % 26) for i in range(3_000_000))
    echo = clean_sandbox.run(py("import sys\nsys.stdout.write(sys.stdin.read())", stdin=data))
    assert echo.status is ExecStatus.OK and echo.stdout == data


def test_scripts_run_like_python_script_py(clean_sandbox):
    # Plain scripts run without runpy (faster in a fresh fork); directories and zips still go through it.
    script = clean_sandbox.run(Job(argv=("python", "main.py", "x"), files={"main.py": "import sys\nprint(__name__, __file__, sys.argv)"}))
    assert script.stdout == "__main__ main.py ['main.py', 'x']\n"
    coded = clean_sandbox.run(Job(argv=("python", "main.py"), files={"main.py": "# -*- coding: latin-1 -*-\nprint(len('\u00e9'))"}))
    assert coded.stdout == "2\n"  # the UTF-8 file read as latin-1, as PEP 263 says
    package = clean_sandbox.run(Job(argv=("python", "app"), files={"app/__main__.py": "print('from __main__.py')"}))
    assert package.stdout == "from __main__.py\n"


def test_nonzero_exit_and_exception_are_runtime_errors(clean_sandbox):
    assert clean_sandbox.run(py("import sys; sys.exit(3)")).exit_code == 3
    failed = clean_sandbox.run(py("1 / 0"))
    assert failed.status is ExecStatus.RUNTIME_ERROR and failed.exit_code == 1
    assert "ZeroDivisionError" in failed.stderr and "server.py" not in failed.stderr  # job frames only
    message = clean_sandbox.run(py("raise SystemExit('bye')"))
    assert (message.exit_code, message.stderr) == (1, "bye\n")


def test_python_shutdown_semantics_are_kept(clean_sandbox):
    """atexit handlers and non-daemon threads run as in a fresh interpreter."""
    code = "import atexit, threading, time\natexit.register(lambda: print('atexit'))\nthreading.Thread(target=lambda: (time.sleep(0.1), print('thread'))).start()"
    assert clean_sandbox.run(py(code)).stdout == "thread\natexit\n"


def test_exec_of_other_programs(clean_sandbox):
    assert clean_sandbox.run(Job(argv=("sh", "-c", "echo hi; exit 4"))).exit_code == 4
    missing = clean_sandbox.run(Job(argv=("no-such-program-xyz",)))
    assert (missing.status, missing.exit_code) == (ExecStatus.RUNTIME_ERROR, 127)


def test_memory_bomb_is_memory(clean_sandbox):
    result = clean_sandbox.run(py("x = bytearray(2 * 1024**3)", limits=Limits(memory_mb=256)))
    assert result.status is ExecStatus.MEMORY, result


def test_infinite_loop_times_out_near_the_limit(clean_sandbox):
    start = time.monotonic()
    result = clean_sandbox.run(py("while True: pass", limits=Limits(wall_seconds=1.0)))
    assert result.status is ExecStatus.TIMEOUT
    assert 1.0 <= result.wall_seconds < 1.5 and time.monotonic() - start < 2.5


def test_cpu_limit_is_timeout(clean_sandbox):
    result = clean_sandbox.run(py("while True: pass", limits=Limits(cpu_seconds=1, wall_seconds=15)))  # wall is slack for a loaded machine
    assert result.status is ExecStatus.TIMEOUT and "CPU" in result.detail, result


def test_sleeping_past_the_timeout(clean_sandbox):
    result = clean_sandbox.run(py("import time; print('start', flush=True); time.sleep(30)", limits=Limits(wall_seconds=0.5)))
    assert result.status is ExecStatus.TIMEOUT and result.stdout == "start\n"


def test_huge_output_is_cut_and_killed(clean_sandbox):
    result = clean_sandbox.run(py("while True: print('x' * 10000)", limits=Limits(output_bytes=100_000)))
    assert result.status is ExecStatus.OUTPUT_LIMIT and result.truncated and len(result.stdout) == 100_000


def test_file_too_big(clean_sandbox):
    result = clean_sandbox.run(py("open('big', 'wb').write(b'0' * 3 * 1024**2)", limits=Limits(file_size_mb=1)))
    assert result.status is ExecStatus.RUNTIME_ERROR and "file size" in result.detail, result


def test_fork_bomb_is_contained(clean_sandbox):
    code = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass"
    result = clean_sandbox.run(py(code, limits=Limits(processes=16, wall_seconds=1.0)))
    assert result.status in (ExecStatus.TIMEOUT, ExecStatus.RUNTIME_ERROR)
    assert clean_sandbox.run(py("print('alive')")).stdout == "alive\n"


HOLDING_BOMB = (
    "import os, time\n"
    "n = 0\n"
    "while True:\n"
    "    try:\n"
    "        pid = os.fork()\n"
    "    except OSError:\n"
    "        break\n"
    "    if pid == 0:\n"
    "        time.sleep(60)\n"
    "        os._exit(0)\n"
    "    n += 1\n"
    "print('held', n, flush=True)\n"
    "time.sleep(60)\n"
)
"""A fork bomb that keeps every process it made alive until it is killed."""
FORKING_PROBE = (
    "import os, time\n"
    "time.sleep(1.5)\n"  # the bomb next door is at its limit by now
    "pids = []\n"
    "for _ in range(8):\n"
    "    pid = os.fork()\n"
    "    if pid == 0:\n"
    "        os._exit(0)\n"
    "    pids.append(pid)\n"
    "for pid in pids:\n"
    "    os.waitpid(pid, 0)\n"
    "print('forked', len(pids))\n"
)
"""An ordinary job that needs a few processes (fails if another job's bomb took its uid's quota)."""


def test_a_fork_bomb_does_not_starve_a_concurrent_job_of_another_server():
    # RLIMIT_NPROC counts every process of the jobs' uid on the host: with it as the only bound, the
    # bomb's 64 processes would leave the probe (limit 32) no fork at all. Each server's own pids
    # cgroup bounds its job alone (as root; elsewhere the limit is RLIMIT_NPROC, see LocalExecutor).
    with LocalExecutor(workers=2) as executor:
        executor.warm_up()
        if not executor.describe()["isolation"].get("pids_cgroup"):
            pytest.skip("no pids cgroup of its own for the server here (not root, or no pids controller)")
        bomb = py(HOLDING_BOMB, limits=Limits(processes=64, wall_seconds=4.0))
        probe = py(FORKING_PROBE, limits=Limits(wall_seconds=8.0))
        bombed, probed = executor.run_many([bomb, probe], concurrency=2)
        assert bombed.status is ExecStatus.TIMEOUT and bombed.stdout == "held 63\n", bombed  # 64 processes, exactly
        assert probed.status is ExecStatus.OK and probed.stdout == "forked 8\n", probed
        assert_no_leftovers(executor)


def test_daemonised_grandchild_is_killed_when_the_job_ends(clean_sandbox):
    marker = f"{uuid.uuid4().int % 10**6}.{os.getpid()}"
    code = (
        "import os, time\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        f"        os.execvp('sleep', ['sleep', '{marker}'])\n"
        "    os._exit(0)\n"
        "time.sleep(0.3)\nprint('parent done')"
    )
    result = clean_sandbox.run(py(code))
    assert result.stdout == "parent done\n"
    assert_no_leftovers(clean_sandbox, markers=(marker,), patience=1.0)


def test_kill_everything_hurts_only_the_job(clean_sandbox):
    if not clean_sandbox.describe()["isolation"].get("pid_namespace"):
        pytest.skip("no PID namespace here: kill(-1) would reach this user's processes (documented)")
    result = clean_sandbox.run(py("import os, signal; os.kill(-1, signal.SIGKILL); print('after')"))
    assert result.status is not ExecStatus.SANDBOX_ERROR
    assert clean_sandbox.run(py("print('still fine')")).stdout == "still fine\n"


def test_network_is_unreachable(clean_sandbox):
    if not clean_sandbox.describe()["isolation"].get("network_namespace"):
        pytest.skip("network namespaces are not permitted here (no root, no unprivileged user namespaces)")
    code = "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=2)\n    print('connected')\nexcept OSError as e:\n    print('blocked', e.errno)"
    assert clean_sandbox.run(py(code)).stdout.startswith("blocked")


def test_writing_outside_the_work_dir_is_refused(clean_sandbox, tmp_path):
    if clean_sandbox.describe()["isolation"].get("uid_drop") is None:
        pytest.skip("jobs run with the caller's uid here (not root): outside writes are not prevented (documented)")
    target = tmp_path / "owned-by-root"
    code = f"import os\nfor p in ({str(target)!r}, '/etc/vrgym-sandbox-test', {os.path.abspath(__file__)!r}):\n    try:\n        open(p, 'a').write('x')\n        print('wrote', p)\n    except OSError as e:\n        print('refused', e.errno)"
    result = clean_sandbox.run(py(code))
    assert result.stdout.count("refused") == 3, result.stdout
    assert not target.exists() and not os.path.exists("/etc/vrgym-sandbox-test")


def test_work_dir_is_private_and_removed(clean_sandbox):
    first = clean_sandbox.run(py("import os; open('left.txt', 'w').write('x'); print(os.getcwd())")).stdout.strip()
    second = clean_sandbox.run(py("import os; print(os.getcwd(), os.listdir('.'))")).stdout.split()
    assert second[0] != first and second[1] == "[]" and not os.path.exists(first)


def test_bad_jobs_are_refused_before_running():
    with pytest.raises(ValidationError, match="relative path"):
        Job(argv=("python", "x.py"), files={"../escape.py": ""})
    with pytest.raises(ValidationError):
        Job(argv=())
    with pytest.raises(ConfigError, match="local, docker"):
        get_executor("podman")


def test_concurrent_runs_from_threads(clean_sandbox):
    jobs = [py(f"import time; time.sleep(0.2); print({i})") for i in range(6)]
    start = time.monotonic()
    results = clean_sandbox.run_many(jobs)
    assert [r.stdout for r in results] == [f"{i}\n" for i in range(6)]
    assert time.monotonic() - start < 6 * 0.2  # two workers really run in parallel
    outputs: list[str] = []
    threads = [threading.Thread(target=lambda i=i: outputs.append(clean_sandbox.run(py(f"print({i})")).stdout)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outputs) == sorted(f"{i}\n" for i in range(8))


def test_server_crash_mid_job_is_a_sandbox_error_then_recovers():
    with LocalExecutor(workers=1) as executor:
        executor.warm_up()
        (worker,) = executor._live
        threading.Timer(0.3, os.kill, (worker.proc.pid, signal.SIGKILL)).start()
        result = executor.run(py("import time; time.sleep(5)"))
        assert result.status is ExecStatus.SANDBOX_ERROR and "fork-server" in result.detail
        assert executor.run(py("print('next')")).stdout == "next\n"
        assert_no_leftovers(executor)


def test_close_leaves_no_processes():
    executor = LocalExecutor(workers=2)
    executor.warm_up()
    pids = [w.proc.pid for w in executor._live]
    cgroups = [w.features["pids_cgroup"] for w in executor._live if w.features.get("pids_cgroup")]
    executor.run(py("print(1)"))
    executor.close()
    executor.close()  # idempotent
    assert all(not os.path.exists(f"/proc/{pid}") for pid in pids)
    assert all(descendants(pid) == [] for pid in pids)
    assert not [path for path in cgroups if os.path.exists(path)], "the servers' pids cgroups were not removed"
    assert executor.run(py("print(1)")).status is ExecStatus.SANDBOX_ERROR


def test_a_killed_server_leaves_no_pids_cgroup():
    with LocalExecutor(workers=1) as executor:
        executor.warm_up()
        (worker,) = executor._live
        cgroup = worker.features.get("pids_cgroup")
        if not cgroup:
            pytest.skip("no pids cgroup of its own for the server here")
        os.kill(worker.proc.pid, signal.SIGKILL)
        worker.proc.wait(timeout=5)
        assert executor.run(py("print('next')")).stdout == "next\n"  # the dead worker is replaced
        assert not os.path.exists(cgroup)


def test_jobs_after_fork_of_the_caller():
    parent = default_executor()
    assert parent.run(py("print('parent')")).stdout == "parent\n"
    pid = os.fork()
    if pid == 0:
        try:
            child = default_executor()
            ok = child is not parent and child.run(py("print('child')")).stdout == "child\n"
            child.close()
        except BaseException:  # noqa: BLE001 (a sandbox must survive anything the job does)
            ok = False
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert default_executor() is parent and parent.run(py("print('again')")).stdout == "again\n"


def test_describe_reports_isolation(clean_sandbox):
    info = clean_sandbox.describe()
    assert info["backend"] == "local" and info["workers"] == 2 and info["isolation"]["subreaper"] is True
    assert info["limits"] == Limits().model_dump()
    if os.geteuid() == 0:
        assert info["isolation"]["uid_drop"] == 65534 and info["isolation"]["network_namespace"]
    assert sys.executable == info["interpreter"]


def test_an_unprivileged_server_still_gets_its_namespaces():
    # The server as uid 1000 (in a user namespace made by util-linux `unshare`, so it can still read
    # this root-installed interpreter): it must get its own user + network + PID namespaces and
    # re-enter a fresh PID namespace per job without any privilege on the host.
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and util-linux unshare to start a server as an unprivileged user")
    from vrgym.sandbox import protocol
    from vrgym.sandbox.local import SERVER_PATH

    command = ["unshare", "--user", "--map-user=1000", "--map-group=1000", sys.executable, "-I", "-S", SERVER_PATH]
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        hello = protocol.read_frame(server.stdout.fileno(), time.monotonic() + 20)["hello"]
        assert not hello["root"] and hello["user_namespace"], hello  # nested user namespaces work wherever unshare did
        assert hello["network_namespace"] and hello["pid_namespace"] and "NPROC" in hello["rlimits"]

        def run(code: str) -> dict:
            protocol.write_frame(server.stdin.fileno(), {"op": "run", "job": {"argv": ["python", "-c", code]}})
            return protocol.read_frame(server.stdout.fileno(), time.monotonic() + 20)["result"]

        probe = "import os\nstatus = open('/proc/self/status').read()\nprint(os.getpid(), os.getuid(), status.split('CapEff:')[1].split()[0])"
        for _ in range(2):  # the second job proves the server's own PID namespace was restored
            assert run(probe)["stdout"] == "1 1000 0000000000000000\n"
        net = run("import socket\nsocket.create_connection(('1.1.1.1', 53), timeout=2)")
        assert net["status"] == "runtime_error" and "Network is unreachable" in net["stderr"]
    finally:
        server.stdin.close()
        assert server.wait(timeout=10) == 0


def test_a_job_cannot_read_the_servers_memory(clean_sandbox):
    """The server's heap holds earlier jobs' files and stdin (a script spec's expected values)."""
    secret = "SECRET-" + uuid.uuid4().hex
    clean_sandbox.run(py("print(1)", stdin=secret))
    code = (
        "import os\n"
        "found = []\n"
        "for pid in [p for p in os.listdir('/proc') if p.isdigit() and int(p) != os.getpid()]:\n"
        "    try:\n"
        "        with open(f'/proc/{pid}/mem', 'rb') as mem, open(f'/proc/{pid}/maps') as maps:\n"
        "            found.append(pid)\n"
        "    except OSError:\n"
        "        pass\n"
        "print('readable', found)\n"
    )
    result = clean_sandbox.run(py(code))
    assert result.status is ExecStatus.OK, result
    assert result.stdout.strip() == "readable []", result.stdout
