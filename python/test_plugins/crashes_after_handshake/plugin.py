# A valid handshake (no real server behind it), then a crash a moment later.
import sys, time
sys.stdout.write("1|2|tcp|127.0.0.1:1|grpc\n")
sys.stdout.flush()
time.sleep(0.3)
sys.stderr.write("[ERROR] segfault imminent\n")
sys.stderr.flush()
import os
os._exit(7)
