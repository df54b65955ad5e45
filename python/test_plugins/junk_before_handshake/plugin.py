import sys
sys.stdout.write("hello from a chatty plugin\n")
sys.stdout.write("1|2|tcp|127.0.0.1:1234|grpc\n")
sys.stdout.flush()
sys.stdin.read()
