#include "metrics/metrics_panel.h"

#include "metrics/metrics_chart.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

namespace slipway::ui {

namespace {

const QColor kBlue(0x1f, 0x77, 0xb4);
const QColor kOrange(0xff, 0x7f, 0x0e);
const QColor kGreen(0x2c, 0xa0, 0x2c);
const QColor kRed(0xd6, 0x27, 0x28);
const QColor kPurple(0x94, 0x67, 0xbd);
const QColor kBrown(0x8c, 0x56, 0x4b);
const int kWindows[] = {1, 5, 15, 60};

metrics::SeriesKey key(const char *name) { return {name, {}}; }
metrics::SeriesKey gpuKey(const char *name, const std::string &gpu) { return {name, {{"gpu", gpu}}}; }
metrics::SeriesKey clusterKey(const char *name, const std::pair<std::string, std::string> &id) {
    return {name, MetricsSeriesModel::clusterGpuLabels(id.first, id.second)};
}

} // namespace

MetricsPanel::MetricsPanel(const QString &nvmlLibrary, QWidget *parent)
    : QWidget(parent), m_model(new MetricsSeriesModel(300, this)), m_worker(new MetricsWorker(nvmlLibrary)) {
    qRegisterMetaType<MetricsSample>();
    m_thread.setObjectName(QStringLiteral("metrics-worker"));
    m_worker->moveToThread(&m_thread);
    connect(m_worker, &MetricsWorker::sampled, this, &MetricsPanel::onSample);
    connect(m_model, &MetricsSeriesModel::updated, this, &MetricsPanel::redraw);
    m_thread.start();
    buildUi();
    retranslateUi();
}

MetricsPanel::~MetricsPanel() {
    // Hiding the panel on destruction ends the source field's editing; nothing may reach the
    // worker after this point.
    m_sourceEdit->disconnect(this);
    m_prometheusEdit->disconnect(this);
    // The worker's timer lives on the worker thread: delete it there.
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { delete w; }, Qt::BlockingQueuedConnection);
    m_worker = nullptr;
    m_thread.quit();
    m_thread.wait();
}

void MetricsPanel::buildUi() {
    setObjectName(QStringLiteral("metricsPanel"));
    m_sourceLabel = new QLabel(this);
    m_sourceEdit = new QLineEdit(this);
    m_sourceEdit->setObjectName(QStringLiteral("metricsSource"));
    m_sourceEdit->setMinimumWidth(260);
    m_sourceLabel->setBuddy(m_sourceEdit);
    connect(m_sourceEdit, &QLineEdit::editingFinished, this, [this] { setSource(m_sourceEdit->text()); });
    m_localButton = new QPushButton(this);
    m_localButton->setObjectName(QStringLiteral("metricsUseLocal"));
    connect(m_localButton, &QPushButton::clicked, this, [this] { setSource(m_localUrl); });
    m_intervalLabel = new QLabel(this);
    m_intervalSpin = new QSpinBox(this);
    m_intervalSpin->setObjectName(QStringLiteral("metricsInterval"));
    m_intervalSpin->setRange(1, 60);
    m_intervalSpin->setValue(2);
    connect(m_intervalSpin, &QSpinBox::valueChanged, this, &MetricsPanel::setIntervalSeconds);
    m_windowLabel = new QLabel(this);
    m_windowBox = new QComboBox(this);
    m_windowBox->setObjectName(QStringLiteral("metricsWindow"));
    for (int minutes : kWindows) m_windowBox->addItem(QString(), minutes);
    m_windowBox->setCurrentIndex(1);
    connect(m_windowBox, &QComboBox::currentIndexChanged, this,
            [this](int i) { m_model->setWindow(m_windowBox->itemData(i).toInt() * 60.0); });
    m_runButton = new QPushButton(this);
    m_runButton->setObjectName(QStringLiteral("metricsRun"));
    connect(m_runButton, &QPushButton::clicked, this, [this] { m_running ? pause() : start(); });

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_sourceLabel);
    bar->addWidget(m_sourceEdit, 1);
    bar->addWidget(m_localButton);
    bar->addSpacing(12);
    bar->addWidget(m_intervalLabel);
    bar->addWidget(m_intervalSpin);
    bar->addSpacing(12);
    bar->addWidget(m_windowLabel);
    bar->addWidget(m_windowBox);
    bar->addSpacing(12);
    bar->addWidget(m_runButton);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("metricsStatus"));
    m_statusLabel->setWordWrap(true);

    m_requests = new MetricsChart(0, this);
    m_throughput = new MetricsChart(0, this);
    m_kv = new MetricsChart(100, this);
    m_ttft = new MetricsChart(0, this);
    m_itl = new MetricsChart(0, this);
    m_engineGroup = new QGroupBox(this);
    auto *engineGrid = new QGridLayout(m_engineGroup);
    engineGrid->addWidget(m_requests, 0, 0);
    engineGrid->addWidget(m_throughput, 0, 1);
    engineGrid->addWidget(m_kv, 0, 2);
    engineGrid->addWidget(m_ttft, 1, 0);
    engineGrid->addWidget(m_itl, 1, 1);

    m_gpuGroup = new QGroupBox(this);
    m_gpuStatus = new QLabel(m_gpuGroup);
    m_gpuStatus->setObjectName(QStringLiteral("metricsGpuStatus"));
    m_gpuStatus->setWordWrap(true);
    m_gpuUtil = new MetricsChart(100, m_gpuGroup);
    m_gpuPower = new MetricsChart(0, m_gpuGroup);
    auto *gpuLayout = new QGridLayout(m_gpuGroup);
    gpuLayout->addWidget(m_gpuStatus, 0, 0, 1, 2);
    gpuLayout->addWidget(m_gpuUtil, 1, 0);
    gpuLayout->addWidget(m_gpuPower, 1, 1);
    m_gpuUtil->hide();
    m_gpuPower->hide();
    // The GPU box shares the engine grid's free cell.
    engineGrid->addWidget(m_gpuGroup, 1, 2);

    // A cluster deployment's GPUs (DCGM through Prometheus), per pod and GPU.
    m_clusterGpuGroup = new QGroupBox(this);
    m_clusterGpuGroup->setObjectName(QStringLiteral("metricsClusterGpus"));
    m_prometheusLabel = new QLabel(m_clusterGpuGroup);
    m_prometheusEdit = new QLineEdit(m_clusterGpuGroup);
    m_prometheusEdit->setObjectName(QStringLiteral("metricsPrometheus"));
    m_prometheusLabel->setBuddy(m_prometheusEdit);
    connect(m_prometheusEdit, &QLineEdit::editingFinished, this, [this] { setPrometheusUrl(m_prometheusEdit->text()); });
    m_clusterGpuStatus = new QLabel(m_clusterGpuGroup);
    m_clusterGpuStatus->setObjectName(QStringLiteral("metricsClusterGpuStatus"));
    m_clusterGpuStatus->setWordWrap(true);
    m_dcgmUtil = new MetricsChart(100, m_clusterGpuGroup);
    m_dcgmMemory = new MetricsChart(0, m_clusterGpuGroup);
    m_dcgmPower = new MetricsChart(0, m_clusterGpuGroup);
    auto *clusterLayout = new QGridLayout(m_clusterGpuGroup);
    auto *promBar = new QHBoxLayout;
    promBar->addWidget(m_prometheusLabel);
    promBar->addWidget(m_prometheusEdit, 1);
    clusterLayout->addLayout(promBar, 0, 0, 1, 3);
    clusterLayout->addWidget(m_clusterGpuStatus, 1, 0, 1, 3);
    clusterLayout->addWidget(m_dcgmUtil, 2, 0);
    clusterLayout->addWidget(m_dcgmMemory, 2, 1);
    clusterLayout->addWidget(m_dcgmPower, 2, 2);
    m_clusterGpuGroup->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_engineGroup, 1);
    layout->addWidget(m_clusterGpuGroup, 1);
}

void MetricsPanel::retranslateUi() {
    setWindowTitle(tr("Metrics"));
    m_sourceLabel->setText(tr("Source:"));
    m_sourceEdit->setPlaceholderText(tr("Engine URL, e.g. http://127.0.0.1:30000 (its /metrics is read)"));
    m_sourceEdit->setToolTip(tr("An engine started with --enable-metrics: its base URL or its /metrics URL."));
    m_localButton->setText(tr("Local engine"));
    m_localButton->setToolTip(tr("Watch the engine the Local target runs"));
    m_localButton->setEnabled(!m_localUrl.isEmpty());
    m_intervalLabel->setText(tr("Every:"));
    m_intervalSpin->setSuffix(tr(" s"));
    m_intervalSpin->setToolTip(tr("Seconds between scrapes"));
    m_windowLabel->setText(tr("Window:"));
    for (int i = 0; i < m_windowBox->count(); ++i)
        m_windowBox->setItemText(i, tr("Last %n minute(s)", nullptr, m_windowBox->itemData(i).toInt()));
    m_runButton->setText(m_running ? tr("Pause") : tr("Start"));
    m_engineGroup->setTitle(tr("Engine"));
    m_gpuGroup->setTitle(tr("GPUs on this machine (NVML)"));

    m_requests->setTitle(tr("Requests"));
    m_requests->setUnit(tr("requests"));
    m_requests->setLines({{key("running"), tr("running"), kBlue}, {key("queued"), tr("queued"), kOrange}});
    m_throughput->setTitle(tr("Throughput"));
    m_throughput->setUnit(tr("tokens/s"));
    m_throughput->setLines({{key("gen_throughput"), tr("generated"), kGreen}, {key("prompt_throughput"), tr("prompt"), kPurple}});
    m_kv->setTitle(tr("KV cache usage"));
    m_kv->setUnit(tr("%"));
    m_kv->setLines({{key("kv_usage"), tr("used"), kBrown}});
    m_ttft->setTitle(tr("Time to first token"));
    m_ttft->setUnit(tr("ms"));
    m_ttft->setLines({{key("ttft_p50"), tr("p50"), kBlue}, {key("ttft_p99"), tr("p99"), kRed}});
    m_itl->setTitle(tr("Inter-token latency"));
    m_itl->setUnit(tr("ms"));
    m_itl->setLines({{key("itl_p50"), tr("p50"), kBlue}, {key("itl_p99"), tr("p99"), kRed}});
    m_gpuUtil->setTitle(tr("GPU utilisation and memory"));
    m_gpuUtil->setUnit(tr("%"));
    m_gpuPower->setTitle(tr("GPU power and temperature"));
    m_gpuPower->setUnit(tr("W / °C"));
    m_gpuLines = -1;
    rebuildGpuLines();
    m_clusterGpuGroup->setTitle(m_gpuSource.deployment.isEmpty() ? tr("GPUs of the deployment (DCGM)")
                                                                 : tr("GPUs of %1 (DCGM)").arg(m_gpuSource.deployment));
    m_prometheusLabel->setText(tr("Prometheus:"));
    m_prometheusEdit->setPlaceholderText(tr("thanos-querier, or any Prometheus URL"));
    m_prometheusEdit->setToolTip(tr("Where the DCGM exporter's series are queried. Empty: OpenShift's thanos-querier "
                                    "found for this cluster. Your cluster token is sent only to https:// URLs."));
    m_dcgmUtil->setTitle(tr("GPU utilisation"));
    m_dcgmUtil->setUnit(tr("%"));
    m_dcgmMemory->setTitle(tr("GPU memory"));
    m_dcgmMemory->setUnit(tr("GiB"));
    m_dcgmPower->setTitle(tr("GPU power and temperature"));
    m_dcgmPower->setUnit(tr("W / °C"));
    m_clusterGpuLines = -1;
    rebuildClusterGpuLines();
    redraw();
    updateStatus();
}

void MetricsPanel::rebuildGpuLines() {
    const int gpus = m_model->gpuCount();
    if (gpus == m_gpuLines) return;
    m_gpuLines = gpus;
    const QColor colors[] = {kBlue, kOrange, kGreen, kRed, kPurple, kBrown};
    std::vector<MetricsChart::Line> util, power;
    for (int i = 0; i < gpus; ++i) {
        const std::string gpu = std::to_string(i);
        const QColor c = colors[i % 6];
        util.push_back({gpuKey("gpu_util", gpu), tr("GPU %1 utilisation").arg(i), c});
        util.push_back({gpuKey("gpu_memory", gpu), tr("GPU %1 memory").arg(i), c.lighter(140)});
        power.push_back({gpuKey("gpu_power", gpu), tr("GPU %1 power (W)").arg(i), c});
        power.push_back({gpuKey("gpu_temperature", gpu), tr("GPU %1 temperature (°C)").arg(i), c.lighter(140)});
    }
    m_gpuUtil->setLines(std::move(util));
    m_gpuPower->setLines(std::move(power));
    m_gpuUtil->setVisible(gpus > 0);
    m_gpuPower->setVisible(gpus > 0);
}

void MetricsPanel::rebuildClusterGpuLines() {
    const auto &ids = m_model->clusterGpus();
    if (int(ids.size()) == m_clusterGpuLines) return;
    m_clusterGpuLines = int(ids.size());
    const QColor colors[] = {kBlue, kOrange, kGreen, kRed, kPurple, kBrown};
    std::vector<MetricsChart::Line> util, memory, power;
    m_clusterGpuLabels.clear();
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const QColor c = colors[i % 6];
        const QString name = tr("%1 · GPU %2").arg(QString::fromStdString(ids[i].first), QString::fromStdString(ids[i].second));
        m_clusterGpuLabels << name;
        util.push_back({clusterKey("dcgm_util", ids[i]), name, c});
        memory.push_back({clusterKey("dcgm_memory_used", ids[i]), tr("%1 used").arg(name), c});
        memory.push_back({clusterKey("dcgm_memory_free", ids[i]), tr("%1 free").arg(name), c.lighter(140)});
        power.push_back({clusterKey("dcgm_power", ids[i]), tr("%1 power (W)").arg(name), c});
        power.push_back({clusterKey("dcgm_temperature", ids[i]), tr("%1 temperature (°C)").arg(name), c.lighter(140)});
    }
    m_dcgmUtil->setLines(std::move(util));
    m_dcgmMemory->setLines(std::move(memory));
    m_dcgmPower->setLines(std::move(power));
}

void MetricsPanel::setClusterGpuSource(const ClusterGpuSource &source) {
    m_gpuSource = source;
    m_foundPrometheusUrl = source.prometheusUrl;
    m_prometheusEdit->setText(source.prometheusUrl);
    m_clusterGpuGroup->setVisible(source.isSet());
    sendClusterGpuSource();
    retranslateUi();
    start();
}

void MetricsPanel::clearClusterGpuSource() {
    m_gpuSource = {};
    m_foundPrometheusUrl.clear();
    m_prometheusEdit->clear();
    m_clusterGpuGroup->hide();
    sendClusterGpuSource();
}

void MetricsPanel::setPrometheusUrl(const QString &url) {
    if (m_gpuSource.namespaceName.isEmpty()) return;
    const QString next = url.trimmed().isEmpty() ? m_foundPrometheusUrl : url.trimmed();
    if (m_prometheusEdit->text() != next) m_prometheusEdit->setText(next);
    if (next == m_gpuSource.prometheusUrl) return;
    m_gpuSource.prometheusUrl = next;
    sendClusterGpuSource();
    sampleNow();
}

void MetricsPanel::sendClusterGpuSource() {
    QMetaObject::invokeMethod(m_worker, [w = m_worker, source = m_gpuSource] { w->setClusterGpuSource(source); },
                              Qt::QueuedConnection);
}

bool MetricsPanel::clusterGpusVisible() const { return m_clusterGpuGroup->isVisibleTo(this); }
QString MetricsPanel::clusterGpuStatusText() const { return m_clusterGpuStatus->text(); }

void MetricsPanel::changeEvent(QEvent *event) {
    if (event->type() == QEvent::LanguageChange) retranslateUi();
    QWidget::changeEvent(event);
}

void MetricsPanel::setLocalEngineUrl(const QString &baseUrl) {
    const QString current = m_sourceEdit->text().trimmed();
    const bool followLocal = current.isEmpty() || current == m_localUrl;
    m_localUrl = baseUrl;
    m_localButton->setEnabled(!m_localUrl.isEmpty());
    if (followLocal) setSource(baseUrl);
}

void MetricsPanel::setSource(const QString &url) {
    if (m_sourceEdit->text() != url) m_sourceEdit->setText(url);
    // Another engine: the cluster deployment's GPUs are no longer its GPUs.
    if (m_gpuSource.isSet()) clearClusterGpuSource();
    // Another source: a cluster's credentials are not sent to it.
    QMetaObject::invokeMethod(m_worker, [w = m_worker, url] {
        w->setCredentials(QString(), net::TlsOptions{});
        w->setSource(url);
    }, Qt::QueuedConnection);
    start();
}

void MetricsPanel::setClusterSource(const QString &url, const QString &bearerToken, const net::TlsOptions &tls) {
    if (m_sourceEdit->text() != url) m_sourceEdit->setText(url);
    QMetaObject::invokeMethod(m_worker, [w = m_worker, url, bearerToken, tls] {
        w->setCredentials(bearerToken, tls);
        w->setSource(url);
    }, Qt::QueuedConnection);
    start();
}

QString MetricsPanel::source() const { return MetricsWorker::metricsUrl(m_sourceEdit->text()); }

void MetricsPanel::setIntervalSeconds(int seconds) {
    if (m_intervalSpin->value() != seconds) m_intervalSpin->setValue(seconds);
    QMetaObject::invokeMethod(m_worker, [w = m_worker, seconds] { w->setInterval(seconds * 1000); }, Qt::QueuedConnection);
}

void MetricsPanel::setWindowMinutes(int minutes) {
    const int i = m_windowBox->findData(minutes);
    if (i >= 0) m_windowBox->setCurrentIndex(i);
}

void MetricsPanel::start() {
    m_running = true;
    m_runButton->setText(tr("Pause"));
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->start(); }, Qt::QueuedConnection);
}

void MetricsPanel::pause() {
    m_running = false;
    m_runButton->setText(tr("Start"));
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->pause(); }, Qt::QueuedConnection);
    updateStatus();
}

void MetricsPanel::sampleNow() {
    QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->sampleNow(); }, Qt::QueuedConnection);
}

MetricsChart *MetricsPanel::chart(const QString &name) const {
    if (name == QLatin1String("requests")) return m_requests;
    if (name == QLatin1String("throughput")) return m_throughput;
    if (name == QLatin1String("kv")) return m_kv;
    if (name == QLatin1String("ttft")) return m_ttft;
    if (name == QLatin1String("itl")) return m_itl;
    if (name == QLatin1String("gpu_util")) return m_gpuUtil;
    if (name == QLatin1String("gpu_power")) return m_gpuPower;
    if (name == QLatin1String("dcgm_util")) return m_dcgmUtil;
    if (name == QLatin1String("dcgm_memory")) return m_dcgmMemory;
    if (name == QLatin1String("dcgm_power")) return m_dcgmPower;
    return nullptr;
}

QString MetricsPanel::statusText() const { return m_statusLabel->text(); }
QString MetricsPanel::gpuStatusText() const { return m_gpuStatus->text(); }

void MetricsPanel::onSample(const MetricsSample &sample) {
    m_model->append(sample);
    rebuildGpuLines();
    rebuildClusterGpuLines();
    redraw();
    updateStatus();
}

void MetricsPanel::redraw() {
    const double window = m_model->window();
    const double end = m_model->sampleCount() > 0 ? m_model->store().newestTime()
                                                  : QDateTime::currentMSecsSinceEpoch() / 1000.0;
    for (MetricsChart *c : {m_requests, m_throughput, m_kv, m_ttft, m_itl, m_gpuUtil, m_gpuPower, m_dcgmUtil, m_dcgmMemory, m_dcgmPower})
        c->refresh(m_model->store(), end, window);
}

void MetricsPanel::updateStatus() {
    const MetricsSample &last = m_model->lastSample();
    bool coreText = false;
    QString text;
    if (m_model->sampleCount() == 0) {
        text = m_sourceEdit->text().trimmed().isEmpty()
                   ? tr("Enter an engine URL or start the Local engine; charts begin with the first scrape.")
                   : tr("Waiting for the first scrape…");
    } else if (!last.ok) {
        text = tr("Last scrape failed at %1: %2").arg(QDateTime::fromMSecsSinceEpoch(qint64(last.time * 1000)).toString(QStringLiteral("HH:mm:ss")), last.error);
        coreText = true;
    } else {
        text = tr("%1 · last scrape %2 · %n sample(s)", nullptr, m_model->sampleCount())
                   .arg(last.source, QDateTime::fromMSecsSinceEpoch(qint64(last.time * 1000)).toString(QStringLiteral("HH:mm:ss")));
        if (m_model->resetCount() > 0) text += QStringLiteral(" · ") + tr("engine restarted %n time(s) (counters reset)", nullptr, m_model->resetCount());
    }
    if (!m_running && m_model->sampleCount() > 0) text = tr("Paused.") + QLatin1Char(' ') + text;
    m_statusLabel->setText(text);
    m_statusLabel->setProperty("slipwayCoreText", coreText);
    m_statusLabel->setStyleSheet(coreText ? QStringLiteral("color: #b3261e;") : QString());

    bool gpuCore = false;
    if (m_model->gpuCount() > 0) {
        QStringList names;
        for (const metrics::GpuReading &g : last.gpus) names << QStringLiteral("%1: %2").arg(QString::fromStdString(g.gpu), QString::fromStdString(g.modelName));
        m_gpuStatus->setText(names.join(QStringLiteral(" · ")));
        gpuCore = true;
    } else if (!last.gpuError.isEmpty()) {
        m_gpuStatus->setText(last.gpuError.startsWith(QLatin1String("no NVIDIA driver"))
                                 ? tr("No NVIDIA driver on this machine: GPU charts are off. On a cluster, GPU figures come from the DCGM exporter.")
                                 : tr("GPU figures unavailable: %1").arg(last.gpuError));
    } else {
        m_gpuStatus->setText(tr("GPU figures appear after the first reading."));
    }
    m_gpuStatus->setProperty("slipwayCoreText", gpuCore);

    bool clusterCore = false;
    if (!m_gpuSource.isSet()) {
        m_clusterGpuStatus->clear();
    } else if (!last.clusterGpusQueried) {
        m_clusterGpuStatus->setText(tr("Waiting for the first Prometheus query…"));
    } else if (!last.clusterGpus.empty()) {
        QStringList names;
        for (const metrics::GpuReading &g : last.clusterGpus)
            names << QStringLiteral("%1 GPU %2: %3 (%4)").arg(QString::fromStdString(g.pod), QString::fromStdString(g.gpu),
                                                              QString::fromStdString(g.modelName), QString::fromStdString(g.hostname));
        m_clusterGpuStatus->setText(names.join(QStringLiteral(" · ")));
        clusterCore = true;
    } else {
        m_clusterGpuStatus->setText(tr("GPU figures unavailable: %1").arg(last.clusterGpuError));
    }
    m_clusterGpuStatus->setProperty("slipwayCoreText", clusterCore);
}

} // namespace slipway::ui
