#include "calculator/figure_text.h"

#include "sizing/dtype.h"
#include "sizing/format.h"

#include <cmath>
#include <string>

namespace slipway::ui {

namespace {

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

} // namespace

QString FigureText::label(const sizing::Figure &f, const sizing::SizingResult &r)
{
    const std::string &k = f.key;
    if (k == "params")
        return tr("Parameters");
    if (k == "active_params_per_token")
        return tr("Parameters read per token");
    if (k == "weights_bytes")
        return tr("Weights (%1)").arg(q(std::string(sizing::weightDtypeName(r.weightDtype))));
    if (k == "kv_bytes_per_token")
        return tr("KV cache per token");
    if (k == "gpu_memory_bytes")
        return tr("GPU memory (%1)").arg(q(r.gpu.name));
    if (k == "per_gpu_weights_bytes")
        return tr("Weights per GPU");
    if (k == "kv_bytes_per_token_per_gpu")
        return tr("KV cache per token per GPU");
    if (k == "mem_fraction")
        return tr("Static fraction (--mem-fraction-static)");
    if (k == "static_bytes")
        return tr("Static share (weights + KV pool)");
    if (k == "reserve_bytes")
        return tr("Reserve (activations, CUDA graphs)");
    if (k == "reserve_needed_bytes")
        return tr("Reserve needed (estimate)");
    if (k == "kv_pool_bytes")
        return tr("KV cache pool per GPU");
    if (k == "kv_capacity_tokens")
        return tr("Tokens the KV pool holds");
    if (k == "kv_needed_tokens")
        return tr("Tokens the load needs");
    if (k == "kv_needed_bytes_per_gpu")
        return tr("KV cache the load needs per GPU");
    if (k == "tp")
        return tr("Tensor parallelism (--tp)");
    if (k == "nodes")
        return tr("Nodes (pods)");
    if (k == "gpus_per_node")
        return tr("GPUs per pod");
    if (k == "cpu_cores")
        return tr("CPU per pod");
    if (k == "shm_bytes")
        return tr("/dev/shm per pod");
    if (k == "host_memory_bytes")
        return tr("Host memory per pod");
    if (k == "checkpoint_bytes")
        return tr("Checkpoint on disk");
    if (k == "volume_bytes")
        return tr("Model volume (PVC)");
    if (k == "decode_bytes_per_step_per_gpu")
        return tr("Bytes read per decode step per GPU");
    if (k == "decode_ceiling_tokens_per_s")
        return tr("Decode ceiling, one sequence (upper bound)");
    if (k == "decode_ceiling_batch_tokens_per_s")
        return tr("Decode ceiling, all sequences (upper bound)");
    return q(f.label);
}

QString FigureText::value(const sizing::Figure &f)
{
    if (f.unit == "B") {
        // Pod resources are whole GiB, the unit their manifests use: show both.
        const auto whole = static_cast<int64_t>(std::llround(f.value));
        if (whole > 0 && whole % sizing::kGiB == 0)
            return tr("%1 GiB (%2)").arg(q(sizing::formatInt(whole / sizing::kGiB)), bytes(f.value));
        return bytes(f.value);
    }
    if (f.unit == "tokens/s")
        return tokensPerSecond(f.value);
    if (f.unit == "tokens")
        return tokens(static_cast<qint64>(std::llround(f.value)));
    if (f.unit == "params")
        return tr("%1 B params").arg(q(sizing::formatFixed(f.value / 1e9, 2)));
    if (f.unit == "GPUs")
        return gpus(static_cast<qint64>(std::llround(f.value)));
    if (f.unit == "nodes")
        return nodes(static_cast<qint64>(std::llround(f.value)));
    if (f.unit == "cores")
        return f.value == 1.0 ? tr("%1 core").arg(q(sizing::formatNumber(f.value)))
                              : tr("%1 cores").arg(q(sizing::formatNumber(f.value)));
    if (f.unit.empty())
        return q(sizing::formatNumber(f.value));
    return q(sizing::formatNumber(f.value) + " " + f.unit);
}

QString FigureText::bytes(double value)
{
    return q(sizing::formatBytes(value));
}

QString FigureText::tokens(qint64 count)
{
    const QString n = q(sizing::formatInt(count));
    return count == 1 ? tr("%1 token").arg(n) : tr("%1 tokens").arg(n);
}

QString FigureText::tokensPerSecond(double rate)
{
    return tr("%1 tokens/s").arg(q(sizing::formatRate(rate)));
}

QString FigureText::gpus(qint64 count)
{
    const QString n = q(sizing::formatInt(count));
    return count == 1 ? tr("%1 GPU").arg(n) : tr("%1 GPUs").arg(n);
}

QString FigureText::nodes(qint64 count)
{
    const QString n = q(sizing::formatInt(count));
    return count == 1 ? tr("%1 node").arg(n) : tr("%1 nodes").arg(n);
}

QString FigureText::yesNo(bool value)
{
    return value ? tr("yes") : tr("no");
}

} // namespace slipway::ui
