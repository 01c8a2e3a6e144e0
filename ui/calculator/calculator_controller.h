#pragma once
// CalculatorController: keeps the Calculator's inputs and recomputes the sizing when they change.
// Changes are debounced; loading a model (a folder's safetensors headers, a config.json) and the
// sizing itself run on the global thread pool, and the outcome comes back to the GUI thread. A
// newer request supersedes an older one: stale outcomes are dropped. GUI thread only.
#include "calculator/calculator_inputs.h"
#include "sizing/sizing.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <optional>

namespace slipway::ui {

class CalculatorController final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CalculatorController)

public:
    enum class Problem {
        None,
        NoModelChosen,   // a folder or config.json source with an empty path
        ModelNotLoaded,  // the core could not load the model: coreMessage() says why
        InvalidInput,    // the core refused the input (or an unknown GPU): coreMessage() says why
    };

    explicit CalculatorController(QObject *parent = nullptr);
    ~CalculatorController() override; // waits for its background tasks (see the .cpp)

    const CalculatorInputs &inputs() const { return m_inputs; }
    // Stores the inputs and schedules a recalculation after the debounce interval when they
    // differ from the current ones.
    void setInputs(const CalculatorInputs &inputs);
    // Starts the recalculation now instead of after the debounce interval.
    void recalculateNow();
    void setDebounceInterval(int milliseconds);

    bool isBusy() const { return m_busy; }
    // The latest outcome for the current inputs' generation: a result, or a problem.
    const std::optional<sizing::SizingResult> &result() const { return m_result; }
    Problem problem() const { return m_problem; }
    // In the current language (core writes English; see messages/core_messages.h).
    QString coreMessage() const;
    // The model of the latest outcome, when it loaded.
    const std::optional<model::ModelSpec> &model() const { return m_model; }

signals:
    void busyChanged(bool busy);
    // A new outcome is available: result(), problem(), model() are updated.
    void updated();

private:
    struct Outcome;
    void start();
    void finish(const Outcome &outcome);
    void setBusy(bool busy);

    CalculatorInputs m_inputs;
    QTimer m_debounce;
    quint64 m_generation = 0;
    bool m_busy = false;
    bool m_started = false;

    // The last model loaded, reused while the source stays the same.
    std::optional<ModelSource> m_cachedSource;
    std::optional<model::ModelSpec> m_cachedModel;

    std::optional<sizing::SizingResult> m_result;
    std::optional<model::ModelSpec> m_model;
    Problem m_problem = Problem::None;
    Message m_coreMessage;
};

} // namespace slipway::ui
