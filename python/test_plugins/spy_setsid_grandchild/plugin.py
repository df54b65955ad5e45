"""Leaves a daemon behind the classic way, without the SDK: fork, setsid, fork again, and the
middle process exits, so the grandchild sits in a new session and process group, no longer a
child of anyone in the plugin's group. The host must still kill and reap it at stop.
Prints "grandchild pid=N" on stderr once it runs, then waits for stdin to close.
"""

import os
import sys
import time

while os.read(3, 4096):
    pass
os.close(3)

ready_read, ready_write = os.pipe()
middle = os.fork()
if middle == 0:
    os.setsid()
    if os.fork() == 0:
        os.close(ready_read)
        os.write(ready_write, b"%d\n" % os.getpid())
        os.close(ready_write)
        # A daemon that ignores the polite signals.
        import signal
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        while True:
            time.sleep(60)
    os._exit(0)
os.close(ready_write)
os.waitpid(middle, 0)
grandchild = int(os.read(ready_read, 64).decode().strip())
sys.stderr.write("[INFO] grandchild pid=%d sid=%d\n" % (grandchild, os.getsid(grandchild)))
sys.stderr.flush()
sys.stdout.write("1|2|unix|%s|grpc\n" % os.environ["MATTERMOST_PLUGIN_HOOKS_SOCKET"])
sys.stdout.flush()
sys.stdin.read()
