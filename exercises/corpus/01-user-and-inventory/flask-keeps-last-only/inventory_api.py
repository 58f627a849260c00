import os

from flask import Flask, jsonify, request

app = Flask(__name__)

item_store = {}
last_id = 0


def validation_error(field, msg):
    return jsonify({"detail": [{"loc": ["body", field], "msg": msg, "type": "value_error"}]}), 422


@app.post("/items")
def create_item():
    global last_id
    body = request.get_json(silent=True) or {}
    name = body.get("name")
    stock = body.get("stock")
    if not isinstance(name, str) or len(name) == 0 or len(name) > 100:
        return validation_error("name", "name must be between 1 and 100 characters")
    if isinstance(stock, bool) or not isinstance(stock, int) or stock < 0:
        return validation_error("stock", "stock must be an integer >= 0")
    last_id += 1
    item_store[last_id] = {"id": last_id, "name": name, "stock": stock}
    return jsonify(item_store[last_id]), 201


@app.get("/items/<int:item_id>")
def get_item(item_id):
    if item_id not in item_store:
        return jsonify({"detail": "Item not found"}), 404
    return jsonify(item_store[item_id])


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8002)))
