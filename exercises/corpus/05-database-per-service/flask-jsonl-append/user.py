from flask import Flask, jsonify, request

from log import append, error, invalid, lock, replay, run

app = Flask(__name__)
users = {e["id"]: e for e in replay()}


@app.post("/users")
def create_user():
    body = request.get_json(silent=True) or {}
    name, email = body.get("name"), body.get("email")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return invalid("name", "name must have 1 to 100 characters")
    if not isinstance(email, str) or "@" not in email:
        return invalid("email", "value is not a valid email address")
    with lock:
        user = {"id": len(users) + 1, "name": name, "email": email}
        append(user)
        users[user["id"]] = user
    return jsonify(user), 201


@app.get("/users/<int:user_id>")
def get_user(user_id):
    if user_id not in users:
        return error(404, "User not found")
    return jsonify(users[user_id])


if __name__ == "__main__":
    run(app, 4001)
