#include "text/tokenizer_added_tokens.h"

#include "text/unicode_tables.h"
#include "text/unicode_utf8.h"

namespace slipway::engine {

namespace {

// The code point that ends just before `pos` / starts at `pos`, and its length in bytes.
char32_t code_point_before(std::string_view text, std::size_t pos, std::size_t &len)
{
    std::size_t start = pos;
    while (start > 0 && (static_cast<unsigned char>(text[start - 1]) & 0xC0) == 0x80 && pos - start < 3)
        --start;
    if (start > 0)
        --start;
    len = pos - start;
    const std::u32string cps = utf8_to_code_points(text.substr(start, len));
    return cps.empty() ? 0 : cps.back();
}

char32_t code_point_at(std::string_view text, std::size_t pos, std::size_t &len)
{
    const unsigned char lead = static_cast<unsigned char>(text[pos]);
    len = std::min<std::size_t>(lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4, text.size() - pos);
    const std::u32string cps = utf8_to_code_points(text.substr(pos, len));
    return cps.empty() ? 0 : cps.front();
}

bool is_word_character(char32_t c)
{
    if (c == U'_')
        return true;
    const auto mask = category_mask("L") | category_mask("N");
    return (mask >> static_cast<int>(general_category(c))) & 1;
}

} // namespace

AddedTokenMatcher::AddedTokenMatcher(const std::vector<std::pair<std::string, const AddedToken *>> &tokens)
{
    for (const auto &[text, t] : tokens) {
        if (text.empty())
            continue;
        std::int32_t node = 0;
        for (unsigned char b : text) {
            auto it = nodes_[static_cast<std::size_t>(node)].next.find(b);
            if (it == nodes_[static_cast<std::size_t>(node)].next.end()) {
                nodes_.push_back(Node{});
                const auto created = static_cast<std::int32_t>(nodes_.size() - 1);
                nodes_[static_cast<std::size_t>(node)].next.emplace(b, created);
                node = created;
            } else {
                node = it->second;
            }
        }
        if (!nodes_[static_cast<std::size_t>(node)].token)
            nodes_[static_cast<std::size_t>(node)].token = t;
    }
}

std::vector<AddedTokenMatcher::Segment> AddedTokenMatcher::split(std::string_view text) const
{
    std::vector<Segment> out;
    std::size_t emitted = 0; // end of the last added token emitted
    std::size_t pos = 0;
    while (pos < text.size()) {
        // The longest token starting at pos.
        std::int32_t node = 0;
        const AddedToken *found = nullptr;
        std::size_t found_end = 0;
        for (std::size_t i = pos; i < text.size(); ++i) {
            const auto &next = nodes_[static_cast<std::size_t>(node)].next;
            auto it = next.find(static_cast<unsigned char>(text[i]));
            if (it == next.end())
                break;
            node = it->second;
            if (const AddedToken *t = nodes_[static_cast<std::size_t>(node)].token) {
                found = t;
                found_end = i + 1;
            }
        }
        if (!found) {
            ++pos;
            continue;
        }
        std::size_t begin = pos, end = found_end;
        pos = found_end;
        std::size_t len = 0;
        if (found->single_word) {
            const bool free_before = begin == 0 || !is_word_character(code_point_before(text, begin, len));
            const bool free_after = end == text.size() || !is_word_character(code_point_at(text, end, len));
            if (!free_before || !free_after)
                continue;
        }
        if (found->lstrip) {
            while (begin > emitted && is_white_space(code_point_before(text, begin, len)))
                begin -= len;
        }
        if (found->rstrip) {
            while (end < text.size() && is_white_space(code_point_at(text, end, len)))
                end += len;
            pos = end;
        }
        if (begin > emitted)
            out.push_back({emitted, begin, nullptr});
        out.push_back({begin, end, found});
        emitted = end;
    }
    if (emitted < text.size())
        out.push_back({emitted, text.size(), nullptr});
    return out;
}

} // namespace slipway::engine
