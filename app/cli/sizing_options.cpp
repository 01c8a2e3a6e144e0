#include "sizing_options.h"

#include "model/model_loader.h"

namespace slipway::cli {

std::vector<OptionSpec> sizingOptionSpecs(const char *defaultGpu)
{
    return {
        {"--model", true, "ID|DIR|config.json", "catalog id, model folder or config.json (required)"},
        {"--dtype", true, "auto|bf16|fp16|fp8|int4", "weight type in GPU memory (default: the checkpoint's)"},
        {"--kv-dtype", true, "auto|bf16|fp8", "KV cache type (default auto: the model's)"},
        {"--gpu", true, "NAME", std::string("GPU from the catalog, e.g. H100, A100-80G, L40S (default ") + defaultGpu + ")"},
        {"--gpu-memory", true, "GiB", "a GPU not in the catalog, by its memory in GiB"},
        {"--gpu-bandwidth", true, "TB/s", "memory bandwidth of a --gpu-memory card (for the decode ceiling)"},
        {"--gpus-per-node", true, "N", "GPUs each node (pod) offers (default 8)"},
        {"--context", true, "N", "tokens per sequence (default: the model's maximum)"},
        {"--concurrency", true, "N", "sequences held at full context at once (default 1)"},
        {"--mem-fraction", true, "F", "--mem-fraction-static (default: SGLang's for the card)"},
        {"--tp", true, "N", "tensor-parallel size (default: the smallest that fits)"},
    };
}

Result<sizing::SizingInput> sizingInputFrom(const ParsedArgs &args, const char *defaultGpu)
{
    sizing::SizingInput input;
    auto modelRef = args.value("--model");
    if (!modelRef || modelRef->empty())
        return fail("--model is required: a catalog id such as deepseek-ai/DeepSeek-R1-Distill-Qwen-7B, "
                    "a model folder, or a config.json (slipway-cli models lists the catalog)");
    auto spec = model::loadModel(*modelRef);
    if (!spec)
        return spec.error();
    input.model = std::move(spec).value();

    if (auto d = args.value("--dtype")) {
        auto dtype = sizing::parseWeightDtype(*d);
        if (!dtype)
            return fail("--dtype: " + dtype.message());
        input.weightDtype = *dtype;
    }
    if (auto d = args.value("--kv-dtype")) {
        auto dtype = sizing::parseKvDtype(*d);
        if (!dtype)
            return fail("--kv-dtype: " + dtype.message());
        input.kvDtype = *dtype;
    }
    if (args.has("--gpu") && args.has("--gpu-memory"))
        return fail("give either --gpu NAME or --gpu-memory GiB, not both");
    if (auto mem = args.value("--gpu-memory")) {
        auto gib = toNumber("--gpu-memory", *mem, 1, 4096);
        if (!gib)
            return gib.error();
        double bandwidth = 0;
        if (auto bw = args.value("--gpu-bandwidth")) {
            auto tbps = toNumber("--gpu-bandwidth", *bw, 0.01, 100);
            if (!tbps)
                return tbps.error();
            bandwidth = *tbps;
        }
        input.gpu = sizing::customGpu(*gib, bandwidth);
    } else {
        if (args.has("--gpu-bandwidth"))
            return fail("--gpu-bandwidth goes with --gpu-memory; a catalog GPU's bandwidth is known");
        auto gpu = sizing::findGpu(args.valueOr("--gpu", defaultGpu));
        if (!gpu)
            return fail("--gpu: " + gpu.message());
        input.gpu = *gpu;
    }
    if (auto v = args.value("--gpus-per-node")) {
        auto n = toInteger("--gpus-per-node", *v, 1, 64);
        if (!n)
            return n.error();
        input.gpusPerNode = int(*n);
    }
    if (auto v = args.value("--context")) {
        auto n = toInteger("--context", *v, 1, 100'000'000);
        if (!n)
            return n.error();
        input.contextLength = *n;
    }
    if (auto v = args.value("--concurrency")) {
        auto n = toInteger("--concurrency", *v, 1, 1'000'000);
        if (!n)
            return n.error();
        input.concurrency = *n;
    }
    if (auto v = args.value("--mem-fraction")) {
        auto f = toNumber("--mem-fraction", *v, 0.05, 0.99);
        if (!f)
            return f.error();
        input.memFraction = *f;
    }
    if (auto v = args.value("--tp")) {
        auto n = toInteger("--tp", *v, 1, 1024);
        if (!n)
            return n.error();
        input.tensorParallel = int(*n);
    }
    return input;
}

} // namespace slipway::cli
