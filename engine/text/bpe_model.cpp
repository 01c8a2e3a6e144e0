#include "text/bpe_model.h"

#include <queue>

#include <nlohmann/json.hpp>

namespace slipway::engine {

namespace {

std::size_t utf8_length(unsigned char lead)
{
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

} // namespace

StatusOr<BpeModel> BpeModel::from_json(const nlohmann::json &model)
{
    if (!model.is_object())
        return Status::error("\"model\" is not an object");
    const std::string type = model.value("type", std::string("BPE"));
    if (type != "BPE")
        return Status::error("model type \"" + type + "\" is not supported (only \"BPE\")");
    const auto vocab = model.find("vocab");
    if (vocab == model.end() || !vocab->is_object())
        return Status::error("\"model.vocab\" is missing or not an object");
    for (const char *unsupported : {"continuing_subword_prefix", "end_of_word_suffix"}) {
        const auto f = model.find(unsupported);
        if (f != model.end() && f->is_string() && !f->get_ref<const std::string &>().empty())
            return Status::error(std::string("\"model.") + unsupported + "\" is not supported");
    }
    if (model.value("byte_fallback", false))
        return Status::error("\"model.byte_fallback\": true is not supported (byte-level BPE only)");
    if (const auto d = model.find("dropout"); d != model.end() && d->is_number() && d->get<double>() > 0)
        return Status::error("\"model.dropout\" is not supported");

    BpeModel m;
    m.vocab_.reserve(vocab->size());
    for (const auto &[token, id_json] : vocab->items()) {
        if (!id_json.is_number_integer() || id_json.get<std::int64_t>() < 0 || id_json.get<std::int64_t>() > 0x7FFFFFFF)
            return Status::error("\"model.vocab\": the id of token \"" + token + "\" is not a non-negative integer");
        const auto id = static_cast<std::int32_t>(id_json.get<std::int64_t>());
        m.vocab_.emplace(token, id);
        if (static_cast<std::size_t>(id) >= m.tokens_.size())
            m.tokens_.resize(static_cast<std::size_t>(id) + 1);
        m.tokens_[static_cast<std::size_t>(id)] = token;
    }
    m.ignore_merges_ = model.value("ignore_merges", false);
    if (const auto unk = model.find("unk_token"); unk != model.end() && unk->is_string()) {
        const auto id = m.token_to_id(unk->get<std::string>());
        if (!id)
            return Status::error("\"model.unk_token\" \"" + unk->get<std::string>() + "\" is not in the vocabulary");
        m.unk_id_ = id;
    }

    const auto merges = model.find("merges");
    if (merges == model.end() || !merges->is_array())
        return Status::error("\"model.merges\" is missing or not an array");
    m.merges_.reserve(merges->size());
    std::uint32_t rank = 0;
    for (const auto &entry : *merges) {
        std::string a, b;
        if (entry.is_string()) {
            // The older format, "a b": byte-level tokens never hold a plain space.
            const std::string &s = entry.get_ref<const std::string &>();
            const auto space = s.find(' ');
            if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
                return Status::error("\"model.merges\"[" + std::to_string(rank) + "] \"" + s + "\" is not two tokens separated by one space");
            a = s.substr(0, space);
            b = s.substr(space + 1);
        } else if (entry.is_array() && entry.size() == 2 && entry[0].is_string() && entry[1].is_string()) {
            a = entry[0].get<std::string>();
            b = entry[1].get<std::string>();
        } else {
            return Status::error("\"model.merges\"[" + std::to_string(rank) + "] is neither \"a b\" nor [\"a\", \"b\"]");
        }
        const auto ia = m.token_to_id(a), ib = m.token_to_id(b), merged = m.token_to_id(a + b);
        if (!ia || !ib || !merged)
            return Status::error("\"model.merges\"[" + std::to_string(rank) + "] (\"" + a + "\", \"" + b + "\") uses a token that is not in the vocabulary");
        // A pair listed twice keeps its first (best) rank.
        m.merges_.try_emplace(pair_key(*ia, *ib), Merge{rank, *merged});
        ++rank;
    }
    return m;
}

std::optional<std::int32_t> BpeModel::token_to_id(std::string_view token) const
{
    auto it = vocab_.find(token);
    if (it == vocab_.end())
        return std::nullopt;
    return it->second;
}

void BpeModel::encode_word(std::string_view word, std::vector<std::int32_t> &out) const
{
    if (word.empty())
        return;
    if (ignore_merges_) {
        if (const auto id = token_to_id(word)) {
            out.push_back(*id);
            return;
        }
    }
    // Symbols form a doubly linked list over the word's characters.
    struct Symbol {
        std::int32_t id;
        std::int32_t prev;
        std::int32_t next;
        bool alive;
    };
    std::vector<Symbol> symbols;
    symbols.reserve(word.size());
    for (std::size_t i = 0; i < word.size();) {
        const std::size_t len = std::min(utf8_length(static_cast<unsigned char>(word[i])), word.size() - i);
        const auto id = token_to_id(word.substr(i, len));
        i += len;
        std::int32_t sid;
        if (id)
            sid = *id;
        else if (unk_id_)
            sid = *unk_id_;
        else
            continue; // no unknown token: Hugging Face drops the character too
        const auto index = static_cast<std::int32_t>(symbols.size());
        symbols.push_back({sid, index - 1, index + 1, true});
    }
    if (symbols.empty())
        return;
    symbols.back().next = -1;

    // Lowest rank first; among equal ranks the leftmost pair.
    struct Candidate {
        std::uint32_t rank;
        std::int32_t left;
        std::int32_t left_id;
        std::int32_t right_id;
        bool operator>(const Candidate &o) const { return rank != o.rank ? rank > o.rank : left > o.left; }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    auto consider = [&](std::int32_t left) {
        if (left < 0)
            return;
        const std::int32_t right = symbols[static_cast<std::size_t>(left)].next;
        if (right < 0)
            return;
        const std::int32_t a = symbols[static_cast<std::size_t>(left)].id, b = symbols[static_cast<std::size_t>(right)].id;
        if (const Merge *merge = find_merge(a, b))
            queue.push({merge->rank, left, a, b});
    };
    for (std::int32_t i = 0; i + 1 < static_cast<std::int32_t>(symbols.size()); ++i)
        consider(i);
    while (!queue.empty()) {
        const Candidate c = queue.top();
        queue.pop();
        Symbol &left = symbols[static_cast<std::size_t>(c.left)];
        if (!left.alive || left.id != c.left_id || left.next < 0)
            continue;
        Symbol &right = symbols[static_cast<std::size_t>(left.next)];
        if (right.id != c.right_id)
            continue;
        left.id = find_merge(c.left_id, c.right_id)->merged;
        right.alive = false;
        left.next = right.next;
        if (right.next >= 0)
            symbols[static_cast<std::size_t>(right.next)].prev = c.left;
        consider(left.prev);
        consider(c.left);
    }
    for (std::int32_t i = 0; i >= 0; i = symbols[static_cast<std::size_t>(i)].next)
        out.push_back(symbols[static_cast<std::size_t>(i)].id);
}

} // namespace slipway::engine
