#!/usr/bin/env python3
"""Connection attacks at full size against a running `citeqa serve` (issue 13).

Each attack runs for --seconds while a normal client asks GET /healthz and POST /api/ask
on fresh connections; prints one Markdown table row per attack: the normal client's
requests, failures, p50 and max latency, the server's RSS before and after, and what the
attacker saw. Standard library only. Run through bench/attacks.sh.
"""
import argparse
import select
import socket
import statistics
import threading
import time

ASK = b'{"question": "What does a product owner do?"}'


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


def connect(port, timeout=5.0):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def read_response(sock):
    """One response (by Content-Length); returns (status, headers text) or (0, '')."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return 0, ""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    text = head.decode("latin-1")
    length = 0
    for line in text.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(text.split(" ")[1]), text


class NormalClient(threading.Thread):
    """GET /healthz and POST /api/ask, alternately, each on a new connection."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port, self.stop, self.latencies, self.failures = port, threading.Event(), [], 0

    def run(self):
        ask = (b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               b"Connection: close\r\nContent-Length: " + str(len(ASK)).encode() + b"\r\n\r\n" + ASK)
        health = b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        turn = 0
        while not self.stop.is_set():
            request = health if turn % 2 == 0 else ask
            turn += 1
            start = time.monotonic()
            try:
                with connect(self.port, timeout=30) as sock:
                    sock.sendall(request)
                    status, _ = read_response(sock)
                ok = status == 200
            except OSError:
                ok = False
            self.latencies.append((time.monotonic() - start) * 1000.0)
            self.failures += 0 if ok else 1
            self.stop.wait(0.05)


def hold_idle(port, count, stop, stats):
    """`count` idle keep-alive connections (after one request each), reopened when closed."""
    socks = []
    while not stop.is_set():
        while len(socks) < count and not stop.is_set():
            try:
                sock = connect(port)
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                read_response(sock)
                sock.setblocking(False)
                socks.append(sock)
                stats["opened"] = stats.get("opened", 0) + 1
            except OSError:
                stats["refused"] = stats.get("refused", 0) + 1
                break
        alive = []
        for sock in socks:
            try:
                gone = sock.recv(1, socket.MSG_PEEK) == b""
            except BlockingIOError:
                gone = False
            except OSError:
                gone = True
            if gone:
                sock.close()
            else:
                alive.append(sock)
        socks = alive
        stop.wait(0.1)
    for sock in socks:
        sock.close()


def slowloris(port, count, interval, stop, stats):
    """`count` connections each sending one more header byte every `interval` seconds;
    a connection the server cuts is replaced."""
    socks = []
    next_byte = 0.0
    while not stop.is_set():
        while len(socks) < count:
            try:
                sock = connect(port)
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
                sock.setblocking(False)
                socks.append(sock)
                stats["opened"] = stats.get("opened", 0) + 1
            except OSError:
                break
        if time.monotonic() >= next_byte:
            next_byte = time.monotonic() + interval
            alive = []
            for sock in socks:
                try:
                    answer = sock.recv(4096)
                    key = "cut_with_408" if answer.startswith(b"HTTP/1.1 408") else "cut"
                    stats[key] = stats.get(key, 0) + 1
                    sock.close()
                    continue
                except BlockingIOError:
                    pass
                except OSError:
                    stats["cut"] = stats.get("cut", 0) + 1
                    sock.close()
                    continue
                try:
                    sock.send(b"X")
                    alive.append(sock)
                except OSError:
                    stats["cut"] = stats.get("cut", 0) + 1
                    sock.close()
            socks = alive
        stop.wait(0.1)
    for sock in socks:
        sock.close()


def endless_body(port, stop, stats):
    """Content-Length 10^12 and a body sent as fast as the server takes it, again and again."""
    chunk = b"a" * 65536
    while not stop.is_set():
        sent = 0
        try:
            with connect(port) as sock:
                sock.sendall(b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
                             b"\r\nContent-Length: 1000000000000\r\n\r\n")
                status, _ = read_response(sock)
                stats["status"] = status
                sock.settimeout(2)
                while not stop.is_set():
                    sent += sock.send(chunk)
        except OSError:
            pass
        stats["attempts"] = stats.get("attempts", 0) + 1
        stats["max_body_bytes_sent"] = max(stats.get("max_body_bytes_sent", 0), sent)


def send_and_watch(port, head, filler, total_bytes, stats):
    """Sends `head` then `filler` up to `total_bytes` while watching for the answer."""
    sock = connect(port, timeout=30)
    sock.setblocking(False)
    pending, sent, answer = head, 0, b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not pending and sent < total_bytes:
            pending = filler
        want_write = [sock] if pending else []
        readable, writable, _ = select.select([sock], want_write, [], 0.5)
        if readable:
            try:
                data = sock.recv(65536)
            except OSError:
                break
            if not data:
                break
            answer += data
            if b"\r\n\r\n" in answer:
                break
        if writable:
            try:
                n = sock.send(pending)
            except OSError:
                break
            sent += n
            pending = pending[n:]
    sock.close()
    stats["status"] = answer.split(b" ")[1].decode() if answer.startswith(b"HTTP/") else "none"
    stats["sent"] = sent


def header_flood(port, stop, stats):
    line = b"X-Flood-Header-Name: " + b"v" * 57 + b"\r\n"  # 80 bytes
    send_and_watch(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", line * 1000,
                   1_000_000 * len(line), stats)
    stop.wait()


def long_line(port, stop, stats):
    send_and_watch(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 16384 +
                   b"\r\n\r\n", b"", 0, stats)
    stop.wait()


def run_attack(name, attackers, args):
    before = rss_mb(args.pid)
    stop = threading.Event()
    stats_list = []
    threads = []
    for target, extra in attackers:
        stats = {}
        stats_list.append(stats)
        threads.append(threading.Thread(target=target, args=(args.port, *extra, stop, stats),
                                        daemon=True))
    for thread in threads:
        thread.start()
    time.sleep(1.0 if attackers else 0)  # let the attack take hold
    client = NormalClient(args.port)
    client.start()
    time.sleep(args.seconds)
    client.stop.set()
    client.join()
    after = rss_mb(args.pid)
    stop.set()
    for thread in threads:
        thread.join(timeout=10)
    lat = client.latencies or [float("nan")]
    note = "; ".join(", ".join(f"{k} {v}" for k, v in sorted(s.items())) for s in stats_list)
    print(f"| {name} | {len(client.latencies)} | {client.failures} | "
          f"{statistics.median(lat):.1f} | {max(lat):.1f} | {before:.1f} -> {after:.1f} | "
          f"{note} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--slow-interval", type=float, default=5.0)
    args = parser.parse_args()
    print("| attack | normal requests | failed | p50 ms | max ms | server RSS MB before -> after "
          "| what the attacker saw |")
    print("|---|---|---|---|---|---|---|")
    idle = (hold_idle, (200,))
    slow = (slowloris, (20, args.slow_interval))
    run_attack("none", [], args)
    run_attack("200 idle keep-alive", [idle], args)
    run_attack(f"20 slowloris (a byte every {args.slow_interval:g} s)", [slow], args)
    run_attack("200 idle + 20 slowloris", [idle, slow], args)
    run_attack("Content-Length 10^12, endless body", [(endless_body, ())], args)
    run_attack("1,000,000 headers (80 MB)", [(header_flood, ())], args)
    run_attack("one 16 KiB header line", [(long_line, ())], args)


if __name__ == "__main__":
    main()
