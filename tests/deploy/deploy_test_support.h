#pragma once
// Helpers shared by the core/deploy tests: plans with the guide's values, parsing rendered YAML.
#include "deploy/deployment_plan.h"
#include "deploy/render.h"

#include <yaml-cpp/yaml.h>

#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace deploytest {

using namespace slipway::deploy;

// A plan that passes validate() for any mode/storage: S3 credentials, a model id for downloads,
// an image path for Storage::Image; lws gets 2 nodes x 1 GPU (tp 2), the others 1 GPU.
DeploymentPlan validPlan(Mode mode, Storage storage);

// The guide's values: DeepSeek-R1-Distill-Qwen-7B mounted at /root/.cache/huggingface (§3.3, §5.2),
// privileged, OpenShift, PVC storage.
DeploymentPlan guidePlan(Mode mode);

// Every document parsed with yaml-cpp, in order.
std::vector<YAML::Node> parseAll(const std::vector<RenderedObject> &objects);
// The first object of that kind, parsed; a null node when there is none.
YAML::Node findObject(const std::vector<RenderedObject> &objects, const std::string &kind);
int countKind(const std::vector<RenderedObject> &objects, const std::string &kind);
std::vector<std::string> stringList(const YAML::Node &sequence);

// The lists of the guide that contain "sglang.launch_server" (§3.3 Deployment command, §4.5
// ServingRuntime args, §5.2 leader command, §5.2 worker command), as written there: quotes and
// trailing comments removed.
std::vector<std::vector<std::string>> guideLaunchLists();

QString joined(const std::vector<std::string> &items);

} // namespace deploytest
