"""Floods stderr without the SDK: a million lines, each with a terminal escape and a forged
log-looking tail, then one very long line, then "flood done". Waits for stdin to close.
"""

import os
import sys

while os.read(3, 4096):
    pass
os.close(3)
sys.stdout.write("1|2|unix|%s|grpc\n" % os.environ["MATTERMOST_PLUGIN_HOOKS_SOCKET"])
sys.stdout.flush()
block = "".join("[INFO] flood %d \x1b[31mred\x1b[0m\r forged\n" % index for index in range(1000))
for _ in range(1000):
    sys.stderr.write(block)
sys.stderr.write("[INFO] " + "x" * 100000 + "\n")
sys.stderr.write("[INFO] flood done\n")
sys.stderr.flush()
sys.stdin.read()
