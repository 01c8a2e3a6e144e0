#!/usr/bin/env bash
# One GPU session for engine/BENCHMARKS.md, run from the repository root on the GPU machine:
#   tests/engine/cuda/gpu_session.sh BUILD_DIR OUT_DIR PHASE...
# Phases:
#   tests      every gpu-labelled test binary (test_cuda_tp and test_dist_gpu_nodes need 2 GPUs)
#   bench      decode/prefill bench on the R1-Distill-Qwen-7B shape with the per-op profile
#   tp         the same bench at --tp 1 and --tp 2 (batch 1 and 64), with the all-reduce alone;
#              tp 2 again with NCCL alone (SLIPWAY_PEER_ALL_REDUCE=0) and with the peer all-reduce's
#              pull form (=pull), and tp 2's per-op profile
#   tp4        (4 GPUs) the bench at --tp 1, 2 and 4, and --tp 4 with NCCL alone
#   baseline   PyTorch/transformers on the same shape
#   sanitizer  compute-sanitizer memcheck on a short whole-model generation
#   image      the CUDA variant of the daemonless engine image, started with chroot on the GPU
#   smoke      --device cuda server on the tiny fixture + a short bench-serving
#   serving    the 7B shape served with --random-weights (config.json + TOKENIZER_DIR's tokenizer),
#              bench-serving 1,000 requests of 64-512 in/out at concurrency 256, per schedule policy
#              (SERVING_DEFAULT_ONLY=1: the default policy alone; SERVING_ARGS: more server flags, e.g. --tp 2;
#              SERVING_BENCH_ARGS: more bench-serving flags, e.g. --temperature 0.6 --top-p 0.95)
set -u
B=$1 OUT=$2
shift 2
C=engine/cuda/bench/configs/r1-distill-qwen-7b.json
ENGINE=$B/bin/slipway-engine
export NCCL_NVLS_ENABLE=0 TORCH_SYMM_MEM_DISABLE_MULTICAST=1 NVSHMEM_DISABLE_NVLS=1 PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
# The test binaries name their fixtures by the absolute path of the checkout they were built in.
[ -d /work/main ] || { mkdir -p /work && ln -s "$PWD" /work/main; }

wait_ready() {  # PORT SECONDS [PID]: until /health_generate answers 200; gives up when PID exits
    for _ in $(seq 1 "$2"); do
        [ -z "${3:-}" ] || kill -0 "$3" 2>/dev/null || return 1
        python3 -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$1/health_generate', timeout=2).status == 200 else 1)" 2>/dev/null && return 0
        sleep 1
    done
    return 1
}

for phase in "$@"; do
    echo "=== $phase $(date -u +%FT%TZ)"
    case $phase in
    tests)
        # One log for all of them (the device tool brings back only a few files).
        for t in ${GPU_TESTS:-test_cuda_ops test_cuda_model test_cuda_attention_decode test_cuda_attention_prefill \
                 test_cuda_fused_ops test_cuda_gemm_skinny test_cuda_peer_all_reduce test_cuda_tp test_dist_gpu_nodes}; do
            [ -x "$B/bin/$t" ] || { echo "$t: not built"; continue; }
            echo "--- $t"
            echo "===== $t" >> "$OUT/tests.log"
            timeout 300 "$B/bin/$t" > "$OUT/$t.tmp" 2>&1
            echo "exit $?"
            cat "$OUT/$t.tmp" >> "$OUT/tests.log"
            grep -E '^\[  (PASSED|FAILED|SKIPPED)|^\[  FAILED|Failure|TFLOP|measured|max \|' "$OUT/$t.tmp" | head -30
            rm -f "$OUT/$t.tmp"
        done
        ;;
    bench)
        $ENGINE bench --config $C --random-weights --profile --json "$OUT/bench.json" 2>&1 | tee "$OUT/bench.txt" |
            grep -vE '^  (tuned|gemv|skinny)'
        ;;
    tp)
        for tp in 1 2; do
            $ENGINE bench --config $C --random-weights --tp $tp --batches 1,64 --prompts 1024 --json "$OUT/tp$tp.json" 2>&1 |
                grep -vE '^  (tuned|gemv|skinny)' | tee "$OUT/tp$tp.txt"
        done
        # The same tp 2 with NCCL alone (no peer-memory all-reduce), with the peer all-reduce's pull
        # form, and tp 2's per-op profile.
        SLIPWAY_PEER_ALL_REDUCE=0 $ENGINE bench --config $C --random-weights --tp 2 --batches 1,64 --prompts 1024 \
            --json "$OUT/tp2_nccl.json" 2>&1 | grep -vE '^  (tuned|gemv|skinny)' | tee "$OUT/tp2_nccl.txt"
        SLIPWAY_PEER_ALL_REDUCE=pull $ENGINE bench --config $C --random-weights --tp 2 --batches 1,64 --prompts 1024 \
            --json "$OUT/tp2_pull.json" 2>&1 | grep -vE '^  (tuned|gemv|skinny)' | tee "$OUT/tp2_pull.txt"
        $ENGINE bench --config $C --random-weights --tp 2 --batches 1,64 --prompts 16 --profile 2>&1 |
            grep -E 'profile|step ms|^ +[0-9]+ ' | tee "$OUT/tp2_profile.txt"
        ;;
    tp4)
        # Needs 4 GPUs: --tp 4 beside --tp 1 and --tp 2 on the same machine, and --tp 4 with NCCL alone.
        for tp in 1 2 4; do
            $ENGINE bench --config $C --random-weights --tp $tp --batches 1,64 --prompts 1024 \
                --json "$OUT/tp${tp}_of4.json" 2>&1 | grep -vE '^  (tuned|gemv|skinny)' | tee "$OUT/tp${tp}_of4.txt"
        done
        SLIPWAY_PEER_ALL_REDUCE=0 $ENGINE bench --config $C --random-weights --tp 4 --batches 1,64 --prompts 1024 \
            --json "$OUT/tp4_nccl.json" 2>&1 | grep -vE '^  (tuned|gemv|skinny)' | tee "$OUT/tp4_nccl.txt"
        ;;
    baseline)
        python3 tests/engine/cuda/baseline_transformers.py --config $C --batches 1,64 --json "$OUT/baseline.json" 2>&1 | tail -8
        ;;
    sanitizer)
        command -v compute-sanitizer >/dev/null || PATH=$PATH:/usr/local/cuda/bin
        timeout 300 compute-sanitizer --tool memcheck --error-exitcode 9 "$B/bin/test_cuda_model" \
            --gtest_filter='*GreedyContinuationsMatch*qwen2*' 2>&1 | tail -6
        echo "compute-sanitizer exit ${PIPESTATUS[0]}"
        ;;
    image)
        timeout 300 bash installer/engine/test_cuda_image_gpu.sh "$ENGINE" 2>&1 | tail -12
        ;;
    smoke)
        $ENGINE --model-path tests/engine/fixtures/qwen2-tiny-bf16 --device cuda --port 30001 --max-total-tokens 200000 \
            --cuda-graph-max-bs 32 > "$OUT/smoke_server.log" 2>&1 &
        pid=$!
        if wait_ready 30001 60 $pid; then
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
        M=/tmp/r1-7b-shape
        mkdir -p $M && cp $C $M/config.json && cp "${TOKENIZER_DIR:?}"/tokenizer*.json $M/
        i=0
        policies=("" "--enable-mixed-chunk" "--disable-overlap-schedule")
        [ "${SERVING_DEFAULT_ONLY:-0}" = 1 ] && policies=("")  # short sessions: the default policy alone
        for policy in "${policies[@]}"; do
            i=$((i + 1))
            $ENGINE --model-path $M --random-weights --device cuda --port 30000 --max-running-requests 256 \
                --cuda-graph-max-bs 256 --context-length 4096 $policy ${SERVING_ARGS:-} > "$OUT/serving_server$i.log" 2>&1 &
            pid=$!
            if wait_ready 30000 240 $pid; then
                echo "--- policy: ${policy:-default}"
                grep -E "CUDA backend|KV cache|scheduling" "$OUT/serving_server$i.log"
                timeout 300 $ENGINE bench-serving --url http://127.0.0.1:30000 --num-requests 1000 --input-len-range 64:512 \
                    --output-len-range 64:512 --concurrency 256 ${SERVING_BENCH_ARGS:-} --json "$OUT/serving$i.json" 2>&1 | tail -12
            else
                echo "serving server did not become ready"; tail -5 "$OUT/serving_server$i.log"
            fi
            kill $pid; wait $pid
        done
        ;;
    esac
done
