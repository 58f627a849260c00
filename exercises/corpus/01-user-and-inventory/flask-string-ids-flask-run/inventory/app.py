from flask import Flask, jsonify, request

app = Flask(__name__)

items = {}
counter = 0


def validate(data):
    errors = []
    name = data.get("name")
    if not isinstance(name, str) or name == "":
        errors.append({"loc": ["body", "name"], "msg": "name is required", "type": "value_error"})
    elif len(name) > 100:
        errors.append({"loc": ["body", "name"], "msg": "name is longer than 100 characters", "type": "value_error"})
    stock = data.get("stock")
    if type(stock) is not int:
        errors.append({"loc": ["body", "stock"], "msg": "stock must be a whole number", "type": "type_error.integer"})
    elif stock < 0:
        errors.append({"loc": ["body", "stock"], "msg": "stock must be 0 or more", "type": "value_error"})
    return errors


@app.route("/items", methods=["POST"])
def create_item():
    global counter
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        data = {}
    errors = validate(data)
    if errors:
        return jsonify(detail=errors), 422
    counter += 1
    item = {"id": f"item-{counter}", "name": data["name"], "stock": data["stock"]}
    items[item["id"]] = item
    return jsonify(item), 201


@app.route("/items/<item_id>", methods=["GET"])
def get_item(item_id):
    item = items.get(item_id)
    if item is None:
        return jsonify(detail="Item not found"), 404
    return jsonify(item)
