#include "chat_template.h"

#include <fstream>
#include <sstream>

#include "jinja_ast.h"
#include "jinja_builtins.h"
#include "jinja_error.h"
#include "jinja_interpreter.h"
#include "jinja_parser.h"
#include "jinja_strings.h"

namespace slipway::engine {
namespace {

std::string position_of(const std::string &source, std::size_t offset)
{
    offset = std::min(offset, source.size());
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (source[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    const std::size_t column = jinja::code_point_count(std::string_view(source).substr(line_start, offset - line_start)) + 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

Status to_status(const jinja::JinjaError &error, const std::string &source)
{
    const std::string where = error.offset() == jinja::kNoOffset ? std::string() : " at " + position_of(source, error.offset());
    switch (error.kind()) {
    case jinja::ErrorKind::syntax: return Status::error("chat template syntax error" + where + ": " + error.what());
    case jinja::ErrorKind::raised: return Status::error(std::string("chat template rejected the request: ") + error.what());
    case jinja::ErrorKind::runtime: break;
    }
    return Status::error("chat template error" + where + ": " + error.what());
}

std::optional<std::string> token_text(const nlohmann::json &config, const char *key)
{
    const auto it = config.find(key);
    if (it == config.end())
        return std::nullopt;
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object() && it->contains("content") && (*it)["content"].is_string())
        return (*it)["content"].get<std::string>();
    return std::nullopt;
}

// The text of the last message for continue_final_message: its string content, or the last
// {"text": ...} part of a content list.
template <typename Json>
std::optional<std::string> final_message_text(const Json &messages)
{
    if (messages.empty() || !messages.back().is_object())
        return std::nullopt;
    const auto content = messages.back().find("content");
    if (content == messages.back().end())
        return std::nullopt;
    if (content->is_string())
        return content->template get<std::string>();
    if (content->is_array())
        for (auto part = content->rbegin(); part != content->rend(); ++part)
            if (part->is_object() && part->contains("text") && (*part)["text"].is_string())
                return (*part)["text"].template get<std::string>();
    return std::nullopt;
}

// transformers' continue_final_message cut: keep the output up to the end of the last
// occurrence of the final message's text (trailing spaces kept only where the template kept them).
StatusOr<std::string> cut_after_final_message(std::string rendered, const std::string &final_message)
{
    const std::string_view stripped = jinja::js_trim(final_message);
    const std::string_view left_stripped = jinja::js_trim_start(final_message);
    const std::size_t at = rendered.rfind(stripped);
    if (stripped.empty() || at == std::string::npos)
        return Status::error("continue_final_message is set but the final message does not appear in the rendered chat template");
    if (rendered.compare(at, left_stripped.size(), left_stripped) == 0)
        rendered.resize(at + left_stripped.size());
    else
        rendered.resize(at + stripped.size());
    return rendered;
}

StatusOr<nlohmann::json> read_json_file(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Status::error("cannot read " + path.string());
    nlohmann::json json = nlohmann::json::parse(in, nullptr, false);
    if (json.is_discarded())
        return Status::error(path.string() + " is not valid JSON");
    return json;
}

} // namespace

ChatTemplate::ChatTemplate(std::shared_ptr<const std::string> source, std::shared_ptr<const jinja::Program> program)
    : source_(std::move(source)), program_(std::move(program))
{
}

StatusOr<ChatTemplate> ChatTemplate::parse(std::string_view source)
{
    auto text = std::make_shared<const std::string>(source);
    try {
        auto program = std::make_shared<const jinja::Program>(jinja::parse_template(*text));
        return ChatTemplate(std::move(text), std::move(program));
    } catch (const jinja::JinjaError &error) {
        return to_status(error, *text);
    } catch (const std::exception &error) {
        return Status::error(std::string("chat template could not be parsed: ") + error.what());
    } catch (...) {
        return Status::error("chat template could not be parsed");
    }
}

template <typename Json>
StatusOr<std::string> ChatTemplate::render_json(const Json &messages, const ChatTemplateOptions &options) const
{
    if (!messages.is_array())
        return Status::error("chat template input: messages must be a JSON array of message objects");
    if (!options.extra_context.is_object() && !options.extra_context.is_null())
        return Status::error("chat template input: extra context must be a JSON object");
    std::optional<std::string> final_message;
    if (options.continue_final_message) {
        if (options.add_generation_prompt)
            return Status::error("chat template input: continue_final_message and add_generation_prompt cannot both be set");
        final_message = final_message_text(messages);
        if (!final_message)
            return Status::error("chat template input: continue_final_message needs a final message with text content");
    }
    try {
        auto globals = std::make_shared<jinja::Scope>();
        jinja::install_globals(*globals);
        auto context = std::make_shared<jinja::Scope>(globals);
        context->set("messages", jinja::value_from_json(messages));
        context->set("tools", jinja::Value::none());
        context->set("documents", jinja::Value::none());
        context->set("add_generation_prompt", jinja::Value::boolean(options.add_generation_prompt));
        if (options.bos_token)
            context->set("bos_token", jinja::Value::string(*options.bos_token));
        if (options.eos_token)
            context->set("eos_token", jinja::Value::string(*options.eos_token));
        if (options.extra_context.is_object())
            for (auto it = options.extra_context.begin(); it != options.extra_context.end(); ++it)
                context->set(it.key(), jinja::value_from_json(it.value()));
        jinja::Interpreter interpreter;
        std::string rendered = interpreter.render(*program_, context);
        if (final_message)
            return cut_after_final_message(std::move(rendered), *final_message);
        return rendered;
    } catch (const jinja::JinjaError &error) {
        return to_status(error, *source_);
    } catch (const std::exception &error) {
        return Status::error(std::string("chat template rendering failed: ") + error.what());
    } catch (...) {
        return Status::error("chat template rendering failed");
    }
}

StatusOr<std::string> ChatTemplate::render(const nlohmann::json &messages, const ChatTemplateOptions &options) const
{
    return render_json(messages, options);
}

StatusOr<std::string> ChatTemplate::render(const nlohmann::ordered_json &messages, const ChatTemplateOptions &options) const
{
    return render_json(messages, options);
}

StatusOr<ChatTemplateSource> chat_template_from_tokenizer_config(const nlohmann::json &config, std::string_view template_name)
{
    if (!config.is_object())
        return Status::error("tokenizer_config.json must hold a JSON object");
    ChatTemplateSource result;
    result.bos_token = token_text(config, "bos_token");
    result.eos_token = token_text(config, "eos_token");
    const auto it = config.find("chat_template");
    if (it == config.end() || it->is_null())
        return Status::error("tokenizer_config.json has no chat_template; this model needs a chat template for chat requests "
                             "(add one, or use /v1/completions with a plain prompt)");
    if (it->is_string()) {
        result.source = it->get<std::string>();
        return result;
    }
    if (it->is_array()) {
        std::string names;
        for (const auto &entry : *it) {
            if (!entry.is_object() || !entry.contains("name") || !entry.contains("template") || !entry["name"].is_string()
                || !entry["template"].is_string())
                return Status::error("tokenizer_config.json chat_template list entries must be {\"name\": ..., \"template\": ...}");
            const std::string name = entry["name"].get<std::string>();
            if (name == template_name) {
                result.source = entry["template"].get<std::string>();
                return result;
            }
            names += (names.empty() ? "" : ", ") + name;
        }
        return Status::error("tokenizer_config.json has no chat template named '" + std::string(template_name) + "' (it has: " + names + ")");
    }
    return Status::error("tokenizer_config.json chat_template must be a string or a list of named templates");
}

StatusOr<ChatTemplateSource> read_chat_template(const std::filesystem::path &model_dir)
{
    std::error_code ec;
    const auto config_path = model_dir / "tokenizer_config.json";
    nlohmann::json config = nlohmann::json::object();
    if (std::filesystem::exists(config_path, ec)) {
        auto parsed = read_json_file(config_path);
        if (!parsed.ok())
            return parsed.status();
        config = std::move(parsed).value();
    }
    const auto jinja_path = model_dir / "chat_template.jinja";
    if (std::filesystem::exists(jinja_path, ec)) {
        std::ifstream in(jinja_path, std::ios::binary);
        if (!in)
            return Status::error("cannot read " + jinja_path.string());
        std::ostringstream text;
        text << in.rdbuf();
        ChatTemplateSource result;
        result.source = text.str();
        if (config.is_object()) {
            result.bos_token = token_text(config, "bos_token");
            result.eos_token = token_text(config, "eos_token");
        }
        return result;
    }
    if (config.is_object() && config.contains("chat_template"))
        return chat_template_from_tokenizer_config(config);
    const auto json_path = model_dir / "chat_template.json";
    if (std::filesystem::exists(json_path, ec)) {
        auto parsed = read_json_file(json_path);
        if (!parsed.ok())
            return parsed.status();
        nlohmann::json merged = config.is_object() ? config : nlohmann::json::object();
        if (parsed.value().is_object() && parsed.value().contains("chat_template"))
            merged["chat_template"] = parsed.value()["chat_template"];
        return chat_template_from_tokenizer_config(merged);
    }
    return Status::error("no chat template in " + model_dir.string()
                         + ": expected chat_template.jinja or a chat_template entry in tokenizer_config.json");
}

} // namespace slipway::engine
