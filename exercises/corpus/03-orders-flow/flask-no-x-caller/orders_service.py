"""Orders service for exercise 03 (Flask)."""
import os
import uuid

import requests
from flask import Flask, jsonify, request

app = Flask(__name__)

USER_SERVICE_URL = os.getenv("USER_SERVICE_URL")
INVENTORY_SERVICE_URL = os.getenv("INVENTORY_SERVICE_URL")
NOTIFICATION_SERVICE_URL = os.getenv("NOTIFICATION_SERVICE_URL")

ORDERS = {}


@app.post("/order")
def place_order():
    user_id = request.args.get("user_id", "")
    item_id = request.args.get("item_id", "")

    user_resp = requests.get(f"{USER_SERVICE_URL}/users/{user_id}", timeout=5)
    if user_resp.status_code == 404:
        return jsonify(detail="User not found"), 404

    order_id = uuid.uuid4().hex[:8]
    inv_resp = requests.post(
        f"{INVENTORY_SERVICE_URL}/reservations",
        json={"order_id": order_id, "item_id": item_id, "quantity": 1},
        timeout=5,
    )
    if inv_resp.status_code == 409:
        return jsonify(detail="Out of stock"), 409
    if inv_resp.status_code == 404:
        return jsonify(detail="Item not found"), 404

    ORDERS[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id}
    requests.post(
        f"{NOTIFICATION_SERVICE_URL}/send",
        json={"user_id": user_id, "message": f"Order {order_id} confirmed"},
        timeout=5,
    )
    return jsonify(ORDERS[order_id]), 201


@app.get("/orders/<order_id>")
def get_order(order_id):
    if order_id not in ORDERS:
        return jsonify(detail="Order not found"), 404
    return jsonify(ORDERS[order_id])


if __name__ == "__main__":
    app.run(host=os.getenv("HOST", "127.0.0.1"), port=int(os.getenv("PORT", "8003")), threaded=True)
