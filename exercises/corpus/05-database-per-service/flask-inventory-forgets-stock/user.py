import threading

from flask import Flask, jsonify, request

from store import load, run, save

app = Flask(__name__)
users = load()
lock = threading.Lock()


def invalid(field, msg):
    return jsonify(detail=[{"loc": ["body", field], "msg": msg, "type": "value_error"}]), 422


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
        users[str(user["id"])] = user
        save(users)
    return jsonify(user), 201


@app.get("/users/<int:user_id>")
def get_user(user_id):
    user = users.get(str(user_id))
    return (jsonify(user), 200) if user else (jsonify(detail="User not found"), 404)


if __name__ == "__main__":
    run(app, 4001)
