#include "calculator/calculator_inputs.h"

#include "sizing/gpu_catalog.h"

namespace slipway::ui {

Result<sizing::SizingInput> toSizingInput(const CalculatorInputs &inputs, const model::ModelSpec &spec)
{
    sizing::SizingInput in;
    in.model = spec;
    in.weightDtype = inputs.weightDtype;
    in.kvDtype = inputs.kvDtype;
    in.contextLength = inputs.contextLength;
    in.concurrency = inputs.concurrency;
    if (inputs.customGpu) {
        in.gpu = sizing::customGpu(inputs.customGpuMemoryGiB);
    } else {
        Result<sizing::GpuSpec> gpu = sizing::findGpu(inputs.gpuName.toStdString());
        if (!gpu)
            return gpu.error();
        in.gpu = *gpu;
    }
    in.gpusPerNode = inputs.gpusPerNode;
    in.memFraction = inputs.memFraction;
    in.tensorParallel = inputs.tensorParallel;
    return in;
}

} // namespace slipway::ui
