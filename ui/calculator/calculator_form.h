#pragma once
// CalculatorForm: the Calculator's inputs as widgets. It only renders and forwards: every change
// becomes a CalculatorInputs value in inputsChanged(); the panel passes it to the controller.
#include "calculator/calculator_inputs.h"
#include "model/catalog.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace slipway::ui {

class CalculatorForm final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CalculatorForm)

public:
    // `catalog` fills the model list; it may be empty (then only folders and files can be chosen).
    explicit CalculatorForm(const model::ModelCatalog &catalog, QWidget *parent = nullptr);

    CalculatorInputs inputs() const;
    // Shows `inputs` in the widgets and emits inputsChanged() once.
    void setInputs(const CalculatorInputs &inputs);

    // The line under the model choice: what was loaded, that it is loading, or why it failed.
    enum class ModelStatus { Loading, Loaded, Failed };
    void setModelStatus(ModelStatus status, const QString &text);

signals:
    void inputsChanged(const slipway::ui::CalculatorInputs &inputs);

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void retranslateUi();
    void updateVisibility();
    void emitInputs();
    void browse();

    std::vector<model::CatalogEntry> m_catalogEntries;
    bool m_settingInputs = false;

    QGroupBox *m_modelGroup = nullptr;
    QFormLayout *m_modelLayout = nullptr;
    QComboBox *m_source = nullptr;
    QComboBox *m_catalog = nullptr;
    QWidget *m_pathRow = nullptr;
    QLineEdit *m_path = nullptr;
    QPushButton *m_browse = nullptr;
    QLabel *m_modelStatus = nullptr;

    QGroupBox *m_precisionGroup = nullptr;
    QFormLayout *m_precisionLayout = nullptr;
    QComboBox *m_weightDtype = nullptr;
    QComboBox *m_kvDtype = nullptr;

    QGroupBox *m_loadGroup = nullptr;
    QFormLayout *m_loadLayout = nullptr;
    QSpinBox *m_context = nullptr;
    QSpinBox *m_concurrency = nullptr;

    QGroupBox *m_gpuGroup = nullptr;
    QFormLayout *m_gpuLayout = nullptr;
    QComboBox *m_gpu = nullptr;
    QDoubleSpinBox *m_customMemory = nullptr;
    QSpinBox *m_gpusPerNode = nullptr;
    QDoubleSpinBox *m_memFraction = nullptr;
    QSpinBox *m_tp = nullptr;

    QPushButton *m_reset = nullptr;
};

} // namespace slipway::ui
