# A valid handshake (no real server behind it); exits cleanly when the host closes stdin.
import sys
sys.stdout.write("1|2|unix|/tmp/not-a-real-socket|grpc\n")
sys.stdout.flush()
sys.stderr.write("[DEBUG] debug line\n[INFO] info line\n[WARN] warn line\n[ERROR] error line\nraw line\n")
sys.stderr.flush()
sys.stdin.read()
sys.stderr.write("[INFO] stdin closed, bye\n")
sys.exit(0)
