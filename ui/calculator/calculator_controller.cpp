#include "calculator/calculator_controller.h"

#include "messages/core_messages.h"
#include "model/model_loader.h"

#include <QFutureWatcher>
#include <QFuture>
#include <QtConcurrent/QtConcurrentRun>

#include <filesystem>

namespace slipway::ui {

struct CalculatorController::Outcome {
    quint64 generation = 0;
    ModelSource source;
    std::optional<model::ModelSpec> spec;
    bool specLoadedNow = false;
    Problem problem = Problem::None;
    Message coreMessage;
    std::optional<sizing::SizingResult> result;
};

namespace {

Result<model::ModelSpec> loadSource(const ModelSource &source)
{
    const std::string reference = source.reference.toStdString();
    switch (source.kind) {
    case ModelSource::Kind::Catalog:
        return model::loadModel(reference);
    case ModelSource::Kind::Folder:
        return model::loadModelFolder(std::filesystem::path(reference));
    case ModelSource::Kind::ConfigFile:
        return model::loadConfigFile(std::filesystem::path(reference));
    }
    return fail("unknown model source");
}

} // namespace

CalculatorController::CalculatorController(QObject *parent)
    : QObject(parent)
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(150);
    connect(&m_debounce, &QTimer::timeout, this, &CalculatorController::start);
}

void CalculatorController::setInputs(const CalculatorInputs &inputs)
{
    if (m_started && inputs == m_inputs)
        return;
    m_inputs = inputs;
    m_started = true;
    ++m_generation; // whatever is in flight is stale now
    setBusy(true);
    m_debounce.start();
}

void CalculatorController::recalculateNow()
{
    m_started = true;
    ++m_generation;
    m_debounce.stop();
    start();
}

void CalculatorController::setDebounceInterval(int milliseconds)
{
    m_debounce.setInterval(milliseconds);
}

void CalculatorController::start()
{
    setBusy(true);
    Outcome base;
    base.generation = m_generation;
    base.source = m_inputs.model;
    if (base.source.kind != ModelSource::Kind::Catalog && base.source.reference.trimmed().isEmpty()) {
        base.problem = Problem::NoModelChosen;
        finish(base);
        return;
    }
    std::optional<model::ModelSpec> cached;
    if (m_cachedSource && *m_cachedSource == base.source)
        cached = m_cachedModel;

    // Everything the task needs is copied into it: it touches nothing of this object.
    const CalculatorInputs inputs = m_inputs;
    QFuture<Outcome> future = QtConcurrent::run([base, cached, inputs]() {
        Outcome out = base;
        if (cached) {
            out.spec = cached;
        } else {
            Result<model::ModelSpec> loaded = loadSource(out.source);
            if (!loaded) {
                out.problem = Problem::ModelNotLoaded;
                out.coreMessage = loaded.error().asMessage();
                return out;
            }
            out.spec = std::move(loaded).value();
            out.specLoadedNow = true;
        }
        Result<sizing::SizingInput> input = toSizingInput(inputs, *out.spec);
        if (!input) {
            out.problem = Problem::InvalidInput;
            out.coreMessage = input.error().asMessage();
            return out;
        }
        Result<sizing::SizingResult> sized = sizing::computeSizing(*input);
        if (!sized) {
            out.problem = Problem::InvalidInput;
            out.coreMessage = sized.error().asMessage();
            return out;
        }
        out.result = std::move(sized).value();
        return out;
    });
    // The watcher delivers on this object's (the GUI) thread and dies with it. (Not
    // QFuture::then(context): under load, Qt 6.4 was seen not to run a continuation attached to a
    // future that had already finished.)
    auto *watcher = new QFutureWatcher<Outcome>(this);
    connect(watcher, &QFutureWatcher<Outcome>::finished, this, [this, watcher] {
        watcher->deleteLater();
        finish(watcher->result());
    });
    watcher->setFuture(future);
}

void CalculatorController::finish(const Outcome &outcome)
{
    // A model that loaded is worth keeping even when its sizing is stale.
    if (outcome.specLoadedNow && outcome.spec) {
        m_cachedSource = outcome.source;
        m_cachedModel = outcome.spec;
    }
    if (outcome.generation != m_generation)
        return;
    m_result = outcome.result;
    m_model = outcome.spec;
    m_problem = outcome.problem;
    m_coreMessage = outcome.coreMessage;
    if (!m_debounce.isActive())
        setBusy(false);
    emit updated();
}

QString CalculatorController::coreMessage() const
{
    return CoreMessages::text(m_coreMessage);
}

void CalculatorController::setBusy(bool busy)
{
    if (busy == m_busy)
        return;
    m_busy = busy;
    emit busyChanged(busy);
}

CalculatorController::~CalculatorController()
{
    // Shutdown is quit-then-wait: background tasks hold no pointer to this object, but they are
    // finished before its children go, so nothing of theirs outlives the owner (a torn-down
    // wizard was seen crashing in its layouts' destructors while a pool thread was still busy).
    for (QFutureWatcherBase *watcher : findChildren<QFutureWatcherBase *>())
        watcher->waitForFinished();
}

} // namespace slipway::ui
