#!/usr/bin/env bash
# ServeHTTP streamed end to end: `plugin-host serve` (Hummingbird on a loopback port) in
# front of python/test_plugins/http_stream, driven by a real HTTP client (Python's
# http.client): a 100 MiB upload and a 100 MiB download whose bytes are checked, with the
# host's peak RSS (VmHWM) growing far less than 100 MiB; server-sent events that reach the
# client before the plugin finishes the response (the plugin waits for the client's
# acknowledgement of the first event); and clients that go away mid-upload and mid-download,
# which the plugin sees (it records the cancellation in the KV store; the check polls for it,
# bounded). Every wait is bounded; the host is stopped by closing its stdin.
set -euo pipefail
cd "$(dirname "$0")/../.."

swift build --product plugin-host >/dev/null
BIN="$(swift build --show-bin-path)/plugin-host"
WORK="$(mktemp -d)"
HOST_PID=""
cleanup() {
  exec 3>&- 2>/dev/null || true
  if [ -n "$HOST_PID" ] && kill -0 "$HOST_PID" 2>/dev/null; then kill "$HOST_PID"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "42-plugin-http-stream: $*" >&2; cat "$WORK/out.txt" "$WORK/err.txt" >&2 || true; exit 1; }

mkdir -p "$WORK/plugins"
cp -r python/test_plugins/http_stream "$WORK/plugins/"
mkfifo "$WORK/stdin"
"$BIN" serve --plugins "$WORK/plugins" --store "$WORK/kv.sqlite" --sdk "$PWD/python" --http-port 0 \
  <"$WORK/stdin" >"$WORK/out.txt" 2>"$WORK/err.txt" &
HOST_PID=$!
exec 3>"$WORK/stdin"  # the host serves until this closes

port=""
for _ in $(seq 1 600); do
  port="$(sed -n 's|^plugin-host: serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/out.txt")"
  [ -n "$port" ] && break
  kill -0 "$HOST_PID" 2>/dev/null || fail "plugin-host exited before serving"
  sleep 0.1
done
[ -n "$port" ] || fail "plugin-host did not start serving within 60 s"

timeout 240 python3 - "$port" "$HOST_PID" <<'PY' || fail "the HTTP client checks failed"
import hashlib, http.client, json, socket, sys, time

port, host_pid = int(sys.argv[1]), int(sys.argv[2])
BASE = "/plugins/test.http_stream"
PATTERN = bytes(range(256)) * 256  # 64 KiB, as the plugin's
MIB = 1024 * 1024
TOTAL = 100 * MIB


def peak_rss_kib():
    with open("/proc/%d/status" % host_pid) as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def connection():
    return http.client.HTTPConnection("127.0.0.1", port, timeout=60)


def expected_digest(size):
    digest = hashlib.sha256()
    for _ in range(size // len(PATTERN)):
        digest.update(PATTERN)
    return digest.hexdigest()


def check(condition, message):
    if not condition:
        print("FAIL: " + message, file=sys.stderr)
        sys.exit(1)


def wait_for_kv(key, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        conn = connection()
        conn.request("GET", BASE + "/kv/" + key)
        value = conn.getresponse().read().decode()
        conn.close()
        if value:
            return value
        time.sleep(0.1)
    check(False, "the plugin did not record %s within %d s" % (key, seconds))


digest_100 = expected_digest(TOTAL)
# Warm up (the first request pays for lazy set-up), then take the baseline.
conn = connection()
conn.request("GET", BASE + "/download?mib=1")
check(len(conn.getresponse().read()) == MIB, "warm-up download")
conn.close()
baseline = peak_rss_kib()

# 1. 100 MiB upload, streamed into the plugin.
started = time.monotonic()
conn = connection()
conn.putrequest("POST", BASE + "/upload")
conn.putheader("Content-Type", "application/octet-stream")
conn.putheader("Content-Length", str(TOTAL))
conn.endheaders()
for _ in range(TOTAL // len(PATTERN)):
    conn.send(PATTERN)
response = conn.getresponse()
answer = json.loads(response.read())
conn.close()
check(response.status == 200, "upload status %d" % response.status)
check(answer == {"bytes": TOTAL, "sha256": digest_100}, "upload answer %r" % answer)
upload_seconds = time.monotonic() - started

# 2. 100 MiB download, streamed out of the plugin's generator.
started = time.monotonic()
conn = connection()
conn.request("GET", BASE + "/download?mib=100")
response = conn.getresponse()
check(response.status == 200, "download status %d" % response.status)
digest, size = hashlib.sha256(), 0
while True:
    chunk = response.read(256 * 1024)
    if not chunk:
        break
    digest.update(chunk)
    size += len(chunk)
conn.close()
check(size == TOTAL and digest.hexdigest() == digest_100, "download of %d bytes, digest %s" % (size, digest.hexdigest()))
download_seconds = time.monotonic() - started

growth_mib = (peak_rss_kib() - baseline) / 1024
print("upload 100 MiB: %.1f s; download 100 MiB: %.1f s; host peak RSS growth: %.1f MiB (baseline %.1f MiB)"
      % (upload_seconds, download_seconds, growth_mib, baseline / 1024))
check(growth_mib < 40, "the host's peak RSS grew by %.1f MiB" % growth_mib)

# 3. Server-sent events: the first event arrives while the plugin's generator still waits
# for the acknowledgement that only this client can send after reading it.
conn = connection()
conn.request("GET", BASE + "/events", headers={"Accept": "text/event-stream"})
events = conn.getresponse()
check(events.status == 200 and events.getheader("Content-Type") == "text/event-stream", "events head")
check(events.readline() == b"data: first\n" and events.readline() == b"\n", "first event")
ack = connection()
ack.request("POST", BASE + "/events/ack", body=b"")
check(ack.getresponse().status == 204, "acknowledgement")
ack.close()
rest = events.read().decode()
conn.close()
check(rest == "data: acknowledged\n\ndata: done\n\n", "events after the acknowledgement: %r" % rest)

# 4. A client that goes away mid-upload: the plugin's body iterator raises RequestCancelled.
raw = socket.create_connection(("127.0.0.1", port), timeout=30)
# 16 MiB of a declared 64: the host forwards under flow control, so the plugin is reading
# the body by the time the rest fails to come.
raw.sendall(("POST %s/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % (BASE, 64 * MIB)).encode())
for _ in range(256):
    raw.sendall(PATTERN)
raw.close()
recorded = wait_for_kv("upload-cancelled")
check(recorded.startswith("after ") and recorded.endswith("cancelled=True"), "upload cancellation %r" % recorded)

# 5. A client that goes away mid-download: the plugin's generator is closed.
raw = socket.create_connection(("127.0.0.1", port), timeout=30)
raw.sendall(("GET %s/endless HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % BASE).encode())
received = 0
while received < 2 * MIB:
    data = raw.recv(256 * 1024)
    check(data, "the endless download ended")
    received += len(data)
raw.close()
recorded = wait_for_kv("download-cancelled")
print("cancellations seen by the plugin: upload %s; download %s" % (wait_for_kv("upload-cancelled"), recorded))
PY

exec 3>&-
for _ in $(seq 1 300); do
  kill -0 "$HOST_PID" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$HOST_PID" 2>/dev/null && fail "plugin-host did not stop within 30 s of its stdin closing"
wait "$HOST_PID" || fail "plugin-host exited with $?"
HOST_PID=""
grep -q "plugin-host: stopped" "$WORK/out.txt" || fail "no ordered stop"
echo "42-plugin-http-stream: ok"
