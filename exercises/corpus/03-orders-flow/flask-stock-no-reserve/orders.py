import itertools
import os

import requests
from flask import Flask, jsonify, request

USER = os.environ.get("USER_SERVICE_URL", "http://127.0.0.1:8001")
INVENTORY = os.environ.get("INVENTORY_SERVICE_URL", "http://127.0.0.1:8002")
NOTIFICATION = os.environ.get("NOTIFICATION_SERVICE_URL", "http://127.0.0.1:8004")
HEADERS = {"x-caller": "orders"}

app = Flask(__name__)
orders = {}
ids = itertools.count(1)


@app.route("/order", methods=["POST"])
def create_order():
    user_id = request.args["user_id"]
    item_id = request.args["item_id"]

    if requests.get(f"{USER}/users/{user_id}", headers=HEADERS, timeout=3).status_code == 404:
        return jsonify({"detail": "User not found"}), 404

    stock = requests.get(f"{INVENTORY}/stock/{item_id}", headers=HEADERS, timeout=3)
    if stock.status_code == 404:
        return jsonify({"detail": "Item not found"}), 404
    if stock.json().get("available", 0) <= 0:
        return jsonify({"detail": "Out of stock"}), 409
    # reduce stock: inventory keeps track of it

    order_id = next(ids)
    orders[order_id] = {"id": order_id, "user_id": user_id, "item_id": item_id}
    requests.post(
        f"{NOTIFICATION}/send",
        json={"user_id": user_id, "message": f"Your order {order_id} is confirmed"},
        headers=HEADERS,
        timeout=3,
    )
    return jsonify(orders[order_id]), 201


@app.route("/orders/<int:order_id>")
def get_order(order_id):
    order = orders.get(order_id)
    if order is None:
        return jsonify({"detail": "Order not found"}), 404
    return jsonify(order)


if __name__ == "__main__":
    app.run(port=int(os.environ["PORT"]))
