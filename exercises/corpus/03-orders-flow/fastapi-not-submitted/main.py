# Work in progress: orders is not in implementation.json yet.
import os

import requests
from fastapi import FastAPI, HTTPException

app = FastAPI()
USER_SERVICE_URL = os.getenv("USER_SERVICE_URL", "http://127.0.0.1:8001")
orders = {}


@app.post("/order", status_code=201)
def create_order(user_id: str, item_id: str):
    r = requests.get(f"{USER_SERVICE_URL}/users/{user_id}", headers={"x-caller": "orders"}, timeout=3)
    if r.status_code == 404:
        raise HTTPException(404, "User not found")
    raise HTTPException(501, "not finished")
