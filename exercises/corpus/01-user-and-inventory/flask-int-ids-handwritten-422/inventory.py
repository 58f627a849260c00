import os

from flask import Flask, jsonify, request

app = Flask(__name__)

items = {}
next_id = 1


def error_422(field, msg, err_type):
    return jsonify({"detail": [{"loc": ["body", field], "msg": msg, "type": err_type}]}), 422


@app.post("/items")
def create_item():
    global next_id
    data = request.get_json(silent=True) or {}

    name = data.get("name")
    if name is None:
        return error_422("name", "field required", "value_error.missing")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return error_422("name", "name must have 1 to 100 characters", "value_error")

    stock = data.get("stock")
    if stock is None:
        return error_422("stock", "field required", "value_error.missing")
    # bool is a subclass of int in Python, so True would pass as 1 without this
    if isinstance(stock, bool) or not isinstance(stock, int):
        return error_422("stock", "value is not a valid integer", "type_error.integer")
    if stock < 0:
        return error_422("stock", "ensure this value is greater than or equal to 0", "value_error.number.not_ge")

    item = {"id": next_id, "name": name, "stock": stock}
    items[next_id] = item
    next_id += 1
    return jsonify(item), 201


@app.get("/items/<int:item_id>")
def get_item(item_id):
    if item_id not in items:
        return jsonify({"detail": "Item not found"}), 404
    return jsonify(items[item_id])


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8002)))
