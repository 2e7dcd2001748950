"""A minimal client of the YAML language server, to see a brief as an editor with the schema does.

The server speaks the Language Server Protocol over stdio: this client opens documents with the
brief schema associated and collects the diagnostics the server publishes for each.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

SERVER = "yaml-language-server"


def available() -> bool:
    return shutil.which(SERVER) is not None


class YamlLanguageServer:
    """One running server; `diagnostics(text)` validates a document against `schema`."""

    def __init__(self, schema: Path) -> None:
        executable = shutil.which(SERVER)
        if executable is None:
            raise FileNotFoundError(SERVER)
        self.schema_uri = schema.resolve().as_uri()
        self.process = subprocess.Popen([executable, "--stdio"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.next_id = 0
        self.documents = 0
        self.settings = {"yaml": {"validate": True, "hover": False, "completion": False,
                                  "schemas": {self.schema_uri: "*.yaml"},
                                  "schemaStore": {"enable": False}}}
        self.request("initialize", {"processId": None, "rootUri": None, "capabilities": {
            "workspace": {"configuration": True},
            "textDocument": {"publishDiagnostics": {}}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": self.settings})

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", None)
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired, TimeoutError):
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> YamlLanguageServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def _receive(self) -> dict[str, Any]:
        stream = self.process.stdout
        assert stream is not None
        length = 0
        while True:
            line = stream.readline()
            if not line:
                raise TimeoutError("the language server stopped")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(stream.read(length))
        if message.get("method") == "workspace/configuration":
            # The server asks for its settings section by section.
            items = message["params"]["items"]
            self._send({"id": message["id"], "result": [
                self.settings.get(item.get("section", ""), self.settings["yaml"])
                if item.get("section") in self.settings else
                self.settings["yaml"].get(item.get("section", "").removeprefix("yaml."))
                for item in items]})
        elif "id" in message and "method" in message:  # any other request: answer it empty
            self._send({"id": message["id"], "result": None})
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self._receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self._send({"method": method, "params": params})

    def diagnostics(self, text: str, timeout: float = 20) -> list[dict[str, Any]]:
        """The diagnostics the server publishes for `text`, opened as a new document."""
        return self.diagnose([text], timeout)[0]

    def diagnose(self, texts: list[str], timeout: float = 60) -> list[list[dict[str, Any]]]:
        """The diagnostics of each text, all opened at once and read as they come."""
        uris = []
        for text in texts:
            self.documents += 1
            uris.append(f"file:///briefs/{self.documents}/brief.yaml")
            self.notify("textDocument/didOpen", {"textDocument": {
                "uri": uris[-1], "languageId": "yaml", "version": 1, "text": text}})
        found: dict[str, list[dict[str, Any]]] = {}
        deadline = time.monotonic() + timeout
        while len(found) < len(uris):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no diagnostics for {len(uris) - len(found)} documents")
            message = self._receive()
            if message.get("method") == "textDocument/publishDiagnostics":
                found[message["params"]["uri"]] = message["params"]["diagnostics"]
        for uri in uris:
            self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        return [found[uri] for uri in uris]


def describe(diagnostic: dict[str, Any]) -> str:
    """`line:column: message` of a diagnostic, counted from 1 as briefgen does."""
    start = diagnostic["range"]["start"]
    return f"{start['line'] + 1}:{start['character'] + 1}: {diagnostic['message']}"
