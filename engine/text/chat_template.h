#pragma once
// Chat templates: the Jinja `chat_template` of a model's tokenizer_config.json, rendered the way
// Hugging Face's apply_chat_template does (trim_blocks and lstrip_blocks on; variables messages,
// tools, documents, add_generation_prompt, bos_token, eos_token plus any extra ones). Output is
// byte-for-byte what @huggingface/jinja renders for the Qwen3, DeepSeek-V3 and DeepSeek-R1
// templates (tests/engine/template compares them).
//
// Supported Jinja: {{ }}, {% %}, {# #}, '-' whitespace control; if/elif/else; for (loop.index,
// index0, revindex, first, last, length, previtem, nextitem; tuple unpacking; `if` filter; else;
// break/continue); set (names, tuples, namespace attributes, block set); macro, call, filter
// blocks; literals (strings, numbers, lists, tuples, dicts); arithmetic, comparison, `in`, `~`,
// and/or/not, conditional expressions; indexing and slicing with negative steps; filters abs
// bool capitalize count default/d dictsort first float indent int items join keys last length
// list lower map reject rejectattr replace reverse safe select selectattr sort string title
// tojson (indent, ensure_ascii, sort_keys, separators) trim unique upper values wordcount; tests
// boolean callable defined divisibleby eq/equalto even false float ge gt in integer iterable le
// lower lt mapping ne none number odd sameas sequence string true undefined upper; string
// methods upper lower strip lstrip rstrip title capitalize startswith endswith split rsplit
// replace find count join; dict methods get items keys values; globals namespace, dict, range,
// raise_exception, strftime_now. Not supported: include/import/extends/block, {% raw %}, with.
//
// Thread-safety: a ChatTemplate is immutable after parse(); render() may run concurrently.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "slipway/engine/status.h"

namespace slipway::engine {

namespace jinja {
struct Program;
}

struct ChatTemplateOptions {
    bool add_generation_prompt = false;
    // transformers' continue_final_message: cut the output right after the final message's
    // text so the model continues it (assistant prefill without the end-of-turn tokens the
    // template appends). The final message must be a string or a list with a text part; cannot
    // be combined with add_generation_prompt.
    bool continue_final_message = false;
    // Unset means the variable is undefined in the template (`bos_token is defined` is false).
    std::optional<std::string> bos_token;
    std::optional<std::string> eos_token;
    // Further variables (tools, documents, enable_thinking, ...): a JSON object whose keys are
    // set after the ones above and override them. `tools` and `documents` are none unless given
    // here, as in transformers. Ordered so that `tools | tojson` keeps the client's key order.
    nlohmann::ordered_json extra_context = nlohmann::ordered_json::object();
};

class ChatTemplate {
public:
    // A syntax error comes back as "chat template syntax error at line L, column C: ...".
    static StatusOr<ChatTemplate> parse(std::string_view source);

    // Renders the conversation (a JSON array of message objects). Errors, never exceptions:
    // "chat template error at line L, column C: ..." for evaluation errors and
    // "chat template rejected the request: <message>" when the template calls raise_exception.
    // Pass nlohmann::ordered_json to keep the key order of nested objects for `tojson`.
    StatusOr<std::string> render(const nlohmann::json &messages, const ChatTemplateOptions &options) const;
    StatusOr<std::string> render(const nlohmann::ordered_json &messages, const ChatTemplateOptions &options) const;

    const std::string &source() const { return *source_; }

private:
    ChatTemplate(std::shared_ptr<const std::string> source, std::shared_ptr<const jinja::Program> program);
    template <typename Json>
    StatusOr<std::string> render_json(const Json &messages, const ChatTemplateOptions &options) const;

    std::shared_ptr<const std::string> source_;
    std::shared_ptr<const jinja::Program> program_;
};

// A model's chat template text and the special tokens it is rendered with.
struct ChatTemplateSource {
    std::string source;
    std::optional<std::string> bos_token;
    std::optional<std::string> eos_token;
};

// From parsed tokenizer_config.json: `chat_template` as a string, or as a list of
// {"name", "template"} entries from which `template_name` is taken; bos_token/eos_token as
// strings or AddedToken objects ({"content": ...}).
StatusOr<ChatTemplateSource> chat_template_from_tokenizer_config(const nlohmann::json &config,
                                                                 std::string_view template_name = "default");

// From a model folder: chat_template.jinja when present (newer transformers write it), else
// tokenizer_config.json's chat_template, else chat_template.json's; special tokens always from
// tokenizer_config.json when it exists.
StatusOr<ChatTemplateSource> read_chat_template(const std::filesystem::path &model_dir);

} // namespace slipway::engine
