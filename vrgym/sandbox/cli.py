"""`vrgym sandbox {build-image,status,reap,selftest}`: the code sandbox on the command line.

    vrgym sandbox build-image [--force] [--from-dockerfile] [--prune]   # the Docker image, no registry needed
    vrgym sandbox status [--json]                                       # engine, image, live containers
    vrgym sandbox reap [--all]                                          # remove containers of dead owners
    vrgym sandbox selftest [--executor local|docker] [--json]           # a few real jobs, one per status

Errors are one line with the remedy (exit 1); a wrong command line exits 2; Ctrl-C 130. The docker
SDK and the executors load only inside the handlers, so ``vrgym --help`` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from vrgym.cli import PROG


def add_sandbox_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `sandbox` and its subcommands to the `vrgym` subparsers (called by `vrgym.cli.build_parser`)."""
    top = commands.add_parser("sandbox", parents=[common], help="the code sandbox: Docker image, status, reaper, self-test")
    steps = top.add_subparsers(dest="sandbox_command", metavar="STEP", required=True)

    cmd = steps.add_parser("build-image", parents=[common], help="build the Docker sandbox image from the host's python (no registry)")
    cmd.add_argument("--force", action="store_true", help="rebuild even when the current image exists")
    cmd.add_argument("--from-dockerfile", action="store_true", help="build vrgym/sandbox/Dockerfile instead (needs a registry)")
    cmd.add_argument("--prune", action="store_true", help="also remove stale sandbox images (older server versions)")
    cmd.add_argument("--json", action="store_true", help="print the build report as JSON")
    cmd.set_defaults(handler=cmd_build_image)

    cmd = steps.add_parser("status", parents=[common], help="show the engine, the image and live sandbox containers")
    cmd.add_argument("--json", action="store_true", help="print JSON")
    cmd.set_defaults(handler=cmd_status)

    cmd = steps.add_parser("reap", parents=[common], help="remove sandbox containers whose owner process is dead")
    cmd.add_argument("--all", action="store_true", help="remove every sandbox container, also those of live owners")
    cmd.set_defaults(handler=cmd_reap)

    cmd = steps.add_parser("selftest", parents=[common], help="run real jobs (ok, error, timeout, memory, no network) through an executor")
    cmd.add_argument("--executor", choices=("local", "docker"), help="backend (default: $VRGYM_SANDBOX or local)")
    cmd.add_argument("--json", action="store_true", help="print JSON")
    cmd.set_defaults(handler=cmd_selftest)


def cmd_build_image(args: argparse.Namespace) -> int:
    """`vrgym sandbox build-image`: build or reuse the image tagged with this checkout's server hash."""
    from vrgym.sandbox.docker import connect
    from vrgym.sandbox.image import (
        build_from_dockerfile,
        build_image,
        remove_stale_images,
    )

    client = connect()
    try:
        tag, report = build_from_dockerfile(client) if args.from_dockerfile else build_image(client, force=args.force)
    except Exception as exc:  # noqa: BLE001 - one line with the remedy instead of a docker traceback
        hint = "is a registry reachable for the Dockerfile's base image? try without --from-dockerfile" if args.from_dockerfile else "re-run with --debug for details"
        print(f"{PROG}: error: building the sandbox image failed: {type(exc).__name__}: {exc} ({hint})", file=sys.stderr)
        return 1
    if args.prune:
        report["pruned"] = remove_stale_images(client)
    if args.json:
        print(json.dumps(report, indent=2))
    elif report["built"]:
        extra = f", {report['tar_mb']} MB rootfs, python {report['python_version']}" if "tar_mb" in report else ""
        print(f"built {tag} ({report['how']}, {report['seconds']} s{extra})")
    else:
        print(f"{tag} is up to date (use --force to rebuild)")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    """`vrgym sandbox status`: is there an engine, is the image current, which containers run."""
    from vrgym.sandbox.executor import SandboxUnavailable

    status: dict[str, Any] = {"default": _default_kind()}
    try:
        from vrgym.sandbox.docker import (
            LABEL,
            LABEL_MODE,
            LABEL_OWNER,
            _owner_alive,
            connect,
        )
        from vrgym.sandbox.image import find_image, image_tag, list_images

        client = connect()
        version = client.version()
        tag = image_tag()
        status["docker"] = {
            "engine": f"{version.get('Version')} (API {version.get('ApiVersion')})",
            "image": tag,
            "image_built": find_image(client, tag) is not None,
            "other_images": [t for image in list_images(client) for t in image.tags if t != tag],
            "containers": [
                {"id": c.short_id, "status": c.status, "mode": c.labels.get(LABEL_MODE), "owner": c.labels.get(LABEL_OWNER),
                 "owner_alive": _owner_alive(c.labels)}
                for c in client.containers.list(all=True, filters={"label": f"{LABEL}=1"})
            ],
        }  # fmt: skip
    except SandboxUnavailable as exc:
        status["docker"] = {"unavailable": str(exc)}
    if args.json:
        print(json.dumps(status, indent=2))
        return 0
    print(f"default executor: {status['default']}")
    docker = status["docker"]
    if "unavailable" in docker:
        print(f"docker: unavailable — {docker['unavailable']}")
        return 0
    print(f"docker engine: {docker['engine']}")
    built = "built" if docker["image_built"] else "NOT built (run `vrgym sandbox build-image`)"
    print(f"image: {docker['image']} — {built}")
    if docker["other_images"]:
        print(f"stale images: {', '.join(docker['other_images'])} (`vrgym sandbox build-image --prune` removes them)")
    print(f"sandbox containers: {len(docker['containers'])}")
    for c in docker["containers"]:
        print(f"  {c['id']} {c['status']} mode={c['mode']} owner={c['owner']}{'' if c['owner_alive'] else ' (dead: reapable)'}")
    return 0


def cmd_reap(args: argparse.Namespace) -> int:
    """`vrgym sandbox reap`: remove labelled containers whose owner is dead (or all with --all)."""
    from vrgym.sandbox.docker import connect, reap_stale

    removed = reap_stale(connect(), everything=args.all)
    print(f"removed {len(removed)} sandbox container(s){': ' + ' '.join(removed) if removed else ''}")
    return 0


SELFTEST_CASES: tuple[tuple[str, str, str], ...] = (
    ("hello", "print(sum(range(10)))", "ok"),
    ("exception", "raise ValueError('boom')", "runtime_error"),
    ("infinite loop", "while True: pass", "timeout"),
    ("memory bomb", "x = bytearray(4 << 30)", "memory"),
    ("network", "import socket\ntry:\n    socket.create_connection(('1.1.1.1', 53), timeout=2)\nexcept OSError:\n    raise SystemExit(3)", "runtime_error"),
)


def cmd_selftest(args: argparse.Namespace) -> int:
    """`vrgym sandbox selftest`: one real job per expected status; exit 1 if any status differs."""
    from vrgym.sandbox import Job, Limits, get_executor

    limits = Limits(wall_seconds=3.0, cpu_seconds=3, memory_mb=256)
    jobs = [Job(argv=("python", "main.py"), files={"main.py": code}, limits=limits) for _, code, _ in SELFTEST_CASES]
    with get_executor(args.executor) as executor:
        results = executor.run_many(jobs)
        name = executor.name
    rows = [
        {"case": case, "expected": expected, "status": result.status.value, "ok": result.status.value == expected,
         "ms": round(result.wall_seconds * 1000, 1), "detail": result.detail}
        for (case, _, expected), result in zip(SELFTEST_CASES, results)
    ]  # fmt: skip
    failed = [row for row in rows if not row["ok"]]
    if args.json:
        print(json.dumps({"executor": name, "cases": rows, "passed": not failed}, indent=2))
    else:
        for row in rows:
            mark = "ok  " if row["ok"] else "FAIL"
            print(f"{mark} {row['case']:<14} expected {row['expected']:<14} got {row['status']:<14} {row['ms']:>8} ms {row['detail'][:60]}")
        print(f"{name} executor: {len(rows) - len(failed)}/{len(rows)} cases behaved as expected")
    return 1 if failed else 0


def _default_kind() -> str:
    import os

    return os.environ.get("VRGYM_SANDBOX") or "local"
