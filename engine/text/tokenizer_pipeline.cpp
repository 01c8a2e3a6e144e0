#include "text/tokenizer_pipeline.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "text/tokenizer_byte_level.h"
#include "text/unicode_normalization.h"
#include "text/unicode_utf8.h"

namespace slipway::engine {

namespace {

// GPT-2's split pattern, used by ByteLevel when use_regex is true.
constexpr std::string_view kByteLevelPattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

std::string type_of(const nlohmann::json &config)
{
    const auto t = config.find("type");
    return t != config.end() && t->is_string() ? t->get<std::string>() : std::string();
}

// Matches as Hugging Face's Pattern::find_matches returns them: the whole text covered by
// alternating non-matching and matching spans, in order.
struct Span {
    std::size_t begin;
    std::size_t end;
    bool match;
};

} // namespace

// ---- Normalizer ----

Status Normalizer::add(const nlohmann::json &config, std::vector<Step> &steps)
{
    if (config.is_null())
        return Status();
    if (!config.is_object())
        return Status::error("\"normalizer\" is not an object");
    const std::string type = type_of(config);
    if (type == "NFC") {
        steps.push_back(Step::Nfc);
    } else if (type == "NFD") {
        steps.push_back(Step::Nfd);
    } else if (type == "Sequence") {
        const auto list = config.find("normalizers");
        if (list == config.end() || !list->is_array())
            return Status::error("normalizer Sequence has no \"normalizers\" array");
        for (const auto &item : *list) {
            if (Status s = add(item, steps); !s.ok())
                return s;
        }
    } else {
        return Status::error("normalizer type \"" + type + "\" is not supported (supported: NFC, NFD, Sequence)");
    }
    return Status();
}

StatusOr<Normalizer> Normalizer::from_json(const nlohmann::json &config)
{
    Normalizer n;
    if (Status s = add(config, n.steps_); !s.ok())
        return s;
    return n;
}

std::u32string Normalizer::apply(std::u32string text) const
{
    for (Step step : steps_)
        text = step == Step::Nfc ? nfc(text) : nfd(text);
    return text;
}

// ---- PreTokenizer ----

Status PreTokenizer::add(const nlohmann::json &config, std::vector<Stage> &stages)
{
    if (config.is_null())
        return Status();
    if (!config.is_object())
        return Status::error("\"pre_tokenizer\" is not an object");
    const std::string type = type_of(config);
    if (type == "Sequence") {
        const auto list = config.find("pretokenizers");
        if (list == config.end() || !list->is_array())
            return Status::error("pre_tokenizer Sequence has no \"pretokenizers\" array");
        for (const auto &item : *list) {
            if (Status s = add(item, stages); !s.ok())
                return s;
        }
        return Status();
    }
    Stage stage{};
    if (type == "ByteLevel") {
        stage.kind = Stage::Kind::ByteLevel;
        stage.add_prefix_space = config.value("add_prefix_space", true);
        stage.use_regex = config.value("use_regex", true);
        if (stage.use_regex) {
            auto re = Regex::compile(kByteLevelPattern);
            if (!re.ok())
                return re.status();
            stage.regex = std::move(re).value();
        }
    } else if (type == "Split") {
        const auto pattern = config.find("pattern");
        if (pattern == config.end() || !pattern->is_object())
            return Status::error("pre_tokenizer Split has no \"pattern\" object");
        if (const auto r = pattern->find("Regex"); r != pattern->end() && r->is_string()) {
            auto re = Regex::compile(r->get<std::string>());
            if (!re.ok())
                return Status::error("pre_tokenizer Split: " + re.message());
            stage.kind = Stage::Kind::SplitRegex;
            stage.regex = std::move(re).value();
        } else if (const auto l = pattern->find("String"); l != pattern->end() && l->is_string()) {
            stage.kind = Stage::Kind::SplitString;
            stage.literal = utf8_to_code_points(l->get<std::string>());
        } else {
            return Status::error("pre_tokenizer Split \"pattern\" has neither \"Regex\" nor \"String\"");
        }
        const std::string behavior = config.value("behavior", std::string("Isolated"));
        if (behavior == "Isolated")
            stage.behavior = Behavior::Isolated;
        else if (behavior == "Removed")
            stage.behavior = Behavior::Removed;
        else if (behavior == "MergedWithPrevious")
            stage.behavior = Behavior::MergedWithPrevious;
        else if (behavior == "MergedWithNext")
            stage.behavior = Behavior::MergedWithNext;
        else if (behavior == "Contiguous")
            stage.behavior = Behavior::Contiguous;
        else
            return Status::error("pre_tokenizer Split behavior \"" + behavior + "\" is not known");
        stage.invert = config.value("invert", false);
    } else {
        return Status::error("pre_tokenizer type \"" + type + "\" is not supported (supported: Split, ByteLevel, Sequence)");
    }
    stages.push_back(std::move(stage));
    return Status();
}

StatusOr<PreTokenizer> PreTokenizer::from_json(const nlohmann::json &config)
{
    PreTokenizer p;
    if (Status s = add(config, p.stages_); !s.ok())
        return s;
    return p;
}

void PreTokenizer::split_piece(const Stage &stage, std::u32string_view piece, std::vector<std::u32string> &out)
{
    if (stage.kind == Stage::Kind::ByteLevel) {
        std::u32string text(piece);
        if (stage.add_prefix_space && (text.empty() || text.front() != U' '))
            text.insert(text.begin(), U' ');
        std::vector<RegexMatch> words;
        if (stage.use_regex) {
            words = stage.regex.find_all(text);
        } else {
            words.push_back({0, text.size()});
        }
        // Isolated split: the gaps between matches are words as well.
        std::vector<std::pair<std::size_t, std::size_t>> spans;
        std::size_t prev = 0;
        for (const RegexMatch &w : words) {
            if (w.begin > prev)
                spans.emplace_back(prev, w.begin);
            spans.emplace_back(w.begin, w.end);
            prev = w.end;
        }
        if (prev < text.size())
            spans.emplace_back(prev, text.size());
        for (const auto &[b, e] : spans) {
            if (e == b)
                continue;
            const std::string mapped = byte_level_encode(code_points_to_utf8(std::u32string_view(text).substr(b, e - b)));
            out.push_back(utf8_to_code_points(mapped));
        }
        return;
    }

    std::vector<Span> spans;
    auto add_match = [&](std::size_t begin, std::size_t end, std::size_t &prev) {
        if (begin > prev)
            spans.push_back({prev, begin, false});
        spans.push_back({begin, end, true});
        prev = end;
    };
    std::size_t prev = 0;
    if (stage.kind == Stage::Kind::SplitRegex) {
        for (const RegexMatch &m : stage.regex.find_all(piece))
            add_match(m.begin, m.end, prev);
    } else if (!stage.literal.empty()) {
        for (std::size_t at = piece.find(stage.literal); at != std::u32string_view::npos; at = piece.find(stage.literal, at + stage.literal.size()))
            add_match(at, at + stage.literal.size(), prev);
    }
    if (prev < piece.size())
        spans.push_back({prev, piece.size(), false});
    if (stage.invert) {
        for (Span &s : spans)
            s.match = !s.match;
    }

    // Combine spans by behavior, as Hugging Face's NormalizedString::split does.
    std::vector<Span> pieces;
    switch (stage.behavior) {
    case Behavior::Isolated:
        pieces = spans;
        break;
    case Behavior::Removed:
        for (const Span &s : spans)
            if (!s.match)
                pieces.push_back(s);
        break;
    case Behavior::MergedWithPrevious: {
        bool previous_match = false;
        for (const Span &s : spans) {
            if (s.match && !previous_match && !pieces.empty())
                pieces.back().end = s.end;
            else
                pieces.push_back(s);
            previous_match = s.match;
        }
        break;
    }
    case Behavior::MergedWithNext: {
        bool previous_match = false;
        for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
            if (it->match && !previous_match && !pieces.empty())
                pieces.back().begin = it->begin;
            else
                pieces.push_back(*it);
            previous_match = it->match;
        }
        std::reverse(pieces.begin(), pieces.end());
        break;
    }
    case Behavior::Contiguous: {
        bool previous_match = false;
        for (const Span &s : spans) {
            if (s.match && previous_match && !pieces.empty())
                pieces.back().end = s.end;
            else
                pieces.push_back(s);
            previous_match = s.match;
        }
        break;
    }
    }
    for (const Span &s : pieces) {
        if (s.end > s.begin)
            out.emplace_back(piece.substr(s.begin, s.end - s.begin));
    }
}

std::vector<std::string> PreTokenizer::split(std::u32string_view text) const
{
    std::vector<std::u32string> pieces{std::u32string(text)};
    for (const Stage &stage : stages_) {
        std::vector<std::u32string> next;
        next.reserve(pieces.size());
        for (const std::u32string &piece : pieces)
            split_piece(stage, piece, next);
        pieces = std::move(next);
    }
    std::vector<std::string> words;
    words.reserve(pieces.size());
    for (const std::u32string &piece : pieces)
        words.push_back(code_points_to_utf8(piece));
    return words;
}

} // namespace slipway::engine
