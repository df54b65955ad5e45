# A valid handshake (no real server behind it); ignores stdin closing and SIGTERM.
import signal, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)
sys.stdout.write("1|2|tcp|127.0.0.1:1|grpc\n")
sys.stdout.flush()
sys.stderr.write("[WARN] you cannot stop me politely\n")
sys.stderr.flush()
while True:
    time.sleep(1)
