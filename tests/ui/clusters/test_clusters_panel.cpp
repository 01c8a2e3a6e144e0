// The Clusters panel against the Kubernetes API test server over HTTPS, offscreen: kubeconfig
// contexts (two files merged) listed with the insecure one flagged, a context and an `oc login`
// token connecting, an expired token asking to log in again and the preflight resuming after it,
// the checklist showing status and fix, and no token text anywhere in the widget tree.
#include "kube_test_server.h"

#include "clusters/clusters_panel.h"
#include "clusters/context_table_model.h"
#include "clusters/login_form.h"
#include "clusters/preflight_model.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace slipway;
using slipway::testing::KubeTestServer;
using slipway::ui::ClustersPanel;
using slipway::ui::ContextTableModel;
using slipway::ui::PreflightModel;

namespace {

constexpr const char *kFormToken = "sha256~FormTokenSecret0123456789abcdef";
constexpr const char *kFreshToken = "sha256~FreshTokenSecret9876543210fedcba";
constexpr const char *kFileToken = "sha256~KubeconfigTokenSecret42";

// Every string a widget or an item view holds, with where it was found.
QStringList allTexts(QWidget *root)
{
    QStringList out;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *w : widgets) {
        out << w->toolTip() << w->windowTitle() << w->accessibleName() << w->accessibleDescription() << w->statusTip();
        if (auto *label = qobject_cast<QLabel *>(w))
            out << label->text();
        if (auto *edit = qobject_cast<QLineEdit *>(w))
            out << edit->text() << edit->displayText() << edit->placeholderText();
        if (auto *view = qobject_cast<QAbstractItemView *>(w); view && view->model()) {
            QAbstractItemModel *m = view->model();
            for (int r = 0; r < m->rowCount(); ++r)
                for (int c = 0; c < m->columnCount(); ++c)
                    for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole)})
                        out << m->data(m->index(r, c), role).toString();
        }
    }
    return out;
}

} // namespace

class TestClustersPanel final : public QObject {
    Q_OBJECT

    std::unique_ptr<KubeTestServer> m_server;
    QTemporaryDir m_dir;
    QString m_first, m_second;

    void writeFile(const QString &path, const std::string &text)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray::fromStdString(text));
    }
    void control(const std::string &path, const std::string &json)
    {
        const std::string reply = m_server->control(path, json);
        QVERIFY2(reply.rfind("ERROR", 0) != 0, reply.c_str());
    }

private slots:
    void initTestCase()
    {
        m_server = std::make_unique<KubeTestServer>();
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        control("tokens", std::string("{\"token\": \"") + kFileToken + "\", \"user\": \"file-user\"}");
        // Two files, merged as kubectl does: the first names current-context.
        m_first = m_dir.filePath(QStringLiteral("first.yaml"));
        m_second = m_dir.filePath(QStringLiteral("second.yaml"));
        writeFile(m_first, "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: test\n  cluster:\n"
                           "    server: " + m_server->server() + "\n    certificate-authority: " + m_server->caFile().toStdString() +
                           "\nusers:\n- name: tester\n  user:\n    token: " + kFileToken +
                           "\ncontexts:\n- name: test\n  context:\n    cluster: test\n    user: tester\n    namespace: deepseek\n");
        writeFile(m_second, "apiVersion: v1\nkind: Config\ncurrent-context: lab\nclusters:\n- name: lab\n  cluster:\n"
                            "    server: https://lab.example:6443\n    insecure-skip-tls-verify: true\nusers:\n- name: labuser\n  user:\n"
                            "    token: lab-secret\ncontexts:\n- name: lab\n  context:\n    cluster: lab\n    user: labuser\n");
    }

    void listsMergedContextsAndFlagsInsecureOnes()
    {
        ClustersPanel panel;
        QCOMPARE(panel.loadKubeconfig({m_first.toStdString(), m_second.toStdString()}), QString());
        ContextTableModel *model = panel.contextModel();
        QCOMPARE(model->rowCount(), 2);
        QCOMPARE(model->contextName(model->currentContextRow()), QStringLiteral("test"));
        const int lab = model->contextName(0) == QStringLiteral("lab") ? 0 : 1;
        QCOMPARE(model->data(model->index(lab, ContextTableModel::SecurityColumn)).toString(), QStringLiteral("TLS verification off"));
        QVERIFY(model->data(model->index(lab, 0), ContextTableModel::InsecureRole).toBool());
        QVERIFY(!model->data(model->index(1 - lab, 0), ContextTableModel::InsecureRole).toBool());
        QCOMPARE(model->data(model->index(1 - lab, ContextTableModel::SecurityColumn)).toString(), QStringLiteral("TLS verified"));
        QVERIFY(model->data(model->index(lab, ContextTableModel::UserColumn)).toString().contains(QStringLiteral("token")));

        // Selecting the insecure context shows the warning.
        auto *view = panel.findChild<QAbstractItemView *>();
        view->selectionModel()->setCurrentIndex(model->index(lab, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        bool warned = false;
        for (QLabel *label : panel.findChildren<QLabel *>())
            warned = warned || (label->isVisibleTo(&panel) && label->text().contains(QStringLiteral("skips TLS verification")));
        QVERIFY(warned);
        for (const QString &text : allTexts(&panel))
            QVERIFY2(!text.contains(QLatin1String(kFileToken)) && !text.contains(QStringLiteral("lab-secret")), qPrintable(text));
    }

    void contextConnects()
    {
        ClustersPanel panel;
        QCOMPARE(panel.loadKubeconfig({m_first.toStdString()}), QString());
        QSignalSpy connected(&panel, &ClustersPanel::connectedChanged);
        panel.connectContext(panel.contextModel()->currentContextRow());
        QVERIFY(connected.wait(10000) || !connected.isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return !connected.isEmpty() && connected.last().at(0).toBool(); }, 10000));
        QVERIFY2(panel.statusText().contains(QStringLiteral("v1.30.4")), qPrintable(panel.statusText()));
        QVERIFY(panel.statusText().contains(QStringLiteral("OpenShift")));
    }

    void tokenLoginConnectsAndForgetsTheToken()
    {
        control("tokens", std::string("{\"token\": \"") + kFormToken + "\", \"user\": \"dev\"}");
        ClustersPanel panel;
        panel.loginForm()->setServer(QString::fromStdString(m_server->server()));
        panel.loginForm()->setCaFile(m_server->caFile());
        panel.loginForm()->setToken(QString::fromLatin1(kFormToken));
        QCOMPARE(panel.loginForm()->tokenEdit()->echoMode(), QLineEdit::Password);
        QSignalSpy connected(&panel, &ClustersPanel::connectedChanged);
        panel.connectWithToken();
        QVERIFY(panel.loginForm()->tokenEdit()->text().isEmpty());
        QVERIFY(QTest::qWaitFor([&] { return !connected.isEmpty() && connected.last().at(0).toBool(); }, 10000));
        for (const QString &text : allTexts(&panel))
            QVERIFY2(!text.contains(QLatin1String(kFormToken)), qPrintable(text));

        // A refused token is an error in words, not a crash.
        panel.loginForm()->setServer(QString::fromStdString(m_server->server()));
        panel.loginForm()->setToken(QStringLiteral("sha256~unknown"));
        QSignalSpy relogin(&panel, &ClustersPanel::reloginRequested);
        panel.connectWithToken();
        QVERIFY(relogin.wait(10000));
        QVERIFY(panel.reloginVisible());
    }

    void expiredTokenAsksToLogInAgainAndPreflightResumes()
    {
        control("tokens", std::string("{\"token\": \"") + kFormToken + "-2\", \"user\": \"dev\"}");
        control("tokens", std::string("{\"token\": \"") + kFreshToken + "\", \"user\": \"dev\"}");
        ClustersPanel panel;
        deploy::DeploymentPlan plan;
        plan.name = "deepseek";
        plan.namespaceName = "deepseek";
        plan.modelId = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
        panel.setPlan(plan);
        panel.loginForm()->setServer(QString::fromStdString(m_server->server()));
        panel.loginForm()->setCaFile(m_server->caFile());
        panel.loginForm()->setToken(QString::fromLatin1(kFormToken) + QStringLiteral("-2"));
        QSignalSpy connected(&panel, &ClustersPanel::connectedChanged);
        panel.connectWithToken();
        QVERIFY(QTest::qWaitFor([&] { return !connected.isEmpty() && connected.last().at(0).toBool(); }, 10000));

        control("expire", std::string("{\"token\": \"") + kFormToken + "-2\"}");
        QSignalSpy relogin(&panel, &ClustersPanel::reloginRequested);
        QSignalSpy finished(&panel, &ClustersPanel::preflightFinished);
        panel.runPreflight();
        QVERIFY(relogin.wait(10000));
        QVERIFY(panel.reloginVisible());
        QCOMPARE(finished.count(), 0);
        QCOMPARE(panel.preflightModel()->rowCount(), 0);

        panel.reloginForm()->setToken(QString::fromLatin1(kFreshToken));
        panel.submitRelogin();
        QVERIFY(!panel.reloginVisible());
        QVERIFY(panel.reloginForm()->tokenEdit()->text().isEmpty());
        QVERIFY(finished.wait(15000));

        // The checklist: every check with an icon; failures carry their fix.
        PreflightModel *model = panel.preflightModel();
        QVERIFY(model->rowCount() >= 8);
        QVERIFY(model->rowOf(QStringLiteral("api")) == 0);
        const QModelIndex gpus = model->index(model->rowOf(QStringLiteral("gpu-nodes")));
        QCOMPARE(gpus.data(PreflightModel::StatusRole).toInt(), int(kube::CheckStatus::Fail)); // the fake cluster has no GPU nodes
        QVERIFY(gpus.data(Qt::DisplayRole).toString().contains(QStringLiteral("Fix: Install the NVIDIA GPU Operator")));
        QVERIFY(!gpus.data(Qt::DecorationRole).isNull());
        const QModelIndex api = model->index(0);
        QCOMPARE(api.data(PreflightModel::StatusRole).toInt(), int(kube::CheckStatus::Pass));
        QVERIFY(!api.data(Qt::DisplayRole).toString().contains(QStringLiteral("Fix:")));

        for (const QString &text : allTexts(&panel))
            QVERIFY2(!text.contains(QLatin1String(kFreshToken)) && !text.contains(QLatin1String(kFormToken)), qPrintable(text));

        // For review by eye: the panel with a checklist.
        panel.resize(1280, 900);
        QDir().mkpath(QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots"));
        QVERIFY(panel.grab().save(QStringLiteral(SLIPWAY_BINARY_DIR "/screenshots/clusters_panel_preflight.png")));
    }

    void insecureLoginShowsAWarning()
    {
        ClustersPanel panel;
        panel.show();
        QVERIFY(!panel.loginForm()->warningVisible());
        panel.loginForm()->setInsecure(true);
        QVERIFY(panel.loginForm()->warningVisible());
    }
};

QTEST_MAIN(TestClustersPanel)
#include "test_clusters_panel.moc"
