#pragma once
// What the Calculator panel asks of the sizing core, as the person set it. A value type: the form
// produces it, the controller turns it into a sizing::SizingInput once the model is loaded.
#include "common/result.h"
#include "model/model_spec.h"
#include "sizing/dtype.h"
#include "sizing/sizing.h"

#include <QString>

#include <optional>

namespace slipway::ui {

struct ModelSource {
    enum class Kind { Catalog, Folder, ConfigFile };
    Kind kind = Kind::Catalog;
    QString reference; // catalog id, folder path or config.json path

    bool operator==(const ModelSource &) const = default;
};

struct CalculatorInputs {
    ModelSource model{ModelSource::Kind::Catalog, QStringLiteral("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B")};
    sizing::WeightDtype weightDtype = sizing::WeightDtype::Auto;
    sizing::KvDtype kvDtype = sizing::KvDtype::Auto;
    qint64 contextLength = 0;          // 0: the model's maximum
    qint64 concurrency = 1;
    QString gpuName = QStringLiteral("H100"); // a catalog name; ignored when customGpu
    bool customGpu = false;
    double customGpuMemoryGiB = 80.0;
    int gpusPerNode = 8;
    std::optional<double> memFraction;   // absent: SGLang's default for the card and TP
    std::optional<int> tensorParallel;   // absent: the smallest TP that fits

    bool operator==(const CalculatorInputs &) const = default;
};

// The core's input for `inputs` with `spec` as the model. Fails when the GPU name is not in the
// catalog (the message lists the valid names).
Result<sizing::SizingInput> toSizingInput(const CalculatorInputs &inputs, const model::ModelSpec &spec);

} // namespace slipway::ui
