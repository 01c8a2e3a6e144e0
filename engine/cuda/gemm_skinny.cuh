#pragma once
// Skinny GEMM for decode batches (issue #4): y[M, N] = x[M, K] · W[N, K]^T (+ bias[N]) for
// M = 5..128 activation rows, bf16 operands, fp32 accumulation, bf16 or fp32 output, W in
// torch.nn.Linear's row-major [N][K] layout. At these M the product is bound by streaming W, so
// the kernel is built around that: each block owns a tile of N (64, 128 or 256 output features)
// and streams its W rows over K (or over one K split) through a multi-stage cp.async pipeline
// into shared memory, together with the matching K-chunk of all M rows of x. Tensor cores do the
// math with W as the MMA's A operand (16 features) and x^T as B (8 rows), so M is padded only to
// a multiple of 8. Split-K writes fp32 partials into a caller-provided workspace; the last block
// of a tile to finish (a per-tile counter) sums them in split order and applies the epilogue,
// so the result is deterministic and no second kernel is needed. Launched with programmatic
// dependent launch (pdl.cuh); capturable in CUDA graphs (no host sync, no allocation).
#include <cstddef>

#include "cuda/cuda_common.cuh"

namespace slipway::engine::cuda {

constexpr int kSkinnyMinRows = 5;
constexpr int kSkinnyMaxRows = 128;
// Block shapes the autotuner chooses from, [0, kSkinnyConfigs) (names: skinny_config_name).
constexpr int kSkinnyConfigs = 4;
// Split-K factors at most this.
constexpr int kSkinnyMaxSplits = 16;

const char *skinny_config_name(int config);
// Output features per block (the N tile) of a configuration; 0 for an unknown one.
int skinny_block_cols(int config);
// Whether the kernel takes the operands: M in [kSkinnyMinRows, kSkinnyMaxRows], N and K
// multiples of 8, ldx a multiple of 8 and >= K, x / w 16-byte aligned.
bool skinny_supports(const void *x, int ldx, int m, int k, const void *w, int n);
// fp32 partial sums a split-K launch needs (0 when splits == 1).
size_t skinny_workspace_bytes(int m, int n, int splits);
// Tile counters a split-K launch needs (ceil(N / block cols); 0 when splits == 1).
int skinny_counters_needed(int n, int config, int splits);

// Split-K scratch: `partials` holds skinny_workspace_bytes(), `counters` holds
// skinny_counters_needed() unsigned ints that must be zero before the first launch (cudaMemset
// once at allocation); every launch leaves them zero again. One scratch serves one stream:
// launches on it run one after another.
struct SkinnyScratch {
    float *partials = nullptr;
    size_t partial_bytes = 0;
    unsigned *counters = nullptr;
    int counter_count = 0;
};

// Launches configuration `config` with `splits` K splits (1 = no split-K). Returns
// cudaErrorInvalidValue when the shape is not supported or the scratch is too small.
cudaError_t launch_gemm_skinny(const bf16 *x, int ldx, int m, int k, const bf16 *w, int n, const bf16 *bias, void *y,
                               bool y_fp32, int config, int splits, const SkinnyScratch &scratch, cudaStream_t stream);

} // namespace slipway::engine::cuda
