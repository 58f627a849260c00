import os
import threading

from flask import Flask, jsonify, request

from storage import load, save

app = Flask(__name__)
items = load("items")  # {"1": {"id": "1", "name": ..., "stock": ..., "orders": [order ids that took one]}}
lock = threading.Lock()


def public(item):
    return {"id": item["id"], "name": item["name"], "stock": item["stock"]}


@app.post("/items")
def create_item():
    body = request.get_json(silent=True) or {}
    name, stock = body.get("name"), body.get("stock")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return jsonify(detail=[{"loc": ["body", "name"], "msg": "bad name", "type": "value_error"}]), 422
    if type(stock) is not int or stock < 0:
        return jsonify(detail=[{"loc": ["body", "stock"], "msg": "0 or more", "type": "value_error"}]), 422
    with lock:
        item = {"id": str(len(items) + 1), "name": name, "stock": stock, "orders": []}
        items[item["id"]] = item
        save("items", items)
    return jsonify(public(item)), 201


@app.get("/items/<item_id>")
def get_item(item_id):
    if item_id not in items:
        return jsonify(detail="Item not found"), 404
    return jsonify(public(items[item_id]))


@app.get("/stock/<item_id>")
def get_stock(item_id):
    if item_id not in items:
        return jsonify(detail="Item not found"), 404
    return jsonify(available=items[item_id]["stock"])


@app.post("/reservations")
def reserve():
    body = request.get_json(silent=True) or {}
    order_id, item_id, quantity = str(body.get("order_id")), str(body.get("item_id")), int(body.get("quantity", 1))
    with lock:
        item = items.get(item_id)
        if item is None:
            return jsonify(detail="Item not found"), 404
        if order_id not in item["orders"]:
            if item["stock"] < quantity:
                return jsonify(detail="Out of stock"), 409
            item["stock"] -= quantity
            item["orders"].append(order_id)
            save("items", items)
    return jsonify(order_id=order_id, item_id=item_id, quantity=quantity), 201


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 4002)))
