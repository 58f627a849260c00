import os
import uuid

import requests
from flask import Flask, jsonify, request

from log import append, error, lock, replay, run

USER = os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:4001")
INVENTORY = os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002")
NOTIFICATION = os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004")
CALLER = {"x-caller": "orders"}

app = Flask(__name__)
orders = {e["id"]: e for e in replay()}


@app.post("/order")
def place_order():
    user_id, item_id = request.args.get("user_id", ""), request.args.get("item_id", "")
    if requests.get(f"{USER}/users/{user_id}", headers=CALLER, timeout=2).status_code != 200:
        return error(404, "User not found")
    order_id = uuid.uuid4().hex
    r = requests.post(
        f"{INVENTORY}/reservations",
        json={"order_id": order_id, "item_id": item_id, "quantity": 1},
        headers=CALLER,
        timeout=2,
    )
    if r.status_code == 409:
        return error(409, "Out of stock")
    if r.status_code != 201:
        return error(404, "Item not found")
    order = {"id": order_id, "user_id": user_id, "item_id": item_id}
    with lock:
        append(order)
        orders[order_id] = order
    try:
        requests.post(
            f"{NOTIFICATION}/send",
            json={"user_id": user_id, "message": f"Order {order_id} confirmed"},
            headers={**CALLER, "Idempotency-Key": order_id},
            timeout=2,
        )
    except requests.RequestException:
        pass
    return jsonify(order), 201


@app.get("/orders/<order_id>")
def get_order(order_id):
    if order_id not in orders:
        return error(404, "Order not found")
    return jsonify(orders[order_id])


if __name__ == "__main__":
    run(app, 4003)
