#include "jinja_lexer.h"

#include <array>
#include <utility>

#include "jinja_error.h"
#include "jinja_strings.h"

namespace slipway::engine::jinja {
namespace {

// Template text together with, for every byte, its offset in the original source; origin has
// one extra element for the end of the text.
struct MappedText {
    std::string text;
    std::vector<std::size_t> origin;

    void push(const MappedText &from, std::size_t index)
    {
        text.push_back(from.text[index]);
        origin.push_back(from.origin[index]);
    }
    void finish(const MappedText &from) { origin.push_back(from.origin.back()); }
};

bool is_line_start(const std::string &text, std::size_t i)
{
    if (i == 0)
        return true;
    const char previous = text[i - 1];
    if (previous == '\n' || previous == '\r')
        return true;
    // U+2028 and U+2029 end lines for JavaScript's multiline ^ too.
    return i >= 3 && text.compare(i - 3, 2, "\xE2\x80") == 0 && (text[i - 1] == '\xA8' || text[i - 1] == '\xA9');
}

// lstrip_blocks as @huggingface/jinja does it: /^[ \t]*({[#%-])/gm -> "$1".
MappedText lstrip_blocks(const MappedText &in)
{
    MappedText out;
    const std::string &t = in.text;
    for (std::size_t i = 0; i < t.size();) {
        if (is_line_start(t, i)) {
            std::size_t j = i;
            while (j < t.size() && (t[j] == ' ' || t[j] == '\t'))
                ++j;
            if (j + 1 < t.size() && t[j] == '{' && (t[j + 1] == '#' || t[j + 1] == '%' || t[j + 1] == '-'))
                i = j;
        }
        // Copy up to and including the next byte; line starts are checked again after it.
        out.push(in, i);
        ++i;
    }
    out.finish(in);
    return out;
}

// trim_blocks: /([#%-]})\n/g -> "$1".
MappedText trim_blocks(const MappedText &in)
{
    MappedText out;
    const std::string &t = in.text;
    for (std::size_t i = 0; i < t.size();) {
        if (i + 2 < t.size() && (t[i] == '#' || t[i] == '%' || t[i] == '-') && t[i + 1] == '}' && t[i + 2] == '\n') {
            out.push(in, i);
            out.push(in, i + 1);
            i += 3;
            continue;
        }
        out.push(in, i);
        ++i;
    }
    out.finish(in);
    return out;
}

std::size_t skip_js_space(std::string_view text, std::size_t pos)
{
    while (const std::size_t length = js_space_length_at(text, pos))
        pos += length;
    return pos;
}

// Matches {%-? \s* (end)?generation \s* -?%} at `pos`; returns its end, or 0.
std::size_t match_generation_tag(std::string_view t, std::size_t pos, bool &strip_before, bool &strip_after)
{
    if (t.compare(pos, 2, "{%") != 0)
        return 0;
    std::size_t i = pos + 2;
    strip_before = i < t.size() && t[i] == '-';
    if (strip_before)
        ++i;
    i = skip_js_space(t, i);
    if (t.compare(i, 3, "end") == 0 && t.compare(i + 3, 10, "generation") == 0)
        i += 3;
    if (t.compare(i, 10, "generation") != 0)
        return 0;
    i = skip_js_space(t, i + 10);
    strip_after = i < t.size() && t[i] == '-';
    if (strip_after)
        ++i;
    if (t.compare(i, 2, "%}") != 0)
        return 0;
    return i + 2;
}

// transformers' {% generation %} / {% endgeneration %} marks assistant tokens for training
// masks; rendering drops the tag (and the whitespace its '-' markers strip).
MappedText remove_generation_tags(const MappedText &in)
{
    const std::string &t = in.text;
    if (t.find("generation") == std::string::npos)
        return in;
    MappedText out;
    std::size_t copied = 0; // everything before this has been handled
    for (std::size_t pos = t.find("{%"); pos != std::string::npos; pos = t.find("{%", pos + 1)) {
        if (pos < copied)
            continue;
        bool strip_before = false;
        bool strip_after = false;
        const std::size_t end = match_generation_tag(t, pos, strip_before, strip_after);
        if (end == 0)
            continue;
        const std::size_t kept = copied + js_trim_end(std::string_view(t).substr(copied, pos - copied)).size();
        const std::size_t after_end = skip_js_space(t, end);
        for (std::size_t i = copied; i < (strip_before ? kept : pos); ++i)
            out.push(in, i);
        if (!strip_after)
            for (std::size_t i = end; i < after_end; ++i)
                out.push(in, i);
        copied = after_end;
        pos = after_end == 0 ? 0 : after_end - 1;
    }
    for (std::size_t i = copied; i < t.size(); ++i)
        out.push(in, i);
    out.finish(in);
    return out;
}

MappedText preprocess(std::string_view source, const LexOptions &options)
{
    MappedText mapped;
    mapped.text.assign(source);
    mapped.origin.resize(source.size() + 1);
    for (std::size_t i = 0; i <= source.size(); ++i)
        mapped.origin[i] = i;
    if (!mapped.text.empty() && mapped.text.back() == '\n') {
        mapped.text.pop_back();
        mapped.origin.pop_back();
        mapped.origin.back() = source.size();
    }
    if (options.lstrip_blocks)
        mapped = lstrip_blocks(mapped);
    if (options.trim_blocks)
        mapped = trim_blocks(mapped);
    return remove_generation_tags(mapped);
}

struct Rule {
    std::string_view sequence;
    TokenType type;
};

// Order matters: longer sequences before their prefixes.
constexpr std::array<Rule, 29> kRules = {{
    {"{%", TokenType::open_statement},
    {"%}", TokenType::close_statement},
    {"{{", TokenType::open_expression},
    {"}}", TokenType::close_expression},
    {"(", TokenType::open_paren},
    {")", TokenType::close_paren},
    {"{", TokenType::open_curly},
    {"}", TokenType::close_curly},
    {"[", TokenType::open_square},
    {"]", TokenType::close_square},
    {",", TokenType::comma},
    {".", TokenType::dot},
    {":", TokenType::colon},
    {"|", TokenType::pipe},
    {"<=", TokenType::comparison},
    {">=", TokenType::comparison},
    {"==", TokenType::comparison},
    {"!=", TokenType::comparison},
    {"<", TokenType::comparison},
    {">", TokenType::comparison},
    {"+", TokenType::additive},
    {"-", TokenType::additive},
    {"~", TokenType::additive},
    {"**", TokenType::exponentiation},
    {"*", TokenType::multiplicative},
    {"//", TokenType::multiplicative},
    {"/", TokenType::multiplicative},
    {"%", TokenType::multiplicative},
    {"=", TokenType::equals},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

class Lexer {
public:
    explicit Lexer(MappedText mapped) : m_(std::move(mapped)), src_(m_.text) {}

    std::vector<Token> run()
    {
        while (pos_ < src_.size())
            step();
        return std::move(tokens_);
    }

private:
    std::size_t origin(std::size_t pos) const { return m_.origin[std::min(pos, src_.size())]; }
    [[noreturn]] void error(const std::string &message, std::size_t pos) const
    {
        throw JinjaError(ErrorKind::syntax, message, origin(pos));
    }
    TokenType last_type() const { return tokens_.back().type; }
    void push(TokenType type, std::string value, std::size_t start) { tokens_.push_back({type, std::move(value), origin(start)}); }
    bool starts_with(std::string_view sequence) const { return src_.compare(pos_, sequence.size(), sequence) == 0; }

    void strip_trailing_whitespace()
    {
        if (!tokens_.empty() && last_type() == TokenType::text) {
            Token &last = tokens_.back();
            last.value.resize(js_trim_end(last.value).size());
            if (last.value.empty())
                tokens_.pop_back();
        }
    }
    void skip_whitespace() { pos_ = skip_js_space(src_, pos_); }

    // Characters up to (not including) `quote`, with backslash escapes resolved.
    std::string read_string(char quote, std::size_t start)
    {
        std::string value;
        while (true) {
            if (pos_ >= src_.size())
                error("string literal is not closed", start);
            const char c = src_[pos_];
            if (c == quote)
                break;
            if (c != '\\') {
                value.push_back(c);
                ++pos_;
                continue;
            }
            if (++pos_ >= src_.size())
                error("string literal is not closed", start);
            const char escaped = src_[pos_++];
            switch (escaped) {
            case 'n': value.push_back('\n'); break;
            case 't': value.push_back('\t'); break;
            case 'r': value.push_back('\r'); break;
            case 'b': value.push_back('\b'); break;
            case 'f': value.push_back('\f'); break;
            case 'v': value.push_back('\v'); break;
            case '\'': value.push_back('\''); break;
            case '"': value.push_back('"'); break;
            case '\\': value.push_back('\\'); break;
            case 'x':
            case 'u': {
                const std::size_t digits = escaped == 'x' ? 2 : 4;
                char32_t unit = 0;
                for (std::size_t i = 0; i < digits; ++i) {
                    const int h = pos_ + i < src_.size() ? hex_value(src_[pos_ + i]) : -1;
                    if (h < 0)
                        error(std::string("invalid \\") + escaped + " escape: expected " + std::to_string(digits) + " hex digits", pos_ - 2);
                    unit = unit * 16 + static_cast<char32_t>(h);
                }
                pos_ += digits;
                // A \uD83D\uDE00 surrogate pair makes one code point; a lone surrogate cannot
                // be written as UTF-8 and becomes U+FFFD.
                if (unit >= 0xD800 && unit <= 0xDBFF && src_.compare(pos_, 2, "\\u") == 0) {
                    char32_t low = 0;
                    bool ok = pos_ + 6 <= src_.size();
                    for (std::size_t i = 0; ok && i < 4; ++i) {
                        const int h = hex_value(src_[pos_ + 2 + i]);
                        ok = h >= 0;
                        low = low * 16 + static_cast<char32_t>(h < 0 ? 0 : h);
                    }
                    if (ok && low >= 0xDC00 && low <= 0xDFFF) {
                        unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        pos_ += 6;
                    }
                }
                append_utf8(value, (unit >= 0xD800 && unit <= 0xDFFF) ? 0xFFFD : unit);
                break;
            }
            default: error(std::string("unknown escape sequence \\") + escaped + " in string literal", pos_ - 2);
            }
        }
        ++pos_; // closing quote
        return value;
    }

    std::string read_digits()
    {
        const std::size_t start = pos_;
        while (pos_ < src_.size() && is_digit(src_[pos_]))
            ++pos_;
        return src_.substr(start, pos_ - start);
    }

    void step()
    {
        // Literal text, only after a closed tag (or at the start).
        if (tokens_.empty() || last_type() == TokenType::close_statement || last_type() == TokenType::close_expression
            || last_type() == TokenType::comment) {
            const std::size_t start = pos_;
            while (pos_ < src_.size()
                   && !(src_[pos_] == '{' && pos_ + 1 < src_.size() && (src_[pos_ + 1] == '%' || src_[pos_ + 1] == '{' || src_[pos_ + 1] == '#')))
                ++pos_;
            if (pos_ > start) {
                push(TokenType::text, src_.substr(start, pos_ - start), start);
                return;
            }
        }

        if (starts_with("{#")) {
            const std::size_t start = pos_;
            pos_ += 2;
            const bool strip_before = pos_ < src_.size() && src_[pos_] == '-';
            if (strip_before)
                ++pos_;
            const std::size_t close = src_.find("#}", pos_);
            if (close == std::string::npos)
                error("comment is not closed: '{#' without '#}'", start);
            std::string comment = src_.substr(pos_, close - pos_);
            const bool strip_after = !comment.empty() && comment.back() == '-';
            if (strip_after)
                comment.pop_back();
            if (strip_before)
                strip_trailing_whitespace();
            push(TokenType::comment, std::move(comment), start);
            pos_ = close + 2;
            if (strip_after)
                skip_whitespace();
            return;
        }
        if (starts_with("{%-")) {
            strip_trailing_whitespace();
            push(TokenType::open_statement, "{%", pos_);
            pos_ += 3;
            return;
        }
        if (starts_with("{{-")) {
            strip_trailing_whitespace();
            push(TokenType::open_expression, "{{", pos_);
            curly_depth_ = 0;
            pos_ += 3;
            return;
        }

        skip_whitespace();
        if (pos_ >= src_.size())
            return;
        if (starts_with("-%}")) {
            push(TokenType::close_statement, "%}", pos_);
            pos_ += 3;
            skip_whitespace();
            return;
        }
        if (starts_with("-}}")) {
            push(TokenType::close_expression, "}}", pos_);
            pos_ += 3;
            skip_whitespace();
            return;
        }

        const std::size_t start = pos_;
        const char c = src_[pos_];
        if (c == '-' || c == '+') {
            if (tokens_.empty() || last_type() == TokenType::text)
                error(std::string("unexpected character '") + c + "'", start);
            switch (last_type()) {
            case TokenType::identifier:
            case TokenType::numeric_literal:
            case TokenType::string_literal:
            case TokenType::close_paren:
            case TokenType::close_square:
                break; // a binary operator: handled by the rule table
            default: {
                ++pos_;
                std::string number = read_digits();
                if (!number.empty() && pos_ + 1 < src_.size() && src_[pos_] == '.' && is_digit(src_[pos_ + 1])) {
                    ++pos_;
                    number += "." + read_digits();
                }
                if (number.empty())
                    push(TokenType::unary, std::string(1, c), start);
                else
                    push(TokenType::numeric_literal, std::string(1, c) + number, start);
                return;
            }
            }
        }

        for (const Rule &rule : kRules) {
            if (rule.type == TokenType::close_expression && curly_depth_ > 0)
                continue;
            if (!starts_with(rule.sequence))
                continue;
            push(rule.type, std::string(rule.sequence), start);
            if (rule.type == TokenType::open_expression)
                curly_depth_ = 0;
            else if (rule.type == TokenType::open_curly)
                ++curly_depth_;
            else if (rule.type == TokenType::close_curly)
                --curly_depth_;
            pos_ += rule.sequence.size();
            return;
        }

        if (c == '\'' || c == '"') {
            ++pos_;
            push(TokenType::string_literal, read_string(c, start), start);
            return;
        }
        if (is_digit(c)) {
            std::string number = read_digits();
            if (last_type() != TokenType::dot && pos_ + 1 < src_.size() && src_[pos_] == '.' && is_digit(src_[pos_ + 1])) {
                ++pos_;
                number += "." + read_digits();
            }
            push(TokenType::numeric_literal, std::move(number), start);
            return;
        }
        if (is_word(c)) {
            while (pos_ < src_.size() && is_word(src_[pos_]))
                ++pos_;
            push(TokenType::identifier, src_.substr(start, pos_ - start), start);
            return;
        }
        std::size_t length = 0;
        decode_utf8(src_, pos_, length);
        error("unexpected character '" + src_.substr(pos_, length) + "' inside a tag", start);
    }

    MappedText m_;
    const std::string &src_;
    std::size_t pos_ = 0;
    int curly_depth_ = 0;
    std::vector<Token> tokens_;
};

} // namespace

std::vector<Token> tokenize(std::string_view source, const LexOptions &options)
{
    return Lexer(preprocess(source, options)).run();
}

std::string describe_token(const Token *token)
{
    if (!token)
        return "end of template";
    switch (token->type) {
    case TokenType::text: return "template text";
    case TokenType::string_literal: return "string '" + token->value + "'";
    case TokenType::comment: return "comment";
    default: return "'" + token->value + "'";
    }
}

} // namespace slipway::engine::jinja
