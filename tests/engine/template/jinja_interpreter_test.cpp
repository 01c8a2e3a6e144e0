// Unit tests of the Jinja interpreter behind ChatTemplate: behaviour where it follows Python's
// Jinja rather than @huggingface/jinja (whose string methods ignore their arguments and whose
// loop controls drop output), error messages with positions, and robustness: no input, however
// broken, may crash or throw out of the API.
#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "text/chat_template.h"

using slipway::engine::ChatTemplate;
using slipway::engine::ChatTemplateOptions;
using nlohmann::ordered_json;

namespace {

slipway::engine::StatusOr<std::string> render(std::string_view source, ordered_json context = ordered_json::object())
{
    const auto tpl = ChatTemplate::parse(source);
    if (!tpl.ok())
        return tpl.status();
    ordered_json messages = ordered_json::array();
    if (context.contains("messages")) {
        messages = context["messages"];
        context.erase("messages");
    }
    ChatTemplateOptions options;
    options.extra_context = context;
    return tpl->render(messages, options);
}

std::string render_ok(std::string_view source, ordered_json context = ordered_json::object())
{
    const auto out = render(source, std::move(context));
    EXPECT_TRUE(out.ok()) << source << "\n" << out.message();
    return out.ok() ? out.value() : std::string();
}

std::string render_error(std::string_view source, ordered_json context = ordered_json::object())
{
    const auto out = render(source, std::move(context));
    EXPECT_FALSE(out.ok()) << source << " rendered " << (out.ok() ? out.value() : "");
    return out.ok() ? std::string() : out.message();
}

} // namespace

TEST(JinjaPythonSemantics, StripMethodsHonourTheirCharacterArgument)
{
    EXPECT_EQ(render_ok("{{ 'xxhixx'.strip('x') }}"), "hi");
    EXPECT_EQ(render_ok("[{{ '\\n  hi'.lstrip('\\n') }}]"), "[  hi]");
    EXPECT_EQ(render_ok("[{{ 'hi!?!'.rstrip('!?') }}]"), "[hi]");
    EXPECT_EQ(render_ok("[{{ '  hi  '.strip(none) }}]"), "[hi]");
    EXPECT_EQ(render_ok("[{{ '--a--' | trim('-') }}]"), "[a]");
}

TEST(JinjaPythonSemantics, RsplitSplitsFromTheRight)
{
    EXPECT_EQ(render_ok("{{ 'a.b.c'.rsplit('.', 1) }}"), R"(["a.b", "c"])");
    EXPECT_EQ(render_ok("{{ 'a.b.c'.rsplit('.') }}"), R"(["a", "b", "c"])");
    EXPECT_EQ(render_ok("{{ '  a b c  '.rsplit(none, 1) }}"), R"(["  a b", "c"])");
    EXPECT_EQ(render_ok("{{ 'a<>b<>c'.split('<>', maxsplit=1) }}"), R"(["a", "b<>c"])");
}

TEST(JinjaPythonSemantics, BreakAndContinueKeepOutputRenderedBeforeThem)
{
    EXPECT_EQ(render_ok("{% for i in [1, 2, 3] %}{{ i }}{% if i == 2 %}{% break %}{% endif %}{% endfor %}"), "12");
    EXPECT_EQ(render_ok("{% for i in [1, 2, 3] %}{{ i }}{% if i == 2 %}{% continue %}{% endif %}-{% endfor %}"), "1-23-");
    // else renders only when there was nothing to loop over.
    EXPECT_EQ(render_ok("{% for i in [1] %}{% continue %}{% else %}E{% endfor %}"), "");
    EXPECT_EQ(render_ok("{% for i in [1, 2] %}{% break %}{% else %}E{% endfor %}"), "");
}

TEST(JinjaPythonSemantics, LoopingOverUndefinedRendersTheElseBlock)
{
    EXPECT_EQ(render_ok("{% for call in message.tool_calls %}x{% else %}none{% endfor %}", {{"message", {{"role", "user"}}}}), "none");
}

TEST(JinjaPythonSemantics, EqualityDoesNotCoerceStringsToNumbers)
{
    EXPECT_EQ(render_ok("{{ '1' == 1 }} {{ [1, [2]] == [1, [2]] }} {{ {'a': 1} == {'a': 1.0} }}"), "false true true");
}

TEST(JinjaBuiltins, StrftimeNowFormatsTheLocalTime)
{
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char today[32];
    std::strftime(today, sizeof today, "%d %b %Y", &local);
    EXPECT_EQ(render_ok("{{ strftime_now('%d %b %Y') }}"), today);
}

TEST(JinjaBuiltins, MapFilterByNameAndSelectByTest)
{
    EXPECT_EQ(render_ok("{{ ['a', 'B'] | map('upper') | join(',') }}"), "A,B");
    EXPECT_EQ(render_ok("{{ [1, 2, 3, 4] | select('even') | list }} {{ [1, 2, 3] | reject('odd') | list }}"), "[2, 4] [2]");
    EXPECT_EQ(render_ok("{{ 9 is divisibleby(3) }} {{ 'ab' is in(['ab']) }}"), "true true");
}

TEST(JinjaBuiltins, TojsonKeepsTheKeyOrderOfOrderedInput)
{
    const ordered_json tools = ordered_json::parse(R"([{"type": "function", "function": {"name": "f", "description": "d"}}])");
    EXPECT_EQ(render_ok("{{ tools | tojson }}", {{"tools", tools}}),
              R"([{"type": "function", "function": {"name": "f", "description": "d"}}])");
}

TEST(JinjaOptions, UnsetSpecialTokensAreUndefined)
{
    const auto tpl = ChatTemplate::parse("{{ bos_token is defined }} {{ eos_token }} {{ add_generation_prompt }}");
    ASSERT_TRUE(tpl.ok());
    ChatTemplateOptions options;
    options.eos_token = "</s>";
    options.add_generation_prompt = true;
    const auto out = tpl->render(nlohmann::json::array(), options);
    ASSERT_TRUE(out.ok()) << out.message();
    EXPECT_EQ(out.value(), "false </s> true");
}

TEST(JinjaErrors, SyntaxErrorsNameLineAndColumn)
{
    const auto bad_expression = ChatTemplate::parse("Hello\n{% if x %}\n  {{ x + }}\n{% endif %}");
    ASSERT_FALSE(bad_expression.ok());
    EXPECT_NE(bad_expression.message().find("chat template syntax error at line 3, column 10"), std::string::npos) << bad_expression.message();

    const auto unclosed = ChatTemplate::parse("ab\n  {% for m in messages %}{{ m }}");
    ASSERT_FALSE(unclosed.ok());
    EXPECT_NE(unclosed.message().find("line 2, column 3"), std::string::npos) << unclosed.message();
    EXPECT_NE(unclosed.message().find("{% for %} is never closed"), std::string::npos) << unclosed.message();

    const auto mismatched = ChatTemplate::parse("{% if a %}{% endfor %}");
    ASSERT_FALSE(mismatched.ok());
    EXPECT_NE(mismatched.message().find("close it with {% endif %}"), std::string::npos) << mismatched.message();

    const auto unknown = ChatTemplate::parse("{% include 'x.j2' %}");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.message().find("unknown statement {% include %}"), std::string::npos) << unknown.message();

    const auto string = ChatTemplate::parse("{{ 'never closed }}");
    ASSERT_FALSE(string.ok());
    EXPECT_NE(string.message().find("line 1, column 4: string literal is not closed"), std::string::npos) << string.message();

    const auto stray_break = ChatTemplate::parse("{% break %}");
    ASSERT_FALSE(stray_break.ok());
    EXPECT_NE(stray_break.message().find("only allowed inside a {% for %}"), std::string::npos) << stray_break.message();
}

TEST(JinjaErrors, RaiseExceptionMessageReachesTheCaller)
{
    const std::string message = render_error(
        "{% for m in messages %}{% if m.role == 'tool' %}{{ raise_exception('Tool messages are not supported: ' ~ m.content) }}{% endif %}{% endfor %}",
        {{"messages", {{{"role", "tool"}, {"content", "42"}}}}});
    EXPECT_EQ(message, "chat template rejected the request: Tool messages are not supported: 42");
}

TEST(JinjaErrors, RuntimeErrorsNameTheProblemAndPosition)
{
    EXPECT_NE(render_error("x\n{{ 'abc'.nope() }}").find("line 2, column 9: unknown method 'nope' for string (in 'abc'.nope)"), std::string::npos);
    EXPECT_NE(render_error("{{ messages.append(1) }}").find("unknown method 'append' for list"), std::string::npos);
    EXPECT_NE(render_error("{{ nope(1) }}").find("unknown function 'nope'"), std::string::npos);
    EXPECT_NE(render_error("{{ 1 | nope }}").find("unknown filter 'nope'"), std::string::npos);
    EXPECT_NE(render_error("{{ m.content + 'x' }}", {{"m", {{"role", "user"}}}}).find("m.content is undefined"), std::string::npos);
    EXPECT_NE(render_error("{{ 'a' in m.content }}", {{"m", {{"content", nullptr}}}}).find("m.content is none"), std::string::npos);
    EXPECT_NE(render_error("{% set x = 1 %}{% set x.y = 2 %}").find("namespace"), std::string::npos);
    EXPECT_NE(render_error("{{ 1 / 0 }}").find("division by zero"), std::string::npos);
    EXPECT_NE(render_error("{% for x in 5 %}{% endfor %}").find("cannot loop over 5"), std::string::npos);
}

TEST(JinjaLimits, RunawayTemplatesStopWithAnError)
{
    EXPECT_NE(render_error("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}").find("deeper than"), std::string::npos);
    EXPECT_NE(render_error("{{ range(100000000) | length }}").find("more than"), std::string::npos);
    const std::string deep = "{{ " + std::string(5000, '(') + "1" + std::string(5000, ')') + " }}";
    EXPECT_NE(render_error(deep).find("levels deep"), std::string::npos);
    // Long operator chains are built by loops, not recursion, but still make deep trees.
    std::string chain = "{{ 1";
    for (int i = 0; i < 20000; ++i)
        chain += " + 1";
    EXPECT_NE(render_error(chain + " }}").find("levels deep"), std::string::npos);
    std::string nested_chains = "{{ ";
    for (int level = 0; level < 100; ++level)
        nested_chains += "(";
    nested_chains += "1";
    for (int level = 0; level < 100; ++level)
        nested_chains += " + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1)"; // ten links per parenthesis level
    EXPECT_NE(render_error(nested_chains + " }}").find("levels deep"), std::string::npos);
    EXPECT_EQ(render_ok("{{ " + std::string(100, '(') + "2" + std::string(100, ')') + " * 3 }}"), "6");

    ordered_json nested = ordered_json::array();
    for (int i = 0; i < 2000; ++i)
        nested = ordered_json::array({nested});
    EXPECT_NE(render_error("{{ messages | length }}", {{"messages", nested}}).find("nested more than"), std::string::npos);
}

TEST(JinjaRobustness, EveryPrefixOfARealTemplateParsesOrFailsCleanly)
{
    std::ifstream in(std::string(SLIPWAY_SOURCE_DIR) + "/tests/engine/template/fixtures/qwen3.jinja", std::ios::binary);
    const std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(source.size(), 1000u);
    const ordered_json messages = ordered_json::parse(R"([{"role": "user", "content": "hi"}])");
    int parsed = 0;
    for (std::size_t length = 0; length <= source.size(); ++length) {
        const auto tpl = ChatTemplate::parse(std::string_view(source).substr(0, length));
        if (!tpl.ok()) {
            EXPECT_NE(tpl.message().find("chat template syntax error at line"), std::string::npos) << tpl.message();
            continue;
        }
        ++parsed;
        (void)tpl->render(messages, {}); // ok or error, never a crash
    }
    EXPECT_GT(parsed, 0);
}

TEST(JinjaRobustness, OddMessagesGiveErrorsNotCrashes)
{
    std::ifstream in(std::string(SLIPWAY_SOURCE_DIR) + "/tests/engine/template/fixtures/deepseek_v3.jinja", std::ios::binary);
    const std::string source((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto tpl = ChatTemplate::parse(source);
    ASSERT_TRUE(tpl.ok()) << tpl.message();
    const char *conversations[] = {
        R"([{"role": "user", "content": [{"type": "text", "text": "hi"}]}])",
        R"([{"role": "user", "content": 42}])",
        R"([{"role": "assistant", "content": null}])",
        R"([{"role": "assistant", "content": null, "tool_calls": [{"type": "function"}]}])",
        R"([{"content": "no role"}, 7, null, "text"])",
        R"([{"role": "tool"}])",
    };
    for (const char *text : conversations) {
        const auto out = tpl->render(nlohmann::json::parse(text), {});
        if (!out.ok()) {
            EXPECT_EQ(out.message().rfind("chat template", 0), 0u) << out.message();
        }
    }
    const auto garbage = {"{{", "{%", "{#", "{{ }}", "{% %}", "{{ [ }}", "{{ {'a' }}", "{{ a.}}", "{{ a[:: }}", "{% for %}",
                          "{% set %}", "{% macro %}", "{{ 'a' ~ }}", "{{ -}}", "{% if %}{% elif %}", "\xff\xfe{{ '\xc3' }}",
                          "{{ '\\u12' }}", "{{ a | }}", "{{ a is }}", "{{ f(**) }}", "{% call %}", "{{ ((((1 }}", "}}%}#}"};
    for (const char *text : garbage) {
        const auto parsed = ChatTemplate::parse(text);
        if (parsed.ok()) {
            (void)parsed->render(nlohmann::json::array(), {});
        } else {
            EXPECT_EQ(parsed.message().rfind("chat template syntax error", 0), 0u) << text << ": " << parsed.message();
        }
    }
}

TEST(JinjaConcurrency, OneTemplateRendersFromManyThreads)
{
    const auto tpl = ChatTemplate::parse(
        "{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}<{{ m.role }}:{{ m.content | upper }}>{% endfor %}{{ ns.n }}");
    ASSERT_TRUE(tpl.ok()) << tpl.message();
    std::vector<std::string> results(4);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            nlohmann::json messages = nlohmann::json::array();
            for (int i = 0; i <= t; ++i)
                messages.push_back({{"role", "user"}, {"content", "m" + std::to_string(i)}});
            for (int repeat = 0; repeat < 200; ++repeat) {
                const auto out = tpl->render(messages, {});
                results[static_cast<std::size_t>(t)] = out.ok() ? out.value() : out.message();
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    EXPECT_EQ(results[0], "<user:M0>1");
    EXPECT_EQ(results[3], "<user:M0><user:M1><user:M2><user:M3>4");
}
