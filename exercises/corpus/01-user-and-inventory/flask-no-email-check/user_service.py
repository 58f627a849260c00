import os
from uuid import uuid4

from flask import Flask, jsonify, request

app = Flask(__name__)
users = {}


def invalid(field, msg):
    return jsonify(detail=[{"loc": ["body", field], "msg": msg, "type": "value_error"}]), 422


@app.route("/users", methods=["POST"])
def create_user():
    data = request.get_json(silent=True) or {}
    name = data.get("name")
    email = data.get("email")
    if not name or not isinstance(name, str) or len(name) > 100:
        return invalid("name", "name must be 1-100 characters")
    if not email or not isinstance(email, str):
        return invalid("email", "email is required")
    user = {"id": uuid4().hex[:8], "name": name, "email": email}
    users[user["id"]] = user
    return jsonify(user), 201


@app.route("/users/<user_id>")
def get_user(user_id):
    if user_id in users:
        return jsonify(users[user_id])
    return jsonify(detail="User not found"), 404


if __name__ == "__main__":
    app.run(host=os.getenv("HOST", "127.0.0.1"), port=int(os.getenv("PORT", "8001")))
