#!/usr/bin/env python3
"""Turns README.md's C++ blocks into functions for tests/integration/readme_test.cpp:
block N becomes ``bool readme_block_N(url, js, creds_text)`` (whether its
``nc`` connected, when it makes one) with the README's own
lines as its body (ws://127.0.0.1:8080 becomes ``url``; #include lines move
to the top). Usage: cpp_blocks.py README.md OUT.inc"""

import re
import sys


def main() -> None:
    readme, out = sys.argv[1], sys.argv[2]
    with open(readme) as f:
        blocks = re.findall(r"```cpp\n(.*?)```", f.read(), re.S)
    includes, functions = [], []
    for i, block in enumerate(blocks, 1):
        body = []
        for line in block.splitlines():
            if line.startswith("#include"):
                includes.append(line)
            else:
                body.append("  " + line.replace('"ws://127.0.0.1:8080"', "url"))
        # A block that connects says whether it did; others return true.
        result = "nc.ok()" if re.search(r"^auto nc = ", block, re.M) else "true"
        functions.append(
            f"// README.md C++ block {i}\n"
            f"[[maybe_unused]] bool readme_block_{i}(const std::string &url,\n"
            f"    nats::Result<std::shared_ptr<nats::native::JetStream>> &js,\n"
            f"    const std::string &creds_text) {{\n"
            f"  (void)url; (void)js; (void)creds_text;\n" + "\n".join(body) +
            f"\n  return {result};\n}}\n")
    with open(out, "w") as f:
        f.write("// Generated from README.md by tests/readme/cpp_blocks.py: do not edit.\n")
        f.write("\n".join(sorted(set(includes))) + "\n\n")
        f.write(f"constexpr int kReadmeBlocks = {len(blocks)};\n\n")
        f.write("\n".join(functions))


if __name__ == "__main__":
    main()
