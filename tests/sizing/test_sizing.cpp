// Tests of core/sizing. Every expected figure is worked by hand below from the models' config.json
// numbers (FACTS.md's table), written as the arithmetic itself, not taken from the code under test.
#include "model/model_loader.h"
#include "model/model_spec.h"
#include "sizing/format.h"
#include "sizing/gpu_catalog.h"
#include "sizing/guide_comparison.h"
#include "sizing/sizing.h"
#include "sizing/sizing_messages.h"
#include "sizing/sizing_report.h"
#include "sizing/weight_layout.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>
#include <set>

using namespace slipway;
using namespace slipway::sizing;

Q_DECLARE_METATYPE(slipway::sizing::SizingInput)

namespace {

constexpr qint64 GiB = qint64(1) << 30;

const char *const kQwen15 = "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B";
const char *const kQwen7 = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
const char *const kQwen14 = "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B";
const char *const kQwen32 = "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B";
const char *const kLlama8 = "deepseek-ai/DeepSeek-R1-Distill-Llama-8B";
const char *const kLlama70 = "deepseek-ai/DeepSeek-R1-Distill-Llama-70B";
const char *const kV3 = "deepseek-ai/DeepSeek-V3";
const char *const kR1 = "deepseek-ai/DeepSeek-R1";

// A model's weights worked by hand: linear-layer parameters (quantised by fp8/int4), fp8 block
// scales (one per 128 × 128 block: ⌈out/128⌉ × ⌈in/128⌉), int4 group scales (out × ⌈in/128⌉),
// parameters kept at 2 bytes (embeddings, head, norms, biases, router) and at 4 bytes.
struct HandSheet {
    qint64 linear = 0;
    qint64 fp8Scales = 0;
    qint64 int4Scales = 0;
    qint64 other = 0;
    qint64 fp32 = 0;
    qint64 params() const { return linear + other + fp32; }
};

// Qwen2 / Llama: q [H·128, h], k and v [kv·128, h], o [h, H·128], gate/up [I, h], down [h, I].
// hb = h/128, qb = H·128/128, kvb = kv·128/128, ib = I/128 (all whole here).
HandSheet denseSheet(qint64 h, qint64 layers, qint64 q, qint64 kv, qint64 inter, qint64 vocab, bool qkvBias)
{
    const qint64 hb = h / 128, qb = q / 128, kvb = kv / 128, ib = inter / 128;
    HandSheet s;
    s.linear = layers * (h * q + 2 * kv * h + q * h + 3 * inter * h);
    s.fp8Scales = layers * (qb * hb + 2 * kvb * hb + hb * qb + 3 * ib * hb);
    s.int4Scales = layers * (q * hb + 2 * kv * hb + h * qb + 2 * inter * hb + h * ib);
    s.other = 2 * vocab * h + layers * ((qkvBias ? q + 2 * kv : 0) + 2 * h) + h;
    return s;
}

HandSheet sheetFor(const QString &id)
{
    if (id == kQwen15)
        return denseSheet(1536, 28, 12 * 128, 2 * 128, 8960, 151936, true);
    if (id == kQwen7)
        return denseSheet(3584, 28, 28 * 128, 4 * 128, 18944, 152064, true);
    if (id == kQwen14)
        return denseSheet(5120, 48, 40 * 128, 8 * 128, 13824, 152064, true);
    if (id == kQwen32)
        return denseSheet(5120, 64, 40 * 128, 8 * 128, 27648, 152064, true);
    if (id == kLlama8)
        return denseSheet(4096, 32, 32 * 128, 8 * 128, 14336, 128256, false);
    if (id == kLlama70)
        return denseSheet(8192, 80, 64 * 128, 8 * 128, 28672, 128256, false);
    // DeepSeek-V3 / R1: 61 layers (3 dense, 58 MoE), h 7168, 128 heads; MLA q_a [1536, 7168],
    // q_b [128·192, 1536], kv_a [512+64, 7168], kv_b [128·256, 512], o [7168, 128·128];
    // dense MLP I 18432; MoE: 256 routed + 1 shared expert of width 2048, router [256, 7168]
    // (bf16) and its fp32 bias [256]. ⌈576/128⌉ = 5.
    HandSheet s;
    s.linear = 61 * (1536LL * 7168 + 24576LL * 1536 + 576LL * 7168 + 32768LL * 512 + 7168LL * 16384) +
               3 * 3 * 18432LL * 7168 + 58 * 257 * 3 * 2048LL * 7168;
    s.fp8Scales = 61 * (12 * 56 + 192 * 12 + 5 * 56 + 256 * 4 + 56 * 128) + 3 * 3 * (144 * 56) +
                  58 * 257 * 3 * (16 * 56);
    s.int4Scales = 61 * (1536LL * 56 + 24576LL * 12 + 576LL * 56 + 32768LL * 4 + 7168LL * 128) +
                   3 * (2 * 18432LL * 56 + 7168LL * 144) + 58 * 257 * (2 * 2048LL * 56 + 7168LL * 16);
    s.other = 2 * 129280LL * 7168 + 61 * (2 * 7168 + 1536 + 512) + 7168 + 58 * 256LL * 7168;
    s.fp32 = 58 * 256;
    return s;
}

model::ModelSpec load(const QString &id)
{
    Result<model::ModelSpec> spec = model::loadModel(id.toStdString());
    if (!spec)
        qFatal("cannot load %s: %s", qPrintable(id), spec.message().c_str());
    return *spec;
}

GpuSpec gpu(const char *name)
{
    Result<GpuSpec> g = findGpu(name);
    if (!g)
        qFatal("%s", g.message().c_str());
    return *g;
}

SizingResult size(const SizingInput &input)
{
    Result<SizingResult> r = computeSizing(input);
    if (!r)
        qFatal("computeSizing failed: %s", r.message().c_str());
    return *r;
}

SizingInput input(const QString &id, const char *gpuName, WeightDtype dtype = WeightDtype::Auto)
{
    SizingInput in;
    in.model = load(id);
    in.gpu = gpu(gpuName);
    in.weightDtype = dtype;
    in.contextLength = 4096;
    in.concurrency = 1;
    return in;
}

bool anyContains(const std::vector<Message> &messages, const char *needle)
{
    for (const Message &m : messages) {
        if (m.english.find(needle) != std::string::npos)
            return true;
    }
    return false;
}

// The template of `code` in core/sizing's list, or null.
const MessageTemplate *templateOf(const std::string &code)
{
    static const std::vector<MessageTemplate> all = msg::messageTemplates();
    for (const MessageTemplate &t : all) {
        if (t.code == code)
            return &t;
    }
    return nullptr;
}

// A message is its template with its arguments (or literal text without a code), and each
// argument that is a message is one too.
void checkMessage(const Message &m, const std::string &where)
{
    if (m.code.empty()) {
        QVERIFY2(m.args.empty() && m.argMessages.empty(), where.c_str());
        return;
    }
    const MessageTemplate *t = templateOf(m.code);
    QVERIFY2(t, (where + ": unknown code " + m.code).c_str());
    QCOMPARE(m.english, substituteArgs(t->english, m.args));
    for (size_t i = 1; i <= 9; ++i) {
        const bool used = t->english.find("%" + std::to_string(i)) != std::string_view::npos;
        QVERIFY2(!used || i <= m.args.size(), (where + ": " + m.code + " lacks %" + std::to_string(i)).c_str());
    }
    QVERIFY2(m.argMessages.empty() || m.argMessages.size() == m.args.size(), where.c_str());
    for (size_t i = 0; i < m.argMessages.size(); ++i) {
        QCOMPARE(m.argMessages[i].english, m.args[i]);
        checkMessage(m.argMessages[i], where + " arg");
    }
}

} // namespace

class TestSizing : public QObject {
    Q_OBJECT

private slots:
    void everyGpuIsFoundByNameIgnoringCase_data();
    void everyGpuIsFoundByNameIgnoringCase();
    void unknownGpuListsValidNames();
    void customGpuTakesGiB();

    void parameterCountsMatchHandWork_data();
    void parameterCountsMatchHandWork();
    void weightsBytesPerDtype_data();
    void weightsBytesPerDtype();
    void kvBytesPerToken_data();
    void kvBytesPerToken();
    void weightsPerGpuUnderTp_data();
    void weightsPerGpuUnderTp();

    void memFractionPoolArithmetic();
    void sglangDefaultMemFraction_data();
    void sglangDefaultMemFraction();
    void podResourcesFollowStatedRules();
    void decodeCeilingIsBandwidthOverBytesRead();

    void smallestValidTpThatFits_data();
    void smallestValidTpThatFits();
    void forcedTpProblemsAreErrors_data();
    void forcedTpProblemsAreErrors();
    void doesNotFitSaysWhy();
    void warningsForRiskyChoices();
    void badInputIsRejected_data();
    void badInputIsRejected();

    void jsonCarriesFiguresWithFormulas();
    void messagesAreTemplatesWithArguments_data();
    void messagesAreTemplatesWithArguments();
    void messageCodesAreUniqueAndSubstitutionIsOnePass();
    void textShowsFiguresAndFormulas();
    void guideTableIsUnderstated();
};

void TestSizing::everyGpuIsFoundByNameIgnoringCase_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<qint64>("memoryBytes");
    QTest::addColumn<double>("bandwidthTBps");
    // Datasheet memory, GB × 10^9.
    QTest::addRow("H20") << "h20" << "H20" << 96'000'000'000LL << 4.0;
    QTest::addRow("H100") << "H100" << "H100" << 80'000'000'000LL << 3.35;
    QTest::addRow("H100-PCIe") << "h100-pcie" << "H100-PCIe" << 80'000'000'000LL << 2.0;
    QTest::addRow("H200") << "h200" << "H200" << 141'000'000'000LL << 4.8;
    QTest::addRow("H800") << "H800" << "H800" << 80'000'000'000LL << 3.35;
    QTest::addRow("A100-80G") << "a100-80g" << "A100-80G" << 80'000'000'000LL << 2.04;
    QTest::addRow("A100-40G") << "A100-40G" << "A100-40G" << 40'000'000'000LL << 1.56;
    QTest::addRow("A800") << "a800" << "A800" << 80'000'000'000LL << 2.04;
    QTest::addRow("L40S") << "l40s" << "L40S" << 48'000'000'000LL << 0.864;
    QTest::addRow("L20") << "L20" << "L20" << 48'000'000'000LL << 0.864;
    QTest::addRow("A10") << "a10" << "A10" << 24'000'000'000LL << 0.6;
    QTest::addRow("L4") << "l4" << "L4" << 24'000'000'000LL << 0.3;
    QTest::addRow("RTX4090") << "rtx4090" << "RTX4090" << 24'000'000'000LL << 1.0;
    QTest::addRow("B200") << "b200" << "B200" << 180'000'000'000LL << 8.0;
    QTest::addRow("alias 4090") << "4090" << "RTX4090" << 24'000'000'000LL << 1.0;
    QTest::addRow("alias A100") << "A100" << "A100-80G" << 80'000'000'000LL << 2.04;
}

void TestSizing::everyGpuIsFoundByNameIgnoringCase()
{
    QFETCH(QString, name);
    QFETCH(QString, canonical);
    QFETCH(qint64, memoryBytes);
    QFETCH(double, bandwidthTBps);
    Result<GpuSpec> g = findGpu(name.toStdString());
    QVERIFY2(g.ok(), g.ok() ? "" : g.message().c_str());
    QCOMPARE(QString::fromStdString(g->name), canonical);
    QCOMPARE(qint64(g->memoryBytes), memoryBytes);
    QCOMPARE(g->bandwidthBytesPerS, bandwidthTBps * 1e12);
    QVERIFY(g->arch != GpuArch::Unknown);
}

void TestSizing::unknownGpuListsValidNames()
{
    Result<GpuSpec> g = findGpu("V100");
    QVERIFY(!g.ok());
    const QString message = QString::fromStdString(g.message());
    QVERIFY2(message.contains("'V100'"), qPrintable(message));
    for (const char *name : {"H20", "H100", "H100-PCIe", "H200", "H800", "A100-80G", "A100-40G", "A800", "L40S", "L20",
                             "A10", "L4", "RTX4090", "B200"})
        QVERIFY2(message.contains(name), qPrintable(message));
    QVERIFY(message.contains("--gpu-memory"));
}

void TestSizing::customGpuTakesGiB()
{
    const GpuSpec g = customGpu(79.6);
    QCOMPARE(qint64(g.memoryBytes), qint64(std::llround(79.6 * 1073741824.0))); // 85,469,849,190 B
    QCOMPARE(qint64(g.memoryBytes), 85'469'849'190LL);
    QVERIFY(g.custom);

    SizingInput in;
    in.model = load(kQwen7);
    in.gpu = g;
    in.contextLength = 4096;
    in.memFraction = 0.9;
    const SizingResult r = size(in);
    QCOMPARE(qint64(r.gpuMemoryBytes), 85'469'849'190LL);
    QCOMPARE(qint64(r.staticBytes), qint64(std::llround(0.9 * 85'469'849'190.0))); // 76,922,864,271
    QCOMPARE(r.decodeCeilingTokensPerS, 0.0);
    QVERIFY(anyContains(r.warnings, "bandwidth is unknown"));
    const QJsonObject json = QJsonDocument::fromJson(QByteArray::fromStdString(sizingToJson(r))).object();
    QVERIFY(json.value("decode_ceiling_tokens_per_s").isNull());

    const GpuSpec withBandwidth = customGpu(24, 1.0);
    QCOMPARE(qint64(withBandwidth.memoryBytes), 24 * GiB);
    QCOMPARE(withBandwidth.bandwidthBytesPerS, 1e12);
}

void TestSizing::parameterCountsMatchHandWork_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<qint64>("params");
    // Published sizes: 1.78 B, 7.62 B, 14.8 B, 32.8 B, 8.03 B, 70.6 B, 671 B.
    QTest::addRow("1.5B") << kQwen15 << 1'777'088'000LL;
    QTest::addRow("7B") << kQwen7 << 7'615'616'512LL;
    QTest::addRow("14B") << kQwen14 << 14'770'033'664LL;
    QTest::addRow("32B") << kQwen32 << 32'763'876'352LL;
    QTest::addRow("Llama-8B") << kLlama8 << 8'030'261'248LL;
    QTest::addRow("Llama-70B") << kLlama70 << 70'553'706'496LL;
    QTest::addRow("V3") << kV3 << 671'026'419'200LL;
    QTest::addRow("R1") << kR1 << 671'026'419'200LL;
}

void TestSizing::parameterCountsMatchHandWork()
{
    QFETCH(QString, id);
    QFETCH(qint64, params);
    QCOMPARE(sheetFor(id).params(), params); // the hand sheet itself adds up
    const model::ModelSpec spec = load(id);
    const WeightLayout layout = buildWeightLayout(spec);
    QCOMPARE(qint64(layoutParameterCount(layout, false)), params);
    QCOMPARE(qint64(model::mainParameterCount(spec)), params);        // agrees with core/model
    QCOMPARE(qint64(activeParameterCount(layout)), qint64(model::activeParameterCountPerToken(spec)));
    QCOMPARE(qint64(layoutParameterCount(layout, true)), qint64(params + model::mtpParameterCount(spec)));
}

void TestSizing::weightsBytesPerDtype_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<qint64>("bytes");
    for (const char *id : {kQwen15, kQwen7, kQwen14, kQwen32, kLlama8, kLlama70, kV3, kR1}) {
        const HandSheet s = sheetFor(id);
        const QString name = QString(id).section('/', 1);
        // bf16/fp16: 2 B a parameter (V3's fp32 router bias stays 4 B).
        const qint64 wide = (s.linear + s.other) * 2 + s.fp32 * 4;
        // fp8: 1 B a linear parameter + 4 B a block scale; the rest bf16.
        const qint64 fp8 = s.linear + s.fp8Scales * 4 + s.other * 2 + s.fp32 * 4;
        // int4: 0.5 B a linear parameter + 2 B a group scale; the rest bf16.
        const qint64 int4 = s.linear / 2 + s.int4Scales * 2 + s.other * 2 + s.fp32 * 4;
        QTest::addRow("%s bf16", qPrintable(name)) << id << "bf16" << wide;
        QTest::addRow("%s fp16", qPrintable(name)) << id << "fp16" << wide;
        QTest::addRow("%s fp8", qPrintable(name)) << id << "fp8" << fp8;
        QTest::addRow("%s int4", qPrintable(name)) << id << "int4" << int4;
    }
    // Spelled out once, for the record:
    // 7B bf16 = 7,615,616,512 × 2 = 15,231,233,024 B.
    QTest::addRow("7B bf16 literal") << kQwen7 << "bf16" << 15'231'233'024LL;
    // 7B fp8 = linear 28 × 233,046,016 = 6,525,288,448 × 1 B + scales 28 × 14,224 = 398,272 × 4 B
    //        + other 1,090,328,064 × 2 B = 8,707,537,664 B.
    QTest::addRow("7B fp8 literal") << kQwen7 << "fp8" << 8'707'537'664LL;
    // 7B int4 = 6,525,288,448 × 0.5 + scales 28 × 1,820,672 = 50,978,816 × 2 B + 1,090,328,064 × 2 B
    //         = 5,545,257,984 B.
    QTest::addRow("7B int4 literal") << kQwen7 << "int4" << 5'545'257'984LL;
    // V3 fp8 (its published form, without the MTP layer) = linear 669,065,609,216 × 1 B
    //   + 40,838,232 block scales × 4 B + 1,960,795,136 bf16 params × 2 B + 14,848 fp32 × 4 B.
    QTest::addRow("V3 fp8 literal") << kV3 << "fp8" << 673'150'611'808LL;
    QTest::addRow("V3 auto is fp8") << kV3 << "auto" << 673'150'611'808LL;
    QTest::addRow("7B auto is bf16") << kQwen7 << "auto" << 15'231'233'024LL;
}

void TestSizing::weightsBytesPerDtype()
{
    QFETCH(QString, id);
    QFETCH(QString, dtype);
    QFETCH(qint64, bytes);
    SizingInput in = input(id, "H200");
    in.weightDtype = *parseWeightDtype(dtype.toStdString());
    in.gpusPerNode = 8;
    const SizingResult r = size(in);
    QCOMPARE(qint64(r.weightsBytes), bytes);
    const Figure *f = r.figure("weights_bytes");
    QVERIFY(f);
    QCOMPARE(qint64(f->value), bytes);
    QVERIFY2(QString::fromStdString(f->formula).endsWith(QString::fromStdString("= " + formatInt(bytes) + " B")),
             f->formula.c_str());
}

void TestSizing::kvBytesPerToken_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("kvDtype");
    QTest::addColumn<qint64>("perToken");
    // Standard attention: 2 × layers × KV heads × head dim × bytes.
    QTest::addRow("1.5B bf16") << kQwen15 << "auto" << 2LL * 28 * 2 * 128 * 2;   // 28,672
    QTest::addRow("7B bf16") << kQwen7 << "bf16" << 2LL * 28 * 4 * 128 * 2;      // 57,344
    QTest::addRow("7B fp8") << kQwen7 << "fp8" << 2LL * 28 * 4 * 128 * 1;        // 28,672
    QTest::addRow("14B bf16") << kQwen14 << "auto" << 2LL * 48 * 8 * 128 * 2;    // 196,608
    QTest::addRow("32B bf16") << kQwen32 << "auto" << 2LL * 64 * 8 * 128 * 2;    // 262,144
    QTest::addRow("Llama-8B bf16") << kLlama8 << "auto" << 2LL * 32 * 8 * 128 * 2; // 131,072
    QTest::addRow("Llama-70B bf16") << kLlama70 << "auto" << 2LL * 80 * 8 * 128 * 2; // 327,680
    QTest::addRow("Llama-70B fp8") << kLlama70 << "fp8" << 2LL * 80 * 8 * 128 * 1;   // 163,840
    // MLA: layers × (kv_lora + qk_rope) × bytes; auto = bf16 even though the weights are fp8.
    QTest::addRow("V3 bf16") << kV3 << "auto" << 61LL * (512 + 64) * 2; // 70,272
    QTest::addRow("R1 fp8") << kR1 << "fp8" << 61LL * (512 + 64) * 1;   // 35,136
    QCOMPARE(61LL * (512 + 64) * 2, 70'272LL);
    QCOMPARE(2LL * 28 * 4 * 128 * 2, 57'344LL);
}

void TestSizing::kvBytesPerToken()
{
    QFETCH(QString, id);
    QFETCH(QString, kvDtype);
    QFETCH(qint64, perToken);
    SizingInput in = input(id, "H200");
    in.kvDtype = *parseKvDtype(kvDtype.toStdString());
    const SizingResult r = size(in);
    QCOMPARE(qint64(r.kvBytesPerToken), perToken);
    QCOMPARE(qint64(r.figure("kv_bytes_per_token")->value), perToken);
}

void TestSizing::weightsPerGpuUnderTp_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<int>("tp");
    QTest::addColumn<qint64>("perGpuWeights");
    QTest::addColumn<qint64>("kvPerGpu");

    // 7B bf16 TP 1: everything.
    QTest::addRow("7B bf16 tp1") << kQwen7 << "bf16" << 1 << 15'231'233'024LL << 57'344LL;
    // 7B bf16 TP 2: sharded 28 × (233,046,016 linear + 4,608 bias) ÷ 2 × 2 B = 6,525,417,472;
    // vocab-parallel 2 tables × 76,032 rows × 3,584 × 2 B = 1,089,994,752;
    // replicated norms (28 × 7,168 + 3,584) × 2 B = 408,576. KV: 2 of 4 heads per GPU.
    QTest::addRow("7B bf16 tp2") << kQwen7 << "bf16" << 2
                                 << (28LL * (233'046'016 + 4'608) / 2 * 2 + 2LL * 76'032 * 3'584 * 2 +
                                     (28LL * 7'168 + 3'584) * 2)
                                 << 2LL * 28 * 2 * 128 * 2;
    // 1.5B bf16 TP 4: 12 heads → 3 per GPU; the 2 KV heads are replicated (1 per GPU, 128 rows).
    // Per layer: q 384×1536 + bias 384, k/v 2 × (128×1536 + 128), o 1536×384, MLP 3 × 2240×1536.
    QTest::addRow("1.5B bf16 tp4 kv replicated")
        << kQwen15 << "bf16" << 4
        << (28LL * (384 * 1536 + 384 + 2 * (128 * 1536 + 128) + 1536 * 384 + 3 * 2240 * 1536) +
            2LL * (151'936 / 4) * 1536 + 28LL * 2 * 1536 + 1536) * 2
        << 2LL * 28 * 1 * 128 * 2; // one whole KV head per GPU, not half
    // 70B bf16 TP 8: 64/8 heads, 8/8 KV heads, MLP 28672/8 = 3584 rows, vocab 128256/8 = 16032.
    QTest::addRow("70B bf16 tp8")
        << kLlama70 << "bf16" << 8
        << (80LL * (1024 * 8192 + 2 * 128 * 8192 + 8192 * 1024 + 3 * 3584 * 8192) + 2LL * 16'032 * 8192 +
            80LL * 2 * 8192 + 8192) * 2
        << 2LL * 80 * 1 * 128 * 2;
    // V3 fp8 TP 16, per GPU:
    //  attention per layer: replicated q_a 1536×7168 (+12×56 scales) and kv_a 576×7168 (+5×56),
    //  norms (2×7168 + 1536 + 512) bf16; column q_b 1536×1536 (+12×12), kv_b 2048×512 (+16×4);
    //  row o 7168×1024 (+56×8).
    //  dense MLP (3 layers): gate/up 1152×7168 (+9×56) each, down 7168×1152 (+56×9).
    //  MoE (58 layers): router 256×7168 bf16 + 256 fp32; 257 experts of gate/up 128×7168 (+1×56)
    //  and down 7168×128 (+56×1).
    //  vocab-parallel embed/head 2 × 8080 × 7168 bf16; final norm 7168 bf16.
    //  KV: the MLA latent is replicated: 61 × 576 × 2 on every GPU.
    QTest::addRow("V3 fp8 tp16")
        << kV3 << "fp8" << 16
        << (61LL * ((1536LL * 7168 + 12 * 56 * 4) + (576LL * 7168 + 5 * 56 * 4) + (2 * 7168 + 1536 + 512) * 2 +
                    (1536LL * 1536 + 12 * 12 * 4) + (2048LL * 512 + 16 * 4 * 4) + (7168LL * 1024 + 56 * 8 * 4)) +
            3LL * (2 * (1152LL * 7168 + 9 * 56 * 4) + (7168LL * 1152 + 56 * 9 * 4)) +
            58LL * (256LL * 7168 * 2 + 256 * 4 + 257 * (2 * (128LL * 7168 + 56 * 4) + (7168LL * 128 + 56 * 4))) +
            2LL * 8080 * 7168 * 2 + 7168 * 2)
        << 61LL * 576 * 2;
}

void TestSizing::weightsPerGpuUnderTp()
{
    QFETCH(QString, id);
    QFETCH(QString, dtype);
    QFETCH(int, tp);
    QFETCH(qint64, perGpuWeights);
    QFETCH(qint64, kvPerGpu);
    SizingInput in = input(id, "H200");
    in.weightDtype = *parseWeightDtype(dtype.toStdString());
    in.tensorParallel = tp;
    in.gpusPerNode = 8;
    const SizingResult r = size(in);
    QCOMPARE(r.tp, tp);
    QCOMPARE(qint64(r.perGpuWeightsBytes), perGpuWeights);
    QCOMPARE(qint64(r.kvBytesPerTokenPerGpu), kvPerGpu);
    QVERIFY(r.figure("per_gpu_weights_bytes")->formula.find(formatInt(perGpuWeights)) != std::string::npos);
}

void TestSizing::memFractionPoolArithmetic()
{
    // The guide's 7B deployment: H100, --mem-fraction-static 0.93, 20 sequences of 4,096 tokens.
    SizingInput in = input(kQwen7, "H100");
    in.memFraction = 0.93;
    in.concurrency = 20;
    const SizingResult r = size(in);
    QCOMPARE(qint64(r.staticBytes), 74'400'000'000LL);              // 0.93 × 80,000,000,000
    QCOMPARE(qint64(r.reserveBytes), 5'600'000'000LL);              // (1 − 0.93) × 80,000,000,000
    QCOMPARE(qint64(r.kvPoolBytes), 74'400'000'000LL - 15'231'233'024LL); // 59,168,766,976
    QCOMPARE(qint64(r.kvCapacityTokens), 59'168'766'976LL / 57'344);      // 1,031,821 tokens
    QCOMPARE(qint64(r.kvCapacityTokens), 1'031'821LL);
    QCOMPARE(qint64(r.kvNeededTokens), 4096LL * 20);
    QVERIFY(r.fits);
    QCOMPARE(r.tp, 1);
    QVERIFY(!r.memFractionIsDefault);
    QCOMPARE(QString::fromStdString(r.figure("kv_pool_bytes")->formula),
             QString("74,400,000,000 B static − 15,231,233,024 B weights = 59,168,766,976 B"));
    // Reserve estimate: 1 GiB + 8,192 × (2 × 3,584 + 3 × 18,944) × 2 B + 20 × 152,064 × 4 B.
    QCOMPARE(qint64(r.reserveNeededBytes), GiB + 8192LL * (2 * 3584 + 3 * 18944) * 2 + 20LL * 152064 * 4);
    QVERIFY(r.reserveBytes > r.reserveNeededBytes);

    // Pool exactly full at TP 1: capacity tokens fit, one more token does not.
    in.tensorParallel = 1;
    in.contextLength = 1'031'821;
    in.concurrency = 1;
    QVERIFY(size(in).fits);
    in.contextLength = 1'031'822;
    QVERIFY(!size(in).fits);
}

void TestSizing::sglangDefaultMemFraction_data()
{
    QTest::addColumn<QString>("gpu");
    QTest::addColumn<int>("tp");
    QTest::addColumn<double>("fraction");
    // round((MiB − reserve GiB × 1,024) ÷ MiB, 3), MiB = datasheet GB × 1000.
    QTest::addRow("H100 tp1") << "H100" << 1 << 0.872;   // (80,000 − (9.5 + 0.5) × 1,024) ÷ 80,000 = 0.872
    QTest::addRow("H100 tp2") << "H100" << 2 << 0.866;   // (80,000 − 10.5 × 1,024) ÷ 80,000 = 0.8656
    QTest::addRow("H100 tp16") << "H100" << 16 << 0.776; // (80,000 − 17.5 × 1,024) ÷ 80,000 = 0.776
    QTest::addRow("L4 tp1") << "L4" << 1 << 0.876;       // (24,000 − 2.9 × 1,024) ÷ 24,000 = 0.87627
    QTest::addRow("H20 tp8") << "H20" << 8 << 0.829;     // (96,000 − 16 × 1,024) ÷ 96,000 = 0.82933
    QTest::addRow("H200 tp8") << "H200" << 8 << 0.884;   // (141,000 − 16 × 1,024) ÷ 141,000 = 0.88380
    QTest::addRow("B200 tp8") << "B200" << 8 << 0.818;   // (180,000 − 32 × 1,024) ÷ 180,000 = 0.81796
}

void TestSizing::sglangDefaultMemFraction()
{
    QFETCH(QString, gpu);
    QFETCH(int, tp);
    QFETCH(double, fraction);
    QCOMPARE(sizing::sglangDefaultMemFraction(::gpu(qPrintable(gpu)), tp), fraction);
}

void TestSizing::podResourcesFollowStatedRules()
{
    SizingInput in = input(kQwen7, "H100");
    in.memFraction = 0.93;
    SizingResult r = size(in);
    QCOMPARE(r.cpuCores, 4 + 4 * 1);
    QCOMPARE(qint64(r.shmBytes), 4 * GiB);
    // ⌈(15,231,233,024 × 1.10 + 8 GiB + 2 GiB + 4 GiB) ÷ GiB⌉ = ⌈29.6⌉ = 30 GiB.
    QCOMPARE(qint64(r.hostMemoryBytes), 30 * GiB);
    QCOMPARE(qint64(r.checkpointBytes), 15'231'233'024LL);
    // ⌈15,231,233,024 × 1.15 ÷ GiB⌉ = ⌈16.31⌉ = 17 GiB.
    QCOMPARE(qint64(r.volumeBytes), 17 * GiB);

    // fp8 served from the bf16 checkpoint: the volume still holds bf16.
    in.weightDtype = WeightDtype::Fp8;
    r = size(in);
    QCOMPARE(r.checkpointDtype, WeightDtype::Bf16);
    QCOMPARE(qint64(r.checkpointBytes), 15'231'233'024LL);
    QCOMPARE(qint64(r.weightsBytes), 8'707'537'664LL);

    // V3's checkpoint on disk includes the MTP layer: 688,574,839,360 B computed from the shapes
    // (main 673,150,611,808 + MTP: one MoE layer, eh_proj 7168 × 14336 bf16, three norms and
    // copies of embed_tokens and the head).
    const qint64 mtp = (187'105'280LL + 257 * 3 * 2048LL * 7168) +               // linear, fp8
                       (11'448LL + 257 * 3 * 896) * 4 +                           // block scales
                       (2 * 7168 + 1536 + 512 + 256LL * 7168 + 3 * 7168 + 7168LL * 14336 + 2 * 129280LL * 7168) * 2 +
                       256 * 4;                                                   // router bias
    QCOMPARE(673'150'611'808LL + mtp, 688'574'839'360LL);
    SizingInput v3 = input(kV3, "H100");
    r = size(v3);
    QCOMPARE(qint64(r.checkpointBytes), 688'574'839'360LL);
    QCOMPARE(r.nodes, 2);
    QCOMPARE(r.gpusPerNode, 8);
    QCOMPARE(r.cpuCores, 4 + 4 * 8);
    QCOMPARE(qint64(r.shmBytes), 32 * GiB);
}

void TestSizing::decodeCeilingIsBandwidthOverBytesRead()
{
    SizingInput in = input(kQwen7, "H100");
    in.memFraction = 0.93;
    const SizingResult r = size(in);
    // Weights read: 15,231,233,024 − embedding 152,064 × 3,584 × 2 + one row 3,584 × 2
    // = 14,141,245,440 B; KV at full context 4,096 × 57,344 = 234,881,024 B.
    const qint64 step = 15'231'233'024LL - 152'064LL * 3'584 * 2 + 3'584 * 2 + 4'096LL * 57'344;
    QCOMPARE(qint64(r.decodeBytesPerStepPerGpu), step); // 14,376,126,464
    QCOMPARE(r.decodeCeilingTokensPerS, 3.35e12 / double(step)); // ≈ 233.0 tokens/s
    QVERIFY(std::fabs(r.decodeCeilingTokensPerS - 233.0) < 0.1);
    QVERIFY(r.figure("decode_ceiling_tokens_per_s")->formula.find("ceiling") != std::string::npos);
    // One sequence: the batch ceiling is the same number.
    QCOMPARE(r.decodeCeilingBatchTokensPerS, r.decodeCeilingTokensPerS);

    // 8 sequences share one read of the weights: 8 × 3.35e12 ÷ (14,141,245,440 + 7 more embedding
    // rows + 8 × 234,881,024).
    in.concurrency = 8;
    const SizingResult batch = size(in);
    const double step8 = 14'141'245'440.0 + 7 * 3'584 * 2 + 8 * 234'881'024.0;
    QVERIFY(std::fabs(batch.decodeCeilingBatchTokensPerS - 8 * 3.35e12 / step8) < 1e-6);
}

void TestSizing::smallestValidTpThatFits_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QString>("gpu");
    QTest::addColumn<int>("gpusPerNode");
    QTest::addColumn<double>("memFraction"); // 0: SGLang's default
    QTest::addColumn<qint64>("context");
    QTest::addColumn<qint64>("concurrency");
    QTest::addColumn<int>("tp");
    QTest::addColumn<int>("nodes");
    QTest::addColumn<bool>("fits");

    // 7B bf16 (15.2 GB) on one H100 with 20 × 4,096 tokens (4.7 GB of KV): TP 1.
    QTest::addRow("7B bf16 H100") << kQwen7 << "bf16" << "H100" << 8 << 0.0 << 4096LL << 20LL << 1 << 1 << true;
    // 70B bf16 (141.1 GB), SGLang's default fraction: TP 2 leaves 0.866 × 80 GB = 69.3 GB for
    // 70.6 GB per GPU — no; TP 4: 0.846 × 80 GB = 67.7 GB for 35.3 GB — fits.
    QTest::addRow("70B bf16 H100x8 default") << kLlama70 << "bf16" << "H100" << 8 << 0.0 << 4096LL << 1LL << 4 << 1 << true;
    // With the guide's 0.93: TP 2 has 74.4 − 70.6 = 3.8 GB of pool; 4,096 tokens need
    // 4,096 × 163,840 B = 0.67 GB: TP 2.
    QTest::addRow("70B bf16 H100x8 0.93") << kLlama70 << "bf16" << "H100" << 8 << 0.93 << 4096LL << 1LL << 2 << 1 << true;
    // 8 sequences of 131,072 tokens: TP 4 needs 1,048,576 × 81,920 B = 85.9 GB of KV per GPU —
    // no; TP 8: 1,048,576 × 40,960 B = 42.9 GB in a 74.4 − 17.6 GB pool — fits.
    QTest::addRow("70B bf16 long context") << kLlama70 << "bf16" << "H100" << 8 << 0.93 << 131072LL << 8LL << 8 << 1 << true;
    // 32B bf16 (65.5 GB) on L4s (24 GB): TP 2 gives 32.8 GB per GPU > 0.872 × 24 GB; TP 4 (40
    // heads, 8 KV heads: 4 divides both) gives 16.4 GB < 0.868 × 24 = 20.8 GB.
    QTest::addRow("32B bf16 L4x8") << kQwen32 << "bf16" << "L4" << 8 << 0.0 << 4096LL << 1LL << 4 << 1 << true;
    // The same on nodes of 2 L4s: TP 4 is 2 whole nodes.
    QTest::addRow("32B bf16 L4x2 nodes") << kQwen32 << "bf16" << "L4" << 2 << 0.0 << 4096LL << 1LL << 4 << 2 << true;
    // V3 fp8 (673 GB): 8 × H100 hold 84.6 GB per GPU > 80 GB; 2 nodes (TP 16) hold 42.7 GB.
    QTest::addRow("V3 fp8 H100 2 nodes") << kV3 << "auto" << "H100" << 8 << 0.0 << 4096LL << 1LL << 16 << 2 << true;
    QTest::addRow("R1 fp8 H100 0.93") << kR1 << "fp8" << "H100" << 8 << 0.93 << 4096LL << 1LL << 16 << 2 << true;
    // 8 × H200 (141 GB) hold it on one node.
    QTest::addRow("V3 fp8 H200x8") << kV3 << "auto" << "H200" << 8 << 0.0 << 4096LL << 1LL << 8 << 1 << true;
    // 7B int4 (5.5 GB) fits one L4.
    QTest::addRow("7B int4 L4") << kQwen7 << "int4" << "L4" << 1 << 0.0 << 4096LL << 4LL << 1 << 1 << true;
    // 70B bf16 on single-GPU L4 nodes: every TP up to 64 heads is whole nodes; TP 8 leaves
    // 17.6 GB per GPU < 0.857 × 24 GB... TP 8 fits.
    QTest::addRow("70B bf16 L4x1 nodes") << kLlama70 << "bf16" << "L4" << 1 << 0.0 << 4096LL << 1LL << 8 << 8 << true;
    // Nothing fits: V3 bf16 (1.34 TB) on A10s (24 GB). The largest valid TP, 128 (16 nodes), holds
    // 12.5 GB per GPU, but SGLang's default reserve grows with TP on small cards, (2.8 + 128 ÷ 10)
    // GiB, leaving a static share of 0.334 × 24 GB = 8.0 GB: reported at TP 128, not fitting.
    QTest::addRow("V3 bf16 A10 too big") << kV3 << "bf16" << "A10" << 8 << 0.0 << 4096LL << 1LL << 128 << 16 << false;
}

void TestSizing::smallestValidTpThatFits()
{
    QFETCH(QString, id);
    QFETCH(QString, dtype);
    QFETCH(QString, gpu);
    QFETCH(int, gpusPerNode);
    QFETCH(double, memFraction);
    QFETCH(qint64, context);
    QFETCH(qint64, concurrency);
    QFETCH(int, tp);
    QFETCH(int, nodes);
    QFETCH(bool, fits);
    SizingInput in = input(id, qPrintable(gpu), *parseWeightDtype(dtype.toStdString()));
    in.gpusPerNode = gpusPerNode;
    if (memFraction > 0)
        in.memFraction = memFraction;
    in.contextLength = context;
    in.concurrency = concurrency;
    const SizingResult r = size(in);
    QCOMPARE(r.tp, tp);
    QCOMPARE(r.nodes, nodes);
    QCOMPARE(r.fits, fits);
    QCOMPARE(r.deployable(), fits);
    QCOMPARE(r.gpusPerNode, std::min(tp, gpusPerNode));
    QVERIFY(tpProblems(in.model, r.weightDtype, r.tp).empty());
    // The chosen TP is the first valid one that fits; every valid one before it doesn't.
    for (const TpCandidate &c : r.tpSearch) {
        if (c.tp == r.tp)
            break;
        QVERIFY2(!c.valid || !c.fits, qPrintable(QString("TP %1 fits but was skipped").arg(c.tp)));
    }
}

void TestSizing::forcedTpProblemsAreErrors_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<int>("gpusPerNode");
    QTest::addColumn<int>("tp");
    QTest::addColumn<QString>("message");

    QTest::addRow("7B tp3 heads") << kQwen7 << "bf16" << 8 << 3
                                  << "--tp 3: TP 3 does not divide the 28 attention heads; valid TP sizes: 1, 2, 4";
    QTest::addRow("7B tp8 heads") << kQwen7 << "bf16" << 8 << 8 << "does not divide the 28 attention heads";
    QTest::addRow("14B tp5 kv heads") << kQwen14 << "bf16" << 8 << 5 << "the 8 KV heads: one must be a multiple of the other";
    QTest::addRow("1.5B tp6 mlp") << kQwen15 << "bf16" << 8 << 6 << "does not divide the MLP width 8960";
    QTest::addRow("70B tp4 over 3-GPU nodes") << kLlama70 << "bf16" << 3 << 4 << "a multi-node TP must fill whole nodes";
    // V3 fp8 at TP 32: 2048 ÷ 32 = 64 rows per expert, not whole 128 × 128 blocks.
    QTest::addRow("V3 tp32 fp8 blocks") << kV3 << "fp8" << 8 << 32 << "not whole 128 × 128 fp8 blocks";
    // 7B int4 at TP 4 is fine (18944 ÷ 4 = 4736 = 37 × 128); 1.5B int4 at TP 4: 8960 ÷ 4 = 2240.
    QTest::addRow("1.5B tp4 int4 groups") << kQwen15 << "int4" << 8 << 4 << "not whole int4 groups of 128";
}

void TestSizing::forcedTpProblemsAreErrors()
{
    QFETCH(QString, id);
    QFETCH(QString, dtype);
    QFETCH(int, gpusPerNode);
    QFETCH(int, tp);
    QFETCH(QString, message);
    SizingInput in = input(id, "H200", *parseWeightDtype(dtype.toStdString()));
    in.gpusPerNode = gpusPerNode;
    in.tensorParallel = tp;
    const SizingResult r = size(in);
    QCOMPARE(r.tp, tp);
    QVERIFY(r.tpForced);
    QVERIFY(!r.tpValid);
    QVERIFY(!r.deployable());
    QVERIFY2(anyContains(r.errors, qPrintable(message)),
             qPrintable(QString::fromStdString(r.errors.empty() ? std::string("no errors") : r.errors.front().english)));
    // The same model at a valid forced TP has no TP error.
    in.tensorParallel = 1;
    in.gpusPerNode = 8;
    QVERIFY(size(in).tpValid);
}

void TestSizing::doesNotFitSaysWhy()
{
    // 70B bf16 on a single L4: weights alone exceed it.
    SizingInput in = input(kLlama70, "L4", WeightDtype::Bf16);
    in.gpusPerNode = 1;
    in.tensorParallel = 1;
    SizingResult r = size(in);
    QVERIFY(!r.fits);
    QVERIFY(r.kvPoolBytes < 0);
    QCOMPARE(qint64(r.kvCapacityTokens), 0LL);
    QVERIFY(anyContains(r.errors, "does not fit on 1 × L4"));
    QVERIFY(anyContains(r.errors, "exceed the static share"));

    // 7B on one L4: the weights fit (15.2 of 0.876 × 24 = 21.0 GB), 4 × 131,072 tokens of KV don't:
    // pool 21,024,000,000 − 15,231,233,024 = 5,792,766,976 B ÷ 57,344 = 101,017 tokens < 524,288.
    in = input(kQwen7, "L4", WeightDtype::Bf16);
    in.gpusPerNode = 1;
    in.tensorParallel = 1;
    in.contextLength = 131072;
    in.concurrency = 4;
    r = size(in);
    QVERIFY(!r.fits);
    QCOMPARE(qint64(r.staticBytes), 21'024'000'000LL); // 0.876 × 24,000,000,000
    QCOMPARE(qint64(r.kvCapacityTokens), (21'024'000'000LL - 15'231'233'024LL) / 57'344);
    QVERIFY(anyContains(r.errors, "holds 101,017 tokens but context × concurrency needs 524,288"));
}

void TestSizing::warningsForRiskyChoices()
{
    // fp8 weights on an A100 (no FP8 tensor cores).
    SizingInput in = input(kQwen7, "A100-80G", WeightDtype::Fp8);
    SizingResult r = size(in);
    QVERIFY(anyContains(r.warnings, "has no FP8 tensor cores"));
    QVERIFY(anyContains(r.warnings, "quantises at load with --quantization fp8"));
    // V3 (MLA, FP8) on A100s: both the MLA and the FP8 warnings.
    in = input(kV3, "A100-80G");
    r = size(in);
    QVERIFY(anyContains(r.warnings, "uses MLA"));
    QVERIFY(anyContains(r.warnings, "has no FP8 tensor cores"));
    // ... not on H100.
    in = input(kV3, "H100");
    r = size(in);
    QVERIFY(!anyContains(r.warnings, "uses MLA"));
    QVERIFY(!anyContains(r.warnings, "FP8 tensor cores"));
    QVERIFY(anyContains(r.warnings, "spans 2 nodes"));
    // int4 needs a pre-quantised checkpoint.
    in = input(kQwen7, "L4", WeightDtype::Int4);
    QVERIFY(anyContains(size(in).warnings, "pre-quantised checkpoint"));
    // fp16 of a bf16-trained model (the guide's assumption).
    in = input(kQwen7, "H100", WeightDtype::Fp16);
    QVERIFY(anyContains(size(in).warnings, "trained in bf16"));
    // KV heads replicated beyond TP 2 for 1.5B.
    in = input(kQwen15, "H100");
    in.tensorParallel = 4;
    r = size(in);
    QVERIFY(r.deployable());
    QVERIFY(anyContains(r.warnings, "exceeds the 2 KV heads"));
    // A fraction that leaves too little reserve: 0.99 × 80 GB leaves 0.8 GB, below
    // 1 GiB + 8,192 × (2 × 3,584 + 3 × 18,944) × 2 B + 152,064 × 4 B ≈ 2.12 GB.
    in = input(kQwen7, "H100");
    in.memFraction = 0.99;
    r = size(in);
    QVERIFY(r.fits);
    QVERIFY(anyContains(r.warnings, "lower --mem-fraction-static to 0.97"));
    // Context beyond the model's positions.
    in = input(kQwen7, "H200");
    in.contextLength = 200'000;
    QVERIFY(anyContains(size(in).warnings, "exceeds the model's 131,072 positions"));
    // A clean case has no warnings at all.
    in = input(kQwen7, "H100");
    r = size(in);
    QVERIFY2(r.warnings.empty(), r.warnings.empty() ? "" : r.warnings.front().english.c_str());
}

void TestSizing::badInputIsRejected_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");
    QTest::addRow("concurrency 0") << "concurrency" << "concurrency must be at least 1";
    QTest::addRow("negative context") << "context" << "context length must be positive";
    QTest::addRow("fraction 1.2") << "fraction" << "--mem-fraction-static must be between 0 and 1";
    QTest::addRow("gpus per node 0") << "gpusPerNode" << "GPUs per node must be at least 1";
    QTest::addRow("tp 0") << "tp" << "--tp must be at least 1";
    QTest::addRow("empty model") << "model" << "has no layers";
    QTest::addRow("zero memory") << "memory" << "GPU memory must be positive";
}

void TestSizing::badInputIsRejected()
{
    QFETCH(QString, field);
    QFETCH(QString, message);
    SizingInput in = input(kQwen7, "H100");
    if (field == "concurrency")
        in.concurrency = 0;
    else if (field == "context")
        in.contextLength = -1;
    else if (field == "fraction")
        in.memFraction = 1.2;
    else if (field == "gpusPerNode")
        in.gpusPerNode = 0;
    else if (field == "tp")
        in.tensorParallel = 0;
    else if (field == "model")
        in.model = model::ModelSpec{};
    else if (field == "memory")
        in.gpu = customGpu(0);
    Result<SizingResult> r = computeSizing(in);
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.message()).contains(message), r.message().c_str());

    QVERIFY(!parseWeightDtype("int8").ok());
    QVERIFY(QString::fromStdString(parseWeightDtype("int8").message()).contains("bf16, fp16, fp8, int4"));
    QVERIFY(!parseKvDtype("int4").ok());
}

void TestSizing::jsonCarriesFiguresWithFormulas()
{
    SizingInput in = input(kV3, "H100");
    const SizingResult r = size(in);
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(sizingToJson(r)), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    const QJsonObject o = doc.object();
    for (const char *key : {"params", "weights_bytes", "kv_bytes_per_token", "tp", "nodes", "gpus_per_node",
                            "per_gpu_weights_bytes", "kv_capacity_tokens", "fits", "host_memory_bytes", "shm_bytes",
                            "volume_bytes", "decode_ceiling_tokens_per_s", "warnings", "figures"})
        QVERIFY2(o.contains(key), key);
    QCOMPARE(o.value("params").toInteger(), 671'026'419'200LL);
    QCOMPARE(o.value("weights_bytes").toInteger(), 673'150'611'808LL);
    QCOMPARE(o.value("kv_bytes_per_token").toInteger(), 70'272LL);
    QCOMPARE(o.value("tp").toInt(), 16);
    QCOMPARE(o.value("nodes").toInt(), 2);
    QCOMPARE(o.value("gpus_per_node").toInt(), 8);
    QCOMPARE(o.value("per_gpu_weights_bytes").toInteger(), qint64(r.perGpuWeightsBytes));
    QCOMPARE(o.value("kv_capacity_tokens").toInteger(), qint64(r.kvCapacityTokens));
    QCOMPARE(o.value("fits").toBool(), true);
    QCOMPARE(o.value("host_memory_bytes").toInteger(), qint64(r.hostMemoryBytes));
    QCOMPARE(o.value("shm_bytes").toInteger(), 32 * GiB);
    QCOMPARE(o.value("volume_bytes").toInteger(), qint64(r.volumeBytes));
    QCOMPARE(o.value("decode_ceiling_tokens_per_s").toDouble(), r.decodeCeilingTokensPerS);
    QVERIFY(o.value("warnings").isArray());
    QCOMPARE(o.value("warnings").toArray().size(), qsizetype(r.warnings.size()));
    const QJsonArray figures = o.value("figures").toArray();
    QCOMPARE(figures.size(), qsizetype(r.figures.size()));
    QVERIFY(figures.size() >= 20);
    for (const QJsonValue &v : figures) {
        const QJsonObject f = v.toObject();
        QVERIFY(!f.value("key").toString().isEmpty());
        QVERIFY(!f.value("label").toString().isEmpty());
        QVERIFY2(!f.value("formula").toString().isEmpty(), qPrintable(f.value("key").toString()));
        QVERIFY(f.value("value").isDouble());
    }
    const QJsonArray search = o.value("tp_search").toArray();
    QVERIFY(!search.isEmpty());
    QCOMPARE(search.first().toObject().value("tp").toInt(), 1);
}

void TestSizing::textShowsFiguresAndFormulas()
{
    SizingInput in = input(kQwen7, "H100");
    in.memFraction = 0.93;
    const std::string text = sizingToText(size(in));
    const QString t = QString::fromStdString(text);
    QVERIFY2(t.startsWith("DeepSeek-R1-Distill-Qwen-7B on 1 × H100"), text.c_str());
    QVERIFY(t.contains("FITS: --tp 1"));
    QVERIFY(t.contains("7,615,616,512 params × 2 B (bf16) = 15,231,233,024 B"));
    QVERIFY(t.contains("2 (K and V) × 28 layers × 4 KV heads × 128 head dim × 2 B (bf16) = 57,344 B"));
    QVERIFY(t.contains("0.93 × 80,000,000,000 B = 74,400,000,000 B"));
    QVERIFY(t.contains("Decode ceiling, one sequence"));
    QVERIFY(t.contains("15.23 GB"));
}

void TestSizing::messagesAreTemplatesWithArguments_data()
{
    QTest::addColumn<SizingInput>("in");
    QTest::addRow("7B bf16 H100") << input(kQwen7, "H100");
    QTest::addRow("7B fp8 A100 (warnings)") << input(kQwen7, "A100-80G", WeightDtype::Fp8);
    QTest::addRow("7B int4 L4") << input(kQwen7, "L4", WeightDtype::Int4);
    QTest::addRow("1.5B fp16 tp4 (KV heads replicated)") << [] {
        SizingInput in = input(kQwen15, "H100", WeightDtype::Fp16);
        in.tensorParallel = 4;
        in.concurrency = 3;
        return in;
    }();
    QTest::addRow("V3 A100 (MLA, MoE, no fit)") << input(kV3, "A100-80G");
    QTest::addRow("V3 H100 tp 16 fp8") << [] {
        SizingInput in = input(kV3, "H100");
        in.tensorParallel = 16;
        return in;
    }();
    QTest::addRow("V3 bf16 forced tp 8") << [] {
        SizingInput in = input(kV3, "B200", WeightDtype::Bf16);
        in.tensorParallel = 8;
        return in;
    }();
    QTest::addRow("7B forced tp 3 (invalid)") << [] {
        SizingInput in = input(kQwen7, "H100");
        in.tensorParallel = 3;
        return in;
    }();
    QTest::addRow("7B custom GPU, no bandwidth, long context") << [] {
        SizingInput in = input(kQwen7, "H100");
        in.gpu = customGpu(24);
        in.contextLength = 200'000;
        in.memFraction = 0.97;
        return in;
    }();
}

void TestSizing::messagesAreTemplatesWithArguments()
{
    QFETCH(SizingInput, in);
    const SizingResult r = size(in);
    for (const Message &m : r.warnings)
        checkMessage(m, "warning");
    for (const Message &m : r.errors)
        checkMessage(m, "error");
    for (const TpCandidate &c : r.tpSearch)
        checkMessage(c.note, "TP " + std::to_string(c.tp));
    for (const Figure &f : r.figures) {
        QVERIFY2(!f.formulaParts.empty(), f.key.c_str());
        // The clauses, side by side, are the formula the CLI prints.
        QCOMPARE(joinEnglish(f.formulaParts), f.formula);
        for (const Message &m : f.formulaParts)
            checkMessage(m, f.key);
    }
}

void TestSizing::messageCodesAreUniqueAndSubstitutionIsOnePass()
{
    std::set<std::string_view> codes;
    for (const MessageTemplate &t : msg::messageTemplates()) {
        QVERIFY2(t.code.substr(0, 7) == "sizing.", std::string(t.code).c_str());
        QVERIFY2(codes.insert(t.code).second, std::string(t.code).c_str());
        QVERIFY(!t.english.empty());
    }
    QCOMPARE(codes.size(), std::size_t(103)); // 101 and the unknown GPU, the guide row's formula
    // An argument that holds a placeholder is not substituted again; a missing argument and a
    // '%' that is no placeholder stay as written.
    QCOMPARE(substituteArgs("%1 of %2 (%3) 50 % %", {"%2", "x"}), std::string("%2 of x (%3) 50 % %"));
    QCOMPARE(substituteArgs("%2 then %1 and %2", {"a", "b"}), std::string("b then a and b"));
    const Message nested = makeNestedMessage(msg::kErrorForcedTpInvalid,
                                             {literalMessage("3"), makeMessage(msg::kTpHeads, {"3", "28"}),
                                                            literalMessage("1, 2, 4")});
    QCOMPARE(nested.english, std::string("--tp 3: TP 3 does not divide the 28 attention heads; valid TP sizes: 1, 2, 4"));
    QCOMPARE(nested.argMessages.at(1).code, std::string("sizing.tp.heads"));
}

void TestSizing::guideTableIsUnderstated()
{
    Result<std::vector<GuideRowComparison>> rows = compareWithGuide();
    QVERIFY2(rows.ok(), rows.ok() ? "" : rows.message().c_str());
    QCOMPARE(rows->size(), size_t(7));
    for (const GuideRowComparison &row : *rows)
        QVERIFY2(row.understated, qPrintable(QString::fromStdString(row.params + ": " + row.formula)));

    const GuideRowComparison &r7 = (*rows)[1];
    QCOMPARE(QString::fromStdString(r7.params), QString("7B"));
    // The guide says 8 GB for 7B in fp16; the weights alone are 7,615,616,512 × 2 = 15.2 GB.
    QCOMPARE(qint64(r7.guideGpuMemoryBytes), 8'000'000'000LL);
    QCOMPARE(qint64(r7.fp16WeightsBytes), 15'231'233'024LL);
    QVERIFY(r7.weightsExceedGuide);
    // With the guide's 20 running requests of 4,096 tokens: + 20 × 4,096 × 57,344 B.
    QCOMPARE(qint64(r7.kvBytes), 20LL * 4096 * 57'344);
    QCOMPARE(qint64(r7.fullNeedBytes), 15'231'233'024LL + 20LL * 4096 * 57'344);

    // 1.5B: the weights (1,777,088,000 × 2 = 3.55 GB) fit the guide's 4 GB, the KV cache doesn't.
    const GuideRowComparison &r15 = (*rows)[0];
    QCOMPARE(qint64(r15.fp16WeightsBytes), 3'554'176'000LL);
    QVERIFY(!r15.weightsExceedGuide);
    QCOMPARE(qint64(r15.fullNeedBytes), 3'554'176'000LL + 20LL * 4096 * 28'672); // 5.90 GB > 4 GB
    QVERIFY(r15.understated);

    // 671B: the guide's 768 GB against 1.34 TB in fp16 (its native FP8 is 673 GB).
    const GuideRowComparison &r671 = rows->back();
    QCOMPARE(qint64(r671.guideGpuMemoryBytes), 768'000'000'000LL);
    QCOMPARE(qint64(r671.fp16WeightsBytes), (671'026'419'200LL - 14'848) * 2 + 14'848 * 4);
    QCOMPARE(qint64(r671.nativeWeightsBytes), 673'150'611'808LL);
    QVERIFY(r671.weightsExceedGuide);

    const std::string text = guideComparisonToText(*rows);
    QVERIFY(text.find("understated: the weights alone exceed it") != std::string::npos);
    QVERIFY(text.find("understated: no room for the KV cache") != std::string::npos);

    // A resolver failure names the row.
    Result<std::vector<GuideRowComparison>> failed =
        compareWithGuide([](const std::string &id) -> Result<model::ModelSpec> { return fail("no " + id); });
    QVERIFY(!failed.ok());
    QVERIFY(QString::fromStdString(failed.message()).startsWith("guide row 1.5B: no deepseek-ai/"));
}

QTEST_GUILESS_MAIN(TestSizing)
#include "test_sizing.moc"
