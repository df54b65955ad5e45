import sys
sys.stderr.write("[ERROR] cannot load settings: file missing\n")
sys.stderr.write("giving up\n")
sys.exit(3)
