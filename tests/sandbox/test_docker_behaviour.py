"""The local executor's behaviour suite, run unchanged against the Docker executor.

The test functions are SBX-L's (tests/sandbox/test_local.py), imported here so both backends are
held to the same results for the same jobs; only the `clean_sandbox` fixture differs (a warm
one-container Docker pool with default limits). Left out on purpose: tests of local-only
internals (the fork-server processes on the host, fork of the caller, `sh` — the image ships no
shell) and the outside-write test (in a container /tmp is the container's own tmpfs; the Docker
suite checks the read-only root instead).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sandbox.test_docker_executor import docker_client  # noqa: F401 - the session fixture
from tests.sandbox.test_local import (  # noqa: F401 - collected here with the Docker fixture
    test_correct_program_prints_its_result,
    test_cpu_limit_is_timeout,
    test_file_too_big,
    test_files_argv_and_imports_from_the_work_dir,
    test_fork_bomb_is_contained,
    test_huge_output_is_cut_and_killed,
    test_infinite_loop_times_out_near_the_limit,
    test_kill_everything_hurts_only_the_job,
    test_memory_bomb_is_memory,
    test_network_is_unreachable,
    test_nonzero_exit_and_exception_are_runtime_errors,
    test_python_shutdown_semantics_are_kept,
    test_sleeping_past_the_timeout,
    test_stdin_reaches_the_job,
    test_work_dir_is_private_and_removed,
)


@pytest.fixture(scope="module")
def docker_sandbox(docker_client: object) -> Iterator[object]:  # noqa: F811 - the imported fixture
    from vrgym.sandbox.docker import DockerExecutor

    with DockerExecutor(pool_size=1, client=docker_client) as executor:
        executor.warm_up()
        yield executor


@pytest.fixture()
def clean_sandbox(docker_sandbox: object) -> Iterator[object]:
    """The module's Docker executor; after each test no container of it may hold a job process."""
    yield docker_sandbox
    for container in list(docker_sandbox._live):
        if container.baseline_pids is not None and container in list(docker_sandbox._idle.queue):
            assert not container.leftovers(), "a job left processes in an idle pool container"
