#pragma once
// CalculatorPanel: the GPU sizing calculator. Inputs on the left (CalculatorForm); on the right a
// summary (TP, nodes, fit, decode ceiling), errors and warnings, a per-GPU memory chart, and
// tabs with the figures and their formulas, the TP search, and the customer guide's table beside
// Slipway's. The panel renders; CalculatorController computes off the GUI thread.
#include "calculator/calculator_inputs.h"

#include <QWidget>

class QFrame;
class QLabel;
class QTabWidget;
class QTableView;

namespace slipway::ui {

class CalculatorController;
class CalculatorForm;
class GuideComparisonModel;
class MemoryChartView;
class SizingFiguresModel;
class TpSearchModel;

class CalculatorPanel final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CalculatorPanel)

public:
    explicit CalculatorPanel(QWidget *parent = nullptr);
    ~CalculatorPanel() override; // waits for its background tasks (see the .cpp)

    // Sets every input at once (as if typed into the form) and recalculates.
    void setInputs(const CalculatorInputs &inputs);
    CalculatorInputs inputs() const;

    CalculatorController *controller() const { return m_controller; }
    CalculatorForm *form() const { return m_form; }
    SizingFiguresModel *figuresModel() const { return m_figuresModel; }
    TpSearchModel *tpSearchModel() const { return m_tpModel; }
    GuideComparisonModel *guideModel() const { return m_guideModel; }
    MemoryChartView *memoryChart() const { return m_chart; }
    QTabWidget *resultTabs() const { return m_tabs; }
    // The error and warning lines as shown (one entry a message).
    QStringList shownErrors() const { return m_errors; }
    QStringList shownWarnings() const { return m_warnings; }

signals:
    // The panel shows the outcome of the latest inputs (a result or a problem).
    void resultShown();
    // The guide's table is filled (or failed to load).
    void guideComparisonShown();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslateUi();
    // Renders the controller's latest outcome; `announce` emits resultShown().
    void showOutcome(bool announce);
    void showSummary();
    void showMessages();
    void loadGuideComparison();

    CalculatorController *m_controller = nullptr;
    CalculatorForm *m_form = nullptr;
    SizingFiguresModel *m_figuresModel = nullptr;
    TpSearchModel *m_tpModel = nullptr;
    GuideComparisonModel *m_guideModel = nullptr;

    QLabel *m_headline = nullptr;
    QLabel *m_verdict = nullptr;
    QLabel *m_capacity = nullptr;
    QLabel *m_ceiling = nullptr;
    QLabel *m_errorBox = nullptr;
    QLabel *m_warningBox = nullptr;
    MemoryChartView *m_chart = nullptr;
    QLabel *m_chartCaption = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTableView *m_figuresView = nullptr;
    QTableView *m_tpView = nullptr;
    QTableView *m_guideView = nullptr;
    QLabel *m_guideCaption = nullptr;

    QStringList m_errors;
    QStringList m_warnings;
    QString m_guideError;
};

} // namespace slipway::ui
