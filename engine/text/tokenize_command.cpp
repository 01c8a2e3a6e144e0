#include "text/tokenize_command.h"

#include <iostream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "text/chat_template.h"
#include "text/tokenizer.h"

namespace slipway::engine {

namespace {

constexpr const char *kUsage = "usage: slipway-engine tokenize --model-path DIR [--chat] [--no-special-tokens] < input\n";

// Renders the chat input with the model's template. Returns the prompt text or an error.
StatusOr<std::string> render_chat(const Tokenizer &tokenizer, const std::string &input)
{
    nlohmann::ordered_json request;
    try {
        request = nlohmann::ordered_json::parse(input);
    } catch (const nlohmann::json::exception &e) {
        return Status::error(std::string("--chat: stdin is not valid JSON: ") + e.what());
    }
    ChatTemplateOptions options;
    options.add_generation_prompt = true;
    nlohmann::ordered_json messages;
    if (request.is_array()) {
        messages = std::move(request);
    } else if (request.is_object() && request.contains("messages")) {
        for (auto it = request.begin(); it != request.end(); ++it) {
            if (it.key() == "messages")
                messages = it.value();
            else if (it.key() == "add_generation_prompt" && it.value().is_boolean())
                options.add_generation_prompt = it.value().get<bool>();
            else
                options.extra_context[it.key()] = it.value();
        }
    } else {
        return Status::error("--chat: stdin must be a JSON array of messages or an object with \"messages\"");
    }
    if (!messages.is_array() || messages.empty())
        return Status::error("--chat: \"messages\" must be a non-empty array");
    if (tokenizer.chat_template().empty())
        return Status::error("--chat: the model has no chat template (tokenizer_config.json \"chat_template\" or chat_template.jinja)");
    auto parsed = ChatTemplate::parse(tokenizer.chat_template());
    if (!parsed.ok())
        return parsed.status();
    if (!tokenizer.special_tokens().bos.empty())
        options.bos_token = tokenizer.special_tokens().bos;
    if (!tokenizer.special_tokens().eos.empty())
        options.eos_token = tokenizer.special_tokens().eos;
    return parsed.value().render(messages, options);
}

} // namespace

int run_tokenize_command(int argc, char **argv, std::istream &in, std::ostream &out, std::ostream &err)
{
    std::string model_path;
    bool chat = false;
    bool special_tokens = true;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--model-path" && i + 1 < argc) {
            model_path = argv[++i];
        } else if (arg.rfind("--model-path=", 0) == 0) {
            model_path = arg.substr(std::string("--model-path=").size());
        } else if (arg == "--chat") {
            chat = true;
        } else if (arg == "--no-special-tokens") {
            special_tokens = false;
        } else if (arg == "-h" || arg == "--help") {
            out << kUsage;
            return 0;
        } else {
            err << "tokenize: unknown argument '" << arg << "'" << (arg == "--model-path" ? " (it needs a folder)" : "")
                << "\n" << kUsage;
            return 2;
        }
    }
    if (model_path.empty()) {
        err << "tokenize: --model-path is required\n" << kUsage;
        return 2;
    }
    auto tokenizer = Tokenizer::load(model_path);
    if (!tokenizer.ok()) {
        err << "tokenize: " << tokenizer.message() << "\n";
        return 1;
    }
    const std::string input{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<std::int32_t> ids;
    if (chat) {
        auto prompt = render_chat(tokenizer.value(), input);
        if (!prompt.ok()) {
            err << "tokenize: " << prompt.message() << "\n";
            return 1;
        }
        ids = tokenizer.value().encode(prompt.value(), false);
    } else {
        ids = tokenizer.value().encode(input, special_tokens);
    }
    out << nlohmann::json(ids).dump() << "\n";
    return out.good() ? 0 : 1;
}

} // namespace slipway::engine
