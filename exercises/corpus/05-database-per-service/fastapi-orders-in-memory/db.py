# inventory and orders: one SQLite connection on DATA_FILE (default journal), committed before each answer.
import os
import sqlite3
import threading

lock = threading.Lock()


def connect(schema: str) -> sqlite3.Connection:
    conn = sqlite3.connect(os.environ["DATA_FILE"], check_same_thread=False)
    conn.executescript(schema)
    conn.commit()
    return conn
