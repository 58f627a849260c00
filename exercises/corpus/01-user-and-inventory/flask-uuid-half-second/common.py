"""Helpers both of my services use (each service still runs on its own)."""
import os
import time

from flask import jsonify


def add_latency(app, seconds=0.5):
    # The chapter says network calls are slow: make every answer take half a second,
    # to see what that does to a client.
    @app.before_request
    def wait():
        time.sleep(seconds)


def field_error(field, msg):
    return jsonify({"detail": [{"loc": ["body", field], "msg": msg, "type": "value_error"}]}), 422


def not_found(what):
    return jsonify({"detail": f"{what} not found"}), 404


def run(app):
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ["PORT"]))
