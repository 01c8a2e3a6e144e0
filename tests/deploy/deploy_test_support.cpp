#include "deploy_test_support.h"

#include <QFile>
#include <QRegularExpression>

namespace deploytest {

DeploymentPlan validPlan(Mode mode, Storage storage)
{
    DeploymentPlan plan;
    plan.name = "ds-r1-7b";
    plan.namespaceName = "llm-serving";
    plan.mode = mode;
    plan.storage = storage;
    plan.modelId = "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
    if (mode == Mode::Lws) {
        plan.nodes = 2;
        plan.gpusPerNode = 1;
        plan.tp = 2;
    }
    plan.s3.endpoint = "http://minio-svc.minio-store.svc.cluster.local:9000";
    plan.s3.bucket = "openshift";
    plan.s3.path = "mymodel/deepseek-ai/DeepSeek-R1-Distill-Qwen-7B";
    plan.s3.accessKeyId = "openshift";
    plan.s3.secretAccessKey = "openshift";
    plan.imageModelPath = "/opt/models/DeepSeek-R1-Distill-Qwen-7B";
    return plan;
}

DeploymentPlan guidePlan(Mode mode)
{
    DeploymentPlan plan = validPlan(mode, Storage::Pvc);
    plan.name = "deepseek-standalone";
    plan.namespaceName = "deepseek-test";
    plan.image = "quay.io/howang/sglang:latest";
    plan.modelMountPath = "/root/.cache/huggingface";
    plan.modelDir = "DeepSeek-R1-Distill-Qwen-7B";
    plan.security = Security::Privileged;
    plan.platform = Platform::OpenShift;
    return plan;
}

std::vector<YAML::Node> parseAll(const std::vector<RenderedObject> &objects)
{
    std::vector<YAML::Node> nodes;
    for (const RenderedObject &object : objects)
        nodes.push_back(YAML::Load(object.yaml));
    return nodes;
}

YAML::Node findObject(const std::vector<RenderedObject> &objects, const std::string &kind)
{
    for (const RenderedObject &object : objects) {
        if (object.kind == kind)
            return YAML::Load(object.yaml);
    }
    return YAML::Node();
}

int countKind(const std::vector<RenderedObject> &objects, const std::string &kind)
{
    int count = 0;
    for (const RenderedObject &object : objects)
        count += object.kind == kind ? 1 : 0;
    return count;
}

std::vector<std::string> stringList(const YAML::Node &sequence)
{
    std::vector<std::string> items;
    if (!sequence || !sequence.IsSequence())
        return items;
    for (const YAML::Node &item : sequence)
        items.push_back(item.as<std::string>());
    return items;
}

std::vector<std::vector<std::string>> guideLaunchLists()
{
    QFile file(QStringLiteral(SLIPWAY_SHARED_DIR "/reference/openshift-sglang-deepseek-guide.md"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'));
    const auto indentOf = [](const QString &line) {
        int n = 0;
        while (n < line.size() && line[n] == QLatin1Char(' '))
            ++n;
        return n;
    };
    const auto isItem = [&](int index, int indent) {
        const QString &line = lines[index];
        return indentOf(line) == indent && line.mid(indent).startsWith(QLatin1String("- "));
    };
    std::vector<std::vector<std::string>> lists;
    for (int i = 0; i < lines.size(); ++i) {
        if (lines[i].trimmed() != QLatin1String("- sglang.launch_server"))
            continue;
        const int indent = indentOf(lines[i]);
        int first = i;
        while (first > 0 && isItem(first - 1, indent))
            --first;
        int last = i;
        while (last + 1 < lines.size() && isItem(last + 1, indent))
            ++last;
        std::vector<std::string> list;
        for (int k = first; k <= last; ++k) {
            QString value = lines[k].mid(indent + 2);
            value.remove(QRegularExpression(QStringLiteral("\\s+#.*$")));
            value = value.trimmed();
            if (value.size() >= 2 && value.startsWith(QLatin1Char('"')) && value.endsWith(QLatin1Char('"')))
                value = value.mid(1, value.size() - 2);
            list.push_back(value.toStdString());
        }
        lists.push_back(list);
    }
    return lists;
}

QString joined(const std::vector<std::string> &items)
{
    QStringList parts;
    for (const std::string &item : items)
        parts << QString::fromStdString(item);
    return parts.join(QLatin1Char(' '));
}

} // namespace deploytest
