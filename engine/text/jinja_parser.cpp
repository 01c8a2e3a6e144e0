#include "jinja_parser.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <initializer_list>

#include "jinja_error.h"
#include "jinja_lexer.h"

namespace slipway::engine::jinja {
namespace {

// Deeper nesting than this (parentheses, blocks) is refused instead of risking the stack.
constexpr int kMaxDepth = 256;
// Expression trees higher than this are refused.
constexpr int kMaxHeight = 512;

class Parser {
public:
    explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

    Program run()
    {
        Program program;
        while (!at_end())
            append_statement(program.body);
        return program;
    }

private:
    // --- token helpers -------------------------------------------------------------------
    bool at_end() const { return current_ >= tokens_.size(); }
    const Token *peek(std::size_t ahead = 0) const
    {
        return current_ + ahead < tokens_.size() ? &tokens_[current_ + ahead] : nullptr;
    }
    std::size_t offset_here() const
    {
        if (const Token *t = peek())
            return t->offset;
        return tokens_.empty() ? 0 : tokens_.back().offset + tokens_.back().value.size();
    }
    [[noreturn]] void error(const std::string &message) const { throw JinjaError(ErrorKind::syntax, message, offset_here()); }
    [[noreturn]] void error_at(const std::string &message, std::size_t offset) const
    {
        throw JinjaError(ErrorKind::syntax, message, offset);
    }
    bool is(TokenType type) const { const Token *t = peek(); return t && t->type == type; }
    bool is_identifier(std::string_view name, std::size_t ahead = 0) const
    {
        const Token *t = peek(ahead);
        return t && t->type == TokenType::identifier && t->value == name;
    }
    bool is_statement(std::initializer_list<std::string_view> names) const
    {
        const Token *open = peek();
        const Token *name = peek(1);
        if (!open || open->type != TokenType::open_statement || !name || name->type != TokenType::identifier)
            return false;
        for (const auto n : names)
            if (name->value == n)
                return true;
        return false;
    }
    const Token &expect(TokenType type, std::string_view what)
    {
        const Token *t = peek();
        if (!t || t->type != type)
            error("expected " + std::string(what) + ", found " + describe_token(t));
        ++current_;
        return *t;
    }
    void expect_close_statement(std::string_view statement)
    {
        const Token *t = peek();
        if (!t || t->type != TokenType::close_statement)
            error("expected '%}' to close {% " + std::string(statement) + " %}, found " + describe_token(t));
        ++current_;
    }
    // Consumes {% name %} (an end tag).
    void expect_end_tag(std::string_view name)
    {
        ++current_; // {%
        ++current_; // name
        expect_close_statement(name);
    }

    struct DepthGuard {
        Parser &parser;
        explicit DepthGuard(Parser &p) : parser(p)
        {
            if (++parser.depth_ > kMaxDepth)
                parser.error("template nests more than " + std::to_string(kMaxDepth) + " levels deep");
        }
        ~DepthGuard() { --parser.depth_; }
    };

    // Every expression node passes through here once its children are attached: it records the
    // node's height so that operator chains (a + b + c ..., a.b.c ..., x | f | g ...), which the
    // loops below build without recursing, still cannot make trees too deep to evaluate or free.
    NodePtr sealed(NodePtr node)
    {
        int height = 0;
        for (const auto &child : node->children)
            if (child)
                height = std::max(height, child->height);
        node->height = height + 1;
        if (node->height > kMaxHeight)
            error_at("expression nests more than " + std::to_string(kMaxHeight) + " levels deep", node->offset);
        return node;
    }

    static NodePtr make(NodeKind kind, std::size_t offset) { return std::make_unique<Node>(kind, offset); }

    // --- statements ----------------------------------------------------------------------
    void append_statement(NodeList &body)
    {
        const Token &t = *peek();
        switch (t.type) {
        case TokenType::comment: ++current_; return;
        case TokenType::text: {
            auto node = make(NodeKind::text, t.offset);
            node->text = t.value;
            ++current_;
            body.push_back(std::move(node));
            return;
        }
        case TokenType::open_statement: body.push_back(parse_statement()); return;
        case TokenType::open_expression: {
            ++current_;
            body.push_back(parse_expression());
            expect(TokenType::close_expression, "'}}' to close the expression");
            return;
        }
        default: error("unexpected " + describe_token(&t));
        }
    }

    // Parses statements until one of `ends` ({% name ... %}); `opener` names the block for the
    // error when the template ends first.
    void parse_body(NodeList &body, std::initializer_list<std::string_view> ends, std::string_view opener, std::size_t opener_offset)
    {
        open_blocks_.emplace_back(opener);
        while (!is_statement(ends)) {
            if (at_end()) {
                std::string expected;
                for (const auto e : ends)
                    expected += (expected.empty() ? "" : " or ") + ("{% " + std::string(e) + " %}");
                error_at("{% " + std::string(opener) + " %} is never closed: expected " + expected, opener_offset);
            }
            append_statement(body);
        }
        open_blocks_.pop_back();
    }

    NodePtr parse_statement()
    {
        DepthGuard guard(*this);
        const std::size_t start = peek()->offset;
        ++current_; // {%
        const Token *name_token = peek();
        if (!name_token || name_token->type != TokenType::identifier)
            error("expected a statement name after '{%', found " + describe_token(name_token));
        const std::string name = name_token->value;
        ++current_;

        if (name == "set")
            return parse_set(start);
        if (name == "if") {
            auto node = parse_if(start);
            expect_end_tag("endif");
            return node;
        }
        if (name == "for")
            return parse_for(start);
        if (name == "macro")
            return parse_macro(start);
        if (name == "call")
            return parse_call_block(start);
        if (name == "filter")
            return parse_filter_block(start);
        if (name == "break" || name == "continue") {
            if (loop_depth_ == 0)
                error_at("{% " + name + " %} is only allowed inside a {% for %} loop", start);
            expect_close_statement(name);
            return make(name == "break" ? NodeKind::break_loop : NodeKind::continue_loop, start);
        }
        if (name == "endif" || name == "endfor" || name == "else" || name == "elif" || name == "endset" || name == "endmacro"
            || name == "endcall" || name == "endfilter") {
            if (open_blocks_.empty())
                error_at("unexpected {% " + name + " %}: no block is open", start);
            error_at("unexpected {% " + name + " %}: the innermost open block is {% " + open_blocks_.back() + " %}, close it with {% end"
                         + open_blocks_.back() + " %} first",
                     start);
        }
        error_at("unknown statement {% " + name + " %} (supported: set, if, for, macro, call, filter, break, continue)", start);
    }

    NodePtr parse_set(std::size_t start)
    {
        auto node = make(NodeKind::set, start);
        node->children.push_back(parse_expression_sequence(false));
        const Node &target = *node->children[0];
        if (target.kind != NodeKind::identifier && target.kind != NodeKind::tuple && target.kind != NodeKind::member)
            error_at("{% set %} needs a name, a tuple of names or namespace.attribute to assign to", target.offset);
        if (is(TokenType::equals)) {
            ++current_;
            node->children.push_back(parse_expression_sequence(false));
        } else {
            expect_close_statement("set");
            parse_body(node->body, {"endset"}, "set", start);
            ++current_; // {%
            ++current_; // endset
        }
        expect_close_statement("set");
        return node;
    }

    // After `{% if` or `{% elif`; leaves the closing {% endif %} to the caller.
    NodePtr parse_if(std::size_t start)
    {
        auto node = make(NodeKind::if_block, start);
        node->children.push_back(parse_expression());
        expect_close_statement("if");
        parse_body(node->body, {"elif", "else", "endif"}, "if", start);
        if (is_statement({"elif"})) {
            const std::size_t elif_start = peek()->offset;
            current_ += 2;
            node->alternate.push_back(parse_if(elif_start));
        } else if (is_statement({"else"})) {
            current_ += 2;
            expect_close_statement("else");
            parse_body(node->alternate, {"endif"}, "if", start);
        }
        return node;
    }

    NodePtr parse_for(std::size_t start)
    {
        auto node = make(NodeKind::for_block, start);
        auto target = parse_expression_sequence(true);
        if (target->kind != NodeKind::identifier && target->kind != NodeKind::tuple)
            error_at("the loop variable of {% for %} must be a name or a tuple of names", target->offset);
        node->children.push_back(std::move(target));
        if (!is_identifier("in"))
            error("expected 'in' after the loop variable of {% for %}, found " + describe_token(peek()));
        ++current_;
        auto iterable = parse_expression();
        if (iterable->kind == NodeKind::select) {
            // `for x in items if cond`: a loop filter.
            node->children.push_back(std::move(iterable->children[0]));
            node->children.push_back(std::move(iterable->children[1]));
        } else {
            node->children.push_back(std::move(iterable));
            node->children.push_back(nullptr);
        }
        expect_close_statement("for");
        ++loop_depth_;
        parse_body(node->body, {"endfor", "else"}, "for", start);
        --loop_depth_;
        if (is_statement({"else"})) {
            current_ += 2;
            expect_close_statement("else");
            parse_body(node->alternate, {"endfor"}, "for", start);
        }
        expect_end_tag("endfor");
        return node;
    }

    NodePtr parse_macro(std::size_t start)
    {
        auto node = make(NodeKind::macro, start);
        const Token *name = peek();
        if (!name || name->type != TokenType::identifier)
            error("expected the macro name after {% macro, found " + describe_token(name));
        node->text = name->value;
        ++current_;
        parse_arguments(node->params, true);
        expect_close_statement("macro");
        const int saved_loop_depth = loop_depth_;
        loop_depth_ = 0;
        parse_body(node->body, {"endmacro"}, "macro", start);
        loop_depth_ = saved_loop_depth;
        expect_end_tag("endmacro");
        return node;
    }

    NodePtr parse_call_block(std::size_t start)
    {
        auto node = make(NodeKind::call_block, start);
        if (is(TokenType::open_paren))
            parse_arguments(node->params, true);
        const Token *callee = peek();
        if (!callee || callee->type != TokenType::identifier)
            error("expected a macro name after {% call, found " + describe_token(callee));
        auto call = make(NodeKind::call, callee->offset);
        auto name = make(NodeKind::identifier, callee->offset);
        name->text = callee->value;
        ++current_;
        call->children.push_back(std::move(name));
        parse_arguments(call->children, false);
        node->children.push_back(std::move(call));
        expect_close_statement("call");
        parse_body(node->body, {"endcall"}, "call", start);
        expect_end_tag("endcall");
        return node;
    }

    NodePtr parse_filter_block(std::size_t start)
    {
        auto node = make(NodeKind::filter_block, start);
        node->children.push_back(parse_filter_name(nullptr));
        expect_close_statement("filter");
        parse_body(node->body, {"endfilter"}, "filter", start);
        expect_end_tag("endfilter");
        return node;
    }

    // --- expressions ---------------------------------------------------------------------
    NodePtr parse_expression_sequence(bool primary)
    {
        const std::size_t start = offset_here();
        NodePtr first = primary ? parse_primary() : parse_expression();
        if (!is(TokenType::comma))
            return first;
        auto tuple = make(NodeKind::tuple, start);
        tuple->children.push_back(std::move(first));
        while (is(TokenType::comma)) {
            ++current_;
            tuple->children.push_back(primary ? parse_primary() : parse_expression());
        }
        return sealed(std::move(tuple));
    }

    NodePtr parse_expression()
    {
        DepthGuard guard(*this);
        auto value = parse_or();
        if (is_identifier("if")) {
            const std::size_t offset = peek()->offset;
            ++current_;
            auto condition = parse_or();
            if (is_identifier("else")) {
                ++current_;
                auto node = make(NodeKind::ternary, offset);
                node->children.push_back(std::move(condition));
                node->children.push_back(std::move(value));
                node->children.push_back(parse_expression());
                return sealed(std::move(node));
            }
            auto node = make(NodeKind::select, offset);
            node->children.push_back(std::move(value));
            node->children.push_back(std::move(condition));
            return sealed(std::move(node));
        }
        return value;
    }

    NodePtr binary(std::string op, std::size_t offset, NodePtr left, NodePtr right)
    {
        auto node = make(NodeKind::binary, offset);
        node->text = std::move(op);
        node->children.push_back(std::move(left));
        node->children.push_back(std::move(right));
        return sealed(std::move(node));
    }

    NodePtr parse_or()
    {
        auto left = parse_and();
        while (is_identifier("or")) {
            const std::size_t offset = peek()->offset;
            ++current_;
            left = binary("or", offset, std::move(left), parse_and());
        }
        return left;
    }

    NodePtr parse_and()
    {
        auto left = parse_not();
        while (is_identifier("and")) {
            const std::size_t offset = peek()->offset;
            ++current_;
            left = binary("and", offset, std::move(left), parse_not());
        }
        return left;
    }

    NodePtr parse_not()
    {
        if (is_identifier("not")) {
            DepthGuard guard(*this);
            auto node = make(NodeKind::unary, peek()->offset);
            node->text = "not";
            ++current_;
            node->children.push_back(parse_not());
            return sealed(std::move(node));
        }
        return parse_comparison();
    }

    NodePtr parse_comparison()
    {
        auto left = parse_additive();
        while (true) {
            const std::size_t offset = offset_here();
            std::string op;
            if (is_identifier("not") && is_identifier("in", 1)) {
                op = "not in";
                current_ += 2;
            } else if (is_identifier("in")) {
                op = "in";
                ++current_;
            } else if (is(TokenType::comparison)) {
                op = peek()->value;
                ++current_;
            } else {
                break;
            }
            left = binary(op, offset, std::move(left), parse_additive());
        }
        return left;
    }

    NodePtr parse_additive()
    {
        auto left = parse_multiplicative();
        while (is(TokenType::additive)) {
            const Token &op = *peek();
            ++current_;
            left = binary(op.value, op.offset, std::move(left), parse_multiplicative());
        }
        return left;
    }

    NodePtr parse_multiplicative()
    {
        auto left = parse_power();
        while (is(TokenType::multiplicative)) {
            const Token &op = *peek();
            ++current_;
            left = binary(op.value, op.offset, std::move(left), parse_power());
        }
        return left;
    }

    NodePtr parse_power()
    {
        auto left = parse_test();
        while (is(TokenType::exponentiation)) {
            const Token &op = *peek();
            ++current_;
            left = binary(op.value, op.offset, std::move(left), parse_test());
        }
        return left;
    }

    NodePtr parse_test()
    {
        auto operand = parse_filter();
        while (is_identifier("is")) {
            const std::size_t offset = peek()->offset;
            ++current_;
            auto node = make(NodeKind::test, offset);
            if (is_identifier("not")) {
                node->negated = true;
                ++current_;
            }
            const Token *name = peek();
            if (!name || name->type != TokenType::identifier)
                error("expected a test name after 'is', found " + describe_token(name));
            node->text = name->value;
            ++current_;
            node->children.push_back(std::move(operand));
            if (is(TokenType::open_paren))
                parse_arguments(node->children, false);
            operand = sealed(std::move(node));
        }
        return operand;
    }

    // A filter after `|` (or in {% filter %}): a name, optionally with arguments.
    NodePtr parse_filter_name(NodePtr operand)
    {
        const Token *name = peek();
        if (!name || name->type != TokenType::identifier)
            error("expected a filter name, found " + describe_token(name));
        auto node = make(NodeKind::filter, name->offset);
        node->text = name->value;
        ++current_;
        node->children.push_back(std::move(operand));
        if (is(TokenType::open_paren)) {
            node->has_arguments = true;
            parse_arguments(node->children, false);
        }
        return sealed(std::move(node));
    }

    NodePtr parse_filter()
    {
        auto operand = parse_unary_sign();
        while (is(TokenType::pipe)) {
            ++current_;
            operand = parse_filter_name(std::move(operand));
        }
        return operand;
    }

    NodePtr parse_unary_sign()
    {
        const Token *t = peek();
        if (t && (t->type == TokenType::unary || t->type == TokenType::additive) && (t->value == "-" || t->value == "+")) {
            DepthGuard guard(*this);
            auto node = make(NodeKind::unary, t->offset);
            node->text = t->value;
            ++current_;
            node->children.push_back(parse_unary_sign());
            return sealed(std::move(node));
        }
        return parse_call_member();
    }

    NodePtr parse_call_member()
    {
        auto expression = parse_member(parse_primary());
        while (is(TokenType::open_paren)) {
            auto call = make(NodeKind::call, expression->offset);
            call->children.push_back(std::move(expression));
            parse_arguments(call->children, false);
            expression = parse_member(sealed(std::move(call)));
        }
        return expression;
    }

    // ( args ): appends to `out`. In parameter lists only names and name=default are allowed.
    void parse_arguments(NodeList &out, bool parameters)
    {
        expect(TokenType::open_paren, "'('");
        bool saw_keyword = false;
        bool saw_spread = false;
        while (!is(TokenType::close_paren)) {
            if (at_end())
                error("expected ')' to close the argument list, found end of template");
            const std::size_t offset = offset_here();
            const bool keyword_spread = is(TokenType::exponentiation);
            const bool positional_spread = is(TokenType::multiplicative) && peek()->value == "*";
            if (parameters && (keyword_spread || positional_spread))
                error("argument unpacking is not allowed in a parameter list");
            if (keyword_spread) {
                ++current_;
                auto node = make(NodeKind::keyword_spread, offset);
                node->children.push_back(parse_expression());
                out.push_back(sealed(std::move(node)));
                if (is(TokenType::comma))
                    ++current_;
                if (!is(TokenType::close_paren))
                    error("'**' must be applied to the last argument");
                break;
            }
            NodePtr argument;
            if (positional_spread) {
                if (saw_spread)
                    error("only one '*' argument unpacking is allowed");
                saw_spread = true;
                ++current_;
                argument = make(NodeKind::spread, offset);
                argument->children.push_back(parse_expression());
                argument = sealed(std::move(argument));
            } else {
                argument = parse_expression();
                if (is(TokenType::equals)) {
                    ++current_;
                    if (argument->kind != NodeKind::identifier)
                        error_at(parameters ? "expected a parameter name before '='" : "expected a keyword name before '='", argument->offset);
                    auto keyword = make(NodeKind::keyword_arg, argument->offset);
                    keyword->text = argument->text;
                    keyword->children.push_back(parse_expression());
                    argument = sealed(std::move(keyword));
                }
                if (parameters && argument->kind != NodeKind::identifier && argument->kind != NodeKind::keyword_arg)
                    error_at("expected a parameter name", argument->offset);
                if (argument->kind == NodeKind::keyword_arg)
                    saw_keyword = true;
                else if (saw_keyword)
                    error_at(parameters ? "a parameter without default follows one with a default"
                                        : "positional arguments must come before keyword arguments",
                             argument->offset);
            }
            out.push_back(std::move(argument));
            if (is(TokenType::comma))
                ++current_;
            else if (!is(TokenType::close_paren))
                error("expected ',' or ')' in the argument list, found " + describe_token(peek()));
        }
        ++current_; // )
    }

    NodePtr parse_member(NodePtr object)
    {
        while (is(TokenType::dot) || is(TokenType::open_square)) {
            const Token &op = *peek();
            ++current_;
            auto node = make(NodeKind::member, op.offset);
            node->children.push_back(std::move(object));
            if (op.type == TokenType::open_square) {
                node->computed = true;
                node->children.push_back(parse_subscript());
                expect(TokenType::close_square, "']'");
            } else {
                auto property = parse_primary();
                if (property->kind != NodeKind::identifier && property->kind != NodeKind::integer)
                    error_at("expected a name after '.'", property->offset);
                node->children.push_back(std::move(property));
            }
            object = sealed(std::move(node));
        }
        return object;
    }

    // Inside [ ]: an index expression or a slice start:stop:step.
    NodePtr parse_subscript()
    {
        const std::size_t offset = offset_here();
        NodeList parts;
        bool is_slice = false;
        while (!is(TokenType::close_square)) {
            if (at_end())
                error("expected ']', found end of template");
            if (is(TokenType::colon)) {
                parts.push_back(nullptr);
                ++current_;
                is_slice = true;
            } else {
                parts.push_back(parse_expression());
                if (is(TokenType::colon)) {
                    ++current_;
                    is_slice = true;
                } else if (!is(TokenType::close_square)) {
                    error("expected ':' or ']' in a subscript, found " + describe_token(peek()));
                }
            }
        }
        if (parts.empty())
            error("expected an index or slice inside '[]'");
        if (!is_slice)
            return std::move(parts[0]);
        if (parts.size() > 3)
            error_at("a slice takes at most three parts (start:stop:step)", offset);
        auto node = make(NodeKind::slice, offset);
        parts.resize(3);
        node->children = std::move(parts);
        return sealed(std::move(node));
    }

    NodePtr parse_primary()
    {
        DepthGuard guard(*this);
        const Token *t = peek();
        if (!t)
            error("expected an expression, found end of template");
        ++current_;
        switch (t->type) {
        case TokenType::numeric_literal: {
            std::string digits = t->value;
            if (!digits.empty() && digits[0] == '+')
                digits.erase(0, 1);
            if (digits.find('.') == std::string::npos) {
                std::int64_t value = 0;
                const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
                if (ec == std::errc() && ptr == digits.data() + digits.size()) {
                    auto node = make(NodeKind::integer, t->offset);
                    node->integer = value;
                    return node;
                }
            }
            auto node = make(NodeKind::floating, t->offset);
            node->number = std::strtod(digits.c_str(), nullptr);
            return node;
        }
        case TokenType::string_literal: {
            auto node = make(NodeKind::string, t->offset);
            node->text = t->value;
            while (is(TokenType::string_literal)) // adjacent literals concatenate
                node->text += tokens_[current_++].value;
            return node;
        }
        case TokenType::identifier: {
            auto node = make(NodeKind::identifier, t->offset);
            node->text = t->value;
            return node;
        }
        case TokenType::open_paren: {
            auto node = parse_expression_sequence(false);
            expect(TokenType::close_paren, "')'");
            return node;
        }
        case TokenType::open_square: {
            auto node = make(NodeKind::array, t->offset);
            while (!is(TokenType::close_square)) {
                if (at_end())
                    error("expected ']' to close the list, found end of template");
                node->children.push_back(parse_expression());
                if (is(TokenType::comma))
                    ++current_;
            }
            ++current_;
            return sealed(std::move(node));
        }
        case TokenType::open_curly: {
            auto node = make(NodeKind::object, t->offset);
            while (!is(TokenType::close_curly)) {
                if (at_end())
                    error("expected '}' to close the dict, found end of template");
                node->children.push_back(parse_expression());
                expect(TokenType::colon, "':' between key and value");
                node->children.push_back(parse_expression());
                if (is(TokenType::comma))
                    ++current_;
            }
            ++current_;
            return sealed(std::move(node));
        }
        default: error_at("unexpected " + describe_token(t) + " in an expression", t->offset);
        }
    }

    std::vector<Token> tokens_;
    std::size_t current_ = 0;
    int depth_ = 0;
    int loop_depth_ = 0;
    std::vector<std::string> open_blocks_; // names of the blocks being parsed, innermost last
};

} // namespace

Program parse_template(std::string_view source)
{
    return Parser(tokenize(source)).run();
}

} // namespace slipway::engine::jinja
