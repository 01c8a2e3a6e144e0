// slipway-cli end to end: every bad input exits non-zero with one message saying what to change
// and writes nothing; good input prints YAML, files or JSON as documented.
#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

Run runCli(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(SLIPWAY_CLI), args);
    Run r;
    if (!p.waitForFinished(60000)) {
        r.err = QStringLiteral("slipway-cli did not finish");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

const QString k7B = QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B");

} // namespace

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void badRenderInputFailsWithOneMessageAndWritesNothing_data();
    void badRenderInputFailsWithOneMessageAndWritesNothing();
    void badSizeInputFails_data();
    void badSizeInputFails();
    void renderWritesOneFilePerObject();
    void renderPrintsAMultiDocumentStream();
    void sizeJsonHasTheDocumentedKeys();
    void sizeTextShowsFormulas();
    void versionAndHelp();
};

void TestCli::badRenderInputFailsWithOneMessageAndWritesNothing_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected"); // a part of the message

    const QStringList base = {"render", "--model", k7B, "--mode", "deployment", "--runtime", "sglang"};
    QTest::addRow("tp does not divide heads") << (base + QStringList{"--tp", "3"})
                                              << "TP 3 does not divide the 28 attention heads";
    QTest::addRow("nodes x gpus per node != tp")
        << QStringList{"render", "--model", k7B, "--mode", "lws", "--runtime", "sglang", "--tp", "4", "--nodes", "2",
                       "--gpus-per-node", "1"}
        << "but --tp is 4";
    QTest::addRow("tp not a multiple of nodes")
        << QStringList{"render", "--model", k7B, "--mode", "lws", "--runtime", "sglang", "--tp", "3", "--nodes", "2"}
        << "cannot be split evenly over --nodes 2";
    QTest::addRow("model does not fit")
        << QStringList{"render", "--model", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "--mode", "deployment",
                       "--runtime", "sglang", "--tp", "1"}
        << "does not fit on 1 × H100";
    QTest::addRow("needs several nodes but mode deployment")
        << QStringList{"render", "--model", "deepseek-ai/DeepSeek-R1", "--mode", "deployment", "--runtime", "sglang"}
        << "use --mode lws";
    QTest::addRow("invalid name") << (base + QStringList{"--name", "My_Model"}) << "'My_Model' is not a valid name";
    QTest::addRow("invalid namespace") << (base + QStringList{"--namespace", "-bad-"}) << "-bad-";
    QTest::addRow("unknown gpu") << (base + QStringList{"--gpu", "H1000"}) << "unknown GPU 'H1000'";
    QTest::addRow("unreadable config") << (base.mid(0, 1) + QStringList{"--model", "/nonexistent/config.json", "--mode",
                                                                          "deployment", "--runtime", "sglang"})
                                       << "not found";
    QTest::addRow("unknown option") << (base + QStringList{"--gpus", "2"}) << "unknown option --gpus";
    QTest::addRow("missing mode") << QStringList{"render", "--model", k7B, "--runtime", "sglang"} << "--mode is required";
    QTest::addRow("bad mode") << QStringList{"render", "--model", k7B, "--mode", "statefulset", "--runtime", "sglang"}
                              << "--mode";
    QTest::addRow("s3 without bucket") << (base + QStringList{"--storage", "s3", "--s3-endpoint", "http://minio:9000"})
                                       << "bucket";
    QTest::addRow("pvc too small") << (base + QStringList{"--pvc-size", "1Gi"}) << "smaller than the model's files";
    QTest::addRow("bad port") << (base + QStringList{"--port", "70000"}) << "--port must be between";
}

void TestCli::badRenderInputFailsWithOneMessageAndWritesNothing()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString outDir = tmp.filePath(QStringLiteral("manifests"));
    const Run r = runCli(args + QStringList{"-o", outDir});
    QVERIFY2(r.exitCode != 0, qPrintable(r.out));
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0); // one message, one line
    QVERIFY(r.out.isEmpty());
    QVERIFY2(!QDir(outDir).exists(), "the output folder must not be created on failure");
    QCOMPARE(QDir(tmp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size(), 0);
}

void TestCli::badSizeInputFails_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::addRow("tp does not divide heads") << QStringList{"size", "--model", k7B, "--tp", "3"} << "does not divide";
    QTest::addRow("does not fit") << QStringList{"size", "--model", "deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "--gpu",
                                                 "L4", "--tp", "1"}
                                  << "does not fit";
    QTest::addRow("unknown gpu") << QStringList{"size", "--model", k7B, "--gpu", "V100"} << "unknown GPU 'V100'";
    QTest::addRow("missing model") << QStringList{"size"} << "--model is required";
    QTest::addRow("bad context") << QStringList{"size", "--model", k7B, "--context", "lots"} << "--context must be";
    QTest::addRow("bad dtype") << QStringList{"size", "--model", k7B, "--dtype", "fp4"} << "--dtype";
    QTest::addRow("fraction out of range") << QStringList{"size", "--model", k7B, "--mem-fraction", "1.5"}
                                           << "--mem-fraction must be between";
}

void TestCli::badSizeInputFails()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const Run r = runCli(args);
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
}

void TestCli::renderWritesOneFilePerObject()
{
    QTemporaryDir tmp;
    const QString outDir = tmp.filePath(QStringLiteral("out"));
    const Run r = runCli({"render", "--model", k7B, "--mode", "lws", "--runtime", "sglang", "--tp", "2", "--nodes", "2",
                          "--name", "sglang", "--namespace", "deepseek-test", "-o", outDir});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList files = QDir(outDir).entryList({"*.yaml"}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 4);
    bool sawLws = false;
    for (const QString &f : files) {
        QFile file(QDir(outDir).filePath(f));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QCOMPARE(text.count(QStringLiteral("\nkind: ")) + (text.startsWith(QStringLiteral("kind: ")) ? 1 : 0), 1);
        if (text.contains(QStringLiteral("kind: LeaderWorkerSet"))) {
            sawLws = true;
            QVERIFY(text.contains(QStringLiteral("$(LWS_LEADER_ADDRESS):20000")));
            QVERIFY(!text.contains(QLatin1Char('\t')));
        }
    }
    QVERIFY(sawLws);
}

void TestCli::renderPrintsAMultiDocumentStream()
{
    const Run r = runCli({"render", "--model", k7B, "--mode", "deployment", "--runtime", "slipway", "--platform",
                          "kubernetes", "--security", "restricted"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.count(QStringLiteral("---\n")) >= 3);
    QVERIFY(r.out.contains(QStringLiteral("kind: Deployment")));
    QVERIFY(r.out.contains(QStringLiteral("kind: Ingress")));
    QVERIFY(!r.out.contains(QStringLiteral("kind: Route")));
    QVERIFY(!r.out.contains(QStringLiteral("privileged: true")));
    QVERIFY(r.out.contains(QStringLiteral("slipway-engine")));
}

void TestCli::sizeJsonHasTheDocumentedKeys()
{
    const Run r = runCli({"size", "--model", k7B, "--gpu", "h100", "--context", "32768", "--concurrency", "8", "--json"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QJsonParseError error;
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    for (const char *key : {"params", "weights_bytes", "kv_bytes_per_token", "tp", "nodes", "gpus_per_node",
                            "per_gpu_weights_bytes", "kv_capacity_tokens", "fits", "host_memory_bytes", "shm_bytes",
                            "volume_bytes", "decode_ceiling_tokens_per_s", "warnings"})
        QVERIFY2(o.contains(QLatin1String(key)), key);
    // Worked by hand: 7,615,616,512 params × 2 B; 2 × 28 layers × 4 KV heads × 128 × 2 B.
    QCOMPARE(o.value("weights_bytes").toDouble(), 15231233024.0);
    QCOMPARE(o.value("kv_bytes_per_token").toDouble(), 57344.0);
    QCOMPARE(o.value("tp").toInt(), 1);
    QCOMPARE(o.value("fits").toBool(), true);
}

void TestCli::sizeTextShowsFormulas()
{
    const Run r = runCli({"size", "--model", k7B});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QStringLiteral("7,615,616,512 params × 2 B")));
    QVERIFY(r.out.contains(QStringLiteral("57,344 B")));
}

void TestCli::versionAndHelp()
{
    const Run v = runCli({"--version"});
    QCOMPARE(v.exitCode, 0);
    QVERIFY(v.out.startsWith(QStringLiteral("slipway-cli 0.")));
    const Run h = runCli({"render", "--help"});
    QCOMPARE(h.exitCode, 0);
    QVERIFY(h.out.contains(QStringLiteral("--security")));
    const Run bad = runCli({"deploy"});
    QVERIFY(bad.exitCode != 0);
    QVERIFY(bad.err.contains(QStringLiteral("unknown command 'deploy'")));
}

QTEST_GUILESS_MAIN(TestCli)
#include "test_cli.moc"
