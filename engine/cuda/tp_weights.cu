// CudaModelRunner::load_shard_weights: one tensor-parallel rank's part of every weight (the
// split is described in tp_shard.h), in the same fused layout as load_weights: q | k | v rows,
// gate | up rows, all local.
//
// From a checkpoint, each rank copies only its block of each tensor out of the memory-mapped
// safetensors file: row blocks (q, k, v, gate, up, embedding, lm_head, biases) are one
// contiguous range of the file, so only the shard's pages are read; column blocks (o_proj,
// down_proj) are gathered row by row into a host staging buffer (those touch every row of the
// tensor, though only the shard's bytes of each). fp16 / fp32 are rounded to bf16 on the host
// as in load_weights.
//
// Random weights draw each element from the same counter hash as load_weights' random fill,
// indexed by its position in the *unsharded* tensor and with the same per-tensor seeds, so the
// union of the ranks' shards is exactly the TP 1 random model of the same seed.
#include <cstring>
#include <string>
#include <vector>

#include "cuda/cuda_check.h"
#include "cuda/cuda_model_runner.h"
#include "cuda/weight_fill.cuh"

namespace slipway::engine::cuda {

namespace {

// dst [rows, cols] = block (row0, col0) of a global [*, global_cols] tensor whose element i is
// drawn as cuda_runner_setup.cu's fill_random_kernel draws element i (weight_fill.cuh).
__global__ void fill_random_block_kernel(bf16 *dst, int64_t rows, int64_t cols, int64_t global_cols, int64_t row0,
                                         int64_t col0, uint64_t seed, float scale, float offset) {
    const int64_t n = rows * cols;
    for (int64_t i = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<int64_t>(gridDim.x) * blockDim.x) {
        const int64_t gi = (row0 + i / cols) * global_cols + col0 + i % cols;
        dst[i] = random_weight(seed, gi, scale, offset);
    }
}

// A block of a global tensor: rows [row0, row0 + rows), columns [col0, col0 + cols) of a
// [*, global_cols] matrix (a vector is [n, 1]).
struct Block {
    int64_t row0, rows, col0, cols, global_cols;
};

} // namespace

Status CudaModelRunner::load_shard_weights(const LoadedModel *model, uint64_t seed) {
    const TpShard &sh = shard_;
    const ModelConfig &g = sh.global, &c = config_;
    const int64_t H = hidden_, hd = g.head_dim, Vl = vocab_local_;
    const bool tied = g.tie_word_embeddings;
    const int64_t gqd = g.num_heads * hd, gkvd = g.num_kv_heads * hd, ginter = g.intermediate_size;
    const int64_t q0 = sh.q_head_begin * hd, kv0 = sh.kv_head_begin * hd, i0 = sh.inter_begin;

    // Allocation: exactly load_weights' order and sizes, with local dimensions.
    SLIPWAY_STATUS_TRY(allocate_weights(Vl));
    SLIPWAY_CUDA_TRY(cudaMemsetAsync(weights_.get(), 0, weights_.bytes(), stream_));  // vocab padding

    // The blocks of each tensor this rank holds (global coordinates, fused tensors as in
    // load_weights' random draw: q|k|v rows and gate|up rows are one tensor each).
    const Block embed_block{sh.vocab_begin, sh.vocab_valid, 0, H, H};
    const Block norm_block{0, H, 0, 1, 1};
    const Block q_rows{q0, qd_, 0, H, H}, k_rows{kv0, kvd_, 0, H, H}, v_rows{kv0, kvd_, 0, H, H};
    const Block q_bias{q0, qd_, 0, 1, 1}, kv_bias{kv0, kvd_, 0, 1, 1};
    const Block o_cols{0, H, q0, qd_, gqd};
    const Block inter_rows{i0, inter_, 0, H, H}, inter_bias{i0, inter_, 0, 1, 1};
    const Block down_cols{0, H, i0, inter_, ginter};
    const bool first = sh.rank == 0;  // holds the row-parallel biases (added once)

    if (model == nullptr) {
        uint64_t s = seed * 0x100000001b3ull + 1;  // load_weights' seed sequence: one per tensor
        auto fill = [&](uint64_t tensor_seed, bf16 *dst, Block b, int64_t offset_rows, float scale,
                        float offset) -> Status {
            const int64_t n = b.rows * b.cols;
            if (n == 0) return {};
            fill_random_block_kernel<<<static_cast<unsigned>(std::min<int64_t>(4096, (n + 255) / 256)), 256, 0,
                                       stream_>>>(dst, b.rows, b.cols, b.global_cols, b.row0 + offset_rows, b.col0,
                                                  tensor_seed, scale, offset);
            SLIPWAY_CUDA_TRY(cudaGetLastError());
            return {};
        };
        const float w = 0.02f * std::sqrt(3.0f);
        SLIPWAY_STATUS_TRY(fill(s++, embed_, embed_block, 0, w, 0));
        if (!tied) SLIPWAY_STATUS_TRY(fill(s++, lm_head_, embed_block, 0, w, 0));
        SLIPWAY_STATUS_TRY(fill(s++, final_norm_, norm_block, 0, 0, 1));
        for (Layer &l : layers_) {
            SLIPWAY_STATUS_TRY(fill(s++, l.in_norm, norm_block, 0, 0, 1));
            SLIPWAY_STATUS_TRY(fill(s++, l.post_norm, norm_block, 0, 0, 1));
            const uint64_t sqkv = s++;
            SLIPWAY_STATUS_TRY(fill(sqkv, l.qkv_w, q_rows, 0, w, 0));
            SLIPWAY_STATUS_TRY(fill(sqkv, l.qkv_w + qd_ * H, k_rows, gqd, w, 0));
            SLIPWAY_STATUS_TRY(fill(sqkv, l.qkv_w + (qd_ + kvd_) * H, v_rows, gqd + gkvd, w, 0));
            if (c.qkv_bias) {
                const uint64_t sb = s++;
                SLIPWAY_STATUS_TRY(fill(sb, l.qkv_b, q_bias, 0, 0.1f, 0));
                SLIPWAY_STATUS_TRY(fill(sb, l.qkv_b + qd_, kv_bias, gqd, 0.1f, 0));
                SLIPWAY_STATUS_TRY(fill(sb, l.qkv_b + qd_ + kvd_, kv_bias, gqd + gkvd, 0.1f, 0));
            }
            SLIPWAY_STATUS_TRY(fill(s++, l.o_w, o_cols, 0, w, 0));
            if (c.o_bias) {
                const uint64_t sb = s++;
                if (first) SLIPWAY_STATUS_TRY(fill(sb, l.o_b, norm_block, 0, 0.01f, 0));
            }
            const uint64_t sgu = s++;
            SLIPWAY_STATUS_TRY(fill(sgu, l.gu_w, inter_rows, 0, w, 0));
            SLIPWAY_STATUS_TRY(fill(sgu, l.gu_w + inter_ * H, inter_rows, ginter, w, 0));
            if (c.mlp_bias) {
                const uint64_t sb = s++;
                SLIPWAY_STATUS_TRY(fill(sb, l.gu_b, inter_bias, 0, 0.01f, 0));
                SLIPWAY_STATUS_TRY(fill(sb, l.gu_b + inter_, inter_bias, ginter, 0.01f, 0));
            }
            SLIPWAY_STATUS_TRY(fill(s++, l.down_w, down_cols, 0, w, 0));
            if (c.mlp_bias) {
                const uint64_t sb = s++;
                if (first) SLIPWAY_STATUS_TRY(fill(sb, l.down_b, norm_block, 0, 0.01f, 0));
            }
        }
        SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));
        if (!first)
            for (Layer &l : layers_) l.o_b = l.down_b = nullptr;
        return {};
    }

    // Checkpoint: copy each block out of the mapped file.
    SLIPWAY_CUDA_TRY(cudaStreamSynchronize(stream_));  // the memset lands before the copies
    std::vector<uint16_t> staging;
    std::vector<float> wide;
    auto upload = [&](const TensorView *v, Block b, bf16 *dst) -> Status {
        if (v == nullptr || dst == nullptr || b.rows * b.cols == 0) return {};
        const int64_t grows = v->shape.empty() ? 0 : v->shape[0];
        const int64_t gcols = v->shape.size() >= 2 ? v->shape[1] : 1;
        if (v->shape.size() > 2 || gcols != b.global_cols || b.row0 + b.rows > grows || b.col0 + b.cols > gcols)
            return Status::error(v->file + ": tensor '" + v->name + "' of shape " + v->shape_string() +
                                 " does not hold tensor-parallel rank " + std::to_string(sh.rank) + "'s block");
        const size_t es = dtype_size(v->dtype);
        const size_t n = static_cast<size_t>(b.rows * b.cols);
        const std::byte *base = v->data + (static_cast<size_t>(b.row0 * gcols + b.col0)) * es;
        const size_t row_stride = static_cast<size_t>(gcols) * es;
        if (v->dtype == DType::BF16 && b.cols == gcols) {  // one contiguous range of the file
            SLIPWAY_CUDA_TRY(cudaMemcpy(dst, base, n * 2, cudaMemcpyHostToDevice));
            return {};
        }
        staging.resize(n);
        for (int64_t r = 0; r < b.rows; ++r) {
            const std::byte *src = base + static_cast<size_t>(r) * row_stride;
            uint16_t *out = staging.data() + static_cast<size_t>(r * b.cols);
            if (v->dtype == DType::BF16) {
                std::memcpy(out, src, static_cast<size_t>(b.cols) * 2);
                continue;
            }
            wide.resize(static_cast<size_t>(b.cols));
            if (!convert_to_f32(v->dtype, src, static_cast<size_t>(b.cols), wide.data()))
                return Status::error(v->file + ": tensor '" + v->name + "' has dtype " + v->dtype_name +
                                     ", which the CUDA backend cannot read");
            for (int64_t i = 0; i < b.cols; ++i) out[i] = float_to_bf16_bits(wide[static_cast<size_t>(i)]);
        }
        SLIPWAY_CUDA_TRY(cudaMemcpy(dst, staging.data(), n * 2, cudaMemcpyHostToDevice));
        return {};
    };
    const ModelTensors &t = model->tensors;
    SLIPWAY_STATUS_TRY(upload(t.embed_tokens, embed_block, embed_));
    if (!tied) SLIPWAY_STATUS_TRY(upload(t.lm_head, embed_block, lm_head_));
    SLIPWAY_STATUS_TRY(upload(t.final_norm, norm_block, final_norm_));
    for (size_t i = 0; i < layers_.size(); ++i) {
        const LayerTensors &lt = t.layers[i];
        Layer &l = layers_[i];
        SLIPWAY_STATUS_TRY(upload(lt.input_norm, norm_block, l.in_norm));
        SLIPWAY_STATUS_TRY(upload(lt.post_attention_norm, norm_block, l.post_norm));
        SLIPWAY_STATUS_TRY(upload(lt.q_proj, q_rows, l.qkv_w));
        SLIPWAY_STATUS_TRY(upload(lt.k_proj, k_rows, l.qkv_w + qd_ * H));
        SLIPWAY_STATUS_TRY(upload(lt.v_proj, v_rows, l.qkv_w + (qd_ + kvd_) * H));
        if (l.qkv_b != nullptr) {
            SLIPWAY_STATUS_TRY(upload(lt.q_bias, q_bias, l.qkv_b));
            SLIPWAY_STATUS_TRY(upload(lt.k_bias, kv_bias, l.qkv_b + qd_));
            SLIPWAY_STATUS_TRY(upload(lt.v_bias, kv_bias, l.qkv_b + qd_ + kvd_));
        }
        SLIPWAY_STATUS_TRY(upload(lt.o_proj, o_cols, l.o_w));
        SLIPWAY_STATUS_TRY(upload(lt.gate_proj, inter_rows, l.gu_w));
        SLIPWAY_STATUS_TRY(upload(lt.up_proj, inter_rows, l.gu_w + inter_ * H));
        if (l.gu_b != nullptr) {
            SLIPWAY_STATUS_TRY(upload(lt.gate_bias, inter_bias, l.gu_b));
            SLIPWAY_STATUS_TRY(upload(lt.up_bias, inter_bias, l.gu_b + inter_));
        }
        SLIPWAY_STATUS_TRY(upload(lt.down_proj, down_cols, l.down_w));
        if (first) {
            SLIPWAY_STATUS_TRY(upload(lt.o_bias, norm_block, l.o_b));
            SLIPWAY_STATUS_TRY(upload(lt.down_bias, norm_block, l.down_b));
        } else {
            l.o_b = l.down_b = nullptr;
        }
    }
    return {};
}

} // namespace slipway::engine::cuda
