// Core's messages in the console (ui/messages/core_messages): every code core/sizing and
// core/deploy list is translated from the same English; in English the console shows exactly what
// the CLI prints; in Chinese every sizing figure, warning, error, TP note, plan error and note
// reads as Chinese (ui_text_walker's rule), arguments that are messages included.
#include "deploy/deploy_messages.h"
#include "deploy/image_mirror.h"
#include "deploy/plan_builder.h"
#include "deploy/validate.h"
#include "i18n/language.h"
#include "local/engine_launch.h"
#include "local/local_messages.h"
#include "messages/core_messages.h"
#include "model/model_loader.h"
#include "model/model_messages.h"
#include "sizing/gpu_catalog.h"
#include "sizing/sizing.h"
#include "sizing/sizing_messages.h"
#include "ui_text_walker.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QSet>
#include <QtTest>

#include <functional>
#include <set>

using namespace slipway;
using namespace slipway::ui;

Q_DECLARE_METATYPE(slipway::sizing::SizingInput)
Q_DECLARE_METATYPE(slipway::deploy::PlanRequest)
Q_DECLARE_METATYPE(slipway::Error)

namespace {

std::vector<MessageTemplate> coreTemplates()
{
    std::vector<MessageTemplate> all = sizing::msg::messageTemplates();
    for (const MessageTemplate &t : deploy::msg::messageTemplates())
        all.push_back(t);
    for (const MessageTemplate &t : model::msg::messageTemplates())
        all.push_back(t);
    for (const MessageTemplate &t : local::msg::messageTemplates())
        all.push_back(t);
    return all;
}

QSet<QString> placeholders(const QString &text)
{
    QSet<QString> found;
    static const QRegularExpression p(QStringLiteral("%[1-9]"));
    for (auto it = p.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured(0));
    return found;
}

sizing::SizingInput sizingInput(const char *model, const char *gpu, sizing::WeightDtype dtype = sizing::WeightDtype::Auto)
{
    sizing::SizingInput in;
    in.model = *model::loadModel(model);
    in.gpu = *sizing::findGpu(gpu);
    in.weightDtype = dtype;
    in.contextLength = 8192;
    in.concurrency = 4;
    return in;
}

constexpr const char *kQwen7 = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
constexpr const char *kQwen15 = "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B";
constexpr const char *kV3 = "deepseek-ai/DeepSeek-V3";

// Every text a sizing shows, as (where, message parts).
std::vector<std::pair<std::string, std::vector<Message>>> shownTexts(const sizing::SizingResult &r)
{
    std::vector<std::pair<std::string, std::vector<Message>>> out;
    for (const Message &m : r.warnings)
        out.push_back({"warning", {m}});
    for (const Message &m : r.errors)
        out.push_back({"error", {m}});
    for (const sizing::TpCandidate &c : r.tpSearch)
        out.push_back({"TP note " + std::to_string(c.tp), {c.note}});
    for (const sizing::Figure &f : r.figures)
        out.push_back({"formula " + f.key, f.formulaParts});
    return out;
}

// A .safetensors file's first 8 bytes: the header length, little-endian.
QByteArray lengthPrefix(quint64 length)
{
    QByteArray bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = char((length >> (8 * i)) & 0xff);
    return bytes;
}

QByteArray safetensors(const QByteArray &header, const QByteArray &data = {})
{
    return lengthPrefix(quint64(header.size())) + header + data;
}

} // namespace

class TestCoreMessages : public QObject {
    Q_OBJECT

private slots:
    void cleanup();
    void everyCoreCodeIsTranslatedFromTheSameEnglish();
    void everyCodeHasAChineseTranslationWithTheSamePlaceholders();
    void unknownCodesAndLiteralsShowCoreEnglish();
    void sizingTexts_data();
    void sizingTexts();
    void planErrors_data();
    void planErrors();
    void planNotesReadAsChinese();
    void modelLoadGpuAndLaunchErrors_data();
    void modelLoadGpuAndLaunchErrors();
    void damagedWeightsErrors_data();
    void damagedWeightsErrors();

private:
    LanguageSwitcher m_switcher;
};

void TestCoreMessages::cleanup()
{
    m_switcher.setLanguage(Language::English);
}

void TestCoreMessages::everyCoreCodeIsTranslatedFromTheSameEnglish()
{
    std::set<std::string_view> coreCodes;
    for (const MessageTemplate &t : coreTemplates()) {
        QVERIFY2(coreCodes.insert(t.code).second, std::string(t.code).c_str());
        QVERIFY2(CoreMessages::knows(t.code), qPrintable(QStringLiteral("the console lacks ") + QString::fromUtf8(t.code.data(), t.code.size())));
        QCOMPARE(CoreMessages::source(t.code), QString::fromUtf8(t.english.data(), qsizetype(t.english.size())));
    }
    // ... and knows no code core does not write.
    for (std::string_view code : CoreMessages::codes())
        QVERIFY2(coreCodes.count(code), std::string(code).c_str());
    QCOMPARE(CoreMessages::codes().size(), coreCodes.size());
}

void TestCoreMessages::everyCodeHasAChineseTranslationWithTheSamePlaceholders()
{
    QVERIFY(m_switcher.setLanguage(Language::SimplifiedChinese));
    QStringList missing;
    for (const MessageTemplate &t : coreTemplates()) {
        const QString english = QString::fromUtf8(t.english.data(), qsizetype(t.english.size()));
        const Message m{std::string(t.code), {}, std::string(t.english), {}};
        const QString chinese = CoreMessages::text(m); // no arguments: the template itself
        if (chinese == english || !test::readsAsChinese(chinese))
            missing << QString::fromUtf8(t.code.data(), qsizetype(t.code.size())) + QStringLiteral(": ") + chinese;
        QCOMPARE(placeholders(chinese), placeholders(english));
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QLatin1Char('\n'))));
}

void TestCoreMessages::unknownCodesAndLiteralsShowCoreEnglish()
{
    QVERIFY(m_switcher.setLanguage(Language::SimplifiedChinese));
    QCOMPARE(CoreMessages::text(Message{"sizing.nothing_like_this", {"1"}, "written by a newer core: 1", {}}),
             QStringLiteral("written by a newer core: 1"));
    QCOMPARE(CoreMessages::text(literalMessage(" = 15,231,233,024 B")), QStringLiteral(" = 15,231,233,024 B"));
    QCOMPARE(CoreMessages::text(fail("no code at all")), QStringLiteral("no code at all"));
    // A translated template with an argument that is a message itself: both in Chinese.
    const Message nested = makeNestedMessage(sizing::msg::kErrorForcedTpInvalid,
                                             {literalMessage("3"),
                                                            makeMessage(sizing::msg::kTpHeads, {"3", "28"}),
                                                            literalMessage("1, 2, 4")});
    QCOMPARE(CoreMessages::text(nested), QStringLiteral("--tp 3：TP 3 不能整除 28 个注意力头；可用的 TP：1, 2, 4"));
    // An argument holding "%2" is not substituted again.
    QCOMPARE(CoreMessages::text(makeMessage(sizing::msg::kTpHeads, {"%2", "28"})), QStringLiteral("TP %2 不能整除 28 个注意力头"));
}

void TestCoreMessages::sizingTexts_data()
{
    QTest::addColumn<sizing::SizingInput>("in");
    QTest::addRow("7B bf16 H100") << sizingInput(kQwen7, "H100", sizing::WeightDtype::Bf16);
    QTest::addRow("7B fp8 A100 (warnings)") << sizingInput(kQwen7, "A100-80G", sizing::WeightDtype::Fp8);
    QTest::addRow("7B int4 L4") << sizingInput(kQwen7, "L4", sizing::WeightDtype::Int4);
    QTest::addRow("7B fp16 one sequence, tight fraction") << [] {
        sizing::SizingInput in = sizingInput(kQwen7, "H100", sizing::WeightDtype::Fp16);
        in.concurrency = 1;
        in.memFraction = 0.99;
        return in;
    }();
    QTest::addRow("1.5B tp 4 (KV heads replicated)") << [] {
        sizing::SizingInput in = sizingInput(kQwen15, "H100");
        in.tensorParallel = 4;
        return in;
    }();
    QTest::addRow("7B forced tp 3 (invalid)") << [] {
        sizing::SizingInput in = sizingInput(kQwen7, "H100");
        in.tensorParallel = 3;
        return in;
    }();
    QTest::addRow("7B custom GPU, long context") << [] {
        sizing::SizingInput in = sizingInput(kQwen7, "H100");
        in.gpu = sizing::customGpu(24);
        in.contextLength = 200'000;
        return in;
    }();
    QTest::addRow("V3 A100 (MLA, MoE, no fit)") << sizingInput(kV3, "A100-80G");
    QTest::addRow("V3 H100 tp 16") << [] {
        sizing::SizingInput in = sizingInput(kV3, "H100");
        in.tensorParallel = 16;
        return in;
    }();
    QTest::addRow("V3 bf16 B200 forced tp 8 (no fit)") << [] {
        sizing::SizingInput in = sizingInput(kV3, "B200", sizing::WeightDtype::Bf16);
        in.tensorParallel = 8;
        return in;
    }();
}

void TestCoreMessages::sizingTexts()
{
    QFETCH(sizing::SizingInput, in);
    auto sized = sizing::computeSizing(in);
    QVERIFY2(sized.ok(), sized.ok() ? "" : sized.message().c_str());
    const auto texts = shownTexts(*sized);
    // English: what the CLI prints, clause for clause, and every code is one the console knows.
    for (const auto &[where, parts] : texts) {
        QCOMPARE(CoreMessages::text(parts), QString::fromStdString(joinEnglish(parts)));
        for (const Message &m : parts)
            QVERIFY2(m.code.empty() || CoreMessages::knows(m.code), (where + ": " + m.code).c_str());
    }
    // Chinese: nothing left in English.
    QVERIFY(m_switcher.setLanguage(Language::SimplifiedChinese));
    QStringList untranslated;
    for (const auto &[where, parts] : texts) {
        const QString text = CoreMessages::text(parts);
        if (!test::readsAsChinese(text))
            untranslated << QString::fromStdString(where) + QStringLiteral(": ") + text;
    }
    QVERIFY2(untranslated.isEmpty(), qPrintable(untranslated.join(QLatin1Char('\n'))));
}

void TestCoreMessages::planErrors_data()
{
    QTest::addColumn<deploy::PlanRequest>("request");
    QTest::addColumn<QString>("english"); // a piece of the CLI's message
    const auto base = [] {
        deploy::PlanRequest r;
        r.modelRef = kQwen7;
        r.mode = deploy::Mode::Deployment;
        return r;
    };
    deploy::PlanRequest r = base();
    r.nodes = 2;
    QTest::addRow("nodes without lws") << r << QStringLiteral("--nodes 2 needs --mode lws");
    r = base();
    r.mode = deploy::Mode::Lws;
    r.nodes = 2;
    r.tp = 3;
    QTest::addRow("tp not split over nodes") << r << QStringLiteral("cannot be split evenly over --nodes 2");
    r = base();
    r.pvcSize = "lots";
    QTest::addRow("bad quantity") << r << QStringLiteral("--pvc-size must be a size such as 500Gi");
    r = base();
    r.tp = 3;
    QTest::addRow("sizing's nested TP problem") << r << QStringLiteral("--tp 3: TP 3 does not divide the 28 attention heads");
    r = base();
    r.modelRef = kV3;
    r.contextLength = 8192;
    QTest::addRow("needs lws") << r << QStringLiteral("needs 16 GPUs over 2 nodes of 8");
    r = base();
    r.port = 70000;
    QTest::addRow("port range") << r << QStringLiteral("--port must be between 1 and 65535, not 70000");
    r = base();
    r.mirrorRegistry = "quay";
    QTest::addRow("mirror registry without a host") << r << QStringLiteral("--registry 'quay' does not start with a registry host");
    r = base();
    r.image = "Quay.io/Me/SGLang";
    r.mirrorRegistry = "quay.io/me";
    QTest::addRow("mirror of a bad image") << r << QStringLiteral("is not an image reference: repository names are lower case");
    r = base();
    r.name = "Bad_Name";
    QTest::addRow("validate: name") << r << QStringLiteral("name 'Bad_Name' is not a valid name");
    r = base();
    r.imagePullSecret = "Bad";
    QTest::addRow("validate: nested field name") << r << QStringLiteral("image pull secret 'Bad' is not a valid name");
    r = base();
    r.storage = deploy::Storage::S3;
    QTest::addRow("validate: s3") << r << QStringLiteral("storage s3 needs the S3 endpoint");
    r = base();
    r.replicas = 3;
    QTest::addRow("validate: RWO replicas") << r << QStringLiteral("replicas 3 share one ReadWriteOnce PVC");
}

void TestCoreMessages::planErrors()
{
    QFETCH(deploy::PlanRequest, request);
    QFETCH(QString, english);
    auto built = deploy::buildPlan(request);
    Error error = built ? Error{} : built.error();
    if (built) {
        auto valid = deploy::validate(built->plan);
        QVERIFY2(!valid.ok(), "the request builds and validates");
        error = valid.error();
    }
    QVERIFY2(QString::fromStdString(error.message).contains(english), error.message.c_str());
    QVERIFY2(CoreMessages::knows(error.code), error.code.c_str());
    QCOMPARE(CoreMessages::text(error), QString::fromStdString(error.message));
    QVERIFY(m_switcher.setLanguage(Language::SimplifiedChinese));
    const QString chinese = CoreMessages::text(error);
    QVERIFY2(test::readsAsChinese(chinese), qPrintable(chinese));
}

void TestCoreMessages::planNotesReadAsChinese()
{
    deploy::PlanRequest r;
    r.modelRef = kV3;
    r.mode = deploy::Mode::Lws;
    r.contextLength = 8192;
    r.platform = deploy::Platform::Kubernetes;
    auto built = deploy::buildPlan(r);
    QVERIFY2(built.ok(), built.ok() ? "" : built.message().c_str());
    const std::vector<Message> notes = deploy::planNotes(built->plan);
    QVERIFY(notes.size() >= 3); // copy through the loaders (two claims), pod security, the LWS controller
    for (const Message &n : notes)
        QCOMPARE(CoreMessages::text(n), QString::fromStdString(n.english));
    QVERIFY(m_switcher.setLanguage(Language::SimplifiedChinese));
    for (const Message &n : notes) {
        const QString chinese = CoreMessages::text(n);
        QVERIFY2(test::readsAsChinese(chinese), qPrintable(chinese));
    }
}

// Errors a person triggers by choosing a model, a GPU or the Local engine's options: each carries
// a code the console translates; in English it is exactly what the CLI prints.
void TestCoreMessages::modelLoadGpuAndLaunchErrors_data()
{
    QTest::addColumn<Error>("error");
    QTest::addColumn<QString>("code");
    static QTemporaryDir dir; // lives as long as the test's rows
    QVERIFY(dir.isValid());
    const auto configFile = [](const char *name, const QByteArray &text) {
        const QString path = dir.filePath(QString::fromUtf8(name));
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(path));
        f.write(text);
        return path.toStdString();
    };
    const auto loadError = [](const std::string &ref) {
        auto loaded = model::loadModel(ref);
        return loaded ? Error{"loaded", {}, {}, {}} : loaded.error();
    };
    const QByteArray qwen = R"("architectures": ["Qwen2ForCausalLM"], "hidden_size": 3584, "num_hidden_layers": 28,
        "num_attention_heads": 28, "intermediate_size": 18944, "vocab_size": 152064, "max_position_embeddings": 4096)";
    QTest::addRow("no model") << loadError("") << "model.load.no_model";
    QTest::addRow("folder without config.json") << loadError(dir.path().toStdString()) << "model.load.no_config";
    QTest::addRow("weights file") << loadError(configFile("model.safetensors", "x")) << "model.load.weights_file";
    QTest::addRow("hub id not in the catalog") << loadError("someone/SomeModel-7B") << "model.load.not_in_catalog";
    QTest::addRow("path not found") << loadError("./no/such/folder") << "model.load.path_not_found";
    QTest::addRow("not JSON") << loadError(configFile("a.json", "{\"architectures\": [")) << "model.config.not_json";
    QTest::addRow("not an object") << loadError(configFile("b.json", "[1, 2]")) << "model.config.not_object";
    QTest::addRow("unsupported architectures")
        << loadError(configFile("c.json", R"({"architectures": ["MambaForCausalLM"]})")) << "model.config.architectures";
    QTest::addRow("unsupported model_type")
        << loadError(configFile("d.json", R"({"model_type": "mamba"})")) << "model.config.model_type";
    QTest::addRow("no architecture") << loadError(configFile("e.json", "{}")) << "model.config.no_architecture";
    QTest::addRow("missing field")
        << loadError(configFile("f.json", R"({"architectures": ["Qwen2ForCausalLM"]})")) << "model.config.missing_field";
    QTest::addRow("quoted number")
        << loadError(configFile("g.json", "{" + QByteArray(qwen).replace("3584", "\"3584\"") + "}"))
        << "model.config.wrong_value";
    QTest::addRow("boolean expected")
        << loadError(configFile("h.json", "{" + qwen + R"(, "tie_word_embeddings": "yes"})")) << "model.config.wrong_value";
    QTest::addRow("rope type missing")
        << loadError(configFile("i.json", "{" + qwen + R"(, "rope_scaling": {"factor": 2}})")) << "model.config.rope_type";
    QTest::addRow("heads and KV heads")
        << loadError(configFile("j.json", "{" + qwen + R"(, "num_key_value_heads": 5})")) << "model.config.heads_kv_heads";
    QTest::addRow("unknown GPU") << sizing::findGpu("RTX-9999").error() << "sizing.gpu.unknown";

    const auto launchError = [&configFile](const std::function<void(local::EngineLaunchOptions &)> &change) {
        local::EngineLaunchOptions o;
        o.modelPath = dir.path().toStdString();
        configFile("config.json", "{}");
        change(o);
        auto valid = local::validateLaunchOptions(o);
        return valid ? Error{"valid", {}, {}, {}} : valid.error();
    };
    QTest::addRow("launch: no model") << launchError([](auto &o) { o.modelPath.clear(); }) << "local.launch.no_model";
    QTest::addRow("launch: model missing") << launchError([](auto &o) { o.modelPath += "/nothing"; })
                                           << "local.launch.model_missing";
    QTest::addRow("launch: device") << launchError([](auto &o) { o.device = "tpu"; }) << "local.launch.device";
    QTest::addRow("launch: host") << launchError([](auto &o) { o.host.clear(); }) << "local.launch.host";
    QTest::addRow("launch: port") << launchError([](auto &o) { o.port = 70000; }) << "local.launch.port";
    QTest::addRow("launch: fraction") << launchError([](auto &o) { o.memFractionStatic = 1.5; }) << "local.launch.mem_fraction";
    QTest::addRow("launch: running") << launchError([](auto &o) { o.maxRunningRequests = -1; }) << "local.launch.max_running";
    QTest::addRow("launch: context") << launchError([](auto &o) { o.contextLength = -1; }) << "local.launch.context";
    QTest::addRow("launch: extra") << launchError([](auto &o) { o.extraArgs = {"--port=9"}; }) << "local.launch.extra_argument";
}

void TestCoreMessages::modelLoadGpuAndLaunchErrors()
{
    QFETCH(Error, error);
    QFETCH(QString, code);
    QCOMPARE(QString::fromStdString(error.code), code);
    QVERIFY2(CoreMessages::knows(error.code), error.code.c_str());
    QCOMPARE(CoreMessages::text(error), QString::fromStdString(error.message));
    QVERIFY(m_switcher.setLanguage(Language::SimplifiedChinese));
    QString chinese = CoreMessages::text(error);
    QVERIFY2(chinese != QString::fromStdString(error.message), qPrintable(chinese));
    // The JSON parser's own diagnostic (line, column, what it expected) is quoted as it is, like
    // a path: the sentence around it is what must read as Chinese.
    if (error.code == "model.config.not_json")
        chinese.remove(QString::fromStdString(error.args.at(1)));
    QVERIFY2(test::readsAsChinese(chinese), qPrintable(chinese));
}

// A model folder whose weights are damaged (a truncated or broken .safetensors file, a broken
// model.safetensors.index.json): loading it fails with a coded message, shown in Chinese in full.
void TestCoreMessages::damagedWeightsErrors_data()
{
    QTest::addColumn<QVariantMap>("files"); // file name -> content, next to a valid config.json
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("chinese");   // <dir>: the model folder; <detail>: the JSON parser's text
    const QByteArray w = R"({"w": {"dtype": "BF16", "shape": [4, 4], "data_offsets": [0, 32]}})";
    const QByteArray good = safetensors(w, QByteArray(32, 'x'));
    const QString single = QStringLiteral("model.safetensors");
    const QString index = QStringLiteral("model.safetensors.index.json");
    const QString shard1 = QStringLiteral("model-00001-of-00002.safetensors");
    const auto indexJson = [](const QByteArray &weightMap) { return QByteArray(R"({"weight_map": )" + weightMap + "}"); };

    QTest::addRow("5 bytes") << QVariantMap{{single, QByteArray("abcde")}} << "model.safetensors.too_short"
                             << QStringLiteral("\"<dir>/model.safetensors\" 只有 5 字节，不足以容纳 safetensors 文件头"
                                               "（开头是 8 字节的长度）；文件已被截断，请重新下载");
    QTest::addRow("header length beyond the file")
        << QVariantMap{{single, QByteArray(lengthPrefix(1000) + "{}")}} << "model.safetensors.header_beyond_file"
        << QStringLiteral("\"<dir>/model.safetensors\"：文件头长度 1000 超过了文件本身的大小（10 字节）；"
                          "文件已被截断或不是 safetensors 格式，请重新下载");
    QTest::addRow("header not JSON")
        << QVariantMap{{single, safetensors(R"({"w": {"dtype": )")}} << "model.safetensors.not_json"
        << QStringLiteral("\"<dir>/model.safetensors\"：文件头不是有效的 JSON（<detail>）；文件已损坏，请重新下载");
    QTest::addRow("header a list") << QVariantMap{{single, safetensors("[1, 2]")}} << "model.safetensors.not_object"
                                   << QStringLiteral("\"<dir>/model.safetensors\"：文件头不是 JSON 对象；文件已损坏，请重新下载");
    QTest::addRow("data truncated")
        << QVariantMap{{single, good.left(good.size() - 16)}} << "model.safetensors.beyond_data"
        << QStringLiteral("\"<dir>/model.safetensors\"：张量“w”的 data_offsets [0, 32] 超出了文件的数据区（16 字节）；"
                          "文件已被截断，请重新下载");
    QTest::addRow("offsets end before they begin")
        << QVariantMap{{single, safetensors(R"({"w": {"dtype": "U8", "shape": [0], "data_offsets": [4, 0]}})", "abcd")}}
        << "model.safetensors.offsets_reversed"
        << QStringLiteral("\"<dir>/model.safetensors\"：张量“w”的 data_offsets [4, 0] 结束位置在起始位置之前；"
                          "文件头已损坏，请重新下载该文件");
    QTest::addRow("one offset")
        << QVariantMap{{single, safetensors(R"({"w": {"dtype": "U8", "shape": [4], "data_offsets": [0]}})", "abcd")}}
        << "model.safetensors.bad_offsets"
        << QStringLiteral("\"<dir>/model.safetensors\"：张量“w”需要由两个整数组成的 data_offsets [begin, end]；"
                          "文件头已损坏，请重新下载该文件");
    QTest::addRow("shape disagrees with offsets")
        << QVariantMap{{single, safetensors(R"({"w": {"dtype": "BF16", "shape": [4, 4], "data_offsets": [0, 16]}})",
                                            QByteArray(16, 'x'))}}
        << "model.safetensors.size_mismatch"
        << QStringLiteral("\"<dir>/model.safetensors\"：张量“w”：shape 为 [4, 4] 的 BF16 数据需要 16 x 2 字节，"
                          "但 data_offsets 覆盖 16 字节；文件头已损坏，请重新下载该文件");
    QTest::addRow("tensor without dtype")
        << QVariantMap{{single, safetensors(R"({"w": {"shape": [2], "data_offsets": [0, 4]}})", "abcd")}}
        << "model.safetensors.no_dtype"
        << QStringLiteral("\"<dir>/model.safetensors\"：张量“w”缺少字符串形式的 dtype；文件头已损坏，请重新下载该文件");
    QTest::addRow("index names a missing shard")
        << QVariantMap{{index, indexJson(R"({"w": "model-00001-of-00002.safetensors"})")}}
        << "model.index.shard_missing"
        << QStringLiteral("\"<dir>/model.safetensors.index.json\" 指向分片“model-00001-of-00002.safetensors”，"
                          "但 \"<dir>/model-00001-of-00002.safetensors\" 不存在；请将缺失的分片下载到模型文件夹中");
    QTest::addRow("index not JSON") << QVariantMap{{index, QByteArray(R"({"weight_map": {)")}} << "model.index.not_json"
                                    << QStringLiteral("\"<dir>/model.safetensors.index.json\" 不是有效的 JSON（<detail>）；"
                                                      "请重新下载");
    QTest::addRow("index without weight_map")
        << QVariantMap{{index, QByteArray(R"({"metadata": {}})")}} << "model.index.no_weight_map"
        << QStringLiteral("\"<dir>/model.safetensors.index.json\" 中没有 weight_map 对象 {张量: 分片文件}；请重新下载");
    QTest::addRow("index places a tensor the shard lacks")
        << QVariantMap{{index, indexJson(R"({"w": "model-00001-of-00002.safetensors", "v": "model-00001-of-00002.safetensors"})")},
                       {shard1, good}}
        << "model.index.tensor_not_in_shard"
        << QStringLiteral("\"<dir>/model.safetensors.index.json\" 将张量“v”放在“model-00001-of-00002.safetensors”中，"
                          "但该分片的文件头里没有这个张量；索引与分片来自不同的下载，请重新获取两者");
    QTest::addRow("index points outside the folder")
        << QVariantMap{{index, indexJson(R"({"w": "../elsewhere.safetensors"})")}} << "model.index.shard_outside"
        << QStringLiteral("\"<dir>/model.safetensors.index.json\"：weight_map[\"w\"] 的值为 \"../elsewhere.safetensors\"；"
                          "分片必须是模型文件夹内的文件");
    QTest::addRow("index with a truncated shard")
        << QVariantMap{{index, indexJson(R"({"w": "model-00001-of-00002.safetensors"})")}, {shard1, good.left(20)}}
        << "model.safetensors.header_beyond_file"
        << QStringLiteral("\"<dir>/model-00001-of-00002.safetensors\"：文件头长度 %1 超过了文件本身的大小（20 字节）；"
                          "文件已被截断或不是 safetensors 格式，请重新下载").arg(w.size());
}

void TestCoreMessages::damagedWeightsErrors()
{
    QFETCH(QVariantMap, files);
    QFETCH(QString, code);
    QFETCH(QString, chinese);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto write = [&dir](const QString &name, const QByteArray &content) {
        QFile f(dir.filePath(name));
        return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
    };
    QVERIFY(write(QStringLiteral("config.json"), R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 3584,
        "num_hidden_layers": 28, "num_attention_heads": 28, "intermediate_size": 18944, "vocab_size": 152064,
        "max_position_embeddings": 4096})"));
    for (auto it = files.cbegin(); it != files.cend(); ++it)
        QVERIFY(write(it.key(), it.value().toByteArray()));

    auto loaded = model::loadModel(dir.path().toStdString());
    QVERIFY2(!loaded.ok(), "the damaged folder loads");
    const Error &error = loaded.error();
    QCOMPARE(QString::fromStdString(error.code), code);
    QVERIFY2(CoreMessages::knows(error.code), error.code.c_str());
    QCOMPARE(CoreMessages::text(error), QString::fromStdString(error.message)); // English: what the CLI prints

    QVERIFY(m_switcher.setLanguage(Language::SimplifiedChinese));
    QString shown = CoreMessages::text(error);
    QString expected = chinese;
    expected.replace(QStringLiteral("<dir>"), dir.path());
    // The JSON parser's own diagnostic stays English inside the Chinese sentence, as a path does.
    const QString detail = code.endsWith(QStringLiteral(".not_json")) ? QString::fromStdString(error.args.at(1)) : QString();
    if (!detail.isEmpty()) {
        QVERIFY2(detail.startsWith(QStringLiteral("parse error")), qPrintable(detail));
        expected.replace(QStringLiteral("<detail>"), detail);
    }
    QCOMPARE(shown, expected);
    if (!detail.isEmpty())
        shown.remove(detail);
    QVERIFY2(test::readsAsChinese(shown), qPrintable(shown));
}

QTEST_MAIN(TestCoreMessages)
#include "test_core_messages.moc"
