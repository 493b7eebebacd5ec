"""The bounds on concurrent requests: at most ``limit`` POSTs are inside the app at once, the others
wait with their bodies intact; reads have a bound of their own and are not held back by the writes."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx

from sunshine.web.middleware import WriteConcurrencyMiddleware


def _recording_app():
    state = {"inside": 0, "most": 0}

    async def app(scope, receive, send):
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        state["inside"] += 1
        state["most"] = max(state["most"], state["inside"])
        await asyncio.sleep(0.02)
        state["inside"] -= 1
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body})

    return app, state


def test_writes_and_reads_wait_their_turn_within_their_own_bounds():
    app, state = _recording_app()
    limited = WriteConcurrencyMiddleware(app, limit=2, read_limit=4)

    async def run():
        transport = httpx.ASGITransport(app=limited)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            bodies = [f"投标文件{i}".encode() * 1000 for i in range(12)]
            answers = await asyncio.gather(*(client.post("/api/v1/x", content=b) for b in bodies))
            assert [a.content for a in answers] == bodies
            assert state["most"] == 2
            state["most"] = 0
            reads = await asyncio.gather(*(client.get("/") for _ in range(10)))
            assert all(r.status_code == 200 for r in reads) and state["most"] == 4

    # a thread of its own: the browser tests leave an event loop running in this one
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, run()).result()
