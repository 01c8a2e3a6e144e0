#!/usr/bin/env bash
# One GPU session for engine/BENCHMARKS.md, run from the repository root on the GPU machine:
#   tests/engine/cuda/gpu_session.sh BUILD_DIR OUT_DIR PHASE...
# Phases: tests (the gpu-labelled tests), bench (decode/prefill bench with the per-op profile),
# baseline (PyTorch/transformers on the same shape), smoke (--device cuda server on the tiny
# fixture + a short bench-serving), serving (make-model of the 7B shape, serve it, bench-serving
# 1,000 requests of 64-512 in/out at concurrency 256). TOKENIZER_DIR names a Qwen tokenizer
# folder for the serving phase (make-model copies it into the model folder).
set -u
B=$1 OUT=$2
shift 2
C=engine/cuda/bench/configs/r1-distill-qwen-7b.json
ENGINE=$B/bin/slipway-engine
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1 PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
# The test binaries name their fixtures by the absolute path of the checkout they were built in.
[ -d /work/main ] || { mkdir -p /work && ln -s "$PWD" /work/main; }

wait_ready() {  # PORT SECONDS: until /health_generate answers 200
    for _ in $(seq 1 "$2"); do
        python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$1/health_generate', timeout=2).status == 200 else 1)" 2>/dev/null && return 0
        sleep 1
    done
    return 1
}

for phase in "$@"; do
    echo "=== $phase $(date -u +%FT%TZ)"
    case $phase in
    tests)
        $B/bin/test_cuda_ops 2>&1 | grep -E '^\[  (PASSED|FAILED)|FAILED|Failure|error' | head -40
        $B/bin/test_cuda_model 2>&1 | grep -E '^\[  (PASSED|FAILED)|FAILED|Failure|error|max' | head -40
        ;;
    bench)
        $ENGINE bench --config $C --random-weights --profile --show-tuning --json "$OUT/bench.json" 2>&1 | tee "$OUT/bench.txt"
        ;;
    baseline)
        python3 tests/engine/cuda/baseline_transformers.py --config $C --batches 1,64 --json "$OUT/baseline.json" 2>&1 | tail -8
        ;;
    smoke)
        $ENGINE --model-path tests/engine/fixtures/qwen2-tiny-bf16 --device cuda --port 30001 --max-total-tokens 200000 \
            --cuda-graph-max-bs 32 > "$OUT/smoke_server.log" 2>&1 &
        pid=$!
        if wait_ready 30001 60; then
            python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:30001/get_model_info').read().decode())"
            $ENGINE bench-serving --url http://127.0.0.1:30001 --num-requests 64 --input-len-range 16:100 \
                --output-len-range 16:100 --concurrency 16 --json "$OUT/smoke_serving.json"
        else
            echo "smoke server did not become ready"
        fi
        kill $pid; wait $pid
        grep -v "^$" "$OUT/smoke_server.log" | head -12
        ;;
    serving)
        M=/tmp/r1-7b-random
        time $ENGINE make-model --config $C --tokenizer-from "${TOKENIZER_DIR:?}" --out $M --seed 1 --dtype bf16 | tail -2
        $ENGINE --model-path $M --device cuda --port 30000 --max-running-requests 256 --cuda-graph-max-bs 256 \
            --context-length 4096 > "$OUT/serving_server.log" 2>&1 &
        pid=$!
        if wait_ready 30000 240; then
            grep -E "CUDA backend|KV cache|ready" "$OUT/serving_server.log"
            timeout 300 $ENGINE bench-serving --url http://127.0.0.1:30000 --num-requests 1000 --input-len-range 64:512 \
                --output-len-range 64:512 --concurrency 256 --json "$OUT/serving.json"
        else
            echo "serving server did not become ready"; tail -5 "$OUT/serving_server.log"
        fi
        kill $pid; wait $pid
        ;;
    esac
done
