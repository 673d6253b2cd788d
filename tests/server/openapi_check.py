#!/usr/bin/python3
"""Checks server/openapi.json against the real `citeqa serve`.

  openapi_check.py CITEQA_BINARY CORPUS_DIR SOURCE_DIR

1. The document itself: OpenAPI 3.1.0, every $ref resolves, every schema is valid JSON Schema
   (Draft 2020-12), operation ids unique, path parameters declared.
2. The real server (the seed corpus indexed into a temporary folder; three servers: one with
   the admin token, Slack secrets and --corpus, one without any secret, one with the token
   but no corpus and a small connection cap): every documented route is called with good
   and bad input, and every response is checked against the document: its status is listed
   for that route, its Content-Type is one of that status's, its body validates against the
   schema, its required headers are there. GET /api/openapi.json is the file, byte for byte.
3. Both ways: every documented status of every route was seen (but those no test can cause:
   500, 507, a race), a path the document lacks gets 404, a documented path with another
   method gets 405 with exactly the documented methods in Allow, and every route the source
   registers and every route label in /metrics is in the document.

Uses Debian's python3-jsonschema (4.10) and the standard library. Exit 0 when all is well,
1 with every failure listed otherwise.
"""

import copy
import hashlib
import hmac
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

from jsonschema import Draft202012Validator, FormatChecker, RefResolver
from jsonschema.exceptions import SchemaError

ADMIN_TOKEN = "openapi-check-admin-token-0123456789"
SLACK_SECRET = "openapi-check-signing-secret"
WEBHOOK_TOKEN = "openapi-check-webhook-token"
METHODS = ["get", "post", "put", "patch", "delete", "options"]
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
# Statuses no test can cause from outside: a server fault, a full disk, two requests racing
# for one file.
UNREACHABLE = {"500", "507", ("delete", "/api/articles/{file}", "409")}

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message, flush=True)


# --- The document ----------------------------------------------------------------------

def resolve_pointer(doc, ref):
    if not ref.startswith("#/"):
        raise KeyError(ref)
    node = doc
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = resolve_pointer(doc, node["$ref"])
    return node


def walk(node, path=""):
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, path + "/" + key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from walk(value, path + "/" + str(i))


def check_document(doc):
    if doc.get("openapi") != "3.1.0":
        fail("openapi is %r, not 3.1.0" % doc.get("openapi"))
    for key in ("info", "paths", "components"):
        if key not in doc:
            fail("the document has no " + key)
    for path, node in walk(doc):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            try:
                resolve_pointer(doc, node["$ref"])
            except (KeyError, IndexError, ValueError):
                fail("%s: $ref %s does not resolve" % (path, node["$ref"]))
    # Every schema: the named ones and those inline in parameters, headers and content.
    schemas = [("#/components/schemas/" + k, v) for k, v in doc["components"]["schemas"].items()]
    for path, node in walk({"paths": doc["paths"], "components": doc["components"]}):
        if isinstance(node, dict) and isinstance(node.get("schema"), (dict, bool)):
            schemas.append((path + "/schema", node["schema"]))
    for where, schema in schemas:
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as e:
            fail("%s is not a valid Draft 2020-12 schema: %s" % (where, e.message))
    operation_ids = set()
    schemes = doc["components"].get("securitySchemes", {})
    for template, item in doc["paths"].items():
        declared = set(re.findall(r"{([^}]+)}", template))
        for method, op in item.items():
            if method not in METHODS + ["head"]:
                fail("%s: unknown key %s" % (template, method))
                continue
            where = "%s %s" % (method.upper(), template)
            op_id = op.get("operationId")
            if not op_id or op_id in operation_ids:
                fail(where + ": missing or repeated operationId")
            operation_ids.add(op_id)
            params = [deref(doc, p) for p in op.get("parameters", [])]
            in_path = {p["name"] for p in params if p.get("in") == "path"}
            if in_path != declared:
                fail("%s: path parameters %s, template has %s" % (where, in_path, declared))
            if not op.get("responses"):
                fail(where + ": no responses")
            for status, response in op.get("responses", {}).items():
                if not re.fullmatch(r"[1-5][0-9][0-9]", status):
                    fail("%s: response key %s is not a status" % (where, status))
                if "description" not in deref(doc, response):
                    fail("%s %s: no description" % (where, status))
            for requirement in op.get("security", []):
                for name in requirement:
                    if name not in schemes:
                        fail("%s: unknown security scheme %s" % (where, name))


# --- Matching and validating responses ---------------------------------------------------

class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case name -> [values]
        self.body = body

    def header(self, name):
        values = self.headers.get(name.lower())
        return values[0] if values else None


def template_regex(template):
    parts = re.split(r"({[^}]+})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def find_template(doc, path):
    """The document's path for a concrete path: a fixed one before a templated one."""
    if path in doc["paths"]:
        return path
    for template in doc["paths"]:
        if "{" in template and template_regex(template).fullmatch(path):
            return template
    return None


def normalise_media(value):
    return ";".join(p.strip() for p in value.lower().split(";"))


class Checker:
    def __init__(self, doc):
        self.doc = doc
        self.resolver = RefResolver.from_schema(doc)
        self.seen = {}  # (method, template) -> set of statuses
        self.validated = 0

    def validator(self, schema):
        return Draft202012Validator(schema, resolver=self.resolver, format_checker=FormatChecker())

    def schema_errors(self, schema, instance):
        return ["%s: %s" % (e.json_path, e.message) for e in self.validator(schema).iter_errors(instance)]

    def check(self, what, method, path, response, expected_status, guard=False):
        """Checks `response` to `method path` against the document; returns its parsed body."""
        label = "%s (%s %s -> %d)" % (what, method, path, response.status)
        if response.status != expected_status:
            fail("%s: expected status %d; body %r" % (label, expected_status, response.body[:300]))
        template = find_template(self.doc, path)
        if template is None:
            fail(label + ": the path is not in the document")
            return None
        op = self.doc["paths"][template].get(method.lower())
        if op is None:
            fail("%s: %s is not documented for %s" % (label, method, template))
            return None
        status = str(response.status)
        self.seen.setdefault((method.lower(), template), set()).add(status)
        if status not in op["responses"]:
            fail("%s: status %s is not documented for %s %s" % (label, status, method, template))
            return None
        documented = deref(self.doc, op["responses"][status])
        for name, header in documented.get("headers", {}).items():
            header = deref(self.doc, header)
            value = response.header(name)
            if value is None:
                if header.get("required"):
                    fail("%s: required header %s is missing" % (label, name))
                continue
            for error in self.schema_errors(header.get("schema", {}), value):
                fail("%s: header %s: %s" % (label, name, error))
        if not guard:
            for name, value in SECURITY_HEADERS.items():
                if response.header(name) != value:
                    fail("%s: %s is %r" % (label, name, response.header(name)))
        content = documented.get("content")
        if not content:
            if response.body:
                fail(label + ": a body where the document has none")
            return None
        media = normalise_media(response.header("content-type") or "")
        keys = {normalise_media(k): k for k in content}
        key = keys.get(media) or keys.get(media.split(";")[0])
        if key is None:
            fail("%s: Content-Type %r is not one of %s" % (label, media, sorted(content)))
            return None
        schema = content[key].get("schema", {})
        text = response.body.decode("utf-8", errors="replace")
        instance = text
        if key.split(";")[0] == "application/json" and deref(self.doc, schema).get("type") != "string":
            try:
                instance = json.loads(text)
            except ValueError as e:
                fail("%s: body is not JSON (%s): %r" % (label, e, text[:200]))
                return None
        for error in self.schema_errors(schema, instance):
            fail("%s: body does not match %s: %s" % (label, json.dumps(schema), error))
        self.validated += 1
        return instance


# --- HTTP ---------------------------------------------------------------------------------

def request(port, method, path, body=None, headers=None, query=None):
    if query:
        path = path + "?" + urllib.parse.urlencode(query)
    headers = dict(headers or {})
    headers.setdefault("Connection", "close")
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
        headers.setdefault("Content-Type", "application/json")
    if isinstance(body, str):
        body = body.encode("utf-8")
    if body is None and method in ("POST", "PUT", "PATCH", "DELETE"):
        body = b""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers)
        reply = connection.getresponse()
        data = reply.read()
        names = {}
        for name, value in reply.getheaders():
            names.setdefault(name.lower(), []).append(value)
        return Response(reply.status, names, data)
    finally:
        connection.close()


def parse_raw(data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1]) if lines and lines[0].startswith("HTTP/") else 0
    names = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        names.setdefault(name.strip().lower(), []).append(value.strip())
    return Response(status, names, body)


def read_until_closed(sock, timeout):
    sock.settimeout(timeout)
    data = b""
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionResetError):
        pass
    return data


def raw_request(port, data, timeout=5):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused while sending: the answer is still there to read
        return parse_raw(read_until_closed(sock, timeout))


def slack_headers(secret, body, timestamp=None, signature=None):
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    if signature is None:
        mac = hmac.new(secret.encode(), ("v0:%s:%s" % (timestamp, body)).encode(), hashlib.sha256)
        signature = "v0=" + mac.hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded"}


# --- Servers ------------------------------------------------------------------------------

class Server:
    def __init__(self, binary, args, env, log_path):
        clean = {k: v for k, v in os.environ.items() if not k.startswith("CITEQA_")}
        clean.update(env)
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.process = subprocess.Popen([binary, "serve", "--port", "0"] + args, env=clean,
                                        stdout=subprocess.PIPE, stderr=self.log)
        self.port = None

    def wait_listening(self, timeout=30):
        deadline = time.monotonic() + timeout
        line = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.1)
            if ready:
                line += os.read(self.process.stdout.fileno(), 4096)
                match = re.search(rb"listening on http://[^:]+:([0-9]+)", line)
                if match:
                    self.port = int(match.group(1))
                    return
            if self.process.poll() is not None:
                break
        raise RuntimeError("citeqa serve did not start; log:\n" + self.read_log())

    def read_log(self):
        if not self.log.closed:
            self.log.flush()
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")[-4000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                fail("citeqa serve did not stop on SIGTERM")
        if self.process.returncode not in (0, -signal.SIGKILL):
            fail("citeqa serve exited %s; log:\n%s" % (self.process.returncode, self.read_log()))
        self.log.close()


# --- Scenarios ----------------------------------------------------------------------------

ADMIN = {"Authorization": "Bearer " + ADMIN_TOKEN}
FOUND_QUESTION = "What does a product owner do?"
# Questions the product-management articles do not answer: at least one must abstain.
NEGATIVE_QUESTIONS = ["How many moons does Jupiter have?",
                      "What is the boiling point of mercury?",
                      "Who painted the Mona Lisa?"]


def check_answers(c, port, doc_path):
    r = request(port, "GET", "/api/openapi.json")
    served = c.check("the document", "GET", "/api/openapi.json", r, 200)
    with open(doc_path, "rb") as f:
        if r.body != f.read():
            fail("GET /api/openapi.json is not server/openapi.json byte for byte")
    if served is not None and served.get("openapi") != "3.1.0":
        fail("the served document is not OpenAPI 3.1.0")

    answer = c.check("an answer", "POST", "/api/ask",
                     request(port, "POST", "/api/ask", {"question": FOUND_QUESTION}), 200)
    if not answer or not answer.get("found") or not answer.get("citations"):
        fail("%r found no answer with citations: %r" % (FOUND_QUESTION, answer))
        answer = {"citations": [{"passage_id": 1}], "conversation_id": ""}
    explained = c.check("an explained answer", "POST", "/api/ask", request(
        port, "POST", "/api/ask", {"question": FOUND_QUESTION, "explain": True, "top_k": 3}), 200)
    if explained and ("explanation" not in explained or len(explained["citations"]) > 3):
        fail("explain/top_k not honoured: %r" % list(explained))
    c.check("a follow-up", "POST", "/api/ask", request(port, "POST", "/api/ask", {
        "question": "and a product manager?", "conversation_id": answer["conversation_id"],
        "history": [FOUND_QUESTION], "top_k": None, "explain": False}), 200)
    abstained = 0
    for question in NEGATIVE_QUESTIONS:
        reply = c.check("a question not in the articles", "POST", "/api/ask",
                        request(port, "POST", "/api/ask", {"question": question, "explain": True}), 200)
        abstained += bool(reply) and reply.get("found") is False
    if abstained == 0:
        fail("no question abstained, so the found=false shape went unchecked")
    for what, body, headers, status in [
            ("not JSON", "{question", {"Content-Type": "application/json"}, 400),
            ("no question", {"top_k": 3}, None, 400),
            ("top_k out of range", {"question": "x", "top_k": 0}, None, 400),
            ("history not a list", {"question": "x", "history": "y"}, None, 400),
            ("a form body", "question=x", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
            ("a body over 64 KiB", {"question": "x" * 70000}, None, 413)]:
        c.check("ask: " + what, "POST", "/api/ask",
                request(port, "POST", "/api/ask", body, headers), status)

    passage_id = answer["citations"][0]["passage_id"]
    c.check("a passage", "GET", "/api/passages/%d" % passage_id,
            request(port, "GET", "/api/passages/%d" % passage_id), 200)
    for bad, status in [("abc", 400), ("0", 400), ("99999999", 404)]:
        c.check("passage " + bad, "GET", "/api/passages/" + bad,
                request(port, "GET", "/api/passages/" + bad), status)
    documents = c.check("the documents", "GET", "/api/documents",
                        request(port, "GET", "/api/documents"), 200)
    if not documents or not documents.get("documents"):
        fail("no documents listed")
    suggestions = c.check("the suggestions", "GET", "/api/suggestions",
                          request(port, "GET", "/api/suggestions"), 200)
    if not suggestions or not suggestions.get("suggestions"):
        fail("no suggestions for the seed corpus")
    c.check("health", "GET", "/healthz", request(port, "GET", "/healthz"), 200)


def check_admin(c, port, corpus):
    for what, headers in [("no token", {}), ("a wrong token", {"Authorization": "Bearer nope"}),
                          ("another scheme", {"Authorization": "Basic " + ADMIN_TOKEN})]:
        c.check("last re-index with " + what, "GET", "/api/reindex",
                request(port, "GET", "/api/reindex", headers=headers), 401)
    c.check("re-index with no token", "POST", "/api/reindex", request(port, "POST", "/api/reindex"), 401)
    c.check("upload with no token", "POST", "/api/articles",
            request(port, "POST", "/api/articles", {"title": "T", "text": "t"}), 401)
    c.check("delete with no token", "DELETE", "/api/articles/a.txt",
            request(port, "DELETE", "/api/articles/a.txt"), 401)
    c.check("last re-index before any", "GET", "/api/reindex",
            request(port, "GET", "/api/reindex", headers=ADMIN), 404)
    c.check("re-index", "POST", "/api/reindex", request(port, "POST", "/api/reindex", headers=ADMIN), 200)
    c.check("last re-index", "GET", "/api/reindex", request(port, "GET", "/api/reindex", headers=ADMIN), 200)

    article = {"title": "Quokkas", "text": "Quokkas are small marsupials that live on Rottnest "
               "Island in Western Australia. They eat leaves and grasses and are active at night."}
    c.check("upload", "POST", "/api/articles", request(port, "POST", "/api/articles", article, ADMIN), 201)
    c.check("upload again", "POST", "/api/articles",
            request(port, "POST", "/api/articles", article, ADMIN), 409)
    replaced = c.check("replace", "POST", "/api/articles", request(
        port, "POST", "/api/articles", dict(article, replace=True), ADMIN), 201)
    if replaced and replaced.get("replaced") is not True:
        fail("replace=true did not say replaced: %r" % replaced)
    markdown = "# Wombats\n\nWombats are burrowing marsupials with cube-shaped droppings.\n"
    c.check("upload Markdown", "POST", "/api/articles", request(
        port, "POST", "/api/articles", markdown, dict(ADMIN, **{"Content-Type": "text/markdown"}),
        query={"file": "wombats.md"}), 201)
    for what, body, headers, query, status in [
            ("two bodies", {"title": "T", "text": "a", "html": "<p>b</p>"}, None, None, 400),
            ("no title", {"text": "some text here"}, None, None, 400),
            ("an unnamed raw body", "Text.", {"Content-Type": "text/plain"}, None, 400),
            ("a bad file name", {"title": "T", "text": "Text.", "file": "../x.txt"}, None, None, 400),
            ("an empty page", {"title": "Empty", "html": "<html><body></body></html>"}, None, None, 400),
            ("XML", "<a/>", {"Content-Type": "application/xml"}, None, 415),
            ("an article over 2 MiB", "a " * (1024 * 1024 + 10), {"Content-Type": "text/plain"},
             {"file": "big.txt"}, 413)]:
        c.check("upload: " + what, "POST", "/api/articles", request(
            port, "POST", "/api/articles", body, dict(ADMIN, **(headers or {})), query=query), status)

    c.check("delete", "DELETE", "/api/articles/quokkas.txt",
            request(port, "DELETE", "/api/articles/quokkas.txt", headers=ADMIN), 200)
    c.check("delete again", "DELETE", "/api/articles/quokkas.txt",
            request(port, "DELETE", "/api/articles/quokkas.txt", headers=ADMIN), 404)
    c.check("delete a bad name", "DELETE", "/api/articles/x.pdf",
            request(port, "DELETE", "/api/articles/x.pdf", headers=ADMIN), 400)

    # The corpus folder gone: re-indexing is unavailable, uploading finds no folder.
    moved = corpus + ".away"
    os.rename(corpus, moved)
    try:
        c.check("re-index without a folder", "POST", "/api/reindex",
                request(port, "POST", "/api/reindex", headers=ADMIN), 503)
        c.check("last re-index failed", "GET", "/api/reindex",
                request(port, "GET", "/api/reindex", headers=ADMIN), 503)
        c.check("upload without a folder", "POST", "/api/articles",
                request(port, "POST", "/api/articles", article, ADMIN), 404)
    finally:
        os.rename(moved, corpus)


def check_slack(c, port, secret_set=True):
    """The Slack routes; with secret_set False, on a server without any Slack secret."""
    secret = SLACK_SECRET
    command = urllib.parse.urlencode({"command": "/ask", "text": FOUND_QUESTION, "team_id": "T1",
                                      "channel_id": "C1", "user_id": "U1"})
    status = 200 if secret_set else 401
    message = c.check("a signed slash command", "POST", "/slack/command", request(
        port, "POST", "/slack/command", command, slack_headers(secret, command)), status)
    if not secret_set:
        hook = urllib.parse.urlencode({"token": WEBHOOK_TOKEN, "text": "help"})
        c.check("webhook without CITEQA_WEBHOOK_TOKEN", "POST", "/hooks/outgoing",
                request(port, "POST", "/hooks/outgoing", hook,
                        {"Content-Type": "application/x-www-form-urlencoded"}), 401)
        return
    if message and not message.get("blocks"):
        fail("the slash command's answer has no blocks: %r" % message)
    for what, body in [("help", urllib.parse.urlencode({"command": "/ask", "text": "help"})),
                       ("ssl_check", "ssl_check=1&token=x")]:
        c.check("slash command " + what, "POST", "/slack/command",
                request(port, "POST", "/slack/command", body, slack_headers(secret, body)), 200)
    for what, headers in [("no signature", {"Content-Type": "application/x-www-form-urlencoded"}),
                          ("a wrong signature", slack_headers(secret, command, signature="v0=" + "0" * 64)),
                          ("a stale timestamp", slack_headers(secret, command, timestamp=int(time.time()) - 600)),
                          ("another secret", slack_headers("not-the-secret", command))]:
        c.check("slash command with " + what, "POST", "/slack/command",
                request(port, "POST", "/slack/command", command, headers), 401)

    challenge = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    json_headers = lambda body: dict(slack_headers(secret, body), **{"Content-Type": "application/json"})
    reply = c.check("url_verification", "POST", "/slack/events",
                    request(port, "POST", "/slack/events", challenge, json_headers(challenge)), 200)
    if reply != {"challenge": "abc123"}:
        fail("url_verification answered %r" % reply)
    mention = json.dumps({"type": "event_callback", "event_id": "Ev1", "team_id": "T1", "event": {
        "type": "app_mention", "channel": "C1", "user": "U1", "text": "<@UBOT> hi", "ts": "1.2"}})
    c.check("app_mention", "POST", "/slack/events",
            request(port, "POST", "/slack/events", mention, json_headers(mention)), 200)
    c.check("unsigned event", "POST", "/slack/events", request(
        port, "POST", "/slack/events", challenge, {"Content-Type": "application/json"}), 401)

    # Interactivity: a click on the answer's "Not helpful" button (no response_url, so nothing
    # is sent to Slack), other interactions, unreadable payloads.
    def interaction(payload):
        return urllib.parse.urlencode({"payload": json.dumps(payload)})
    blocks = (message or {}).get("blocks") or []
    buttons = blocks[-1] if blocks and blocks[-1].get("type") == "actions" else None
    if buttons is None:
        fail("the slash command's answer has no vote buttons: %r" % message)
    else:
        down = buttons["elements"][1]
        click = interaction({"type": "block_actions", "user": {"id": "U1"},
                             "container": {"type": "message", "is_ephemeral": False},
                             "message": {"text": message["text"], "blocks": blocks},
                             "actions": [{"action_id": down["action_id"], "value": down["value"],
                                          "block_id": buttons["block_id"]}]})
        c.check("a vote button click", "POST", "/slack/interactivity", request(
            port, "POST", "/slack/interactivity", click, slack_headers(secret, click)), 200)
    for what, body, status in [
            ("another app's button",
             interaction({"type": "block_actions", "actions": [{"action_id": "approve"}]}), 200),
            ("a modal submission", interaction({"type": "view_submission"}), 200),
            ("no payload", "foo=bar", 400),
            ("a payload that is not JSON", "payload=%7Bnot", 400),
            ("a vote button with a foreign value", interaction(
                {"type": "block_actions", "actions": [{"action_id": "citeqa_vote_up", "value": "x"}]}), 400)]:
        c.check("interactivity: " + what, "POST", "/slack/interactivity",
                request(port, "POST", "/slack/interactivity", body, slack_headers(secret, body)), status)
    c.check("unsigned interactivity", "POST", "/slack/interactivity", request(
        port, "POST", "/slack/interactivity", "payload=%7B%7D",
        {"Content-Type": "application/x-www-form-urlencoded"}), 401)

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    for what, body, headers, status in [
            ("a question", urllib.parse.urlencode({"token": WEBHOOK_TOKEN, "text": "citeqa " + FOUND_QUESTION,
                                                   "trigger_word": "citeqa"}), form, 200),
            ("JSON", json.dumps({"token": WEBHOOK_TOKEN, "text": "help"}), {"Content-Type": "application/json"}, 200),
            ("a wrong token", urllib.parse.urlencode({"token": "nope", "text": "hi"}), form, 401)]:
        c.check("webhook with " + what, "POST", "/hooks/outgoing",
                request(port, "POST", "/hooks/outgoing", body, headers), status)


def check_question_log(c, port):
    """POST /api/feedback and the unanswered-questions report (after check_answers, so that
    an abstained question is in it)."""
    vote = {"question": FOUND_QUESTION, "answer": "An answer [1].", "vote": "down",
            "comment": "It did not say", "conversation_id": "c1", "unknown": 1}
    c.check("a down vote", "POST", "/api/feedback", request(port, "POST", "/api/feedback", vote), 201)
    c.check("an up vote", "POST", "/api/feedback", request(
        port, "POST", "/api/feedback", {"question": "q", "answer": "a", "vote": "up", "comment": None}), 201)
    for what, body, headers, status in [
            ("not JSON", "{vote", {"Content-Type": "application/json"}, 400),
            ("no answer", {"question": "q", "vote": "up"}, None, 400),
            ("a bad vote", dict(vote, vote="maybe"), None, 400),
            ("a comment over its limit", dict(vote, comment="c" * 2001), None, 400),
            ("a form body", "question=x", {"Content-Type": "application/x-www-form-urlencoded"}, 415),
            ("a body over 64 KiB", dict(vote, comment="x" * 70000), None, 413)]:
        c.check("feedback: " + what, "POST", "/api/feedback",
                request(port, "POST", "/api/feedback", body, headers), status)

    path = "/api/reports/unanswered"
    for what, headers in [("no token", {}), ("a wrong token", {"Authorization": "Bearer nope"})]:
        c.check("report with " + what, "GET", path, request(port, "GET", path, headers=headers), 401)
        c.check("forget with " + what, "DELETE", path, request(port, "DELETE", path, headers=headers), 401)
    report = c.check("the report", "GET", path, request(port, "GET", path, headers=ADMIN), 200)
    if not report or report.get("total_groups", 0) < 2:
        fail("the report lacks the abstained and the voted-down questions: %r" % report)
    voted = [g for g in (report or {}).get("groups", []) if FOUND_QUESTION in g["asked_as"]]
    if not voted or voted[0]["down_votes"] != 1 or voted[0]["comments"] != ["It did not say"]:
        fail("the down vote is not in the report: %r" % report)
    c.check("a report since a date", "GET", path,
            request(port, "GET", path, headers=ADMIN, query={"since": "2020-01-01", "limit": 1}), 200)
    for what, query in [("a bad since", {"since": "last week"}), ("a bad limit", {"limit": "0"})]:
        c.check("report with " + what, "GET", path, request(port, "GET", path, headers=ADMIN, query=query), 400)
    c.check("forget an empty question", "DELETE", path,
            request(port, "DELETE", path, headers=ADMIN, query={"question": ""}), 400)
    if voted:
        forgotten = c.check("forget one group", "DELETE", path, request(
            port, "DELETE", path, headers=ADMIN, query={"question": voted[0]["question"]}), 200)
        if forgotten and forgotten.get("deleted") != 1:
            fail("forgetting the voted-down group deleted %r" % forgotten)
    c.check("forget all", "DELETE", path, request(port, "DELETE", path, headers=ADMIN), 200)


def check_question_log_refused(c, port, status):
    """The question log's routes on a server without the token (403: the report; feedback
    works) or with --question-log-days 0 (503 for all three)."""
    calls = [("GET", "/api/reports/unanswered", None, ADMIN), ("DELETE", "/api/reports/unanswered", None, ADMIN)]
    if status == 503:
        calls.append(("POST", "/api/feedback", {"question": "q", "answer": "a", "vote": "up"}, {}))
    for method, path, body, headers in calls:
        r = request(port, method, path, body, headers)
        # The capped server's connection cap may answer 503 with Retry-After: ask again.
        for _ in range(50):
            if r.status != 503 or r.header("retry-after") is None:
                break
            time.sleep(0.1)
            r = request(port, method, path, body, headers)
        c.check("question log route on a server that refuses it", method, path, r, status)


def check_page(c, port):
    page = c.check("the chat page", "GET", "/", request(port, "GET", "/"), 200)
    # Every file the page loads: its src/href links, then the scripts' imports.
    queue = re.findall(r'(?:src|href)="(/?[A-Za-z0-9_][A-Za-z0-9_.-]*)"', page or "")
    loaded = set()
    while queue:
        name = "/" + queue.pop().lstrip("./")
        if name in loaded:
            continue
        loaded.add(name)
        text = c.check("page file " + name, "GET", name, request(port, "GET", name), 200)
        if name.endswith(".js") and isinstance(text, str):
            queue += re.findall(r'''(?:from|import)\s*\(?\s*["'](\./[A-Za-z0-9_.-]+)["']''', text)
    if not {"/app.js", "/style.css"} <= loaded:
        fail("the page does not load /app.js and /style.css: %s" % sorted(loaded))
    c.check("a missing page file", "GET", "/missing.js", request(port, "GET", "/missing.js"), 404)
    for path in ["/", "/app.js"]:
        c.check("a range of " + path, "GET", path,
                request(port, "GET", path, headers={"Range": "bytes=0-9"}), 206)
        c.check("a range past the end of " + path, "GET", path,
                request(port, "GET", path, headers={"Range": "bytes=99999999-"}), 416)


def check_routes_both_ways(c, port, doc, source_dir):
    """Paths the document lacks get 404; documented paths get 405 for other methods."""
    # (A one-segment path is /{asset}'s: its 404 is checked as that route's.)
    for path in ["/api/nope", "/api/ask/more", "/api/passages", "/slack/nope", "/a/b/c", "/nope"]:
        for method in ["GET"] if find_template(doc, path) else ["GET", "POST", "DELETE"]:
            r = request(port, method, path)
            if find_template(doc, path) is not None:
                c.check("a file the page lacks", method, path, r, 404)
            elif r.status != 404:
                fail("%s %s (not in the document) answered %d" % (method, path, r.status))
            elif c.schema_errors({"$ref": "#/components/schemas/Error"}, json.loads(r.body or b"null")):
                fail("%s %s: the 404 body is not an Error" % (method, path))
    examples = {"{id}": "1", "{file}": "a.txt", "{asset}": "app.js"}
    for template, item in doc["paths"].items():
        path = template
        for name, value in examples.items():
            path = path.replace(name, value)
        documented = sorted(m.upper() for m in item)
        allowed = set(documented) | ({"HEAD"} if "GET" in documented else set())
        for method in [m.upper() for m in METHODS if m not in item]:
            r = request(port, method, path)
            if r.status != 405:
                fail("%s %s (not documented) answered %d, not 405" % (method, path, r.status))
                continue
            got = {m.strip() for m in (r.header("allow") or "").split(",")}
            if got != allowed:
                fail("%s %s: Allow is %s, the document has %s" % (method, path, sorted(got), sorted(allowed)))
            response = deref(doc, doc["components"]["responses"]["MethodNotAllowed"])
            for error in c.schema_errors(response["content"]["application/json"]["schema"], json.loads(r.body)):
                fail("%s %s: the 405 body: %s" % (method, path, error))

    # Every route the source registers (routes.cc's table, AddRoute) is documented.
    registration = re.compile(r'(?:table\.Add|AddRoute)\(\s*"(GET|POST|DELETE)",\s*"(?:[^"\\]|\\.)*",\s*"([^"]+)"')
    registered = set()
    server_dir = os.path.join(source_dir, "server")
    for name in sorted(os.listdir(server_dir)):
        if name.endswith(".cc"):
            with open(os.path.join(server_dir, name), encoding="utf-8") as f:
                registered |= {(m.lower(), label) for m, label in registration.findall(f.read())}
    if len(registered) < 10:
        fail("found only %d route registrations in server/*.cc: %s" % (len(registered), sorted(registered)))
    for method, label in sorted(registered):
        if method not in doc["paths"].get(label, {}):
            fail("the source registers %s %s, which the document lacks" % (method.upper(), label))


def check_guard(c, port):
    """Refusals of the connection guard, before any route: listed on every operation."""
    c.check("a request line over 8 KiB", "GET", "/",
            raw_request(port, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"), 414, guard=True)
    many = b"".join(b"X-Field-%d: v\r\n" % i for i in range(120))
    c.check("too many header fields", "GET", "/healthz",
            raw_request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n"), 431, guard=True)
    c.check("a Content-Length of 1 GB", "POST", "/api/reindex", raw_request(
        port, b"POST /api/reindex HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"),
        413, guard=True)
    c.check("two Content-Lengths", "POST", "/slack/events", raw_request(
        port, b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"),
        400, guard=True)


def check_connection_cap(c, port):
    """--max-connections 2 --header-timeout 1: two unfinished heads, a third connection.
    Run first on a fresh server, so that no earlier connection still counts."""
    stalled = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
    try:
        for sock in stalled:
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        time.sleep(0.2)
        c.check("a connection over the cap", "GET", "/healthz",
                raw_request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"), 503, guard=True)
        for sock in stalled:
            c.check("a head that never ends", "GET", "/healthz",
                    parse_raw(read_until_closed(sock, 10)), 408, guard=True)
    finally:
        for sock in stalled:
            sock.close()


def check_admin_refused(c, port, status):
    """Every admin route on a server without the token (403) or without --corpus (503)."""
    for method, path, body in [("GET", "/api/reindex", None), ("POST", "/api/reindex", None),
                               ("POST", "/api/articles", {"title": "T", "text": "Text."}),
                               ("DELETE", "/api/articles/a.txt", None)]:
        r = request(port, method, path, body, ADMIN)
        # On the capped server a connection closed a moment ago may still count: its 503
        # (with Retry-After) is the cap's, not the route's; ask again.
        for _ in range(50):
            if r.status != 503 or r.header("retry-after") is None:
                break
            time.sleep(0.1)
            r = request(port, method, path, body, ADMIN)
        c.check("admin route on a server that refuses it", method, path, r, status)


def check_index_gone(c, port, db):
    moved = db + ".away"
    os.rename(db, moved)
    try:
        for method, path, body in [("GET", "/healthz", None), ("GET", "/api/documents", None),
                                   ("GET", "/api/passages/1", None),
                                   ("POST", "/api/ask", {"question": FOUND_QUESTION})]:
            c.check("with the index file gone", method, path, request(port, method, path, body), 503)
        c.check("metrics with the index file gone", "GET", "/metrics", request(port, "GET", "/metrics"), 200)
    finally:
        os.rename(moved, db)
    c.check("health with the index back", "GET", "/healthz", request(port, "GET", "/healthz"), 200)


def check_metrics_labels(c, port, doc):
    text = c.check("metrics", "GET", "/metrics", request(port, "GET", "/metrics"), 200) or ""
    labels = set(re.findall(r'route="([^"]*)"', text))
    if len(labels) < 10:
        fail("metrics name only %d routes: %s" % (len(labels), sorted(labels)))
    for label in sorted(labels - {"unmatched"}):
        if find_template(doc, label) is None:
            fail("metrics count requests of route %s, which the document lacks" % label)


def check_validator_bites(c, doc, sample_ask):
    """The schemas refuse a changed body: an added field, a missing one, a wrong type."""
    schemas = doc["components"]["schemas"]
    health = {"status": "ok", "documents": 1, "passages": 2, "generation": 3}
    mutations = [("Health", dict(health, extra=1)), ("Health", {k: v for k, v in health.items() if k != "generation"}),
                 ("Health", dict(health, documents="1")), ("Error", {"error": {"code": "x", "message": "m", "more": 1}})]
    if sample_ask:
        ask = copy.deepcopy(sample_ask)
        ask["citations"][0]["new_field"] = True
        mutations.append(("AskResponse", ask))
        mutations.append(("AskResponse", dict(sample_ask, found=False)))
    for name, instance in mutations:
        if not c.schema_errors(schemas[name], instance):
            fail("the %s schema accepts a changed body: %r" % (name, instance))


def check_coverage(c, doc):
    """Every documented status was seen: the route's own on that route, the shared ones
    (the connection guard's, $ref to components/responses used on every route) once."""
    shared_seen = set()
    for (method, template), statuses in c.seen.items():
        for status in statuses:
            if "$ref" in doc["paths"][template][method]["responses"].get(status, {}):
                shared_seen.add(doc["paths"][template][method]["responses"][status]["$ref"])
    shared_unseen = set()
    for template, item in doc["paths"].items():
        for method, op in item.items():
            seen = c.seen.get((method, template), set())
            for status, response in op["responses"].items():
                if status in UNREACHABLE or (method, template, status) in UNREACHABLE:
                    continue
                if "$ref" in response:
                    if response["$ref"] not in shared_seen:
                        shared_unseen.add("%s (%s)" % (response["$ref"], status))
                elif status not in seen:
                    fail("%s %s: documented status %s was never seen" % (method.upper(), template, status))
    for response in sorted(shared_unseen):
        fail(response + " was never seen on any route")


def main(argv):
    if len(argv) != 4:
        print(__doc__)
        return 2
    binary, corpus_source, source_dir = argv[1:]
    doc_path = os.path.join(source_dir, "server", "openapi.json")
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
    check_document(doc)
    if failures:
        return 1
    c = Checker(doc)
    root = tempfile.mkdtemp(prefix="citeqa-openapi-")
    servers = []
    try:
        corpus = os.path.join(root, "corpus")
        shutil.copytree(corpus_source, corpus)
        db = os.path.join(root, "index.db")
        subprocess.run([binary, "index", "--corpus", corpus, "--db", db], check=True,
                       stdout=subprocess.DEVNULL)
        # Every secret and the corpus; none at all; the admin token without a corpus and a
        # connection cap of 2 and the question log off.
        full = Server(binary, ["--db", db, "--corpus", corpus],
                      {"CITEQA_ADMIN_TOKEN": ADMIN_TOKEN, "CITEQA_SLACK_SIGNING_SECRET": SLACK_SECRET,
                       "CITEQA_WEBHOOK_TOKEN": WEBHOOK_TOKEN}, os.path.join(root, "full.log"))
        servers.append(full)
        bare = Server(binary, ["--db", db], {}, os.path.join(root, "bare.log"))
        servers.append(bare)
        capped = Server(binary, ["--db", db, "--max-connections", "2", "--header-timeout", "1",
                                 "--question-log-days", "0"],
                        {"CITEQA_ADMIN_TOKEN": ADMIN_TOKEN}, os.path.join(root, "capped.log"))
        servers.append(capped)
        for server in servers:
            server.wait_listening()

        check_answers(c, full.port, doc_path)
        check_admin(c, full.port, corpus)
        check_question_log(c, full.port)
        check_slack(c, full.port)
        check_page(c, full.port)
        check_routes_both_ways(c, full.port, doc, source_dir)
        check_guard(c, full.port)
        check_admin_refused(c, bare.port, 403)
        check_question_log_refused(c, bare.port, 403)
        check_slack(c, bare.port, secret_set=False)
        check_connection_cap(c, capped.port)
        check_admin_refused(c, capped.port, 503)
        check_question_log_refused(c, capped.port, 503)
        check_index_gone(c, full.port, db)
        check_metrics_labels(c, full.port, doc)
        sample = json.loads(request(full.port, "POST", "/api/ask", {"question": FOUND_QUESTION}).body)
        check_validator_bites(c, doc, sample if sample.get("citations") else None)
        check_coverage(c, doc)
    finally:
        for server in servers:
            server.stop()
        if failures:
            for server in servers:
                print("--- %s (last lines)\n%s" % (server.log_path, server.read_log()[-1500:]))
        shutil.rmtree(root, ignore_errors=True)
    print("%d responses validated against %d operations; %d failure(s)" % (
        c.validated, sum(len(item) for item in doc["paths"].values()), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
