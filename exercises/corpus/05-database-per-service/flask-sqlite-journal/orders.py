import os
import uuid

import requests
from flask import Flask, jsonify, request

from common import db, error, init, run

USER = os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:4001")
INVENTORY = os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:4002")
NOTIFICATION = os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:4004")
CALLER = {"x-caller": "orders"}

app = Flask(__name__)
init("CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, user_id TEXT, item_id TEXT)")


@app.post("/order")
def place_order():
    user_id, item_id = request.args.get("user_id", ""), request.args.get("item_id", "")
    if requests.get(f"{USER}/users/{user_id}", headers=CALLER, timeout=2).status_code != 200:
        return error(404, "User not found")
    order_id = str(uuid.uuid4())
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
    with db() as conn:
        conn.execute("INSERT INTO orders VALUES (?, ?, ?)", (order_id, user_id, item_id))
    try:
        requests.post(
            f"{NOTIFICATION}/send",
            json={"user_id": user_id, "message": f"Order {order_id} confirmed"},
            headers={**CALLER, "Idempotency-Key": order_id},
            timeout=2,
        )
    except requests.RequestException:
        pass
    return jsonify(id=order_id, user_id=user_id, item_id=item_id), 201


@app.get("/orders/<order_id>")
def get_order(order_id):
    with db() as conn:
        row = conn.execute("SELECT id, user_id, item_id FROM orders WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        return error(404, "Order not found")
    return jsonify(id=row[0], user_id=row[1], item_id=row[2])


@app.errorhandler(404)
def not_found(_):
    return error(404, "Not Found")


if __name__ == "__main__":
    run(app, 4003)
