import os
import re

from flask import Flask, jsonify, request

app = Flask(__name__)

user_store = {}
last_id = 0


def validation_error(field, msg):
    return jsonify({"detail": [{"loc": ["body", field], "msg": msg, "type": "value_error"}]}), 422


@app.post("/users")
def create_user():
    global user_store, last_id
    body = request.get_json(silent=True) or {}
    name = body.get("name")
    email = body.get("email")
    if not isinstance(name, str) or len(name) == 0 or len(name) > 100:
        return validation_error("name", "name must be between 1 and 100 characters")
    if not isinstance(email, str) or not re.fullmatch(r"\S+@\S+\.\S+", email):
        return validation_error("email", "value is not a valid email address")
    last_id += 1
    user_store = {"id": last_id, "name": name, "email": email}
    return jsonify(user_store), 201


@app.get("/users/<int:user_id>")
def get_user(user_id):
    if user_store.get("id") != user_id:
        return jsonify({"detail": "User not found"}), 404
    return jsonify(user_store)


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 8001)))
