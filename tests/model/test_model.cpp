// core/model: parameter counts against published figures, config.json parsing (transformers 4.x
// and 5.x layouts), error messages for bad configs, the built-in catalog and the loader.
#include "model/catalog.h"
#include "model/config_parser.h"
#include "model/model_loader.h"
#include "model/model_spec.h"
#include "resources.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace slipway::model;

namespace {

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

// The published config of a catalog model, straight from resources/catalog/models.json.
QJsonObject catalogConfig(const QString &id)
{
    const auto text = slipway::resources::modelCatalogJson();
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(text.data(), qsizetype(text.size())));
    for (const QJsonValue &m : doc.object().value("models").toArray()) {
        if (m.toObject().value("id").toString() == id)
            return m.toObject().value("config").toObject();
    }
    qFatal("catalog has no %s", qPrintable(id));
}

QJsonObject qwen7b() { return catalogConfig("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"); }
QJsonObject llama8b() { return catalogConfig("deepseek-ai/DeepSeek-R1-Distill-Llama-8B"); }
QJsonObject deepseekV3() { return catalogConfig("deepseek-ai/DeepSeek-V3"); }

// `base` with fields set (an undefined QJsonValue removes the field).
QByteArray edited(QJsonObject base, const QList<QPair<QString, QJsonValue>> &changes)
{
    for (const auto &[key, value] : changes) {
        if (value.isUndefined())
            base.remove(key);
        else
            base.insert(key, value);
    }
    return QJsonDocument(base).toJson(QJsonDocument::Compact);
}

const QJsonValue kRemove = QJsonValue(QJsonValue::Undefined);

double relativeError(double value, double reference)
{
    return std::fabs(value / reference - 1.0);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT

private slots:
    void parameterCountIsWithinHalfPercentOfPublished_data();
    void parameterCountIsWithinHalfPercentOfPublished();
    void deepseekV3CountsMainMtpAndActiveParameters_data();
    void deepseekV3CountsMainMtpAndActiveParameters();
    void denseActiveParametersSkipTheEmbeddingTable();

    void catalogMatchesPublishedShapes_data();
    void catalogMatchesPublishedShapes();
    void catalogFindIgnoresCaseAndRejectsUnknown();
    void catalogRejectsBrokenDocuments_data();
    void catalogRejectsBrokenDocuments();

    void parsesQwen2Config();
    void parsesLlamaConfigWithLlama3RopeScaling();
    void parsesTransformers5RopeParameters_data();
    void parsesTransformers5RopeParameters();
    void parsesDeepseekV3Config();
    void appliesDefaults_data();
    void appliesDefaults();
    void rejectsBadConfig_data();
    void rejectsBadConfig();

    void loadsCatalogIdIgnoringCase();
    void loadsFolderWithoutWeights();
    void loadsConfigFilePath();
    void loaderExplainsWhatIsWrong_data();
    void loaderExplainsWhatIsWrong();
};

void TestModel::parameterCountIsWithinHalfPercentOfPublished_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<double>("publishedBillion"); // the model page's figure
    QTest::addColumn<qint64>("exact");            // safetensors element count (0: not stated)

    // Exact figures: the element counts of the published safetensors (Hugging Face's
    // "Safetensors / Model size" box).
    QTest::addRow("1.5B published 1.78B") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B" << 1.78 << qint64(1'777'088'000);
    QTest::addRow("7B published 7.62B") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B" << 7.62 << qint64(7'615'616'512);
    QTest::addRow("14B published 14.8B") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B" << 14.8 << qint64(14'770'033'664);
    QTest::addRow("32B published 32.8B") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B" << 32.8 << qint64(32'763'876'352);
    QTest::addRow("Llama-8B published 8.03B") << "deepseek-ai/DeepSeek-R1-Distill-Llama-8B" << 8.03 << qint64(8'030'261'248);
    QTest::addRow("Llama-70B published 70.6B") << "deepseek-ai/DeepSeek-R1-Distill-Llama-70B" << 70.6 << qint64(70'553'706'496);
    QTest::addRow("V3 published 671B main") << "deepseek-ai/DeepSeek-V3" << 671.0 << qint64(0);
    QTest::addRow("R1 published 671B main") << "deepseek-ai/DeepSeek-R1" << 671.0 << qint64(0);
}

void TestModel::parameterCountIsWithinHalfPercentOfPublished()
{
    QFETCH(QString, id);
    QFETCH(double, publishedBillion);
    QFETCH(qint64, exact);

    const auto spec = loadModel(id.toStdString());
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    const double count = double(mainParameterCount(*spec));
    QVERIFY2(relativeError(count, publishedBillion * 1e9) < 0.005,
             qPrintable(QString("counted %1, published %2 B").arg(count, 0, 'f', 0).arg(publishedBillion)));
    if (exact != 0)
        QCOMPARE(mainParameterCount(*spec), int64_t(exact));

    // The catalog states the same published figure.
    const auto catalog = ModelCatalog::builtIn();
    QVERIFY(catalog.ok());
    const CatalogEntry *entry = catalog->find(id.toStdString());
    QVERIFY(entry);
    QCOMPARE(entry->publishedParamsBillion, publishedBillion);
}

void TestModel::deepseekV3CountsMainMtpAndActiveParameters_data()
{
    QTest::addColumn<QString>("id");
    QTest::addRow("V3 671B + 14B MTP, 37B active") << "deepseek-ai/DeepSeek-V3";
    QTest::addRow("R1 671B + 14B MTP, 37B active") << "deepseek-ai/DeepSeek-R1";
}

void TestModel::deepseekV3CountsMainMtpAndActiveParameters()
{
    QFETCH(QString, id);
    const auto spec = loadModel(id.toStdString());
    QVERIFY(spec.ok());
    const int64_t main = mainParameterCount(*spec);
    const int64_t mtp = mtpParameterCount(*spec);
    // DeepSeek: "685B = 671B main model + 14B MTP module". The checkpoint's layer 61 holds a full
    // MoE decoder layer, enorm/hnorm, eh_proj, shared_head.norm and its own copies of embed_tokens
    // and shared_head.head: 13.46 B, which with the main model gives the 685 B total.
    QVERIFY2(relativeError(double(main + mtp), 685e9) < 0.005, qPrintable(QString::number(main + mtp)));
    QVERIFY2(mtp > 13'000'000'000 && mtp < 14'500'000'000, qPrintable(QString::number(mtp)));
    const int64_t embeddings = 2 * spec->vocabSize * spec->hiddenSize;
    QCOMPARE(mtp - embeddings, int64_t(11'610'068'224)); // the layer without the copied tables

    // "37B activated parameters per token".
    const int64_t active = activeParameterCountPerToken(*spec);
    QVERIFY2(relativeError(double(active), 37e9) < 0.02, qPrintable(QString::number(active)));
    QVERIFY(active < main / 10);
}

void TestModel::denseActiveParametersSkipTheEmbeddingTable()
{
    const auto spec = loadModel("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B");
    QVERIFY(spec.ok());
    const int64_t table = spec->vocabSize * spec->hiddenSize;
    QCOMPARE(activeParameterCountPerToken(*spec), mainParameterCount(*spec) - table + spec->hiddenSize);

    // A tied table is read in full as the output head, so nothing is skipped.
    const auto tied = parseConfigJson(edited(qwen7b(), {{"tie_word_embeddings", true}}).toStdString(), "tied");
    QVERIFY(tied.ok());
    QCOMPARE(mainParameterCount(*tied), mainParameterCount(*spec) - table);
    QCOMPARE(activeParameterCountPerToken(*tied), mainParameterCount(*tied));
}

void TestModel::catalogMatchesPublishedShapes_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QString>("architecture");
    QTest::addColumn<int>("hidden");
    QTest::addColumn<int>("layers");
    QTest::addColumn<int>("heads");
    QTest::addColumn<int>("kvHeads");
    QTest::addColumn<int>("ffn");
    QTest::addColumn<int>("vocab");
    QTest::addColumn<QString>("dtype");

    // shared/FACTS.md's model table.
    QTest::addRow("1.5B") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B" << "Qwen2ForCausalLM" << 1536 << 28 << 12 << 2 << 8960 << 151936 << "bfloat16";
    QTest::addRow("7B") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B" << "Qwen2ForCausalLM" << 3584 << 28 << 28 << 4 << 18944 << 152064 << "bfloat16";
    QTest::addRow("14B") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-14B" << "Qwen2ForCausalLM" << 5120 << 48 << 40 << 8 << 13824 << 152064 << "bfloat16";
    QTest::addRow("32B") << "deepseek-ai/DeepSeek-R1-Distill-Qwen-32B" << "Qwen2ForCausalLM" << 5120 << 64 << 40 << 8 << 27648 << 152064 << "bfloat16";
    QTest::addRow("Llama-8B") << "deepseek-ai/DeepSeek-R1-Distill-Llama-8B" << "LlamaForCausalLM" << 4096 << 32 << 32 << 8 << 14336 << 128256 << "bfloat16";
    QTest::addRow("Llama-70B") << "deepseek-ai/DeepSeek-R1-Distill-Llama-70B" << "LlamaForCausalLM" << 8192 << 80 << 64 << 8 << 28672 << 128256 << "bfloat16";
    QTest::addRow("V3") << "deepseek-ai/DeepSeek-V3" << "DeepseekV3ForCausalLM" << 7168 << 61 << 128 << 128 << 18432 << 129280 << "float8_e4m3fn";
    QTest::addRow("R1") << "deepseek-ai/DeepSeek-R1" << "DeepseekV3ForCausalLM" << 7168 << 61 << 128 << 128 << 18432 << 129280 << "float8_e4m3fn";
}

void TestModel::catalogMatchesPublishedShapes()
{
    QFETCH(QString, id);
    QFETCH(QString, architecture);
    QFETCH(int, hidden);
    QFETCH(int, layers);
    QFETCH(int, heads);
    QFETCH(int, kvHeads);
    QFETCH(int, ffn);
    QFETCH(int, vocab);
    QFETCH(QString, dtype);

    const auto catalog = ModelCatalog::builtIn();
    QVERIFY2(catalog.ok(), catalog.ok() ? "" : catalog.message().c_str());
    QCOMPARE(catalog->entries().size(), size_t(8));
    const CatalogEntry *entry = catalog->find(id.toStdString());
    QVERIFY(entry);
    QCOMPARE(qs(entry->displayName), id.section('/', 1));
    QCOMPARE(qs(entry->checkpointDtype), dtype);
    QVERIFY(!entry->description.empty());

    const auto spec = catalogModelSpec(*entry);
    QVERIFY(spec.ok());
    QCOMPARE(qs(spec->id), id);
    QCOMPARE(qs(spec->displayName), id.section('/', 1));
    QCOMPARE(qs(spec->architectureName), architecture);
    QCOMPARE(spec->hiddenSize, int64_t(hidden));
    QCOMPARE(spec->numLayers, int64_t(layers));
    QCOMPARE(spec->numAttentionHeads, int64_t(heads));
    QCOMPARE(spec->numKeyValueHeads, int64_t(kvHeads));
    QCOMPARE(spec->intermediateSize, int64_t(ffn));
    QCOMPARE(spec->vocabSize, int64_t(vocab));
    QCOMPARE(qs(spec->torchDtype), QString("bfloat16"));
    QVERIFY(!spec->weights.has_value());
}

void TestModel::catalogFindIgnoresCaseAndRejectsUnknown()
{
    const auto catalog = ModelCatalog::builtIn();
    QVERIFY(catalog.ok());
    const CatalogEntry *entry = catalog->find("DeepSeek-AI/deepseek-r1-distill-llama-8b");
    QVERIFY(entry);
    QCOMPARE(qs(entry->id), QString("deepseek-ai/DeepSeek-R1-Distill-Llama-8B"));
    QCOMPARE(entry->publishedParameters(), int64_t(8'030'000'000));
    QVERIFY(catalog->find("deepseek-ai/DeepSeek-R1-Distill-Qwen-3B") == nullptr);
    QVERIFY(catalog->find("") == nullptr);
    QVERIFY(qs(catalog->idsText()).contains("deepseek-ai/DeepSeek-V3, deepseek-ai/DeepSeek-R1"));
    const CatalogEntry *v3 = catalog->find("deepseek-ai/DeepSeek-V3");
    QVERIFY(v3);
    QCOMPARE(v3->publishedMtpParamsBillion, 14.0);
}

void TestModel::catalogRejectsBrokenDocuments_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QByteArray config = QJsonDocument(qwen7b()).toJson(QJsonDocument::Compact);
    const QByteArray entry = R"({"id": "a/b", "display_name": "b", "published_params_billion": 7.62,
        "checkpoint_dtype": "bfloat16", "description": "x", "config": )" + config + "}";

    QTest::addRow("not JSON") << QByteArray("{\"models\": [") << "test.json is not valid JSON";
    QTest::addRow("no models list") << QByteArray("{\"model\": []}") << "test.json has no \"models\" list";
    QTest::addRow("duplicate id") << QByteArray("{\"models\": [" + entry + "," + entry + "]}")
                                  << "test.json: models[1]: id \"a/b\" is listed twice";
    QByteArray noConfig = entry;
    noConfig.replace("\"config\"", "\"configuration\"");
    QTest::addRow("missing config") << QByteArray("{\"models\": [" + noConfig + "]}")
                                    << "models[0] (a/b): \"config\" must hold the model's config.json object";
    QByteArray noParams = entry;
    noParams.replace("7.62", "\"7.62B\"");
    QTest::addRow("params as text") << QByteArray("{\"models\": [" + noParams + "]}")
                                    << "\"published_params_billion\" must be a positive number";
    QByteArray badConfig = entry;
    badConfig.replace("\"hidden_size\":3584", "\"hidden_size\":0");
    QTest::addRow("bad config") << QByteArray("{\"models\": [" + badConfig + "]}")
                                << "catalog entry a/b config: hidden_size is 0; expected a positive whole number";
}

void TestModel::catalogRejectsBrokenDocuments()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const auto catalog = ModelCatalog::fromJson(json.toStdString(), "test.json");
    QVERIFY(!catalog.ok());
    QVERIFY2(qs(catalog.message()).contains(expected), catalog.message().c_str());
}

void TestModel::parsesQwen2Config()
{
    const auto spec = parseConfigJson(QJsonDocument(qwen7b()).toJson().toStdString(), "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B");
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    QCOMPARE(spec->architecture, Architecture::Qwen2);
    QCOMPARE(qs(spec->displayName), QString("DeepSeek-R1-Distill-Qwen-7B"));
    QCOMPARE(spec->headDim, int64_t(128));
    QCOMPARE(spec->maxPositionEmbeddings, int64_t(131072));
    QCOMPARE(spec->ropeTheta, 10000.0);
    QCOMPARE(spec->rmsNormEps, 1e-6);
    QVERIFY(spec->attentionBias);
    QVERIFY(!spec->attentionOutputBias);
    QVERIFY(!spec->tieWordEmbeddings);
    QVERIFY(!spec->ropeScaling.has_value());
    QVERIFY(!spec->isMla() && !spec->isMoe() && !spec->quantization);
    QCOMPARE(spec->mtpLayers, int64_t(0));
    QCOMPARE(mtpParameterCount(*spec), int64_t(0));
}

void TestModel::parsesLlamaConfigWithLlama3RopeScaling()
{
    const auto spec = parseConfigJson(QJsonDocument(llama8b()).toJson().toStdString(), "llama");
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    QCOMPARE(spec->architecture, Architecture::Llama);
    QCOMPARE(qs(spec->architectureName), QString("LlamaForCausalLM"));
    QCOMPARE(spec->ropeTheta, 500000.0);
    QCOMPARE(spec->rmsNormEps, 1e-5);
    QVERIFY(!spec->attentionBias);
    QVERIFY(spec->ropeScaling.has_value());
    QCOMPARE(qs(spec->ropeScaling->type), QString("llama3"));
    QCOMPARE(spec->ropeScaling->factor, 8.0);
    QCOMPARE(spec->ropeScaling->lowFreqFactor, 1.0);
    QCOMPARE(spec->ropeScaling->highFreqFactor, 4.0);
    QCOMPARE(spec->ropeScaling->originalMaxPositionEmbeddings, int64_t(8192));

    // attention_bias on Llama adds q/k/v and o biases; mlp_bias adds gate/up/down biases.
    const auto biased = parseConfigJson(
        edited(llama8b(), {{"attention_bias", true}, {"mlp_bias", true}}).toStdString(), "llama");
    QVERIFY(biased.ok());
    const int64_t h = 4096, kv = 8 * 128, ffn = 14336;
    QCOMPARE(mainParameterCount(*biased) - mainParameterCount(*spec), 32 * ((h + 2 * kv + h) + (2 * ffn + h)));
}

void TestModel::parsesTransformers5RopeParameters_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<double>("theta");
    QTest::addColumn<QString>("scalingType");
    QTest::addColumn<double>("factor");

    QJsonObject llama = llama8b();
    const QJsonObject scaling = llama.take("rope_scaling").toObject();
    llama.remove("rope_theta");
    llama.insert("dtype", llama.take("torch_dtype"));
    QJsonObject params = scaling;
    params.insert("rope_theta", 500000.0);
    QTest::addRow("Llama-8B rope_parameters llama3")
        << edited(llama, {{"rope_parameters", params}}) << 500000.0 << "llama3" << 8.0;

    QJsonObject qwen = qwen7b();
    qwen.remove("rope_theta");
    QTest::addRow("7B rope_parameters default")
        << edited(qwen, {{"rope_parameters", QJsonObject{{"rope_theta", 10000.0}, {"rope_type", "default"}}}})
        << 10000.0 << "" << 1.0;

    // "type" instead of "rope_type", and a top-level rope_theta kept beside rope_parameters.
    QTest::addRow("rope_parameters type linear, theta outside")
        << edited(qwen7b(), {{"rope_theta", 1e6}, {"rope_parameters", QJsonObject{{"type", "linear"}, {"factor", 2}}}})
        << 1e6 << "linear" << 2.0;

    QJsonObject v3 = deepseekV3();
    const QJsonObject yarn = v3.take("rope_scaling").toObject();
    v3.remove("rope_theta");
    QJsonObject v3params = yarn;
    v3params.remove("type");
    v3params.insert("rope_type", "yarn");
    v3params.insert("rope_theta", 10000);
    QTest::addRow("V3 rope_parameters yarn") << edited(v3, {{"rope_parameters", v3params}}) << 10000.0 << "yarn" << 40.0;
}

void TestModel::parsesTransformers5RopeParameters()
{
    QFETCH(QByteArray, json);
    QFETCH(double, theta);
    QFETCH(QString, scalingType);
    QFETCH(double, factor);

    const auto spec = parseConfigJson(json.toStdString(), "m");
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    QCOMPARE(spec->ropeTheta, theta);
    QCOMPARE(qs(spec->torchDtype), QString("bfloat16"));
    if (scalingType.isEmpty()) {
        QVERIFY(!spec->ropeScaling.has_value());
        return;
    }
    QVERIFY(spec->ropeScaling.has_value());
    QCOMPARE(qs(spec->ropeScaling->type), scalingType);
    QCOMPARE(spec->ropeScaling->factor, factor);
    if (scalingType == "llama3") {
        QCOMPARE(spec->ropeScaling->lowFreqFactor, 1.0);
        QCOMPARE(spec->ropeScaling->highFreqFactor, 4.0);
        QCOMPARE(spec->ropeScaling->originalMaxPositionEmbeddings, int64_t(8192));
    }
}

void TestModel::parsesDeepseekV3Config()
{
    const auto spec = parseConfigJson(QJsonDocument(deepseekV3()).toJson().toStdString(), "deepseek-ai/DeepSeek-V3");
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    QCOMPARE(spec->architecture, Architecture::DeepseekV3);
    QVERIFY(spec->isMla() && spec->isMoe());
    QCOMPARE(spec->mla->qLoraRank, int64_t(1536));
    QCOMPARE(spec->mla->kvLoraRank, int64_t(512));
    QCOMPARE(spec->mla->qkNopeHeadDim, int64_t(128));
    QCOMPARE(spec->mla->qkRopeHeadDim, int64_t(64));
    QCOMPARE(spec->mla->vHeadDim, int64_t(128));
    QCOMPARE(spec->headDim, int64_t(192));
    QCOMPARE(spec->numKeyValueHeads, int64_t(128));
    QCOMPARE(spec->moe->routedExperts, int64_t(256));
    QCOMPARE(spec->moe->sharedExperts, int64_t(1));
    QCOMPARE(spec->moe->expertsPerToken, int64_t(8));
    QCOMPARE(spec->moe->expertIntermediateSize, int64_t(2048));
    QCOMPARE(spec->moe->firstDenseLayers, int64_t(3));
    QCOMPARE(spec->moe->layerFrequency, int64_t(1));
    QCOMPARE(spec->mtpLayers, int64_t(1));
    QCOMPARE(spec->maxPositionEmbeddings, int64_t(163840));
    QVERIFY(spec->quantization.has_value());
    QCOMPARE(qs(spec->quantization->method), QString("fp8"));
    QCOMPARE(qs(spec->quantization->format), QString("e4m3"));
    QCOMPARE(spec->quantization->blockRows, int64_t(128));
    QCOMPARE(spec->quantization->blockCols, int64_t(128));
    QVERIFY(spec->ropeScaling.has_value());
    QCOMPARE(qs(spec->ropeScaling->type), QString("yarn"));
    QCOMPARE(spec->ropeScaling->factor, 40.0);
    QCOMPARE(spec->ropeScaling->originalMaxPositionEmbeddings, int64_t(4096));
    QVERIFY(!isMoeLayer(*spec, 2));
    QVERIFY(isMoeLayer(*spec, 3));
    QVERIFY(isMoeLayer(*spec, 61)); // the MTP layer

    // Without q LoRA (q_lora_rank null, as DeepSeek-V2-Lite writes it) q is one projection.
    const auto direct = parseConfigJson(edited(deepseekV3(), {{"q_lora_rank", QJsonValue::Null}}).toStdString(), "v3");
    QVERIFY(direct.ok());
    QCOMPARE(direct->mla->qLoraRank, int64_t(0));
    const int64_t h = 7168, q = 128 * 192, lora = 1536;
    QCOMPARE(mainParameterCount(*spec) - mainParameterCount(*direct), 61 * (h * lora + lora + lora * q - h * q));

    // moe_layer_freq 2: only every second layer from first_k_dense_replace on is MoE.
    const auto sparse = parseConfigJson(edited(deepseekV3(), {{"moe_layer_freq", 2}}).toStdString(), "v3");
    QVERIFY(sparse.ok());
    QVERIFY(!isMoeLayer(*sparse, 3) && isMoeLayer(*sparse, 4));
}

void TestModel::appliesDefaults_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("kvHeads");
    QTest::addColumn<int>("headDim");
    QTest::addColumn<QString>("architecture");

    QTest::addRow("no num_key_value_heads: MHA")
        << edited(qwen7b(), {{"num_key_value_heads", kRemove}}) << 28 << 128 << "Qwen2ForCausalLM";
    QTest::addRow("explicit head_dim")
        << edited(llama8b(), {{"head_dim", 64}}) << 8 << 64 << "LlamaForCausalLM";
    QTest::addRow("head_dim null")
        << edited(llama8b(), {{"head_dim", QJsonValue::Null}}) << 8 << 128 << "LlamaForCausalLM";
    QTest::addRow("no architectures, model_type llama")
        << edited(llama8b(), {{"architectures", kRemove}}) << 8 << 128 << "LlamaForCausalLM";
    QTest::addRow("Mistral listed before Qwen2")
        << edited(qwen7b(), {{"architectures", QJsonArray{"MistralForCausalLM", "Qwen2ForCausalLM"}}}) << 4 << 128
        << "Qwen2ForCausalLM";
    QTest::addRow("integral float sizes")
        << edited(qwen7b(), {{"hidden_size", 3584.0}}) << 4 << 128 << "Qwen2ForCausalLM";
}

void TestModel::appliesDefaults()
{
    QFETCH(QByteArray, json);
    QFETCH(int, kvHeads);
    QFETCH(int, headDim);
    QFETCH(QString, architecture);
    const auto spec = parseConfigJson(json.toStdString(), "m");
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    QCOMPARE(spec->numKeyValueHeads, int64_t(kvHeads));
    QCOMPARE(spec->headDim, int64_t(headDim));
    QCOMPARE(qs(spec->architectureName), architecture);
}

void TestModel::rejectsBadConfig_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");

    QTest::addRow("malformed JSON") << QByteArray("{\"architectures\": [\"Qwen2ForCausalLM\"],")
                                    << "config.json: not valid JSON (";
    QTest::addRow("top level is a list") << QByteArray("[1, 2]")
                                         << "config.json: expected a JSON object {...} at the top level";
    QTest::addRow("unsupported architecture")
        << edited(qwen7b(), {{"architectures", QJsonArray{"MistralForCausalLM"}}})
        << "config.json: architectures is [\"MistralForCausalLM\"]; Slipway supports Qwen2ForCausalLM, "
           "LlamaForCausalLM, DeepseekV3ForCausalLM";
    QTest::addRow("architectures a string")
        << edited(qwen7b(), {{"architectures", "Qwen2ForCausalLM"}})
        << "config.json: architectures is \"Qwen2ForCausalLM\" (a string); expected a list [...]";
    QTest::addRow("no architectures, unknown model_type")
        << edited(qwen7b(), {{"architectures", kRemove}, {"model_type", "mistral"}})
        << "model_type is \"mistral\" and architectures is not set; Slipway supports";
    QTest::addRow("neither architectures nor model_type")
        << edited(qwen7b(), {{"architectures", kRemove}, {"model_type", kRemove}})
        << "neither architectures nor model_type is set";
    QTest::addRow("missing hidden_size")
        << edited(qwen7b(), {{"hidden_size", kRemove}})
        << "config.json: required field hidden_size is missing; Qwen2ForCausalLM configs must set it";
    QTest::addRow("negative num_hidden_layers")
        << edited(qwen7b(), {{"num_hidden_layers", -28}})
        << "config.json: num_hidden_layers is -28; expected a positive whole number";
    QTest::addRow("hidden_size as text")
        << edited(qwen7b(), {{"hidden_size", "3584"}})
        << "config.json: hidden_size is \"3584\" (a string); expected a positive whole number without quotes";
    QTest::addRow("fractional layers")
        << edited(qwen7b(), {{"num_hidden_layers", 28.5}}) << "num_hidden_layers is 28.5; expected a positive whole number";
    QTest::addRow("zero vocab") << edited(qwen7b(), {{"vocab_size", 0}}) << "vocab_size is 0; expected a positive";
    QTest::addRow("missing max_position_embeddings")
        << edited(llama8b(), {{"max_position_embeddings", kRemove}})
        << "required field max_position_embeddings is missing; LlamaForCausalLM configs must set it";
    QTest::addRow("heads not a multiple of kv heads")
        << edited(qwen7b(), {{"num_key_value_heads", 5}})
        << "num_attention_heads (28) is not a multiple of num_key_value_heads (5)";
    QTest::addRow("hidden not a multiple of heads")
        << edited(qwen7b(), {{"hidden_size", 3585}})
        << "hidden_size (3585) is not a multiple of num_attention_heads (28); set head_dim";
    QTest::addRow("tie_word_embeddings as text")
        << edited(qwen7b(), {{"tie_word_embeddings", "false"}})
        << "tie_word_embeddings is \"false\" (a string); expected true or false";
    QTest::addRow("negative rms_norm_eps")
        << edited(qwen7b(), {{"rms_norm_eps", -1e-6}}) << "rms_norm_eps is -1e-06; expected a positive number";

    QJsonObject noLow = llama8b().value("rope_scaling").toObject();
    noLow.remove("low_freq_factor");
    QTest::addRow("llama3 without low_freq_factor")
        << edited(llama8b(), {{"rope_scaling", noLow}})
        << "required field rope_scaling.low_freq_factor is missing";
    QJsonObject inverted = llama8b().value("rope_scaling").toObject();
    inverted.insert("low_freq_factor", 4.0);
    inverted.insert("high_freq_factor", 1.0);
    QTest::addRow("llama3 high below low")
        << edited(llama8b(), {{"rope_scaling", inverted}}) << "rope_scaling.high_freq_factor (1.000000) must be larger";
    QTest::addRow("rope_scaling without a type")
        << edited(llama8b(), {{"rope_scaling", QJsonObject{{"factor", 8}}}})
        << "rope_scaling.rope_type is missing; set it to \"default\", \"llama3\"";
    QTest::addRow("rope_scaling a number")
        << edited(llama8b(), {{"rope_scaling", 8}}) << "rope_scaling is 8; expected an object {...} or null";
    QTest::addRow("rope_parameters with negative theta")
        << edited(qwen7b(), {{"rope_parameters", QJsonObject{{"rope_theta", -5}, {"rope_type", "default"}}}})
        << "config.json: rope_parameters.rope_theta is -5; expected a positive number";
    QTest::addRow("V3 missing kv_lora_rank")
        << edited(deepseekV3(), {{"kv_lora_rank", kRemove}})
        << "required field kv_lora_rank is missing; DeepseekV3ForCausalLM configs must set it";
    QTest::addRow("V3 more active than routed experts")
        << edited(deepseekV3(), {{"num_experts_per_tok", 300}})
        << "num_experts_per_tok (300) is larger than n_routed_experts (256)";
    QTest::addRow("V3 negative first_k_dense_replace")
        << edited(deepseekV3(), {{"first_k_dense_replace", -1}})
        << "first_k_dense_replace is -1; expected a whole number >= 0";
    QTest::addRow("V3 weight_block_size with one value")
        << edited(deepseekV3(), {{"quantization_config", QJsonObject{{"quant_method", "fp8"}, {"weight_block_size", QJsonArray{128}}}}})
        << "quantization_config.weight_block_size is [128] (a list); expected two positive whole numbers";
    QTest::addRow("V3 quantization_config without method")
        << edited(deepseekV3(), {{"quantization_config", QJsonObject{{"fmt", "e4m3"}}}})
        << "quantization_config.quant_method is missing";
}

void TestModel::rejectsBadConfig()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const auto spec = parseConfigJson(json.toStdString(), "m");
    QVERIFY(!spec.ok());
    QVERIFY2(qs(spec.message()).contains(expected), spec.message().c_str());
}

void TestModel::loadsCatalogIdIgnoringCase()
{
    const auto spec = loadModel("DEEPSEEK-AI/deepseek-r1-distill-qwen-7b");
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    QCOMPARE(qs(spec->id), QString("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B"));
    QCOMPARE(qs(spec->displayName), QString("DeepSeek-R1-Distill-Qwen-7B"));
    QCOMPARE(spec->hiddenSize, int64_t(3584));
    QVERIFY(!spec->weights.has_value());
}

void TestModel::loadsFolderWithoutWeights()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath("My-Qwen");
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(writeFile(folder + "/config.json", QJsonDocument(qwen7b()).toJson()));

    for (const QString &reference : {folder, folder + "/"}) {
        const auto spec = loadModel(reference.toStdString());
        QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
        QCOMPARE(qs(spec->id), reference);
        QCOMPARE(qs(spec->displayName), QString("My-Qwen"));
        QCOMPARE(spec->hiddenSize, int64_t(3584));
        QVERIFY(!spec->weights.has_value());
    }
}

void TestModel::loadsConfigFilePath()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString folder = dir.filePath("llama-folder");
    QVERIFY(QDir().mkpath(folder));
    const QString config = folder + "/config.json";
    QVERIFY(writeFile(config, QJsonDocument(llama8b()).toJson()));
    const auto spec = loadModel(config.toStdString());
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    QCOMPARE(qs(spec->displayName), QString("llama-folder"));
    QCOMPARE(spec->architecture, Architecture::Llama);
    QCOMPARE(mainParameterCount(*spec), int64_t(8'030'261'248));
}

void TestModel::loaderExplainsWhatIsWrong_data()
{
    QTest::addColumn<QString>("reference"); // "%1" is replaced by a temporary folder
    QTest::addColumn<QString>("expected");

    QTest::addRow("path not found") << "%1/nowhere/model" << "path \"%1/nowhere/model\" not found";
    QTest::addRow("relative path not found") << "./models/qwen" << "path \"./models/qwen\" not found";
    QTest::addRow("unknown catalog id")
        << "deepseek-ai/DeepSeek-R1-Distill-Qwen-3B"
        << "\"deepseek-ai/DeepSeek-R1-Distill-Qwen-3B\" is not in the model catalog and no such path exists; "
           "known ids: deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B, deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
    QTest::addRow("empty reference") << "" << "no model given";
    QTest::addRow("folder without config.json") << "%1/empty" << "\"%1/empty\" has no config.json";
    QTest::addRow("folder with a broken config.json") << "%1/broken" << "%1/broken/config.json: not valid JSON";
    QTest::addRow("folder with a Mistral config.json")
        << "%1/mistral" << "%1/mistral/config.json: architectures is [\"MistralForCausalLM\"]";
    QTest::addRow("folder with a broken model.safetensors")
        << "%1/badweights" << "\"%1/badweights/model.safetensors\" is 3 bytes, too short";
    QTest::addRow("path to a weights file")
        << "%1/badweights/model.safetensors"
        << "\"%1/badweights/model.safetensors\" is a weights file; give the model folder that holds it";
}

void TestModel::loaderExplainsWhatIsWrong()
{
    QFETCH(QString, reference);
    QFETCH(QString, expected);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString root = dir.path();
    QVERIFY(QDir().mkpath(root + "/empty"));
    QVERIFY(QDir().mkpath(root + "/broken"));
    QVERIFY(writeFile(root + "/broken/config.json", "{\"hidden_size\": "));
    QVERIFY(QDir().mkpath(root + "/mistral"));
    QVERIFY(writeFile(root + "/mistral/config.json",
                      edited(qwen7b(), {{"architectures", QJsonArray{"MistralForCausalLM"}}})));
    QVERIFY(QDir().mkpath(root + "/badweights"));
    QVERIFY(writeFile(root + "/badweights/config.json", QJsonDocument(qwen7b()).toJson()));
    QVERIFY(writeFile(root + "/badweights/model.safetensors", "abc"));

    const auto withRoot = [&root](const QString &text) { return text.contains("%1") ? text.arg(root) : text; };
    const auto spec = loadModel(withRoot(reference).toStdString());
    QVERIFY(!spec.ok());
    QVERIFY2(qs(spec.message()).contains(withRoot(expected)), spec.message().c_str());
}

QTEST_GUILESS_MAIN(TestModel)
#include "test_model.moc"
