import os
import re

from flask import Flask, jsonify, request

app = Flask(__name__)

users = []


def error(field, message):
    return jsonify({"detail": [{"loc": ["body", field], "msg": message, "type": "value_error"}]}), 422


@app.post("/users")
def add_user():
    payload = request.get_json(silent=True) or {}
    if "name" not in payload:
        return error("name", "field required")
    if not isinstance(payload["name"], str) or len(payload["name"]) < 1 or len(payload["name"]) > 100:
        return error("name", "name must have between 1 and 100 characters")
    if "email" not in payload:
        return error("email", "field required")
    if not isinstance(payload["email"], str) or not re.match(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$", payload["email"]):
        return error("email", "value is not a valid email address")
    user = {"id": len(users) + 1, "name": payload["name"], "email": payload["email"]}
    users.append(user)
    return jsonify(user), 201


@app.get("/users/<int:user_id>")
def one_user(user_id):
    for user in users:
        if user["id"] == user_id:
            return jsonify(user)
    return jsonify({"detail": "User not found"}), 404


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 5000)))
