# Each service's records as one JSON object in DATA_FILE, rewritten and fsynced before the answer.
import json
import os

DATA_FILE = os.environ["DATA_FILE"]


def load():
    if not os.path.exists(DATA_FILE):
        return {}
    with open(DATA_FILE, encoding="utf-8") as f:
        return json.load(f)


def save(records):
    with open(DATA_FILE, "w", encoding="utf-8") as f:
        json.dump(records, f)
        f.flush()
        os.fsync(f.fileno())


def run(app, port):
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", port)))
