# User service, after the chapter's example (users.get(user_id, {"error": "Not found"}))
import os
import re

from flask import Flask, jsonify, request

app = Flask(__name__)
users = {}


def bad(field, msg):
    return jsonify({"detail": [{"loc": ["body", field], "msg": msg, "type": "value_error"}]}), 422


@app.route("/users", methods=["POST"])
def create_user():
    data = request.get_json(silent=True) or {}
    name = data.get("name")
    email = data.get("email")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return bad("name", "name must have 1 to 100 characters")
    if not isinstance(email, str) or not re.match(r"[^@]+@[^@]+\.[^@]+", email):
        return bad("email", "value is not a valid email address")
    user_id = str(len(users) + 1)
    users[user_id] = {"id": user_id, "name": name, "email": email}
    return jsonify(users[user_id]), 201


@app.route("/users/<user_id>")
def get_user(user_id):
    return jsonify(users.get(user_id, {"error": "Not found"}))


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8001)))
