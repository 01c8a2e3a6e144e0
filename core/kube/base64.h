#pragma once
// Internal to core/kube: standard base64 (RFC 4648), as kubeconfig *-data fields and
// ExecCredential certificate data use. Whitespace inside the text is ignored.
#include <optional>
#include <string>
#include <string_view>

namespace slipway::kube::detail {

std::optional<std::string> base64Decode(std::string_view text);
std::string base64Encode(std::string_view bytes);

} // namespace slipway::kube::detail
