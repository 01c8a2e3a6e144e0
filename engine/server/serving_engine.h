#pragma once
// Everything one served model needs, built from the serve flags: the loaded model folder, the
// tokenizer and chat template, the backend runner and the scheduler loop that owns it.
//
// Thread-safety: after create() every member function is safe from any thread (the scheduler
// is; the tokenizer and template are immutable).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dist/tp_setup.h"
#include "runtime/scheduler.h"
#include "server/serve_options.h"
#include "slipway/engine/model_runner.h"
#include "slipway/engine/status.h"
#include "text/chat_template.h"
#include "text/tokenizer.h"
#ifdef SLIPWAY_ENGINE_HAS_CUDA
#include "cuda/cuda_runner.h"
#endif

namespace slipway::engine {

struct LoadedModel;

// Sampling defaults from generation_config.json (SGLang's `--sampling-defaults model`): used for
// the fields a request leaves unset.
struct SamplingDefaults {
    std::optional<float> temperature;
    std::optional<float> top_p;
    std::optional<int32_t> top_k;
    std::optional<float> min_p;
    std::optional<float> repetition_penalty;
};

class ServingEngine final {
public:
    // Loads and checks everything; errors name the file, tensor or flag at fault. `log` receives
    // progress lines. `tp` (--tp > 1, CUDA only): the group's layout, NCCL id and plan sink; it
    // must outlive the engine (the runner sends its Shutdown plan through it when destroyed).
    static StatusOr<std::unique_ptr<ServingEngine>> create(const ServeOptions &options,
                                                           const std::function<void(const std::string &)> &log,
                                                           const dist::TensorParallelSetup *tp = nullptr);
    ~ServingEngine();

    const ServeOptions &options() const { return options_; }
    const Tokenizer &tokenizer() const { return tokenizer_; }
    // nullptr when the model ships no chat template (chat requests then get a 400).
    const ChatTemplate *chat_template() const { return chat_template_ ? &*chat_template_ : nullptr; }
    // Why chat_template() is null.
    const std::string &chat_template_error() const { return chat_template_error_; }
    // The bos_token / eos_token strings the template is rendered with (tokenizer_config.json).
    const std::optional<std::string> &template_bos_token() const { return template_bos_; }
    const std::optional<std::string> &template_eos_token() const { return template_eos_; }
    Scheduler &scheduler() { return *scheduler_; }
    const Scheduler &scheduler() const { return *scheduler_; }
    const SamplingDefaults &sampling_defaults() const { return defaults_; }

    int64_t context_length() const { return scheduler_->context_length(); }
    int64_t kv_pool_tokens() const;
    int64_t vocab_size() const { return scheduler_->runner_info().vocab_size; }
    const std::string &architecture() const { return architecture_; }

    // A request seed for requests that bring none: derived from --random-seed when set.
    std::optional<uint64_t> next_default_seed();

    // Stops accepting, lets in-flight requests run for `grace`, aborts the rest, joins the loop.
    void shutdown(std::chrono::milliseconds grace);

private:
    ServingEngine() = default;

    ServeOptions options_;
    std::shared_ptr<const LoadedModel> model_;
    Tokenizer tokenizer_;
    std::optional<ChatTemplate> chat_template_;
    std::optional<std::string> template_bos_, template_eos_;
    std::string chat_template_error_;
    std::unique_ptr<ModelRunner> runner_;
    std::unique_ptr<Scheduler> scheduler_;
    SamplingDefaults defaults_;
    std::string architecture_;
    std::atomic<uint64_t> seed_counter_{0};
};

// The engine's version string ("0.1.0").
const char *engine_version();

#ifdef SLIPWAY_ENGINE_HAS_CUDA
// The CUDA runner's options from the serve flags (KV pool, graphs, context `ctx`); the leader's
// runner and every worker node's ranks use the same (server/dist_node.cpp).
CudaRunnerOptions cuda_runner_options(const ServeOptions &options, int64_t ctx);
#endif

} // namespace slipway::engine
