#pragma once
// Added tokens of tokenizer.json ("added_tokens"): strings that are cut out of the text before
// normalization and pre-tokenization and become one id each. Matching is leftmost-longest, as
// in Hugging Face tokenizers; lstrip/rstrip swallow neighbouring white space, single_word only
// matches between non-word characters. Immutable after construction; thread-safe.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace slipway::engine {

struct AddedToken {
    std::int32_t id = 0;
    std::string content;
    bool special = false;
    bool lstrip = false;
    bool rstrip = false;
    bool single_word = false;
    bool normalized = false;
};

class AddedTokenMatcher {
public:
    AddedTokenMatcher() = default;
    // Each entry is the string to look for (the content, or for normalized tokens the
    // normalized content) and its token, which must outlive the matcher.
    explicit AddedTokenMatcher(const std::vector<std::pair<std::string, const AddedToken *>> &tokens);

    struct Segment {
        std::size_t begin; // byte offsets into the text
        std::size_t end;
        const AddedToken *token; // null for ordinary text
    };
    // Cuts `text` into ordinary text and added tokens, in order, covering all of it (empty
    // text segments are left out).
    std::vector<Segment> split(std::string_view text) const;
    bool empty() const { return nodes_.size() <= 1; }

private:
    struct Node {
        std::map<unsigned char, std::int32_t> next;
        const AddedToken *token = nullptr;
    };
    std::vector<Node> nodes_{Node{}};
};

} // namespace slipway::engine
