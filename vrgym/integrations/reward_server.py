"""The HTTP reward server: OpenRLHF's remote reward form, for any trainer that can POST.

    vrgym serve-reward --host 127.0.0.1 --port 5000        # pip install 'vrgym[server]'
    # OpenRLHF: --reward.remote_url http://127.0.0.1:5000/get_reward --data.label_key problem

Endpoints:

* ``POST /get_reward`` with ``{"query": [...], "prompts": [...], "labels": [...]}`` (``prompts``
  optional) answers ``{"rewards": [...], "scores": [...], "extra_logs": {...}}``, computed by
  `vrgym.integrations.openrlhf.OpenRLHFReward` (responses cut out of the queries, labels = Problem
  JSON). A malformed body, lists of different lengths or a label that is not a vrgym problem is a
  400 with ``{"error": "<what was wrong and what to do>"}``; the server itself never goes down.
* ``GET /health`` answers ``{"status": "ok", "templates": <count>}``.

FastAPI and uvicorn are imported only when a server is built. `running_server` starts one in a
background thread and stops it cleanly (tests, notebooks); `serve` runs one in the foreground.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel, ConfigDict

from vrgym.errors import VrgymError
from vrgym.integrations.openrlhf import OpenRLHFReward


class RewardRequest(BaseModel):
    """Body of ``POST /get_reward`` (OpenRLHF's remote reward request); unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")
    query: list[str]
    prompts: list[str] | None = None
    labels: list[Any]


_SERVER_HINT = (
    "the reward server needs FastAPI and uvicorn: pip install 'vrgym[server]'"
)


def create_app(reward: OpenRLHFReward | None = None) -> Any:
    """The FastAPI application (``/get_reward``, ``/health``)."""
    try:
        from fastapi import FastAPI, Request
        from fastapi.exceptions import RequestValidationError
        from fastapi.responses import JSONResponse
    except ImportError:
        raise VrgymError(_SERVER_HINT) from None
    from vrgym.registry import template_names

    reward = reward or OpenRLHFReward(as_tensors=False)

    app = FastAPI(title="vrgym reward server", docs_url=None, redoc_url=None)

    @app.exception_handler(RequestValidationError)
    async def _bad_request(
        request: Request, exc: RequestValidationError
    ) -> JSONResponse:
        first = (
            exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        )
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body") or "body"
        return JSONResponse(
            status_code=400,
            content={
                "error": f'{where}: {first.get("msg")}; send JSON {{"query": [str], "prompts": [str], "labels": [problem JSON]}}'
            },
        )

    @app.exception_handler(VrgymError)
    async def _bad_label(request: Request, exc: VrgymError) -> JSONResponse:
        return JSONResponse(
            status_code=400, content={"error": " ".join(str(exc).split())}
        )

    @app.post("/get_reward")
    def get_reward(body: RewardRequest) -> dict[str, Any]:
        if len(body.labels) != len(body.query):
            raise VrgymError(
                f"got {len(body.query)} queries but {len(body.labels)} labels; send one label (problem JSON) per query"
            )
        result = reward(body.query, body.prompts, body.labels)
        return {
            "rewards": result["rewards"],
            "scores": result["scores"],
            "extra_logs": result["extra_logs"],
        }

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "templates": len(template_names())}

    return app


def _server(host: str, port: int, reward: OpenRLHFReward | None, log_level: str) -> Any:
    try:
        import uvicorn
    except ImportError:
        raise VrgymError(_SERVER_HINT) from None
    return uvicorn.Server(
        uvicorn.Config(
            create_app(reward),
            host=host,
            port=port,
            log_level=log_level,
            lifespan="off",
        )
    )


def serve(
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    reward: OpenRLHFReward | None = None,
    log_level: str = "info",
) -> None:
    """Run the server in the foreground until Ctrl-C / SIGTERM."""
    server = _server(host, port, reward, log_level)
    server.run()
    if not server.started:
        raise VrgymError(
            f"the reward server could not listen on {host}:{port} (is the port in use?); choose another --port"
        )


@contextmanager
def running_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    reward: OpenRLHFReward | None = None,
    timeout: float = 20.0,
) -> Iterator[str]:
    """Start a server in a background thread; yield its base URL (``http://host:port``); stop it on exit.

    `port=0` picks a free port. The server is shut down (open connections closed) and the thread
    joined before the context exits.
    """
    server = _server(host, port, reward, "warning")
    thread = threading.Thread(
        target=server.run, name="vrgym-reward-server", daemon=True
    )  # no signal handlers off the main thread
    thread.start()
    waited = threading.Event()
    for _ in range(int(timeout / 0.02)):
        if server.started or not thread.is_alive():
            break
        waited.wait(0.02)
    if not server.started:
        server.should_exit = True
        thread.join(timeout)
        raise VrgymError(
            f"the reward server did not start on {host}:{port} within {timeout:.0f}s (is the port in use?)"
        )
    bound = server.servers[0].sockets[0].getsockname()[1] if port == 0 else port
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout)
