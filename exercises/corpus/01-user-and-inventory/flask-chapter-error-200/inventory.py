import os

from flask import Flask, jsonify, request

app = Flask(__name__)
items = {}


def bad(field, msg):
    return jsonify({"detail": [{"loc": ["body", field], "msg": msg, "type": "value_error"}]}), 422


@app.route("/items", methods=["POST"])
def create_item():
    data = request.get_json(silent=True) or {}
    name = data.get("name")
    stock = data.get("stock")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return bad("name", "name must have 1 to 100 characters")
    if type(stock) is not int or stock < 0:
        return bad("stock", "stock must be a whole number, 0 or more")
    item_id = str(len(items) + 1)
    items[item_id] = {"id": item_id, "name": name, "stock": stock}
    return jsonify(items[item_id]), 201


@app.route("/items/<item_id>")
def get_item(item_id):
    if item_id not in items:
        return jsonify({"detail": "Item not found"}), 404
    return jsonify(items[item_id])


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8002)))
