// Tokenizer::load and Tokenizer::from_json: tokenizer.json and tokenizer_config.json to tables.
#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "text/tokenizer.h"
#include "text/tokenizer_byte_level.h"
#include "text/tokenizer_data.h"
#include "text/unicode_utf8.h"

namespace slipway::engine {

namespace {

using nlohmann::json;

StatusOr<json> parse_json(std::string_view text, const std::string &source)
{
    try {
        return json::parse(text);
    } catch (const json::exception &e) {
        return Status::error(source + ": not valid JSON: " + e.what());
    }
}

// A special token in tokenizer_config.json: a string, an AddedToken object, or null.
std::string token_string(const json &config, const char *key)
{
    const auto it = config.find(key);
    if (it == config.end())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object()) {
        const auto content = it->find("content");
        if (content != it->end() && content->is_string())
            return content->get<std::string>();
    }
    return {};
}

std::optional<bool> optional_bool(const json &config, const char *key)
{
    const auto it = config.find(key);
    if (it == config.end() || !it->is_boolean())
        return std::nullopt;
    return it->get<bool>();
}

// Ids the post-processor adds around a single sequence (TemplateProcessing, Roberta/Bert
// processing, or a Sequence holding them; ByteLevel adds nothing).
Status read_post_processor(const json &config, const Tokenizer::Data &d, const Tokenizer &tok,
                           std::vector<std::int32_t> &prefix, std::vector<std::int32_t> &suffix)
{
    if (config.is_null())
        return Status();
    const std::string type = config.value("type", std::string());
    if (type == "ByteLevel")
        return Status();
    if (type == "Sequence") {
        for (const auto &p : config.value("processors", json::array())) {
            if (Status s = read_post_processor(p, d, tok, prefix, suffix); !s.ok())
                return s;
        }
        return Status();
    }
    auto id_of = [&](const std::string &token) -> StatusOr<std::int32_t> {
        if (const auto id = tok.token_to_id(token))
            return *id;
        return Status::error("post_processor token \"" + token + "\" is not in the vocabulary");
    };
    if (type == "RobertaProcessing" || type == "BertProcessing") {
        const json cls = config.value("cls", json()), sep = config.value("sep", json());
        if (!cls.is_array() || cls.size() != 2 || !sep.is_array() || sep.size() != 2 || !cls[1].is_number_integer() ||
            !sep[1].is_number_integer())
            return Status::error("post_processor " + type + " needs \"cls\" and \"sep\" as [token, id]");
        prefix.push_back(cls[1].get<std::int32_t>());
        suffix.push_back(sep[1].get<std::int32_t>());
        return Status();
    }
    if (type != "TemplateProcessing")
        return Status::error("post_processor type \"" + type + "\" is not supported (supported: ByteLevel, TemplateProcessing, RobertaProcessing, BertProcessing, Sequence)");
    const json single = config.value("single", json());
    if (!single.is_array())
        return Status::error("post_processor TemplateProcessing has no \"single\" array");
    const json specials = config.value("special_tokens", json::object());
    bool seen_sequence = false;
    for (const auto &item : single) {
        if (item.contains("Sequence")) {
            seen_sequence = true;
            continue;
        }
        if (!item.contains("SpecialToken") || !item["SpecialToken"].contains("id") || !item["SpecialToken"]["id"].is_string())
            return Status::error("post_processor TemplateProcessing \"single\" holds an item that is neither Sequence nor SpecialToken");
        const std::string name = item["SpecialToken"]["id"].get<std::string>();
        std::vector<std::int32_t> ids;
        if (specials.contains(name) && specials[name].contains("ids") && specials[name]["ids"].is_array()) {
            for (const auto &v : specials[name]["ids"])
                ids.push_back(v.get<std::int32_t>());
        } else {
            auto id = id_of(name);
            if (!id.ok())
                return id.status();
            ids.push_back(id.value());
        }
        (seen_sequence ? suffix : prefix).insert((seen_sequence ? suffix : prefix).end(), ids.begin(), ids.end());
    }
    return Status();
}

Status read_decoder(const json &config)
{
    const std::string type = config.is_object() ? config.value("type", std::string()) : std::string();
    if (type == "ByteLevel")
        return Status();
    if (type == "Sequence") {
        for (const auto &d : config.value("decoders", json::array())) {
            if (Status s = read_decoder(d); !s.ok())
                return s;
        }
        return Status();
    }
    return Status::error(std::string("decoder ") + (config.is_null() ? "null" : "type \"" + type + "\"") +
                         " is not supported (byte-level BPE needs the ByteLevel decoder)");
}

StatusOr<std::string> read_file(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Status::error(path.string() + ": cannot open the file (is --model-path the model folder?)");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (!in && !in.eof())
        return Status::error(path.string() + ": cannot read the file");
    return buffer.str();
}

} // namespace

StatusOr<Tokenizer> Tokenizer::from_json(std::string_view tokenizer_json, std::string_view tokenizer_config_json,
                                         const std::string &source)
{
    const std::string json_name = source + "/tokenizer.json";
    const std::string config_name = source + "/tokenizer_config.json";
    auto parsed = parse_json(tokenizer_json, json_name);
    if (!parsed.ok())
        return parsed.status();
    const json &tj = parsed.value();
    if (!tj.is_object())
        return Status::error(json_name + ": the top level is not an object");
    json config = json::object();
    if (!tokenizer_config_json.empty()) {
        auto c = parse_json(tokenizer_config_json, config_name);
        if (!c.ok())
            return c.status();
        if (!c.value().is_object())
            return Status::error(config_name + ": the top level is not an object");
        config = std::move(c).value();
    }
    auto fail = [&](const std::string &what) { return Status::error(json_name + ": " + what); };

    auto data = std::make_shared<Data>();
    Data &d = *data;
    {
        const auto model = tj.find("model");
        if (model == tj.end())
            return fail("no \"model\"");
        auto m = BpeModel::from_json(*model);
        if (!m.ok())
            return fail(m.message());
        d.model = std::move(m).value();
        auto n = Normalizer::from_json(tj.value("normalizer", json()));
        if (!n.ok())
            return fail(n.message());
        d.normalizer = std::move(n).value();
        auto p = PreTokenizer::from_json(tj.value("pre_tokenizer", json()));
        if (!p.ok())
            return fail(p.message());
        d.pre_tokenizer = std::move(p).value();
        if (Status s = read_decoder(tj.value("decoder", json())); !s.ok())
            return fail(s.message());
    }

    d.tokens = d.model.tokens();
    const json added = tj.value("added_tokens", json::array());
    if (!added.is_array())
        return fail("\"added_tokens\" is not an array");
    for (std::size_t i = 0; i < added.size(); ++i) {
        const json &a = added[i];
        if (!a.is_object() || !a.contains("id") || !a["id"].is_number_integer() || a["id"].get<std::int64_t>() < 0 ||
            !a.contains("content") || !a["content"].is_string())
            return fail("\"added_tokens\"[" + std::to_string(i) + "] needs an integer \"id\" and a string \"content\"");
        AddedToken t;
        t.id = a["id"].get<std::int32_t>();
        t.content = a["content"].get<std::string>();
        t.special = a.value("special", false);
        t.lstrip = a.value("lstrip", false);
        t.rstrip = a.value("rstrip", false);
        t.single_word = a.value("single_word", false);
        t.normalized = a.value("normalized", !t.special);
        if (static_cast<std::size_t>(t.id) >= d.tokens.size())
            d.tokens.resize(static_cast<std::size_t>(t.id) + 1);
        d.tokens[static_cast<std::size_t>(t.id)] = t.content;
        d.added_ids[t.content] = t.id;
        d.added.push_back(std::move(t));
    }
    std::vector<std::pair<std::string, const AddedToken *>> raw, normalized;
    for (const AddedToken &t : d.added) {
        if (t.normalized)
            normalized.emplace_back(code_points_to_utf8(d.normalizer.apply(utf8_to_code_points(t.content))), &t);
        else
            raw.emplace_back(t.content, &t);
    }
    d.raw_matcher = AddedTokenMatcher(raw);
    d.normalized_matcher = AddedTokenMatcher(normalized);

    d.special.assign(d.tokens.size(), false);
    d.token_bytes.resize(d.tokens.size());
    for (std::size_t id = 0; id < d.tokens.size(); ++id)
        d.token_bytes[id] = byte_level_decode_token(d.tokens[id]);
    for (const AddedToken &t : d.added)
        d.special[static_cast<std::size_t>(t.id)] = t.special;

    Tokenizer tok;
    tok.data_ = data;

    d.special_tokens = {token_string(config, "bos_token"), token_string(config, "eos_token"),
                        token_string(config, "pad_token"), token_string(config, "unk_token")};
    if (!d.special_tokens.bos.empty()) {
        d.bos_id = tok.token_to_id(d.special_tokens.bos);
        if (!d.bos_id)
            return Status::error(config_name + ": bos_token \"" + d.special_tokens.bos + "\" is not in the vocabulary");
    }
    if (!d.special_tokens.eos.empty()) {
        const auto eos = tok.token_to_id(d.special_tokens.eos);
        if (!eos)
            return Status::error(config_name + ": eos_token \"" + d.special_tokens.eos + "\" is not in the vocabulary");
        d.eos_ids.push_back(*eos);
    }

    if (Status s = read_post_processor(tj.value("post_processor", json()), d, tok, d.prefix_ids, d.suffix_ids); !s.ok())
        return fail(s.message());
    // transformers' Llama-family fast tokenizers rebuild the post-processor from these flags.
    const auto add_bos = optional_bool(config, "add_bos_token");
    const auto add_eos = optional_bool(config, "add_eos_token");
    if (add_bos || add_eos) {
        d.prefix_ids.clear();
        d.suffix_ids.clear();
        if (add_bos.value_or(false)) {
            if (!d.bos_id)
                return Status::error(config_name + ": add_bos_token is true but there is no bos_token");
            d.prefix_ids.push_back(*d.bos_id);
        }
        if (add_eos.value_or(false)) {
            if (d.eos_ids.empty())
                return Status::error(config_name + ": add_eos_token is true but there is no eos_token");
            d.suffix_ids.push_back(d.eos_ids.front());
        }
    }
    d.add_bos = !d.prefix_ids.empty() && d.bos_id && d.prefix_ids.front() == *d.bos_id;

    if (const auto t = config.find("chat_template"); t != config.end()) {
        if (t->is_string()) {
            d.chat_template = t->get<std::string>();
        } else if (t->is_array()) {
            for (const auto &named : *t) {
                if (!named.is_object() || !named.contains("template") || !named["template"].is_string())
                    return Status::error(config_name + ": \"chat_template\" list entries need \"name\" and \"template\"");
                if (d.chat_template.empty() || named.value("name", std::string()) == "default")
                    d.chat_template = named["template"].get<std::string>();
            }
        } else if (!t->is_null()) {
            return Status::error(config_name + ": \"chat_template\" is neither a string nor a list");
        }
    }
    return tok;
}

StatusOr<Tokenizer> Tokenizer::load(const std::filesystem::path &dir)
{
    auto tokenizer_json = read_file(dir / "tokenizer.json");
    if (!tokenizer_json.ok())
        return tokenizer_json.status();
    std::string config_text;
    std::error_code ec;
    if (std::filesystem::exists(dir / "tokenizer_config.json", ec)) {
        auto config = read_file(dir / "tokenizer_config.json");
        if (!config.ok())
            return config.status();
        config_text = std::move(config).value();
    }
    auto tok = from_json(tokenizer_json.value(), config_text, dir.string());
    if (!tok.ok())
        return tok;
    auto data = std::const_pointer_cast<Data>(tok.value().data_);
    // Newer transformers save the template as chat_template.jinja, which then takes precedence.
    if (std::filesystem::exists(dir / "chat_template.jinja", ec)) {
        auto text = read_file(dir / "chat_template.jinja");
        if (!text.ok())
            return text.status();
        data->chat_template = std::move(text).value();
    }
    const auto gen_path = dir / "generation_config.json";
    if (std::filesystem::exists(gen_path, ec)) {
        auto text = read_file(gen_path);
        if (!text.ok())
            return text.status();
        auto gen = parse_json(text.value(), gen_path.string());
        if (!gen.ok())
            return gen.status();
        const json eos = gen.value().is_object() ? gen.value().value("eos_token_id", json()) : json();
        std::vector<json> values = eos.is_array() ? std::vector<json>(eos.begin(), eos.end()) : std::vector<json>{eos};
        for (const json &v : values) {
            if (v.is_null())
                continue;
            if (!v.is_number_integer())
                return Status::error(gen_path.string() + ": \"eos_token_id\" must be an integer or a list of integers");
            const auto id = v.get<std::int32_t>();
            if (std::find(data->eos_ids.begin(), data->eos_ids.end(), id) == data->eos_ids.end())
                data->eos_ids.push_back(id);
        }
    }
    return tok;
}

} // namespace slipway::engine
