"""The Docker executor against a real engine: lockdown, statuses, recycling, reaping, per-call mode.

Skipped as a module, with the reason, when no engine answers or the image cannot be built (start
one with `.ci/dockerd.sh`); in CI the engine runs and these tests are expected to run. The image is
built once per session (or reused: its tag hashes the server's sources). Every job here is a real
program in a real container; the whole file takes ~30 s on 2 cores.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest

from vrgym.sandbox.executor import SandboxUnavailable
from vrgym.sandbox.types import ExecStatus, Job, Limits

FAST = Limits(wall_seconds=2.0, cpu_seconds=2, memory_mb=256)


@pytest.fixture(scope="session")
def docker_client() -> object:
    """A client of a running engine with the sandbox image built, or a module skip saying why."""
    from vrgym.sandbox.docker import connect
    from vrgym.sandbox.image import build_image

    try:
        client = connect()
    except SandboxUnavailable as exc:
        pytest.skip(f"Docker sandbox tests need an engine: {exc}")
    try:
        build_image(client)
    except Exception as exc:  # noqa: BLE001 - any failure means these tests cannot run here
        pytest.skip(f"the sandbox image cannot be built here: {type(exc).__name__}: {exc}")
    return client


@pytest.fixture(scope="module")
def executor(docker_client: object) -> Iterator[object]:
    from vrgym.sandbox.docker import DockerExecutor

    with DockerExecutor(pool_size=1, limits=FAST, client=docker_client) as ex:
        yield ex


def py(code: str, limits: Limits = FAST, **files: str) -> Job:
    """A job running `code` as main.py in the sandbox's python."""
    return Job(argv=("python", "main.py"), files={"main.py": code, **files}, limits=limits)


def ours(client: object) -> list[object]:
    """Sandbox containers owned by this test process."""
    from vrgym.sandbox.docker import LABEL, LABEL_OWNER

    return client.containers.list(all=True, filters={"label": [f"{LABEL}=1", f"{LABEL_OWNER}={os.getpid()}"]})


# ------------------------------------------------------------------------------------ basics


def test_runs_a_job_with_files_and_stdin(executor: object) -> None:
    files = {"main.py": "import sys\nfrom helper import twice\nprint(twice(int(sys.stdin.read())))",
             "helper.py": "def twice(x):\n    return 2 * x\n"}  # fmt: skip
    job = Job(argv=("python", "main.py"), files=files, stdin="21", limits=FAST)
    result = executor.run(job)
    assert result.status is ExecStatus.OK, result
    assert result.stdout == "42\n" and result.exit_code == 0


def test_non_zero_exit_and_exception_are_runtime_errors(executor: object) -> None:
    results = executor.run_many([py("raise SystemExit(3)"), py("raise ValueError('boom')")])
    assert [r.status for r in results] == [ExecStatus.RUNTIME_ERROR] * 2
    assert results[0].exit_code == 3 and "ValueError: boom" in results[1].stderr


def test_exec_of_another_program_in_the_image(executor: object) -> None:
    result = executor.run(Job(argv=("/usr/local/bin/python3", "-I", "-c", "print('exec ok')"), limits=FAST))
    assert result.status is ExecStatus.OK and result.stdout == "exec ok\n", result


def test_describe_is_json_and_names_the_lockdown(executor: object) -> None:
    import json

    info = json.loads(json.dumps(executor.describe()))
    assert info["backend"] == "docker" and info["lockdown"]["network_mode"] == "none"
    assert info["lockdown"]["read_only"] is True and info["lockdown"]["cap_drop"] == ["ALL"]


# ------------------------------------------------------------------------------------ lockdown


def test_runs_as_nobody_without_capabilities(executor: object) -> None:
    code = (
        "import os\nprint(os.getuid(), os.getgid())\n"
        "print([l for l in open('/proc/self/status') if l.startswith('CapEff')][0].split()[1])"
    )
    result = executor.run(py(code))
    assert result.stdout.split() == ["65534", "65534", "0000000000000000"], result


def test_no_network(executor: object) -> None:
    code = (
        "import socket\n"
        "for host in ('1.1.1.1', '172.17.0.1', '10.0.0.1'):\n"
        "    try:\n        socket.create_connection((host, 80), timeout=2)\n        print('connected', host)\n"
        "    except OSError as exc:\n        print('refused', type(exc).__name__)\n"
        "print(sorted(n for _, n in socket.if_nameindex()))"
    )
    result = executor.run(py(code))
    assert "connected" not in result.stdout and result.stdout.count("refused") == 3, result
    assert result.stdout.strip().endswith("['lo']")


def test_root_filesystem_is_read_only_and_the_harness_cannot_be_patched(executor: object) -> None:
    code = (
        "import os\n"
        "for path in ('/usr/x', '/etc/passwd', '/opt/vrgym/server.py', '/usr/local/bin/python3', '/x'):\n"
        "    try:\n        open(path, 'a').write('pwned')\n        print('wrote', path)\n"
        "    except OSError as exc:\n        print('denied', exc.errno)\n"
        "open('inside.txt', 'w').write('fine')\nprint(open('inside.txt').read())"
    )
    result = executor.run(py(code))
    assert "wrote" not in result.stdout and result.stdout.count("denied") == 5, result
    assert result.stdout.rstrip().endswith("fine")


def test_a_job_sees_no_state_of_the_previous_one(executor: object) -> None:
    first = executor.run(py("import os\nopen('/tmp/left_behind', 'w').write('x')\nprint(os.getcwd())"))
    second = executor.run(py("import os\nprint(os.path.exists('/tmp/left_behind'), os.getcwd())"))
    assert first.status is ExecStatus.OK and second.status is ExecStatus.OK
    assert first.stdout.strip() != second.stdout.split()[1]  # fresh work dir
    # /tmp is shared by the container's jobs only while the container lives; the work dirs are not.
    assert second.stdout.split()[0] in ("True", "False")


# ------------------------------------------------------------------------------------ hostile jobs


def test_infinite_loop_times_out_and_the_container_is_recycled(executor: object) -> None:
    before = executor.stats["recycled"]
    result = executor.run(py("while True:\n    pass", Limits(wall_seconds=1.0, cpu_seconds=5, memory_mb=256)))
    assert result.status is ExecStatus.TIMEOUT, result
    assert result.wall_seconds < 5
    deadline = time.monotonic() + 5
    while executor.stats["recycled"] == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert executor.stats["recycled"] == before + 1
    assert executor.run(py("print('next')")).stdout == "next\n"


def test_sleeping_past_the_timeout(executor: object) -> None:
    result = executor.run(py("import time\ntime.sleep(30)", Limits(wall_seconds=0.5)))
    assert result.status is ExecStatus.TIMEOUT and result.wall_seconds < 5, result


def test_memory_bomb(executor: object) -> None:
    result = executor.run(py("blocks = []\nwhile True:\n    blocks.append(bytearray(16 << 20))"))
    assert result.status is ExecStatus.MEMORY, result
    assert executor.run(py("print('alive')")).stdout == "alive\n"


def test_fork_bomb_is_bounded_and_the_host_unharmed(executor: object) -> None:
    code = (
        "import os, time\n"
        "n = 0\n"
        "try:\n"
        "    while True:\n"
        "        if os.fork() == 0:\n            time.sleep(30)\n            os._exit(0)\n"
        "        n += 1\n"
        "except OSError:\n    print('forks', n)\n"
    )
    result = executor.run(py(code, Limits(wall_seconds=3.0, processes=16, memory_mb=256)))
    assert result.status in (ExecStatus.OK, ExecStatus.RUNTIME_ERROR, ExecStatus.TIMEOUT), result
    if result.stdout:  # bounded by the container's pids cgroup (no per-uid RLIMIT_NPROC in docker)
        from vrgym.sandbox.docker import EXTRA_PIDS

        assert int(result.stdout.split()[1]) <= FAST.processes + EXTRA_PIDS
    assert executor.run(py("print('alive')")).stdout == "alive\n"


def test_a_fork_bomb_does_not_starve_a_job_in_another_container(docker_client: object) -> None:
    # Jobs of every container are uid 65534 and RLIMIT_NPROC counts that uid host-wide: with it, the
    # bomb's processes would leave the probe next door no fork. Each container's pids_limit is its own.
    from tests.sandbox.test_local import FORKING_PROBE, HOLDING_BOMB
    from vrgym.sandbox.docker import DockerExecutor

    with DockerExecutor(pool_size=2, limits=FAST, client=docker_client) as two:
        two.warm_up()
        bomb = py(HOLDING_BOMB, Limits(wall_seconds=4.0, cpu_seconds=2, memory_mb=256))
        probe = py(FORKING_PROBE, Limits(wall_seconds=8.0, cpu_seconds=2, memory_mb=256))
        bombed, probed = two.run_many([bomb, probe], concurrency=2)
        assert bombed.status is ExecStatus.TIMEOUT and int(bombed.stdout.split()[1]) >= FAST.processes, bombed
        assert probed.status is ExecStatus.OK and probed.stdout == "forked 8\n", probed


def test_a_process_that_outlives_the_job_is_gone(executor: object) -> None:
    spawn = (
        "import subprocess, sys\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)  # vrgym-survivor'],\n"
        "                 start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "print('spawned')"
    )
    assert executor.run(py(spawn)).stdout == "spawned\n"
    scan = (
        "import os\n"
        "found = [p for p in os.listdir('/proc') if p.isdigit() and b'vrgym-survivor' in open(f'/proc/{p}/cmdline', 'rb').read()]\n"
        "print(len(found))"
    )
    assert executor.run(py(scan)).stdout == "0\n"


def test_output_flood_is_capped(executor: object) -> None:
    result = executor.run(py("while True:\n    print('x' * 10000)", Limits(wall_seconds=3.0, output_bytes=100_000)))
    assert result.status is ExecStatus.OUTPUT_LIMIT and result.truncated, result.summary()
    assert len(result.stdout) <= 100_000


def test_a_container_dying_mid_job_is_a_sandbox_error(executor: object) -> None:
    def kill_soon() -> None:
        time.sleep(0.5)
        for container in list(executor._live):
            if container.container is not None:
                container.container.kill()

    killer = threading.Thread(target=kill_soon)
    killer.start()
    result = executor.run(py("import time\ntime.sleep(1.5)\nprint('done')"))
    killer.join()
    assert result.status is ExecStatus.SANDBOX_ERROR, result
    assert executor.run(py("print('recovered')")).stdout == "recovered\n"


# ------------------------------------------------------------------------------------ modes and lifecycle


def test_per_call_mode_uses_a_fresh_container_each_time(docker_client: object) -> None:
    from vrgym.sandbox.docker import DockerExecutor

    with DockerExecutor(mode="per_call", limits=FAST, client=docker_client) as ex:
        code = "import os\nprint(os.path.exists('/tmp/mark'))\nopen('/tmp/mark', 'w').write('x')"
        results = ex.run_many([py(code), py(code)], concurrency=2)
        assert [r.stdout for r in results] == ["False\n", "False\n"], results
        assert ex.stats["started"] == 2
    assert not [c for c in ours(docker_client) if c.labels.get("vrgym.sandbox.mode") == "per_call"]


def test_a_job_larger_than_the_pool_runs_in_its_own_container(executor: object) -> None:
    started = executor.stats["started"]
    result = executor.run(py("x = bytearray(400 << 20)\nprint(len(x) >> 20)", Limits(wall_seconds=5.0, memory_mb=768)))
    assert result.status is ExecStatus.OK and result.stdout == "400\n", result
    assert executor.stats["started"] == started + 1


def test_close_leaves_no_container(docker_client: object) -> None:
    from vrgym.sandbox.docker import DockerExecutor

    ex = DockerExecutor(pool_size=2, limits=FAST, client=docker_client)
    ex.run_many([py("print(1)"), py("print(2)")], concurrency=2)
    mine = {c.container.id for c in ex._live}
    assert mine
    ex.close()
    ex.close()  # idempotent
    assert not mine & {c.id for c in ours(docker_client)}
    assert ex.run(py("print(1)")).status is ExecStatus.SANDBOX_ERROR


def test_reaper_removes_containers_of_a_dead_owner(docker_client: object) -> None:
    from vrgym.sandbox.docker import LABEL, LABEL_HOST, LABEL_OWNER, reap_stale
    from vrgym.sandbox.image import image_tag

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = docker_client.containers.run(
        image_tag(), ["/usr/local/bin/python3", "-c", "import time; time.sleep(300)"], detach=True,
        network_mode="none", labels={LABEL: "1", LABEL_OWNER: str(dead.pid), LABEL_HOST: __import__("socket").gethostname()},
    )  # fmt: skip
    try:
        removed = reap_stale(docker_client)
        assert stale.short_id in removed
        assert not docker_client.containers.list(all=True, filters={"id": stale.id})
    finally:
        with contextlib.suppress(Exception):  # removed by the reaper, as expected
            stale.remove(force=True)


def test_no_engine_is_sandbox_unavailable_with_the_remedy(monkeypatch: pytest.MonkeyPatch) -> None:
    from vrgym.sandbox.docker import connect

    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    with pytest.raises(SandboxUnavailable, match="dockerd.sh"):
        connect(timeout=2)


def test_image_tag_follows_the_server_source() -> None:
    from vrgym.sandbox import image

    assert image.image_tag().startswith("vrgym-sandbox:") and image.image_tag() == image.image_tag()
