"""`vrgym sandbox …` commands and the image's rootfs: real engine where one runs, plain checks elsewhere."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import subprocess
import sys
import tarfile

from tests.sandbox.test_docker_executor import docker_client  # noqa: F401 - the session fixture
from vrgym.cli import main


def test_rootfs_holds_python_libraries_server_and_nobody_but_no_tests() -> None:
    from vrgym.sandbox.image import build_rootfs

    rootfs = build_rootfs()
    with tarfile.open(fileobj=io.BytesIO(rootfs.data)) as tar:
        names = set(tar.getnames())
        passwd = tar.extractfile("etc/passwd").read().decode()
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    assert {f"usr/local/bin/{version}", "opt/vrgym/server.py", "opt/vrgym/protocol.py", f"usr/local/lib/{version}/os.py"} <= names
    assert any(n.startswith(f"usr/local/lib/{version}/lib-dynload/_ssl") for n in names)
    assert "nobody:x:65534:65534" in passwd
    assert not [n for n in names if f"{version}/test/" in n or "/site-packages/" in n or "tkinter" in n]
    assert len(rootfs.data) < 150e6


def test_build_image_reuses_the_current_image(docker_client, capsys) -> None:  # noqa: F811
    assert main(["sandbox", "build-image"]) == 0
    assert main(["sandbox", "build-image", "--json"]) == 0
    report = json.loads(capsys.readouterr().out.split("\n", 1)[1])
    assert report["built"] is False and report["tag"].startswith("vrgym-sandbox:")


def test_status_lists_engine_image_and_containers(docker_client, capsys) -> None:  # noqa: F811
    assert main(["sandbox", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["docker"]["image_built"] is True and "API" in status["docker"]["engine"]


def test_reap_removes_a_dead_owners_container(docker_client, capsys) -> None:  # noqa: F811
    from vrgym.sandbox.docker import LABEL, LABEL_HOST, LABEL_OWNER
    from vrgym.sandbox.image import image_tag

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = docker_client.containers.create(
        image_tag(), ["/usr/local/bin/python3", "-c", "pass"],
        labels={LABEL: "1", LABEL_OWNER: str(dead.pid), LABEL_HOST: socket.gethostname()},
    )  # fmt: skip
    try:
        assert main(["sandbox", "reap"]) == 0
        assert stale.short_id in capsys.readouterr().out
    finally:
        with contextlib.suppress(Exception):  # removed by the reaper, as expected
            stale.remove(force=True)


def test_selftest_on_docker(docker_client, capsys) -> None:  # noqa: F811
    assert main(["sandbox", "selftest", "--executor", "docker", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] and report["executor"] == "docker"
    assert {row["status"] for row in report["cases"]} == {"ok", "runtime_error", "timeout", "memory"}


def test_no_engine_is_one_line_with_the_remedy(monkeypatch, capsys) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    assert main(["sandbox", "reap"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "dockerd.sh" in err and "Traceback" not in err
    assert main(["sandbox", "status"]) == 0
    assert "unavailable" in capsys.readouterr().out


def test_unknown_step_is_a_usage_error(capsys) -> None:
    assert main(["sandbox", "nope"]) == 2
