# An append-only log: DATA_FILE has one JSON event per line. append() writes a line and fsyncs it before the
# service answers; replay() reads the lines back at start. A torn last line (a crash mid-write) is skipped.
import json
import os
import threading

from flask import jsonify

DATA_FILE = os.environ["DATA_FILE"]
lock = threading.Lock()


def replay():
    if not os.path.exists(DATA_FILE):
        return []
    events = []
    with open(DATA_FILE, encoding="utf-8") as f:
        for line in f:
            try:
                events.append(json.loads(line))
            except ValueError:
                pass
    return events


def append(event):
    with open(DATA_FILE, "a", encoding="utf-8") as f:
        f.write(json.dumps(event) + "\n")
        f.flush()
        os.fsync(f.fileno())


def error(status, detail):
    return jsonify(detail=detail), status


def invalid(field, msg):
    return error(422, [{"loc": ["body", field], "msg": msg, "type": "value_error"}])


def run(app, port):
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", port)))
