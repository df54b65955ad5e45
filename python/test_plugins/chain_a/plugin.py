import os, sys
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from hookchain import HookChainPlugin
from mattermost_plugin import run

run(HookChainPlugin())
