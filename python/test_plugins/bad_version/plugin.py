import sys
sys.stderr.write("[INFO] about to print a handshake with core version 2\n")
sys.stdout.write("2|1|tcp|127.0.0.1:1234|grpc\n")
sys.stdout.flush()
sys.stdin.read()
