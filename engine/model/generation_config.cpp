#include "model/generation_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace slipway::engine {

namespace {

using nlohmann::json;

Status read_number(const json &j, const char *key, const std::string &origin, std::optional<double> &out) {
    if (!j.contains(key) || j[key].is_null()) return {};
    if (!j[key].is_number()) return Status::error(origin + ": \"" + key + "\" must be a number, not " + j[key].dump());
    out = j[key].get<double>();
    return {};
}

Status read_int(const json &j, const char *key, const std::string &origin, std::optional<int64_t> &out) {
    if (!j.contains(key) || j[key].is_null()) return {};
    if (!j[key].is_number_integer())
        return Status::error(origin + ": \"" + key + "\" must be an integer, not " + j[key].dump());
    out = j[key].get<int64_t>();
    return {};
}

} // namespace

StatusOr<GenerationDefaults> parse_generation_config(std::string_view json_text, const std::string &origin) {
    const json j = json::parse(json_text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Status::error(origin + ": not a JSON object");
    GenerationDefaults g;
    g.present = true;
    if (j.contains("do_sample") && !j["do_sample"].is_null()) {
        if (!j["do_sample"].is_boolean()) return Status::error(origin + ": \"do_sample\" must be true or false");
        g.do_sample = j["do_sample"].get<bool>();
    }
    for (auto [key, field] : {std::pair{"temperature", &g.temperature}, std::pair{"top_p", &g.top_p},
                              std::pair{"min_p", &g.min_p}, std::pair{"repetition_penalty", &g.repetition_penalty}})
        if (Status s = read_number(j, key, origin, *field); !s.ok()) return s;
    for (auto [key, field] : {std::pair{"top_k", &g.top_k}, std::pair{"max_new_tokens", &g.max_new_tokens},
                              std::pair{"bos_token_id", &g.bos_token_id}, std::pair{"pad_token_id", &g.pad_token_id}})
        if (Status s = read_int(j, key, origin, *field); !s.ok()) return s;
    if (j.contains("eos_token_id") && !j["eos_token_id"].is_null()) {
        const json &v = j["eos_token_id"];
        if (v.is_number_integer()) {
            g.eos_token_ids.push_back(v.get<int64_t>());
        } else if (v.is_array()) {
            for (const auto &e : v) {
                if (!e.is_number_integer())
                    return Status::error(origin + ": \"eos_token_id\" must hold integer ids, not " + v.dump());
                g.eos_token_ids.push_back(e.get<int64_t>());
            }
        } else {
            return Status::error(origin + ": \"eos_token_id\" must be an id or a list of ids, not " + v.dump());
        }
    }
    return g;
}

StatusOr<GenerationDefaults> load_generation_config(const std::filesystem::path &path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return GenerationDefaults{};
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::error(path.string() + ": cannot read");
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse_generation_config(ss.str(), path.string());
}

} // namespace slipway::engine
