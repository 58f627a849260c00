# The town's database: data.json, next to the code. Each service keeps its own key in it.
import json

DB = "data.json"


def load(key):
    try:
        with open(DB, encoding="utf-8") as f:
            return json.load(f).get(key, {})
    except (FileNotFoundError, ValueError):
        return {}


def save(key, records):
    with open(DB, "w", encoding="utf-8") as f:
        json.dump({key: records}, f)
