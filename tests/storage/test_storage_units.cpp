// Unit tests of core/storage that need no server: SigV4 against AWS's published example, the tar
// stream read back by GNU tar, multipart ETags, the download Job log parser, the progress meter.
#include "storage/digest.h"
#include "storage/download_progress.h"
#include "storage/s3_client.h"
#include "storage/sigv4.h"
#include "storage/tar_stream.h"
#include "storage/transfer_progress.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace slipway::storage;

namespace {

QByteArray randomBytes(int n, int seed)
{
    QByteArray data(n, '\0');
    unsigned x = static_cast<unsigned>(seed) * 2654435761u + 1;
    for (int i = 0; i < n; ++i) {
        x = x * 1103515245u + 12345u;
        data[i] = static_cast<char>(x >> 16);
    }
    return data;
}

void writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

} // namespace

class TestStorageUnits : public QObject {
    Q_OBJECT
private slots:
    void sigv4MatchesAwsExample();
    void sigv4EncodesKeysAndQuery();
    void multipartEtagIsMd5OfPartMd5s();
    void tarStreamExtractsWithGnuTar();
    void tarPaxRecordLengthCountsItself();
    void downloadLogParser_data();
    void downloadLogParser();
    void progressMeterGivesRateAndEta();
};

// AWS's documented example "GET Object" (Signature Version 4, header-based auth).
void TestStorageUnits::sigv4MatchesAwsExample()
{
    SigV4Request request;
    request.method = "GET";
    request.host = "examplebucket.s3.amazonaws.com";
    request.encodedPath = "/test.txt";
    request.headers = {{"Range", "bytes=0-9"}};
    request.payloadHash = sha256Hex("");
    request.amzDate = "20130524T000000Z";
    const SigningKey key{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3"};
    QCOMPARE(QString::fromStdString(signature(request, key)),
             QStringLiteral("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"));
    const auto headers = signHeaders(request, key);
    QCOMPARE(QString::fromStdString(headers.back().value).left(120),
             QStringLiteral("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date")
                 .left(120));
}

void TestStorageUnits::sigv4EncodesKeysAndQuery()
{
    QCOMPARE(QString::fromStdString(uriEncode("models/a b+c~.json", true)), QStringLiteral("models/a%20b%2Bc~.json"));
    QCOMPARE(QString::fromStdString(canonicalQuery({{"uploadId", "x/y="}, {"partNumber", "2"}, {"uploads", ""}})),
             QStringLiteral("partNumber=2&uploadId=x%2Fy%3D&uploads="));
}

void TestStorageUnits::multipartEtagIsMd5OfPartMd5s()
{
    const std::string a(5 << 20, 'a');
    const std::string b(1000, 'b');
    const std::string expected = md5Hex(digest(HashKind::Md5, a) + digest(HashKind::Md5, b)) + "-2";
    QCOMPARE(QString::fromStdString(multipartEtag({md5Hex(a), md5Hex(b)})), QString::fromStdString(expected));
    QCOMPARE(QString::fromStdString(normalizeEtag("\"ABCdef\"")), QStringLiteral("abcdef"));
    QCOMPARE(QString::fromStdString(xmlValue("<R><UploadId>u&amp;1</UploadId></R>", "UploadId")), QStringLiteral("u&1"));
}

void TestStorageUnits::tarStreamExtractsWithGnuTar()
{
    QTemporaryDir source;
    QTemporaryDir target;
    const QString longName = QStringLiteral("deeply/nested/") + QString(120, QLatin1Char('n')) + QStringLiteral(".safetensors");
    const QList<QPair<QString, QByteArray>> files = {
        {QStringLiteral("config.json"), QByteArray("{\"model_type\": \"qwen2\"}")},
        {QStringLiteral("empty.txt"), QByteArray()},
        {QStringLiteral("exactly512.bin"), randomBytes(512, 3)},
        {longName, randomBytes(700001, 4)},
    };
    std::vector<TarEntry> entries;
    for (const auto &[name, data] : files) {
        writeFile(source.filePath(name), data);
        entries.push_back(TarEntry{name.toStdString(), source.filePath(name).toStdString(), data.size(), 1700000000, 0664});
    }
    TarStream tar(entries);
    std::string archive;
    std::vector<char> buffer(7777); // an odd size: reads cross header and data boundaries
    while (const std::size_t n = tar.read(buffer.data(), buffer.size()))
        archive.append(buffer.data(), n);
    QVERIFY(!tar.error());
    QCOMPARE(static_cast<std::int64_t>(archive.size()), tar.totalSize());
    QCOMPARE(archive.size() % 10240, std::size_t{0});

    QProcess process;
    process.start(QStringLiteral("tar"), {QStringLiteral("-xmf"), QStringLiteral("-"), QStringLiteral("-C"), target.path()});
    QVERIFY(process.waitForStarted());
    process.write(archive.data(), static_cast<qint64>(archive.size()));
    process.closeWriteChannel();
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(process.readAllStandardError(), QByteArray());
    QCOMPARE(tar.checksums().size(), files.size());
    for (int i = 0; i < files.size(); ++i) {
        QFile f(target.filePath(files[i].first));
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(files[i].first));
        QCOMPARE(f.readAll(), files[i].second);
        QCOMPARE(QString::fromStdString(tar.checksums()[static_cast<std::size_t>(i)].second),
                 QString::fromStdString(sha256Hex(files[i].second.toStdString())));
    }
}

void TestStorageUnits::tarPaxRecordLengthCountsItself()
{
    // A path whose record length crosses a power of ten ("99 path=..." vs "100 path=...").
    for (int n = 85; n <= 100; ++n) {
        const std::string name = std::string(101, 'x') + std::string(static_cast<std::size_t>(n - 85), 'y');
        const std::string header = TarStream::headerFor(TarEntry{name, "", 0, 0, 0644});
        const std::string records = header.substr(512, header.find('\n', 512) - 512 + 1);
        const std::size_t declared = std::stoul(records.substr(0, records.find(' ')));
        QCOMPARE(declared, records.size());
        QVERIFY(records.find("path=" + name + "\n") != std::string::npos);
    }
}

void TestStorageUnits::downloadLogParser_data()
{
    QTest::addColumn<QStringList>("lines");
    QTest::addColumn<int>("done");
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("skipped");
    QTest::addColumn<QString>("current");
    QTest::addColumn<bool>("finished");
    QTest::addColumn<bool>("failed");
    QTest::addRow("mid download") << QStringList{"[1/4] config.json", "[2/4] model-00001.safetensors"} << 1 << 4 << 0
                                  << "model-00001.safetensors" << false << false;
    QTest::addRow("resumed with skips") << QStringList{"[1/3] config.json already present", "[2/3] model.safetensors already present",
                                                       "[3/3] tokenizer.json"}
                                        << 2 << 3 << 2 << "tokenizer.json" << false << false;
    QTest::addRow("finished") << QStringList{"[1/2] a", "[2/2] b", "downloaded 2 files of deepseek-ai/X into /models/X"} << 2 << 2
                              << 0 << "" << true << false;
    QTest::addRow("already complete") << QStringList{"model already present in /models/X"} << 0 << 0 << 0 << "" << true << false;
    QTest::addRow("listing failed") << QStringList{"cannot list deepseek-ai/X@main at https://hf-mirror.com: HTTP Error 401"} << 0
                                    << 0 << 0 << "" << true << true;
    QTest::addRow("crash") << QStringList{"[1/2] a", "Traceback (most recent call last):", "  File \"<string>\", line 40",
                                          "urllib.error.URLError: <urlopen error timed out>"}
                           << 0 << 2 << 0 << "a" << false << true;
    QTest::addRow("noise ignored") << QStringList{"", "[x/y] not a counter", "[3/2] impossible"} << 0 << 0 << 0 << "" << false << false;
}

void TestStorageUnits::downloadLogParser()
{
    QFETCH(QStringList, lines);
    DownloadLogParser parser;
    for (const QString &line : lines)
        parser.feed(line.toStdString());
    const DownloadProgress &p = parser.progress();
    QTEST(p.filesDone, "done");
    QTEST(p.filesTotal, "total");
    QTEST(p.filesSkipped, "skipped");
    QTEST(QString::fromStdString(p.currentFile), "current");
    QTEST(p.finished, "finished");
    QTEST(p.failed, "failed");
    if (p.failed && lines.last().startsWith(QStringLiteral("urllib")))
        QCOMPARE(QString::fromStdString(p.message), lines.last());
}

void TestStorageUnits::progressMeterGivesRateAndEta()
{
    ProgressMeter meter(std::chrono::milliseconds(5000));
    TransferProgress p;
    p.bytesTotal = 1000;
    const auto t0 = ProgressMeter::Clock::now();
    meter.update(p, t0);
    QCOMPARE(p.etaSeconds, -1.0);
    p.bytesDone = 200;
    meter.update(p, t0 + std::chrono::seconds(2));
    QCOMPARE(p.bytesPerSecond, 100.0);
    QCOMPARE(p.etaSeconds, 8.0);
    p.bytesDone = 1000;
    meter.update(p, t0 + std::chrono::seconds(4));
    QCOMPARE(p.etaSeconds, 0.0);
    QCOMPARE(QString::fromStdString(formatBytes(3 << 20)), QStringLiteral("3.0 MiB"));
    QCOMPARE(QString::fromStdString(formatDuration(200)), QStringLiteral("3 min 20 s"));
}

QTEST_GUILESS_MAIN(TestStorageUnits)
#include "test_storage_units.moc"
