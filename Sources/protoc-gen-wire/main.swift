import WireGen
