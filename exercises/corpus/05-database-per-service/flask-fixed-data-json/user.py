import os

from flask import Flask, jsonify, request

from storage import load, save

app = Flask(__name__)
users = load("users")


@app.post("/users")
def create_user():
    body = request.get_json(silent=True) or {}
    name, email = body.get("name"), body.get("email")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return jsonify(detail=[{"loc": ["body", "name"], "msg": "bad name", "type": "value_error"}]), 422
    if not isinstance(email, str) or "@" not in email:
        return jsonify(detail=[{"loc": ["body", "email"], "msg": "not a valid email address", "type": "value_error"}]), 422
    user = {"id": str(len(users) + 1), "name": name, "email": email}
    users[user["id"]] = user
    save("users", users)
    return jsonify(user), 201


@app.get("/users/<user_id>")
def get_user(user_id):
    if user_id not in users:
        return jsonify(detail="User not found"), 404
    return jsonify(users[user_id])


if __name__ == "__main__":
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", 4001)))
