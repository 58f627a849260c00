from flask import Flask, jsonify, request

app = Flask(__name__)

users = {}
counter = 0


def validate(data):
    errors = []
    name = data.get("name")
    if not isinstance(name, str) or name == "":
        errors.append({"loc": ["body", "name"], "msg": "name is required", "type": "value_error"})
    elif len(name) > 100:
        errors.append({"loc": ["body", "name"], "msg": "name is longer than 100 characters", "type": "value_error"})
    email = data.get("email")
    if not isinstance(email, str) or "@" not in email or email.startswith("@") or email.endswith("@"):
        errors.append({"loc": ["body", "email"], "msg": "value is not a valid email address", "type": "value_error.email"})
    return errors


@app.route("/users", methods=["POST"])
def create_user():
    global counter
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        data = {}
    errors = validate(data)
    if errors:
        return jsonify(detail=errors), 422
    counter += 1
    user = {"id": f"user-{counter}", "name": data["name"], "email": data["email"]}
    users[user["id"]] = user
    return jsonify(user), 201


@app.route("/users/<user_id>", methods=["GET"])
def get_user(user_id):
    user = users.get(user_id)
    if user is None:
        return jsonify(detail="User not found"), 404
    return jsonify(user)
