import sys
sys.stdout.write("1|2|tcp|127.0.0.1:1234|netrpc\n")
sys.stdout.flush()
sys.stdin.read()
