"""Orders, exercise 06 -- async FastAPI with one shared httpx.AsyncClient.

timeouts: httpx.Timeout(1.0, connect=0.5) on every call
retries:  3 tries in all, sleeping 0.1 s then 0.2 s (plus a little jitter); reads always, writes only with a key
breaker:  per peer, opens after 5 failures in a row, lets one trial call through after 1.5 s
notify:   after the answer (BackgroundTasks); what fails is kept in `pending` and retried every 2 s
"""
import asyncio
import os
import random
import time
import uuid

import httpx
from fastapi import BackgroundTasks, FastAPI, HTTPException

USER = os.getenv("USER_SERVICE_URL", "http://127.0.0.1:4001")
INVENTORY = os.getenv("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002")
NOTIFICATION = os.getenv("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004")

TRIES = 3
RETRYABLE_STATUS = (502, 503, 504)


class Breaker:
    """closed -> (5 failures in a row) -> open -> (1.5 s) -> half-open: one trial -> closed or open again"""

    def __init__(self, peer: str, max_failures: int = 5, cooldown: float = 1.5):
        self.peer, self.max_failures, self.cooldown = peer, max_failures, cooldown
        self.state = "closed"
        self.failures = 0
        self.open_until = 0.0

    def before_call(self) -> bool:
        if self.state == "open":
            if time.monotonic() < self.open_until:
                return False
            self.state = "half-open"
            return True          # the trial call
        if self.state == "half-open":
            return False         # a trial is already on its way
        return True

    def on_success(self):
        self.state, self.failures = "closed", 0

    def on_failure(self):
        self.failures += 1
        if self.state == "half-open" or self.failures >= self.max_failures:
            self.state = "open"
            self.open_until = time.monotonic() + self.cooldown


breakers = {p: Breaker(p) for p in ("user", "inventory", "notification")}
client: httpx.AsyncClient | None = None
orders: dict[str, dict] = {}
pending: list[dict] = []


class Unavailable(Exception):
    pass


async def request(peer: str, method: str, url: str, **kw) -> httpx.Response:
    breaker = breakers[peer]
    may_repeat = method == "GET" or "Idempotency-Key" in (kw.get("headers") or {})
    for attempt in range(TRIES if may_repeat else 1):
        if attempt:
            await asyncio.sleep(0.1 * 2 ** (attempt - 1) + random.uniform(0, 0.03))
        if not breaker.before_call():
            raise Unavailable(peer)
        try:
            resp = await client.request(method, url, **kw)
        except httpx.TransportError:        # TimeoutException, ConnectError, ReadError, RemoteProtocolError...
            breaker.on_failure()
            continue
        if resp.status_code >= 500:
            breaker.on_failure()
            if resp.status_code in RETRYABLE_STATUS:
                continue
            raise Unavailable(peer)
        breaker.on_success()
        return resp
    raise Unavailable(peer)


async def confirm(order: dict) -> bool:
    try:
        await request("notification", "POST", f"{NOTIFICATION}/send",
                      json={"user_id": order["user_id"], "message": f"Your order {order['id']} is confirmed"},
                      headers={"Idempotency-Key": f"order-{order['id']}-confirmation"})
        return True
    except Unavailable:
        return False


async def confirm_or_keep(order: dict):
    if not await confirm(order):
        pending.append(order)


async def retry_pending():
    while True:
        await asyncio.sleep(2)
        for order in list(pending):
            if await confirm(order):
                pending.remove(order)


app = FastAPI(title="orders")
background_loop: asyncio.Task | None = None


@app.on_event("startup")
async def startup():
    global client, background_loop
    client = httpx.AsyncClient(timeout=httpx.Timeout(1.0, connect=0.5), headers={"x-caller": "orders"})
    background_loop = asyncio.create_task(retry_pending())


@app.on_event("shutdown")
async def shutdown():
    background_loop.cancel()
    await client.aclose()


@app.get("/health")
async def health():
    return {"status": "ok"}


@app.post("/order", status_code=201)
async def create_order(user_id: str, item_id: str, background: BackgroundTasks):
    try:
        user = await request("user", "GET", f"{USER}/users/{user_id}")
    except Unavailable:
        raise HTTPException(503, "user unavailable")
    if user.status_code == 404:
        raise HTTPException(404, "User not found")
    if user.is_error:
        raise HTTPException(502, f"user answered {user.status_code}")

    order_id = uuid.uuid4().hex
    try:
        res = await request("inventory", "POST", f"{INVENTORY}/reservations",
                            json={"order_id": order_id, "item_id": item_id, "quantity": 1},
                            headers={"Idempotency-Key": f"reserve-{order_id}"})
    except Unavailable:
        raise HTTPException(503, "inventory unavailable")
    if res.status_code == 409:
        raise HTTPException(409, "Out of stock")
    if res.status_code == 404:
        raise HTTPException(404, "Item not found")
    if res.is_error:
        raise HTTPException(502, f"inventory answered {res.status_code}")

    order = {"id": order_id, "user_id": user_id, "item_id": item_id, "quantity": 1}
    orders[order_id] = order
    background.add_task(confirm_or_keep, order)
    return order


@app.get("/orders/{order_id}")
async def read_order(order_id: str):
    if order_id not in orders:
        raise HTTPException(404, "Order not found")
    return orders[order_id]
