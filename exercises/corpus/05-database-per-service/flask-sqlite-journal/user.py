from flask import Flask, jsonify, request

from common import db, error, init, invalid, run

app = Flask(__name__)
init("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, email TEXT)")


@app.post("/users")
def create_user():
    body = request.get_json(silent=True) or {}
    name, email = body.get("name"), body.get("email")
    if not isinstance(name, str) or not 1 <= len(name) <= 100:
        return invalid("name", "name must have 1 to 100 characters")
    if not isinstance(email, str) or "@" not in email:
        return invalid("email", "value is not a valid email address")
    with db() as conn:
        cur = conn.execute("INSERT INTO users (name, email) VALUES (?, ?)", (name, email))
    return jsonify(id=cur.lastrowid, name=name, email=email), 201


@app.get("/users/<int:user_id>")
def get_user(user_id):
    with db() as conn:
        row = conn.execute("SELECT id, name, email FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        return error(404, "User not found")
    return jsonify(id=row[0], name=row[1], email=row[2])


@app.errorhandler(404)
def not_found(_):
    return error(404, "Not Found")


if __name__ == "__main__":
    run(app, 4001)
