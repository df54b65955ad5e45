import sys, time
sys.stderr.write("[INFO] thinking very hard before the handshake\n")
sys.stderr.flush()
time.sleep(3600)
