"""The HTTP fake Bot API in a process of its own, so a benchmark measures the bot's process
alone, as in production (where Telegram's servers do their work elsewhere).

    python -m tests.fakes.fake_process --limit 30 --paid-limit 1000 --delay-ms 100 \
        [--jump-after N --jump-ms MS]

prints ``PORT <n>`` once it serves, then serves until stdin closes. Besides the Bot API it
answers ``GET /_stats`` (429s given, prompts seen, distinct chats, chats prompted twice) and
``GET /_times`` (the monotonic arrival time of each prompt: CLOCK_MONOTONIC is one clock for
every process on the machine). ``--jump-after N`` changes the answer delay to ``--jump-ms``
once N prompts have arrived. ``FakeProcess`` starts and reads one from a benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.entry.fake_records import ApiCall, FakeMessage
from bot.entry.fake_telegram import FakeTelegram
from tests.fakes.http_server import FakeTelegramServer

REPO_ROOT = Path(__file__).resolve().parents[2]


class _Recorder:
    def __init__(self, server: FakeTelegramServer, jump_after: int | None, jump_ms: float) -> None:
        self.server = server
        self.times: list[float] = []
        self.prompted: Counter[int] = Counter()
        self.jump_after = jump_after
        self.jump_ms = jump_ms
        self.jumped_at: int | None = None

    def on_call(self, call: ApiCall, _message: FakeMessage | None) -> None:
        if call.method != "sendMessage" or call.chat_id is None:
            return
        self.times.append(time.monotonic())
        self.prompted[call.chat_id] += 1
        jump = self.jump_after
        if jump is not None and self.jumped_at is None and len(self.times) >= jump:
            self.jumped_at = len(self.times)
            self.server.delay = self.jump_ms / 1000

    def stats(self) -> dict[str, Any]:
        return {
            "rejected": self.server.rejected,
            "prompts": len(self.times),
            "chats": len(self.prompted),
            "twice": sum(1 for sends in self.prompted.values() if sends > 1),
            "jumped_at": self.jumped_at,
        }


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeTelegram()
    server = FakeTelegramServer(
        fake,
        max_per_second=args.limit or None,
        paid_per_second=args.paid_limit,
        delay=args.delay_ms / 1000,
    )
    recorder = _Recorder(server, args.jump_after, args.jump_ms)
    fake.listeners.append(recorder.on_call)

    async def stats(_request: Request) -> Response:
        return Response(json.dumps(recorder.stats()), media_type="application/json")

    async def times(_request: Request) -> Response:
        return Response(json.dumps(recorder.times), media_type="application/json")

    app = server.asgi()
    app.router.routes.insert(0, Route("/_stats", stats))
    app.router.routes.insert(0, Route("/_times", times))
    base_url = await server.start(app=app)
    print(f"PORT {server.port} {base_url}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)  # until the benchmark closes stdin
    await server.stop()


class FakeProcess:
    """A benchmark's handle on a fake Bot API process (see the module doc)."""

    def __init__(
        self,
        *,
        limit: int | None,
        paid_limit: int = 1000,
        delay_ms: float = 0.0,
        jump_after: int | None = None,
        jump_ms: float = 0.0,
    ) -> None:
        command = [
            sys.executable,
            "-m",
            "tests.fakes.fake_process",
            f"--limit={limit or 0}",
            f"--paid-limit={paid_limit}",
            f"--delay-ms={delay_ms}",
            f"--jump-ms={jump_ms}",
        ]
        if jump_after is not None:
            command.append(f"--jump-after={jump_after}")
        self.popen = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            command, cwd=REPO_ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.base_url = ""
        self._control = ""
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> str:
        assert self.popen.stdout is not None
        line = await asyncio.to_thread(self.popen.stdout.readline)
        if not line.startswith("PORT "):
            raise RuntimeError(f"the fake Bot API process did not start: {line!r}")
        _, port, self.base_url = line.split()
        self._control = f"http://127.0.0.1:{port}"
        return self.base_url

    async def _get(self, path: str) -> Any:
        if self._client is None:  # one client: making one costs the bot's process ~0.2 s CPU
            self._client = httpx.AsyncClient(timeout=30)
        answer = await self._client.get(self._control + path)
        return answer.json()

    async def stats(self) -> dict[str, Any]:
        return dict(await self._get("/_stats"))

    async def times(self) -> list[float]:
        return list(await self._get("/_times"))

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def stop(self) -> None:
        if self.popen.stdin is not None:
            self.popen.stdin.close()
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        if self.popen.stdout is not None:
            self.popen.stdout.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=30, help="sends a second; 0: no limit")
    parser.add_argument("--paid-limit", type=int, default=1000)
    parser.add_argument("--delay-ms", type=float, default=0.0)
    parser.add_argument("--jump-after", type=int, default=None)
    parser.add_argument("--jump-ms", type=float, default=0.0)
    asyncio.run(_serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
