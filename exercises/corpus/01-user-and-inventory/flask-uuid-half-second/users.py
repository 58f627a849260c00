import re
import uuid

from flask import Flask, jsonify, request

from common import add_latency, field_error, not_found, run

app = Flask("user")
add_latency(app)

USERS = {}


@app.post("/users")
def create_user():
    body = request.get_json(force=True, silent=True) or {}
    name, email = body.get("name"), body.get("email")
    if not isinstance(name, str) or not (0 < len(name) <= 100):
        return field_error("name", "name must be 1 to 100 characters")
    if not isinstance(email, str) or not re.fullmatch(r"[^@ ]+@[^@ ]+", email):
        return field_error("email", "value is not a valid email address")
    user = {"id": str(uuid.uuid4()), "name": name, "email": email}
    USERS[user["id"]] = user
    return jsonify(user), 201


@app.get("/users/<user_id>")
def get_user(user_id):
    if user_id not in USERS:
        return not_found("User")
    return jsonify(USERS[user_id])


if __name__ == "__main__":
    run(app)
