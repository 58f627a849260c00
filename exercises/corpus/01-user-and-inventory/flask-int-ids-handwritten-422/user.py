import os
import re

from flask import Flask, jsonify, request

app = Flask(__name__)

users = {}
next_id = 1

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def error_422(field, msg, err_type):
    # same shape as FastAPI's validation errors
    return jsonify({"detail": [{"loc": ["body", field], "msg": msg, "type": err_type}]}), 422


@app.post("/users")
def create_user():
    global next_id
    data = request.get_json(silent=True) or {}

    name = data.get("name")
    if name is None:
        return error_422("name", "field required", "value_error.missing")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return error_422("name", "name must have 1 to 100 characters", "value_error")

    email = data.get("email")
    if email is None:
        return error_422("email", "field required", "value_error.missing")
    if not isinstance(email, str) or not EMAIL_RE.match(email):
        return error_422("email", "value is not a valid email address", "value_error.email")

    user = {"id": next_id, "name": name, "email": email}
    users[next_id] = user
    next_id += 1
    return jsonify(user), 201


@app.get("/users/<int:user_id>")
def get_user(user_id):
    if user_id not in users:
        return jsonify({"detail": "User not found"}), 404
    return jsonify(users[user_id])


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8001)))
