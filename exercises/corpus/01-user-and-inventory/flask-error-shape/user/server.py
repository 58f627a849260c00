import os
import re
import uuid

from flask import Flask, jsonify, request

app = Flask(__name__)
users = {}


@app.post("/users")
def create_user():
    data = request.get_json(silent=True) or {}
    name = data.get("name")
    email = data.get("email")

    if not name or not isinstance(name, str):
        return jsonify({"error": "name is required"}), 422
    if len(name) > 100:
        return jsonify({"error": "name must be at most 100 characters"}), 422
    if not email or not isinstance(email, str):
        return jsonify({"error": "email is required"}), 422
    if not re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", email, re.IGNORECASE):
        return jsonify({"error": "email is invalid"}), 422

    user = {"id": str(uuid.uuid4()), "name": name, "email": email}
    users[user["id"]] = user
    return jsonify(user), 201


@app.get("/users/<user_id>")
def get_user(user_id):
    user = users.get(user_id)
    if not user:
        return jsonify({"detail": "User not found"}), 404
    return jsonify(user)


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ["PORT"]))
