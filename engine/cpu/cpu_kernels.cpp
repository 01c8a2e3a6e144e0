#include "cpu/cpu_kernels.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "cpu/thread_pool.h"

namespace slipway::engine {

float dot(const float *a, const float *b, int64_t n) {
    float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; ++j) acc[j] += a[i + j] * b[i + j];
    float tail = 0.0f;
    for (; i < n; ++i) tail += a[i] * b[i];
    return ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7])) + tail;
}

void linear(ThreadPool &pool, const float *x, int64_t rows, int64_t in, const float *w, const float *bias,
            int64_t out, float *y) {
    // At least ~16k multiply-adds a chunk, so tiny layers do not pay for a thread hand-off.
    const int64_t min_chunk = std::max<int64_t>(1, 16384 / std::max<int64_t>(1, rows * in));
    pool.parallel_for(
        out,
        [&](int64_t begin, int64_t end) {
            for (int64_t o = begin; o < end; ++o) {
                const float *wrow = w + o * in;
                const float b = bias != nullptr ? bias[o] : 0.0f;
                for (int64_t r = 0; r < rows; ++r) {
                    const float v = dot(x + r * in, wrow, in);
                    y[r * out + o] = bias != nullptr ? v + b : v;
                }
            }
        },
        min_chunk);
}

void rms_norm(const float *x, const float *w, int64_t n, float eps, float *y) {
    const float mean = dot(x, x, n) / static_cast<float>(n);
    const float inv = 1.0f / std::sqrt(mean + eps);
    for (int64_t i = 0; i < n; ++i) y[i] = w[i] * (x[i] * inv);
}

std::vector<float> rope_inv_freq(const RopeConfig &rope, int64_t head_dim) {
    const int64_t half = head_dim / 2;
    std::vector<float> inv(static_cast<size_t>(half));
    const float base = static_cast<float>(rope.theta);
    for (int64_t i = 0; i < half; ++i) {
        const float exponent = static_cast<float>(2 * i) / static_cast<float>(head_dim);
        inv[static_cast<size_t>(i)] = 1.0f / std::pow(base, exponent);
    }
    if (rope.type == RopeConfig::Type::Linear) {
        for (float &f : inv) f /= static_cast<float>(rope.factor);
    } else if (rope.type == RopeConfig::Type::Llama3) {
        // transformers' _compute_llama3_parameters: keep high frequencies, divide low ones by
        // `factor`, and blend linearly in between (by wavelength against the original context).
        const float factor = static_cast<float>(rope.factor);
        const float low = static_cast<float>(rope.low_freq_factor);
        const float high = static_cast<float>(rope.high_freq_factor);
        const float old_ctx = static_cast<float>(rope.original_max_position_embeddings);
        const float low_freq_wavelen = old_ctx / low;
        const float high_freq_wavelen = old_ctx / high;
        for (float &f : inv) {
            const float wavelen = static_cast<float>(2.0 * std::numbers::pi) / f;
            const float scaled = wavelen > low_freq_wavelen ? f / factor : f;
            if (wavelen < high_freq_wavelen || wavelen > low_freq_wavelen) {
                f = scaled;
            } else {
                const float smooth = (old_ctx / wavelen - low) / (high - low);
                f = (1.0f - smooth) * scaled / factor + smooth * scaled;
            }
        }
    }
    return inv;
}

void rope_cos_sin(const std::vector<float> &inv_freq, int64_t position, float *cos_out, float *sin_out) {
    const float pos = static_cast<float>(position);
    for (size_t i = 0; i < inv_freq.size(); ++i) {
        const float angle = pos * inv_freq[i];
        cos_out[i] = std::cos(angle);
        sin_out[i] = std::sin(angle);
    }
}

void apply_rope(float *x, int64_t head_dim, const float *cos, const float *sin) {
    const int64_t half = head_dim / 2;
    for (int64_t i = 0; i < half; ++i) {
        const float a = x[i], b = x[i + half];
        x[i] = a * cos[i] - b * sin[i];
        x[i + half] = b * cos[i] + a * sin[i];
    }
}

void silu_mul(const float *gate, const float *up, int64_t n, float *out) {
    for (int64_t i = 0; i < n; ++i) {
        const float g = gate[i];
        out[i] = (g / (1.0f + std::exp(-g))) * up[i];
    }
}

} // namespace slipway::engine
