#!/usr/bin/env python3
"""Cross-checks Wire's generated code against Python's protobuf runtime, both directions.

1. forward:   Python encodes seeded random messages -> Swift decodes and re-encodes ->
              Python parses the result and requires it equal to the original.
2. hand-made: non-canonical inputs must decode in Swift to what Python decodes;
              malformed inputs must be rejected by both (Python's verdict is the oracle).
3. reverse:   Swift builds seeded random messages -> Python parses and re-encodes ->
              Swift decodes that and requires it equal to what it built.
Exits non-zero on any mismatch, printing the first few."""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import records  # noqa: E402


def generate_python_classes(proto_dir: str, out_dir: str) -> None:
    proto_dir, out_dir = os.path.abspath(proto_dir), os.path.abspath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    protos = sorted(p for p in os.listdir(proto_dir) if p.endswith(".proto"))
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{proto_dir}", f"--python_out={out_dir}", *protos],
                   check=True, cwd=proto_dir, timeout=120)
    sys.path.insert(0, out_dir)


def message_classes():
    import oracle2_pb2
    import oracle3_pb2
    # Indexes are the record kinds the Swift tool understands (MessageKind in Tests/WireOracle/MessageKinds.swift).
    return [oracle3_pb2.AllTypes, oracle2_pb2.AllTypes2, oracle2_pb2.WithRequired,
            oracle3_pb2.WellKnown, oracle3_pb2.Keywords]


def canonical(msg) -> bytes:
    # Partial, because the hand-made cases include messages decoded with partial: true.
    return msg.SerializePartialToString(deterministic=True)


def python_parse(cls, data: bytes, partial: bool):
    """Python's verdict: the parsed message, or None when it rejects the input."""
    msg = cls()
    try:
        msg.ParseFromString(data)
    except Exception:  # DecodeError, or RecursionError-like errors from upb
        return None
    if not partial and not msg.IsInitialized():
        return None  # the wire rules make a missing required field a decoding error
    return msg


def run_swift(tool: str, args, timeout: float, must_succeed: bool = True) -> bool:
    started = time.monotonic()
    result = subprocess.run([tool, *args], capture_output=True, text=True, timeout=timeout)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    print(f"  (wire-oracle {args[0]}: exit {result.returncode}, {time.monotonic() - started:.1f} s)")
    if must_succeed and result.returncode != 0:
        raise SystemExit(f"wire-oracle {args[0]} failed")
    return result.returncode == 0


class Tally:
    def __init__(self, name: str):
        self.name, self.passed, self.failures, self.notes = name, 0, [], []

    def fail(self, what: str) -> None:
        self.failures.append(what)

    def differ(self, case, what: str) -> None:
        """A difference from Python: a failure, unless the wire rules leave the case open."""
        if case.intent == "either":
            self.notes.append(f"{case.name}: {what}")
        else:
            self.fail(f"{case.name}: {what}")

    def report(self) -> bool:
        tolerated = f", {len(self.notes)} tolerated differences" if self.notes else ""
        print(f"{self.name}: {self.passed} passed, {len(self.failures)} failed{tolerated}")
        for line in self.notes:
            print(f"  NOTE {line}")
        for line in self.failures[:15]:
            print(f"  FAIL {line}")
        return not self.failures


def forward(tool, workdir, classes, seed, count, timeout) -> bool:
    from random_messages import Generator
    gen = Generator(seed)
    weights = [(0, 40), (1, 35), (2, 10), (3, 10), (4, 5)]
    kinds = [k for k, w in weights for _ in range(w)]
    originals = []
    for _ in range(count):
        kind = gen.rng.choice(kinds)
        originals.append((kind, gen.message(classes[kind]).SerializeToString()))
    total = sum(len(b) for _, b in originals)
    print(f"forward: {count} random messages, {total} bytes, seed {seed}")
    src, dst = os.path.join(workdir, "forward.in"), os.path.join(workdir, "forward.out")
    records.write(src, originals)
    run_swift(tool, ["roundtrip", src, dst], timeout)
    results = records.read(dst)
    tally = Tally("forward (Python -> Swift -> Python)")
    if len(results) != len(originals):
        tally.fail(f"{len(results)} results for {len(originals)} messages")
        return tally.report()
    for index, ((kind, data), (status, out)) in enumerate(zip(originals, results)):
        cls = classes[kind]
        if status != records.OK:
            tally.fail(f"#{index} {cls.__name__}: Swift status {status}: {out[:200].decode(errors='replace')}")
            continue
        expected, actual = python_parse(cls, data, False), python_parse(cls, out, False)
        if actual is None:
            tally.fail(f"#{index} {cls.__name__}: Python rejects Swift's re-encoding")
        elif canonical(expected) != canonical(actual):
            tally.fail(f"#{index} {cls.__name__}: differs after round trip ({len(data)} -> {len(out)} bytes)")
            _dump(workdir, index, data, out)
        else:
            tally.passed += 1
    return tally.report()


def _dump(workdir, index, original, swift):
    with open(os.path.join(workdir, f"mismatch-{index}.orig"), "wb") as f:
        f.write(original)
    with open(os.path.join(workdir, f"mismatch-{index}.swift"), "wb") as f:
        f.write(swift)


def handmade(tool, workdir, classes, timeout) -> bool:
    import cases
    all_cases = list(cases.noncanonical()) + list(cases.malformed())
    # Missing-required inputs again, decoded with partial: true (accepted by both).
    partial_cases = [c._replace(name=c.name + " (partial)") for c in cases.malformed() if "required" in c.name]
    plan = [(c, False) for c in all_cases] + [(c, True) for c in partial_cases]
    src, dst = os.path.join(workdir, "handmade.in"), os.path.join(workdir, "handmade.out")
    records.write(src, [(c.kind | (records.PARTIAL if partial else 0), c.data) for c, partial in plan])
    print(f"hand-made: {len(all_cases)} cases + {len(partial_cases)} partial variants")
    run_swift(tool, ["roundtrip", src, dst], timeout)
    results = records.read(dst)
    tally = Tally("hand-made (non-canonical and malformed)")
    accepted = rejected = 0
    for (case, partial), (status, out) in zip(plan, results):
        cls = classes[case.kind]
        verdict = python_parse(cls, case.data, partial)
        if verdict is None:
            rejected += 1
            if status == records.DECODE_ERROR:
                tally.passed += 1
            else:
                tally.differ(case, f"Python rejects, Swift status {status}")
            continue
        accepted += 1
        if status != records.OK:
            tally.differ(case, f"Python accepts, Swift status {status}: {out[:200].decode(errors='replace')}")
            continue
        again = python_parse(cls, out, partial)
        if again is None:
            tally.differ(case, f"Python rejects Swift's re-encoding {out.hex()}")
        elif canonical(again) != canonical(verdict):
            tally.differ(case, f"Swift re-encoded {out.hex()}, Python expects {canonical(verdict).hex()}")
        else:
            tally.passed += 1
    if len(results) != len(plan):
        tally.fail(f"{len(results)} results for {len(plan)} cases")
    print(f"  Python accepted {accepted}, rejected {rejected}")
    return tally.report()


def reverse(tool, workdir, classes, seed, count, timeout) -> bool:
    built, reencoded = os.path.join(workdir, "reverse.built"), os.path.join(workdir, "reverse.python")
    run_swift(tool, ["generate", "--seed", str(seed), "--count", str(count), built], timeout)
    messages = records.read(built)
    print(f"reverse: {len(messages)} messages built by Swift, {sum(len(b) for _, b in messages)} bytes")
    tally = Tally("reverse, Python side (Swift -> Python parses)")
    out = []
    for index, (kind, data) in enumerate(messages):
        msg = python_parse(classes[kind], data, False)
        if msg is None:
            tally.fail(f"#{index} {classes[kind].__name__}: Python rejects Swift's encoding {data[:64].hex()}")
            out.append((kind, b""))
        else:
            tally.passed += 1
            out.append((kind, msg.SerializeToString()))
    records.write(reencoded, out)
    python_ok = tally.report()
    # The Swift side decodes Python's re-encoding and compares with what it built.
    swift_ok = run_swift(tool, ["compare", "--seed", str(seed), "--count", str(count), reencoded], timeout,
                         must_succeed=False)
    return python_ok and swift_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tool", required=True, help="path of the built wire-oracle executable")
    parser.add_argument("--protos", required=True, help="folder of the oracle .proto files")
    parser.add_argument("--workdir", required=True, help="scratch folder (generated classes, record files)")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--count", type=int, default=3000, help="random messages per direction")
    parser.add_argument("--timeout", type=float, default=300, help="seconds allowed for each Swift step")
    args = parser.parse_args()
    generate_python_classes(args.protos, os.path.join(args.workdir, "py"))
    classes = message_classes()
    ok = forward(args.tool, args.workdir, classes, args.seed, args.count, args.timeout)
    ok &= handmade(args.tool, args.workdir, classes, args.timeout)
    ok &= reverse(args.tool, args.workdir, classes, args.seed, args.count, args.timeout)
    print("oracle: " + ("all checks passed" if ok else "MISMATCHES FOUND"))
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.TimeoutExpired as error:
        print(f"oracle: timed out: {error}")
        sys.exit(1)
