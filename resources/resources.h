#pragma once
// Data files from resources/catalog, compiled in. Each returns the whole file's text (JSON).
#include <string_view>

namespace slipway::resources {
std::string_view modelCatalogJson();     // catalog/models.json: config.json fields by Hugging Face id
std::string_view gpuCatalogJson();       // catalog/gpus.json: memory, bandwidth, BF16 TFLOP/s per GPU
std::string_view guideSizingTableJson(); // catalog/guide-sizing.json: the customer guide's own table
}
