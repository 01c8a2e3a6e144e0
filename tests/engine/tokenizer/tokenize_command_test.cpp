// `slipway-engine tokenize` end to end through run_tokenize_command.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.h"
#include "text/tokenize_command.h"

namespace slipway::engine {
namespace {

struct CommandResult {
    int status;
    std::string out;
    std::string err;
};

CommandResult run(std::vector<std::string> args, const std::string &input)
{
    args.insert(args.begin(), "tokenize");
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    std::istringstream in(input);
    std::ostringstream out, err;
    const int status = run_tokenize_command(static_cast<int>(argv.size()), argv.data(), in, out, err);
    return {status, out.str(), err.str()};
}

std::vector<std::int32_t> ids_of(const CommandResult &r) { return nlohmann::json::parse(r.out).get<std::vector<std::int32_t>>(); }

class TokenizeCommand : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        qwen_ = new Tokenizer(testing::load_or_die("qwen3"));
        deepseek_ = new Tokenizer(testing::load_or_die("deepseek_v3"));
    }
    static void TearDownTestSuite()
    {
        delete qwen_;
        delete deepseek_;
    }
    static std::string dir(const std::string &name) { return testing::tokenizer_dir(name).string(); }
    static Tokenizer *qwen_;
    static Tokenizer *deepseek_;
};
Tokenizer *TokenizeCommand::qwen_ = nullptr;
Tokenizer *TokenizeCommand::deepseek_ = nullptr;

TEST_F(TokenizeCommand, PrintsIdsAsAJsonArrayWithSpecialTokens)
{
    const std::string text = "Hello 世界 123\n";
    const CommandResult r = run({"--model-path", dir("deepseek_v3")}, text);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out.back(), '\n');
    const auto ids = ids_of(r);
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(ids.front(), 0); // BOS
    EXPECT_EQ(ids, deepseek_->encode(text, true));

    const CommandResult plain = run({"--model-path=" + dir("deepseek_v3"), "--no-special-tokens"}, text);
    ASSERT_EQ(plain.status, 0) << plain.err;
    EXPECT_EQ(ids_of(plain), deepseek_->encode(text, false));
}

TEST_F(TokenizeCommand, ChatAppliesTheTemplateFirst)
{
    const std::string messages = R"([{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}])";
    const CommandResult r = run({"--model-path", dir("qwen3"), "--chat"}, messages);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(ids_of(r), qwen_->encode("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                                       "<|im_start|>assistant\n",
                                       false));

    const CommandResult no_prompt = run({"--model-path", dir("qwen3"), "--chat"},
                              R"({"messages": [{"role": "user", "content": "Hi"}], "add_generation_prompt": false})");
    ASSERT_EQ(no_prompt.status, 0) << no_prompt.err;
    EXPECT_EQ(ids_of(no_prompt), qwen_->encode("<|im_start|>user\nHi<|im_end|>\n", false));

    // DeepSeek's template writes BOS itself; it must not be added a second time.
    const CommandResult ds = run({"--model-path", dir("deepseek_v3"), "--chat"}, R"([{"role": "user", "content": "Hi"}])");
    ASSERT_EQ(ds.status, 0) << ds.err;
    EXPECT_EQ(ids_of(ds), deepseek_->encode("<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>", false));
    const auto ds_ids = ids_of(ds);
    EXPECT_EQ(std::count(ds_ids.begin(), ds_ids.end(), 0), 1);
}

TEST_F(TokenizeCommand, UsageErrors)
{
    CommandResult r = run({}, "x");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--model-path is required"), std::string::npos) << r.err;
    r = run({"--model-path", dir("qwen3"), "--frobnicate"}, "x");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("unknown argument '--frobnicate'"), std::string::npos) << r.err;
    r = run({"--model-path"}, "x");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("needs a folder"), std::string::npos) << r.err;
}

TEST_F(TokenizeCommand, BadModelFolderOrInput)
{
    CommandResult r = run({"--model-path", "/nonexistent/model"}, "x");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("/nonexistent/model/tokenizer.json"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());

    const auto bad = std::filesystem::temp_directory_path() / ("slipway-tokenize-" + std::to_string(::getpid()));
    std::filesystem::create_directories(bad);
    std::ofstream(bad / "tokenizer.json") << "{\"model\": ";
    r = run({"--model-path", bad.string()}, "x");
    std::filesystem::remove_all(bad);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("tokenizer.json: not valid JSON"), std::string::npos) << r.err;

    r = run({"--model-path", dir("qwen3"), "--chat"}, "not json");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("--chat: stdin is not valid JSON"), std::string::npos) << r.err;
    r = run({"--model-path", dir("qwen3"), "--chat"}, R"({"messages": []})");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("non-empty array"), std::string::npos) << r.err;
}

} // namespace
} // namespace slipway::engine
