# A service that answers every call with 404, and notes its pid and port in LEFTOVER_DIR for the test to check.
import http.server
import os

port = int(os.environ["PORT"])
if os.environ.get("LEFTOVER_DIR"):
    with open(os.path.join(os.environ["LEFTOVER_DIR"], f"{os.getpid()}.json"), "w") as f:
        f.write('{"pid": %d, "port": %d}' % (os.getpid(), port))


class NotFound(http.server.BaseHTTPRequestHandler):
    def answer(self):
        body = b'{"detail":"Not Found"}'
        self.send_response(404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = answer

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer((os.environ.get("HOST", "127.0.0.1"), port), NotFound).serve_forever()
