import os, sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testkit import TestKitPlugin
from mattermost_plugin import run

run(TestKitPlugin())
