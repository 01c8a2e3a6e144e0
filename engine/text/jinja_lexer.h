#pragma once
// Jinja lexer, after @huggingface/jinja's (the renderer chat templates are tested against): the
// same pre-processing (one trailing newline dropped, lstrip_blocks and trim_blocks as Hugging
// Face's apply_chat_template enables them, the transformers-only {% generation %} tag removed)
// and the same tokens. Every token keeps the byte offset of where it starts in the original
// source so that errors can name a line and column.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace slipway::engine::jinja {

enum class TokenType {
    text,            // literal template text between tags
    numeric_literal, // 123, 1.5, -1 (a sign directly before digits in unary position)
    string_literal,  // 'a' or "a", escapes resolved
    identifier,      // names, keywords, true/false/none
    equals,          // =
    open_paren,
    close_paren,
    open_statement,  // {%
    close_statement, // %}
    open_expression, // {{
    close_expression,// }}
    open_square,
    close_square,
    open_curly,
    close_curly,
    comma,
    dot,
    colon,
    pipe,
    additive,       // + - ~
    multiplicative, // * / // %
    exponentiation, // **
    comparison,     // < > <= >= == !=
    unary,          // a lone + or - in unary position
    comment,        // {# ... #}
};

struct Token {
    TokenType type;
    std::string value;
    std::size_t offset; // byte offset in the original source
};

struct LexOptions {
    bool trim_blocks = true;
    bool lstrip_blocks = true;
};

// Throws JinjaError(ErrorKind::syntax) for text that cannot be tokenized.
std::vector<Token> tokenize(std::string_view source, const LexOptions &options = {});

// "'%}'", "text", "end of template": how a token reads in an error message.
std::string describe_token(const Token *token);

} // namespace slipway::engine::jinja
