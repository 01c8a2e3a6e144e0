// core/model safetensors headers: files written here byte by byte (8-byte little-endian length,
// JSON header, data), single and sharded, tiny checkpoints with Hugging Face tensor names checked
// against the config-based parameter counts, damaged files rejected with messages naming the
// file, and proof that tensor data is never read (64 GiB sparse shards, /proc/self/io).
#include "model/model_loader.h"
#include "model/model_spec.h"
#include "model/safetensors_header.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace slipway::model;

namespace {

struct Tensor {
    QString name;
    QString dtype;
    QList<qint64> shape;
};

qint64 dtypeSize(const QString &dtype)
{
    if (dtype == "F32" || dtype == "I32")
        return 4;
    if (dtype == "BF16" || dtype == "F16")
        return 2;
    if (dtype == "I64" || dtype == "F64")
        return 8;
    return 1; // F8_E4M3, U8, ...
}

qint64 elements(const Tensor &t)
{
    qint64 n = 1;
    for (qint64 d : t.shape)
        n *= d;
    return n;
}

QByteArray lengthPrefix(quint64 length)
{
    QByteArray bytes(8, '\0');
    for (int i = 0; i < 8; ++i)
        bytes[i] = char((length >> (8 * i)) & 0xff);
    return bytes;
}

// Header JSON for `tensors` laid out one after another; `dataSize` receives the data length.
QByteArray headerJson(const QList<Tensor> &tensors, qint64 *dataSize)
{
    QJsonObject header;
    header.insert("__metadata__", QJsonObject{{"format", "pt"}});
    qint64 offset = 0;
    for (const Tensor &t : tensors) {
        QJsonArray shape;
        for (qint64 d : t.shape)
            shape.append(d);
        const qint64 bytes = elements(t) * dtypeSize(t.dtype);
        header.insert(t.name, QJsonObject{{"dtype", t.dtype}, {"shape", shape},
                                          {"data_offsets", QJsonArray{offset, offset + bytes}}});
        offset += bytes;
    }
    *dataSize = offset;
    QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    while (json.size() % 8 != 0)
        json.append(' '); // the reference writer pads with spaces to 8-byte alignment
    return json;
}

// A complete safetensors file. With `sparse` the data region is left as a hole (ftruncate), so a
// reader that touched it would read gigabytes of zeros.
bool writeSafetensors(const QString &path, const QList<Tensor> &tensors, bool sparse = false)
{
    qint64 dataSize = 0;
    const QByteArray json = headerJson(tensors, &dataSize);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(lengthPrefix(quint64(json.size())));
    f.write(json);
    if (sparse)
        return f.resize(8 + json.size() + dataSize);
    QByteArray data(dataSize, '\0');
    for (qint64 i = 0; i < dataSize; ++i)
        data[i] = char(i * 37 + 11);
    return f.write(data) == dataSize;
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray indexJson(const QMap<QString, QString> &weightMap)
{
    QJsonObject map;
    for (auto it = weightMap.begin(); it != weightMap.end(); ++it)
        map.insert(it.key(), it.value());
    return QJsonDocument(QJsonObject{{"metadata", QJsonObject{{"total_size", 0}}}, {"weight_map", map}}).toJson();
}

// Tensors a Hugging Face checkpoint of a dense Qwen2 / Llama model holds, per layer.
QList<Tensor> denseLayer(int layer, qint64 h, qint64 heads, qint64 kvHeads, qint64 ffn, bool qkvBias)
{
    const qint64 hd = h / heads;
    const QString p = QString("model.layers.%1.").arg(layer);
    QList<Tensor> t = {
        {p + "input_layernorm.weight", "BF16", {h}},
        {p + "post_attention_layernorm.weight", "BF16", {h}},
        {p + "self_attn.q_proj.weight", "BF16", {heads * hd, h}},
        {p + "self_attn.k_proj.weight", "BF16", {kvHeads * hd, h}},
        {p + "self_attn.v_proj.weight", "BF16", {kvHeads * hd, h}},
        {p + "self_attn.o_proj.weight", "BF16", {h, heads * hd}},
        {p + "mlp.gate_proj.weight", "BF16", {ffn, h}},
        {p + "mlp.up_proj.weight", "BF16", {ffn, h}},
        {p + "mlp.down_proj.weight", "BF16", {h, ffn}},
    };
    if (qkvBias) {
        t.append({p + "self_attn.q_proj.bias", "BF16", {heads * hd}});
        t.append({p + "self_attn.k_proj.bias", "BF16", {kvHeads * hd}});
        t.append({p + "self_attn.v_proj.bias", "BF16", {kvHeads * hd}});
    }
    return t;
}

// DeepSeek-V3 decoder layer `layer` as the checkpoint names it (BF16 here, no FP8 scales).
QList<Tensor> deepseekLayer(int layer, bool moe)
{
    const qint64 h = 64, heads = 4, qLora = 32, kvLora = 16, nope = 8, rope = 4, v = 8;
    const qint64 ffn = 96, experts = 4, expertFfn = 16;
    const QString p = QString("model.layers.%1.").arg(layer);
    QList<Tensor> t = {
        {p + "input_layernorm.weight", "BF16", {h}},
        {p + "post_attention_layernorm.weight", "BF16", {h}},
        {p + "self_attn.q_a_proj.weight", "BF16", {qLora, h}},
        {p + "self_attn.q_a_layernorm.weight", "BF16", {qLora}},
        {p + "self_attn.q_b_proj.weight", "BF16", {heads * (nope + rope), qLora}},
        {p + "self_attn.kv_a_proj_with_mqa.weight", "BF16", {kvLora + rope, h}},
        {p + "self_attn.kv_a_layernorm.weight", "BF16", {kvLora}},
        {p + "self_attn.kv_b_proj.weight", "BF16", {heads * (nope + v), kvLora}},
        {p + "self_attn.o_proj.weight", "BF16", {h, heads * v}},
    };
    auto mlp = [&t, h](const QString &prefix, qint64 width) {
        t.append({prefix + "gate_proj.weight", "BF16", {width, h}});
        t.append({prefix + "up_proj.weight", "BF16", {width, h}});
        t.append({prefix + "down_proj.weight", "BF16", {h, width}});
    };
    if (!moe) {
        mlp(p + "mlp.", ffn);
        return t;
    }
    t.append({p + "mlp.gate.weight", "BF16", {experts, h}});
    t.append({p + "mlp.gate.e_score_correction_bias", "F32", {experts}});
    for (int e = 0; e < experts; ++e)
        mlp(p + QString("mlp.experts.%1.").arg(e), expertFfn);
    mlp(p + "mlp.shared_experts.", expertFfn); // n_shared_experts = 1
    return t;
}

const char *kTinyDeepseekConfig = R"({
  "architectures": ["DeepseekV3ForCausalLM"], "hidden_size": 64, "num_hidden_layers": 3,
  "num_attention_heads": 4, "num_key_value_heads": 4, "intermediate_size": 96, "vocab_size": 100,
  "max_position_embeddings": 128, "q_lora_rank": 32, "kv_lora_rank": 16, "qk_nope_head_dim": 8,
  "qk_rope_head_dim": 4, "v_head_dim": 8, "n_routed_experts": 4, "n_shared_experts": 1,
  "num_experts_per_tok": 2, "moe_intermediate_size": 16, "first_k_dense_replace": 1,
  "moe_layer_freq": 1, "num_nextn_predict_layers": 1, "torch_dtype": "bfloat16"})";

qint64 readCharsSoFar()
{
    QFile io("/proc/self/io");
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("rchar:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

std::filesystem::path fsPath(const QString &p)
{
    return std::filesystem::path(p.toStdString());
}

QString qs(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

Q_DECLARE_METATYPE(Tensor)

class TestModelSafetensors : public QObject {
    Q_OBJECT

private slots:
    void readsSingleFileHeader();
    void tinyCheckpointMatchesConfigParameterCount_data();
    void tinyCheckpointMatchesConfigParameterCount();
    void rejectsDamagedFiles_data();
    void rejectsDamagedFiles();
    void readsOnlyHeadersOfHugeShards();
};

void TestModelSafetensors::readsSingleFileHeader()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath("model.safetensors");
    const QList<Tensor> tensors = {
        {"a", "BF16", {2, 3}}, {"b", "F32", {4}}, {"c", "F8_E4M3", {5, 7}}, {"d", "I64", {}}, {"e", "BF16", {0, 5}},
    };
    QVERIFY(writeSafetensors(file, tensors));

    const auto header = readSafetensorsHeader(fsPath(file));
    QVERIFY2(header.ok(), header.ok() ? "" : header.message().c_str());
    QCOMPARE(header->tensors.size(), size_t(5)); // __metadata__ is not a tensor
    QCOMPARE(header->fileSize, QFileInfo(file).size());
    QCOMPARE(header->bytesRead, 8 + header->headerSize);
    QCOMPARE(header->headerSize % 8, int64_t(0));
    for (const SafetensorsTensor &t : header->tensors) {
        if (t.name == "c") {
            QCOMPARE(qs(t.dtype), QString("F8_E4M3"));
            QCOMPARE(t.shape, (std::vector<int64_t>{5, 7}));
            QCOMPARE(t.dataBegin, int64_t(12 + 16));
            QCOMPARE(t.dataEnd, int64_t(12 + 16 + 35));
        }
        if (t.name == "d")
            QCOMPARE(t.elementCount(), int64_t(1)); // a scalar has one element
    }

    const auto info = readSafetensorsWeights(fsPath(file));
    QVERIFY(info.ok());
    QCOMPARE(info->fileCount, 1);
    QCOMPARE(info->tensorCount, int64_t(5));
    QCOMPARE(info->parameterCount, int64_t(6 + 4 + 35 + 1 + 0));
    QCOMPARE(info->totalBytes, int64_t(12 + 16 + 35 + 8 + 0));
    QCOMPARE(info->bytesByDtype.at("BF16"), int64_t(12));
    QCOMPARE(info->bytesByDtype.at("F32"), int64_t(16));
    QCOMPARE(info->bytesByDtype.at("F8_E4M3"), int64_t(35));
    QCOMPARE(info->bytesByDtype.at("I64"), int64_t(8));
    QCOMPARE(info->bytesByDtype.size(), size_t(4));
    QCOMPARE(info->bytesRead, header->bytesRead);
}

void TestModelSafetensors::tinyCheckpointMatchesConfigParameterCount_data()
{
    QTest::addColumn<QByteArray>("config");
    QTest::addColumn<QList<QList<Tensor>>>("shards"); // one shard: model.safetensors
    QTest::addColumn<int>("expectedTensors");

    const QByteArray qwen = R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 32, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 48, "vocab_size": 50,
        "max_position_embeddings": 64, "tie_word_embeddings": false})";
    QList<Tensor> qwenFirst = {{"model.embed_tokens.weight", "BF16", {50, 32}}};
    qwenFirst += denseLayer(0, 32, 4, 2, 48, true);
    QList<Tensor> qwenSecond = denseLayer(1, 32, 4, 2, 48, true);
    qwenSecond += QList<Tensor>{{"model.norm.weight", "BF16", {32}}, {"lm_head.weight", "BF16", {50, 32}}};
    QTest::addRow("Qwen2 two shards") << qwen << QList<QList<Tensor>>{qwenFirst, qwenSecond} << 1 + 2 * 12 + 2;

    const QByteArray llama = R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 32, "num_hidden_layers": 3,
        "num_attention_heads": 4, "num_key_value_heads": 1, "intermediate_size": 40, "vocab_size": 70,
        "max_position_embeddings": 64, "tie_word_embeddings": true})";
    QList<Tensor> llamaAll = {{"model.embed_tokens.weight", "BF16", {70, 32}}, {"model.norm.weight", "BF16", {32}}};
    for (int layer = 0; layer < 3; ++layer)
        llamaAll += denseLayer(layer, 32, 4, 1, 40, false);
    QTest::addRow("Llama tied, one file") << llama << QList<QList<Tensor>>{llamaAll} << 2 + 3 * 9;

    // Layer 0 dense, 1-2 MoE, layer 3 the MTP module with its own embedding and head copies.
    QList<Tensor> v3First = {{"model.embed_tokens.weight", "BF16", {100, 64}}};
    v3First += deepseekLayer(0, false);
    v3First += deepseekLayer(1, true);
    QList<Tensor> v3Second = deepseekLayer(2, true);
    v3Second += QList<Tensor>{{"model.norm.weight", "BF16", {64}}, {"lm_head.weight", "BF16", {100, 64}}};
    QList<Tensor> v3Mtp = deepseekLayer(3, true);
    v3Mtp += QList<Tensor>{
        {"model.layers.3.embed_tokens.weight", "BF16", {100, 64}},
        {"model.layers.3.enorm.weight", "BF16", {64}},
        {"model.layers.3.hnorm.weight", "BF16", {64}},
        {"model.layers.3.eh_proj.weight", "BF16", {64, 128}},
        {"model.layers.3.shared_head.norm.weight", "BF16", {64}},
        {"model.layers.3.shared_head.head.weight", "BF16", {100, 64}},
    };
    const int moeLayer = 9 + 2 + 5 * 3;
    QTest::addRow("DeepSeek-V3 three shards with MTP")
        << QByteArray(kTinyDeepseekConfig) << QList<QList<Tensor>>{v3First, v3Second, v3Mtp}
        << 1 + 12 + moeLayer + moeLayer + 2 + moeLayer + 6;
}

void TestModelSafetensors::tinyCheckpointMatchesConfigParameterCount()
{
    QFETCH(QByteArray, config);
    QFETCH(QList<QList<Tensor>>, shards);
    QFETCH(int, expectedTensors);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeFile(dir.filePath("config.json"), config));
    if (shards.size() == 1) {
        QVERIFY(writeSafetensors(dir.filePath("model.safetensors"), shards.front()));
    } else {
        QMap<QString, QString> weightMap;
        for (int i = 0; i < shards.size(); ++i) {
            const QString name = QString("model-%1-of-%2.safetensors").arg(i + 1, 5, 10, QChar('0')).arg(shards.size(), 5, 10, QChar('0'));
            QVERIFY(writeSafetensors(dir.filePath(name), shards[i]));
            for (const Tensor &t : shards[i])
                weightMap.insert(t.name, name);
        }
        QVERIFY(writeFile(dir.filePath("model.safetensors.index.json"), indexJson(weightMap)));
    }

    const auto spec = loadModel(dir.path().toStdString());
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.message().c_str());
    QVERIFY(spec->weights.has_value());
    const WeightsInfo &w = *spec->weights;
    QCOMPARE(w.fileCount, int(shards.size()));
    QCOMPARE(w.tensorCount, int64_t(expectedTensors));
    QCOMPARE(w.parameterCount, mainParameterCount(*spec) + mtpParameterCount(*spec));
    const int64_t f32 = w.bytesByDtype.count("F32") ? w.bytesByDtype.at("F32") : 0;
    QCOMPARE(w.totalBytes, 2 * (w.parameterCount - f32 / 4) + f32);

    qint64 fileBytes = 0;
    for (const QFileInfo &fi : QDir(dir.path()).entryInfoList({"*.safetensors"}))
        fileBytes += fi.size();
    // Read: each file's 8-byte length and header, and the index; never a data region.
    const qint64 indexBytes = QFileInfo(dir.filePath("model.safetensors.index.json")).size(); // 0 if absent
    QCOMPARE(w.bytesRead, int64_t(fileBytes - w.totalBytes + indexBytes));
}

void TestModelSafetensors::rejectsDamagedFiles_data()
{
    QTest::addColumn<QVariantMap>("files");  // file name -> content
    QTest::addColumn<QString>("target");     // what is read; a .json target is an index
    QTest::addColumn<qint64>("sparseSize");  // > 0: the target is then extended to this size
    QTest::addColumn<QString>("expected");   // "%1" is the temporary folder

    qint64 dataSize = 0;
    const QByteArray w44 = headerJson({{"w", "BF16", {4, 4}}}, &dataSize); // 32 data bytes
    const QByteArray good = lengthPrefix(quint64(w44.size())) + w44 + QByteArray(32, 'x');
    auto raw = [](const QByteArray &json) { return lengthPrefix(quint64(json.size())) + json; };

    QTest::addRow("5 bytes") << QVariantMap{{"model.safetensors", QByteArray("abcde")}} << "model.safetensors" << qint64(0)
                             << "\"%1/model.safetensors\" is 5 bytes, too short for a safetensors header";
    QTest::addRow("header length beyond the file")
        << QVariantMap{{"model.safetensors", QByteArray(lengthPrefix(1000) + "{}")}} << "model.safetensors" << qint64(0)
        << "\"%1/model.safetensors\": header length 1000 is larger than the file (10 bytes)";
    QTest::addRow("header over 100 MB")
        << QVariantMap{{"model.safetensors", QByteArray(lengthPrefix(150'000'000) + "{}")}} << "model.safetensors"
        << qint64(200'000'000) << "\"%1/model.safetensors\": header length 150000000 exceeds the 100 MB safetensors limit";
    QTest::addRow("header not JSON")
        << QVariantMap{{"model.safetensors", QByteArray(raw("{\"w\": {\"dtype\": ") + "xxxx")}} << "model.safetensors"
        << qint64(0) << "\"%1/model.safetensors\": header is not valid JSON (";
    QTest::addRow("header a list")
        << QVariantMap{{"model.safetensors", raw("[1, 2]")}} << "model.safetensors" << qint64(0)
        << "\"%1/model.safetensors\": header is not a JSON object";
    QTest::addRow("data truncated")
        << QVariantMap{{"model.safetensors", good.left(good.size() - 16)}} << "model.safetensors" << qint64(0)
        << "\"%1/model.safetensors\": tensor \"w\" has data_offsets [0, 32] beyond the file's data region (16 bytes)";
    QTest::addRow("shape disagrees with offsets")
        << QVariantMap{{"model.safetensors", QByteArray(raw(R"({"w": {"dtype": "BF16", "shape": [4, 4], "data_offsets": [0, 16]}})") + QByteArray(16, 'x'))}}
        << "model.safetensors" << qint64(0)
        << "\"%1/model.safetensors\": tensor \"w\": shape [4, 4] of BF16 needs 16 x 2 bytes but data_offsets span 16";
    QTest::addRow("tensor without dtype")
        << QVariantMap{{"model.safetensors", QByteArray(raw(R"({"w": {"shape": [2], "data_offsets": [0, 4]}})") + "abcd")}}
        << "model.safetensors" << qint64(0) << "\"%1/model.safetensors\": tensor \"w\" has no dtype string";
    QTest::addRow("offsets end before they begin")
        << QVariantMap{{"model.safetensors", QByteArray(raw(R"({"w": {"dtype": "U8", "shape": [0], "data_offsets": [4, 0]}})") + "abcd")}}
        << "model.safetensors" << qint64(0) << "tensor \"w\" has data_offsets [4, 0] that end before they begin";
    QTest::addRow("negative dimension")
        << QVariantMap{{"model.safetensors", QByteArray(raw(R"({"w": {"dtype": "U8", "shape": [-4], "data_offsets": [0, 4]}})") + "abcd")}}
        << "model.safetensors" << qint64(0) << "tensor \"w\" has shape [-4]; dimensions must be whole numbers >= 0";

    const QString index = "model.safetensors.index.json";
    const QString shard1 = "model-00001-of-00002.safetensors";
    const QString shard2 = "model-00002-of-00002.safetensors";
    QTest::addRow("index names a missing shard")
        << QVariantMap{{index, indexJson({{"w", shard1}, {"v", shard2}})}, {shard1, good}} << index << qint64(0)
        << "\"%1/model.safetensors.index.json\" names shard \"model-00002-of-00002.safetensors\" but "
           "\"%1/model-00002-of-00002.safetensors\" does not exist; download the missing shard";
    QTest::addRow("index not JSON") << QVariantMap{{index, QByteArray("{\"weight_map\": {")}} << index << qint64(0)
                                    << "\"%1/model.safetensors.index.json\" is not valid JSON (";
    QTest::addRow("index without weight_map") << QVariantMap{{index, QByteArray("{\"metadata\": {}}")}} << index << qint64(0)
                                              << "\"%1/model.safetensors.index.json\" has no weight_map object";
    QTest::addRow("index places a tensor the shard lacks")
        << QVariantMap{{index, indexJson({{"w", shard1}, {"missing.weight", shard1}})}, {shard1, good}} << index << qint64(0)
        << "places tensor \"missing.weight\" in \"model-00001-of-00002.safetensors\", but that shard's header has no such tensor";
    QTest::addRow("index points outside the folder")
        << QVariantMap{{index, indexJson({{"w", "../elsewhere.safetensors"}})}} << index << qint64(0)
        << "weight_map[\"w\"] is \"../elsewhere.safetensors\"; shard names must be files inside the model folder";
    QTest::addRow("index with a truncated shard")
        << QVariantMap{{index, indexJson({{"w", shard1}})}, {shard1, good.left(20)}} << index << qint64(0)
        << "\"%1/model-00001-of-00002.safetensors\": header length";
}

void TestModelSafetensors::rejectsDamagedFiles()
{
    QFETCH(QVariantMap, files);
    QFETCH(QString, target);
    QFETCH(qint64, sparseSize);
    QFETCH(QString, expected);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    for (auto it = files.begin(); it != files.end(); ++it)
        QVERIFY(writeFile(dir.filePath(it.key()), it.value().toByteArray()));
    if (sparseSize > 0)
        QVERIFY(QFile::resize(dir.filePath(target), sparseSize));

    const auto path = fsPath(dir.filePath(target));
    const auto info = target.endsWith(".json") ? readShardedWeights(path) : readSafetensorsWeights(path);
    QVERIFY(!info.ok());
    const QString message = expected.contains("%1") ? expected.arg(dir.path()) : expected;
    QVERIFY2(qs(info.message()).contains(message), info.message().c_str());

    // The loader reports the same problem when given the folder.
    QVERIFY(writeFile(dir.filePath("config.json"), R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 8,
        "num_hidden_layers": 1, "num_attention_heads": 2, "intermediate_size": 16, "vocab_size": 10,
        "max_position_embeddings": 32})"));
    const auto spec = loadModel(dir.path().toStdString());
    QVERIFY(!spec.ok());
    QCOMPARE(qs(spec.message()), qs(info.message()));
}

void TestModelSafetensors::readsOnlyHeadersOfHugeShards()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // Two shards of 64 GiB each whose data regions are holes: reading them would take minutes
    // and show up in this process's read counter.
    const qint64 gib = qint64(1) << 30;
    const QList<Tensor> first = {{"model.embed_tokens.weight", "BF16", {32, 1024, 1024, 1024}}};
    const QList<Tensor> second = {{"lm_head.weight", "F8_E4M3", {64, 1024, 1024, 1024}}};
    const QString shard1 = "model-00001-of-00002.safetensors";
    const QString shard2 = "model-00002-of-00002.safetensors";
    if (!writeSafetensors(dir.filePath(shard1), first, true) || !writeSafetensors(dir.filePath(shard2), second, true))
        QSKIP("this file system cannot hold 64 GiB sparse files");
    QVERIFY(QFileInfo(dir.filePath(shard1)).size() > 64 * gib);
    QVERIFY(writeFile(dir.filePath("model.safetensors.index.json"),
                      indexJson({{"model.embed_tokens.weight", shard1}, {"lm_head.weight", shard2}})));

    const qint64 before = readCharsSoFar();
    QElapsedTimer timer;
    timer.start();
    const auto info = readShardedWeights(fsPath(dir.filePath("model.safetensors.index.json")));
    const qint64 elapsed = timer.elapsed();
    const qint64 after = readCharsSoFar();

    QVERIFY2(info.ok(), info.ok() ? "" : info.message().c_str());
    QCOMPARE(info->totalBytes, 128 * gib);
    QCOMPARE(info->parameterCount, 96 * gib);
    QCOMPARE(info->bytesByDtype.at("BF16"), 64 * gib);
    QCOMPARE(info->bytesByDtype.at("F8_E4M3"), 64 * gib);
    QCOMPARE(info->fileCount, 2);
    QVERIFY2(info->bytesRead < 1024, qPrintable(QString::number(info->bytesRead)));
    QVERIFY2(elapsed < 2000, qPrintable(QString("%1 ms").arg(elapsed)));
    if (before >= 0 && after >= 0) {
        // The kernel's count of bytes this process read: the index, two headers, and the first
        // read of /proc/self/io itself; nowhere near a data region.
        QVERIFY2(after - before < info->bytesRead + 4096, qPrintable(QString::number(after - before)));
    }
}

QTEST_GUILESS_MAIN(TestModelSafetensors)
#include "test_model_safetensors.moc"
