# Shared by the three Flask services: a fresh SQLite connection per request on DATA_FILE (default rollback
# journal: a commit is in DATA_FILE itself before the answer), FastAPI-shaped errors, and the run line.
import os
import sqlite3

from flask import Flask, jsonify

DATA_FILE = os.environ["DATA_FILE"]


def db():
    return sqlite3.connect(DATA_FILE, timeout=10)


def init(schema):
    with db() as conn:
        conn.executescript(schema)


def error(status, detail):
    return jsonify(detail=detail), status


def invalid(field, msg):
    return error(422, [{"loc": ["body", field], "msg": msg, "type": "value_error"}])


def run(app: Flask, port):
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", port)), threaded=True)
