#!/usr/bin/env python3
"""Baseline for engine/BENCHMARKS.md: the same decode measurement as slipway-engine-bench, run
with PyTorch + transformers (random init on the GPU, bf16, SDPA attention) on the same
config.json. Each batch's sequences hold --ctx tokens of context when timing starts (a prefill
of random tokens builds the cache); then --steps greedy decode steps are timed with CUDA
synchronisation; tokens/s = batch * steps / time.

usage: baseline_transformers.py --config PATH/config.json [--batches 1,64] [--ctx 1024]
                                [--steps 32] [--json FILE]
"""
import argparse
import json
import time

import torch
from transformers import AutoConfig, AutoModelForCausalLM


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--config", required=True)
    ap.add_argument("--batches", default="1,64")
    ap.add_argument("--ctx", type=int, default=1024)
    ap.add_argument("--steps", type=int, default=32)
    ap.add_argument("--json")
    a = ap.parse_args()
    path = a.config[:-len("config.json")] if a.config.endswith("config.json") else a.config
    cfg = AutoConfig.from_pretrained(path)
    torch.manual_seed(0)
    with torch.device("cuda"):
        model = AutoModelForCausalLM.from_config(cfg, torch_dtype=torch.bfloat16, attn_implementation="sdpa")
    model.eval()
    results = {"device": torch.cuda.get_device_name(), "torch": torch.__version__,
               "transformers": __import__("transformers").__version__, "ctx": a.ctx, "decode": []}
    print(f"transformers baseline on {results['device']}: torch {results['torch']}, "
          f"transformers {results['transformers']}")
    print(f"{'batch':>6} {'step ms':>10} {'tok/s':>10}")
    for batch in [int(b) for b in a.batches.split(",")]:
        with torch.no_grad():
            ids = torch.randint(0, cfg.vocab_size, (batch, a.ctx), device="cuda")
            out = model(input_ids=ids, use_cache=True, logits_to_keep=1)
            past = out.past_key_values
            nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            for _ in range(3):  # warm-up
                out = model(input_ids=nxt, past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            for _ in range(a.steps):
                out = model(input_ids=nxt, past_key_values=past, use_cache=True)
                past = out.past_key_values
                nxt = out.logits[:, -1].argmax(-1, keepdim=True)
            nxt.cpu()
            torch.cuda.synchronize()
            dt = (time.perf_counter() - t0) / a.steps
        del past, out
        torch.cuda.empty_cache()
        print(f"{batch:>6} {dt * 1e3:>10.2f} {batch / dt:>10.1f}")
        results["decode"].append({"batch": batch, "step_ms": dt * 1e3, "tokens_per_s": batch / dt})
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
