import re

from flask import Flask, jsonify, request

app = Flask(__name__)

users = {}
next_id = 1


def error(field, msg):
    return jsonify({"detail": [{"loc": ["body", field], "msg": msg, "type": "value_error"}]}), 422


@app.route("/users", methods=["POST"])
def create_user():
    global next_id
    data = request.get_json(silent=True) or {}
    name = data.get("name")
    email = data.get("email")
    if not isinstance(name, str) or not name or len(name) > 100:
        return error("name", "name must have 1 to 100 characters")
    if not isinstance(email, str) or not re.match(r"^[^@]+@[^@]+$", email):
        return error("email", "value is not a valid email address")
    user = {"id": next_id, "name": name, "email": email}
    users[next_id] = user
    next_id += 1
    return jsonify(user), 201


@app.route("/users/<int:user_id>")
def get_user(user_id):
    if user_id not in users:
        return jsonify({"detail": "User not found"}), 404
    return jsonify(users[user_id])


if __name__ == "__main__":
    # same port as in the README: npm run grade -- 01 --url user=http://127.0.0.1:8001
    app.run(port=8001)
