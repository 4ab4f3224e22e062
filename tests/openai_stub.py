"""A small OpenAI-compatible chat server for tests, on 127.0.0.1, that misbehaves on purpose.

The requested `model` name picks the behaviour: `ok` answers with `reply`, `slow` sleeps past
any sane timeout, `429` rate-limits with Retry-After, `500` fails, `garbage` returns malformed
JSON, `cut` streams half an answer and drops the connection, `badutf8` sends bytes that are not
UTF-8 (inside the JSON body, or as a stream chunk). Streaming requests get SSE chunks.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StubState:
    def __init__(self) -> None:
        self.reply = "Belarus joined the SCO on Thursday [1]."
        self.retry_after = "0"
        self.times: list[float] = []
        self.requests: list[dict] = []
        self.headers: list[dict] = []


def _completion(model: str, content: str) -> dict:
    return {
        "id": "chatcmpl-stub",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _chunk(model: str, delta: dict, finish: str | None = None) -> bytes:
    body = {
        "id": "chatcmpl-stub",
        "object": "chat.completion.chunk",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }
    return f"data: {json.dumps(body)}\n\n".encode()


def make_handler(state: StubState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.requests.append(body)
            state.headers.append(dict(self.headers))
            state.times.append(time.monotonic())
            model = body.get("model", "ok")
            if model == "slow":
                time.sleep(5)
            if model in ("429", "500"):
                return self._send(
                    int(model),
                    b'{"error": {"message": "stub failure"}}',
                    {"Retry-After": state.retry_after},
                )
            if model == "garbage":
                return self._send(200, b"{not json at all")
            if model == "badutf8" and not body.get("stream"):
                reply = json.dumps(_completion(model, "Belarus joined")).encode()
                return self._send(200, reply.replace(b"Belarus", b"Bel\xff\xfe\xc3rus"))
            if body.get("stream"):
                return self._stream(model)
            return self._send(200, json.dumps(_completion(model, state.reply)).encode())

        def _stream(self, model: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            words = state.reply.split(" ")
            if model == "cut":
                words = words[: len(words) // 2]
            for i, word in enumerate(words):
                self.wfile.write(
                    _chunk(model, {"content": word + ("" if i == len(words) - 1 else " ")})
                )
                self.wfile.flush()
            if model == "cut":
                self.wfile.write(b"data: {broken")
                return
            if model == "badutf8":
                bad = _chunk(model, {"content": " MARK"}).replace(b"MARK", b"\xff\xfe\xc3")
                self.wfile.write(bad)
            self.wfile.write(_chunk(model, {}, "stop") + b"data: [DONE]\n\n")

        def _send(self, status: int, payload: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # clients that hang up on purpose (timeouts) are part of the tests


class OpenAIStub:
    """Context manager running the stub server on a free port; `url` is its /v1 base URL."""

    def __enter__(self) -> "OpenAIStub":
        self.state = StubState()
        self.server = _QuietServer(("127.0.0.1", 0), make_handler(self.state))
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
