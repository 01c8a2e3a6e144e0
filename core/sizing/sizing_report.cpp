#include "sizing/sizing_report.h"

#include "sizing/format.h"

#include <nlohmann/json.hpp>

#include <cmath>

namespace slipway::sizing {

namespace {

nlohmann::json figureValueJson(const Figure &f)
{
    if (f.integral)
        return static_cast<int64_t>(std::llround(f.value));
    return f.value;
}

// Display width of UTF-8 text: counts code points, not bytes (the formulas hold × ÷ ⌈⌉ —).
size_t displayWidth(const std::string &text)
{
    size_t width = 0;
    for (unsigned char c : text) {
        if ((c & 0xC0) != 0x80)
            ++width;
    }
    return width;
}

std::string padRight(const std::string &text, size_t width)
{
    const size_t w = displayWidth(text);
    return w >= width ? text + " " : text + std::string(width - w, ' ');
}

} // namespace

std::string formatFigureValue(const Figure &f)
{
    if (f.unit == "B") {
        // Pod resources come out in whole GiB, the unit their manifests use.
        const int64_t whole = static_cast<int64_t>(std::llround(f.value));
        if (whole > 0 && whole % kGiB == 0)
            return formatInt(whole / kGiB) + " GiB (" + formatBytes(f.value) + ")";
        return formatBytes(f.value);
    }
    if (f.unit == "tokens/s")
        return formatRate(f.value) + " tokens/s";
    if (f.unit == "params")
        return formatFixed(f.value / 1e9, 2) + " B params";
    if (f.unit.empty())
        return formatNumber(f.value);
    // "1 GPU", "2 GPUs", "1 node"
    std::string unit = f.unit;
    if (f.value == 1.0 && unit.size() > 1 && unit.back() == 's')
        unit.pop_back();
    return formatNumber(f.value) + " " + unit;
}

std::string sizingToJson(const SizingResult &r)
{
    nlohmann::ordered_json j;
    j["model"] = r.modelId;
    j["gpu"] = r.gpu.name;
    j["gpu_memory_bytes"] = r.gpuMemoryBytes;
    j["weight_dtype"] = std::string(weightDtypeName(r.weightDtype));
    j["checkpoint_dtype"] = std::string(weightDtypeName(r.checkpointDtype));
    j["kv_dtype"] = std::string(kvDtypeName(r.kvDtype));
    j["context_length"] = r.contextLength;
    j["concurrency"] = r.concurrency;
    j["mem_fraction_static"] = r.memFraction;
    j["mem_fraction_is_default"] = r.memFractionIsDefault;
    j["params"] = r.params;
    j["active_params_per_token"] = r.activeParamsPerToken;
    j["weights_bytes"] = r.weightsBytes;
    j["kv_bytes_per_token"] = r.kvBytesPerToken;
    j["kv_bytes_per_token_per_gpu"] = r.kvBytesPerTokenPerGpu;
    j["tp"] = r.tp;
    j["tp_forced"] = r.tpForced;
    j["tp_valid"] = r.tpValid;
    j["nodes"] = r.nodes;
    j["gpus_per_node"] = r.gpusPerNode;
    j["gpus_total"] = r.gpusTotal;
    j["per_gpu_weights_bytes"] = r.perGpuWeightsBytes;
    j["static_bytes"] = r.staticBytes;
    j["reserve_bytes"] = r.reserveBytes;
    j["reserve_needed_bytes"] = r.reserveNeededBytes;
    j["kv_pool_bytes"] = r.kvPoolBytes;
    j["kv_capacity_tokens"] = r.kvCapacityTokens;
    j["kv_needed_tokens"] = r.kvNeededTokens;
    j["fits"] = r.fits;
    j["cpu_cores"] = r.cpuCores;
    j["host_memory_bytes"] = r.hostMemoryBytes;
    j["shm_bytes"] = r.shmBytes;
    j["checkpoint_bytes"] = r.checkpointBytes;
    j["volume_bytes"] = r.volumeBytes;
    j["decode_bytes_per_step_per_gpu"] = r.decodeBytesPerStepPerGpu;
    if (r.gpu.bandwidthBytesPerS > 0) {
        j["decode_ceiling_tokens_per_s"] = r.decodeCeilingTokensPerS;
        j["decode_ceiling_batch_tokens_per_s"] = r.decodeCeilingBatchTokensPerS;
    } else {
        j["decode_ceiling_tokens_per_s"] = nullptr;
        j["decode_ceiling_batch_tokens_per_s"] = nullptr;
    }
    const auto english = [](const std::vector<Message> &messages) {
        std::vector<std::string> texts;
        for (const Message &m : messages)
            texts.push_back(m.english);
        return texts;
    };
    j["warnings"] = english(r.warnings);
    j["errors"] = english(r.errors);
    nlohmann::ordered_json figures = nlohmann::ordered_json::array();
    for (const Figure &f : r.figures) {
        nlohmann::ordered_json o;
        o["key"] = f.key;
        o["label"] = f.label;
        o["value"] = figureValueJson(f);
        o["unit"] = f.unit;
        o["formula"] = f.formula;
        figures.push_back(std::move(o));
    }
    j["figures"] = std::move(figures);
    nlohmann::ordered_json search = nlohmann::ordered_json::array();
    for (const TpCandidate &c : r.tpSearch) {
        nlohmann::ordered_json o;
        o["tp"] = c.tp;
        o["nodes"] = c.nodes;
        o["valid"] = c.valid;
        o["fits"] = c.fits;
        if (c.valid) {
            o["mem_fraction_static"] = c.memFraction;
            o["per_gpu_weights_bytes"] = c.perGpuWeightsBytes;
            o["kv_pool_bytes"] = c.kvPoolBytes;
        }
        o["note"] = c.note.english;
        search.push_back(std::move(o));
    }
    j["tp_search"] = std::move(search);
    return j.dump(2) + "\n";
}

std::string sizingToText(const SizingResult &r)
{
    std::string out;
    out += r.modelName + " on " + std::to_string(r.gpusTotal) + " × " + r.gpu.name + " (" +
           formatBytes(static_cast<double>(r.gpuMemoryBytes)) + " each; " + std::to_string(r.nodes) +
           (r.nodes == 1 ? " node" : " nodes") + " × " + std::to_string(r.gpusPerNode) +
           (r.gpusPerNode == 1 ? " GPU)\n" : " GPUs)\n");
    out += "weights " + std::string(weightDtypeName(r.weightDtype)) + ", KV cache " + std::string(kvDtypeName(r.kvDtype)) +
           ", context " + formatInt(r.contextLength) + " × " + formatInt(r.concurrency) +
           (r.concurrency == 1 ? " sequence" : " sequences") + ", --mem-fraction-static " + formatNumber(r.memFraction) +
           (r.memFractionIsDefault ? " (SGLang default)" : "") + "\n";
    out += std::string(r.fits ? "FITS" : "DOES NOT FIT") + ": --tp " + std::to_string(r.tp) +
           (r.nodes > 1 ? " --nnodes " + std::to_string(r.nodes) : "") + ", KV pool " +
           formatInt(r.kvCapacityTokens) + " tokens for " + formatInt(r.kvNeededTokens) + " needed\n\n";

    constexpr size_t labelWidth = 36;
    constexpr size_t valueWidth = 20;
    constexpr size_t formulaWidth = 70; // longer formulas go on their own line below the row
    out += padRight("Figure", labelWidth) + padRight("Value", valueWidth) + "Formula\n";
    out += std::string(labelWidth + valueWidth + 7, '-') + "\n";
    for (const Figure &f : r.figures) {
        const std::string row = padRight(f.label, labelWidth) + padRight(formatFigureValue(f), valueWidth);
        if (displayWidth(f.formula) <= formulaWidth)
            out += row + f.formula + "\n";
        else
            out += row + "\n" + std::string(4, ' ') + f.formula + "\n";
    }
    if (!r.warnings.empty()) {
        out += "\nWarnings:\n";
        for (const Message &w : r.warnings)
            out += "  - " + w.english + "\n";
    }
    if (!r.errors.empty()) {
        out += "\nErrors:\n";
        for (const Message &e : r.errors)
            out += "  - " + e.english + "\n";
    }
    return out;
}

} // namespace slipway::sizing
