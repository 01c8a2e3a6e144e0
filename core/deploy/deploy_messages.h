#pragma once
// Every text core/deploy writes for people, as message templates (common/message.h): the plan
// builder's and validate()'s errors, the operator's notes and the image mirror's errors. The
// list is an X-macro so that the constants and messageTemplates() cannot drift apart: the
// console's tests check that it translates every code listed here.
#include "common/message.h"

#include <vector>

#define SLIPWAY_DEPLOY_USE_MIRROR_EXAMPLE "use e.g. 'quay.io/myorg' or 'registry.example.com:5000/ai'"

// X(constant, code, English template)
#define SLIPWAY_DEPLOY_MESSAGES(X)                                                                                   \
    /* plan_builder: the choices */                                                                                 \
    X(kPlanNodesNeedLws, "deploy.plan.nodes_need_lws",                                                               \
      "--nodes %1 needs --mode lws: a Deployment or InferenceService runs each replica in one pod on one node")     \
    X(kPlanLayoutMismatch, "deploy.plan.layout_mismatch",                                                            \
      "--nodes %1 × --gpus-per-node %2 = %3 GPUs, but --tp is %4: each GPU holds one tensor-parallel rank, so "     \
      "make them equal")                                                                                            \
    X(kPlanTpSplit, "deploy.plan.tp_split",                                                                          \
      "--tp %1 cannot be split evenly over --nodes %2: choose a TP that is a multiple of the node count")           \
    X(kPlanRange, "deploy.plan.range", "%1 must be between %2 and %3, not %4")                                       \
    X(kPlanQuantity, "deploy.plan.quantity", "%1 must be a size such as 500Gi or 200G, not '%2'")                    \
    X(kPlanModelRequired, "deploy.plan.model_required",                                                              \
      "--model is required: a catalog id such as deepseek-ai/DeepSeek-R1-Distill-Qwen-7B, a model folder, or a "    \
      "config.json (slipway-cli models lists the catalog)")                                                         \
    X(kPlanGpu, "deploy.plan.gpu", "--gpu: %1")                                                                      \
    X(kPlanNeedsLws, "deploy.plan.needs_lws",                                                                        \
      "%1 needs %2 GPUs over %3 nodes of %4: use --mode lws, or more GPUs per node")                                \
    X(kPlanPvcTooSmall, "deploy.plan.pvc_too_small",                                                                 \
      "--pvc-size %1 is smaller than the model's files (%2): give at least %3")                                     \
    /* validate(): names */                                                                                         \
    X(kCheckName, "deploy.check.name",                                                                               \
      "name %1 is not a valid name: use lower-case letters, digits and '-', starting with a letter and ending "     \
      "with a letter or digit (DNS-1035, as Services, LeaderWorkerSets and InferenceServices require), e.g. "       \
      "'deepseek-r1-7b'")                                                                                           \
    X(kCheckNameLength, "deploy.check.name_length",                                                                  \
      "name %1 is %2 characters long: use at most %3 (object names get suffixes such as '-scc-privileged' and "     \
      "'-predictor', and must stay within 63 characters)")                                                          \
    X(kCheckNamespace, "deploy.check.namespace",                                                                     \
      "namespace %1 is not a valid namespace: use at most 63 lower-case letters, digits and '-', starting and "     \
      "ending with a letter or digit (DNS-1123 label)")                                                             \
    X(kCheckRouteHostLength, "deploy.check.route_host_length",                                                       \
      "the Route host OpenShift would generate, %1, is longer than 63 characters: shorten the name or the "         \
      "namespace, or set the route host")                                                                           \
    X(kCheckSubdomain, "deploy.check.subdomain",                                                                     \
      "%1 %2 is not a valid name: use lower-case letters, digits, '-' and '.' (DNS-1123 subdomain)")                \
    X(kFieldRouteHost, "deploy.field.route_host", "route host")                                                      \
    X(kFieldIngressHost, "deploy.field.ingress_host", "ingress host")                                                \
    X(kFieldIngressClass, "deploy.field.ingress_class", "ingress class")                                             \
    X(kFieldStorageClass, "deploy.field.storage_class", "storage class")                                             \
    X(kFieldImagePullSecret, "deploy.field.image_pull_secret", "image pull secret")                                  \
    X(kFieldS3Secret, "deploy.field.s3_secret", "S3 secret")                                                         \
    X(kFieldHfTokenSecret, "deploy.field.hf_token_secret", "Hugging Face token secret")                              \
    /* validate(): parallelism and ports */                                                                         \
    X(kCheckTp, "deploy.check.tp", "tp is %1: tensor parallelism must be at least 1")                                \
    X(kCheckGpusPerNode, "deploy.check.gpus_per_node", "gpus per node is %1: each pod needs at least 1 GPU")         \
    X(kCheckNodes, "deploy.check.nodes", "nodes is %1: use at least 1")                                              \
    X(kCheckReplicas, "deploy.check.replicas", "replicas is %1: use at least 1")                                     \
    X(kCheckModeOnePod, "deploy.check.mode_one_pod",                                                                 \
      "mode %1 runs one pod per replica, but nodes is %2: use mode lws for a model spread over several nodes, or "  \
      "set nodes to 1")                                                                                             \
    X(kCheckLwsOneNode, "deploy.check.lws_one_node",                                                                 \
      "mode lws with nodes 1 is a single pod: use mode deployment, or set nodes to 2 or more")                      \
    X(kCheckTpLayout, "deploy.check.tp_layout",                                                                      \
      "tp %1 must equal nodes x GPUs per node (%2 x %3 = %4): each GPU holds one tensor-parallel rank; change tp, "  \
      "nodes or GPUs per node")                                                                                     \
    X(kCheckGpuResource, "deploy.check.gpu_resource", "GPU resource name %1 is not valid: use e.g. 'nvidia.com/gpu'") \
    X(kCheckRdmaResource, "deploy.check.rdma_resource",                                                              \
      "RDMA resource name %1 is not valid: use e.g. 'rdma/rdma_shared_device_a'")                                   \
    X(kCheckPort, "deploy.check.port", "port %1 is out of range: use 1-65535 (the guide uses 40000)")                \
    X(kCheckDistPort, "deploy.check.dist_port", "rendezvous port %1 is out of range: use 1-65535 (the guide uses 20000)") \
    X(kCheckPortsEqual, "deploy.check.ports_equal",                                                                  \
      "the rendezvous port and the HTTP port are both %1: give them different values")                              \
    X(kCheckPrivilegedPort, "deploy.check.privileged_port",                                                          \
      "port %1 is privileged and a restricted (non-root) server cannot bind it: use a port of 1024 or more, e.g. "  \
      "40000")                                                                                                      \
    /* validate(): server flags */                                                                                  \
    X(kCheckMemFraction, "deploy.check.mem_fraction", "mem fraction %1 must be between 0 and 1 (the guide uses 0.93)") \
    X(kCheckPositive, "deploy.check.positive", "%1 is %2: use at least 1, or leave it unset")                       \
    X(kFieldTorchCompileMaxBs, "deploy.field.torch_compile_max_bs", "torch compile max batch size")                  \
    X(kFieldMaxRunningRequests, "deploy.field.max_running_requests", "max running requests")                         \
    X(kFieldCudaGraphMaxBs, "deploy.field.cuda_graph_max_bs", "CUDA graph max batch size")                           \
    X(kFieldContextLength, "deploy.field.context_length", "context length")                                          \
    X(kCheckServedNameBlanks, "deploy.check.served_name_blanks", "served model name %1 contains blanks: remove them") \
    X(kCheckExtraArg, "deploy.check.extra_arg",                                                                      \
      "extra argument %1 repeats a flag Slipway sets from the plan: remove it and set the plan's field instead")     \
    X(kCheckStartupTimeout, "deploy.check.startup_timeout",                                                          \
      "startup timeout %1 s is too short to load a model: use at least 60 s (30 minutes suits large models)")       \
    X(kCheckNcclIfname, "deploy.check.nccl_ifname",                                                                  \
      "NCCL socket interface %1 contains blanks: name the interface, e.g. 'eth0'")                                  \
    X(kCheckNcclGid, "deploy.check.nccl_gid", "NCCL_IB_GID_INDEX %1 is negative: use e.g. 3, or leave it unset")      \
    /* validate(): resources */                                                                                     \
    X(kCheckCpuRequest, "deploy.check.cpu_request", "CPU request must be positive: give the pod at least 1 CPU (1000m)") \
    X(kCheckCpuLimit, "deploy.check.cpu_limit",                                                                      \
      "CPU limit %1 is below the request %2: raise the limit, or set 0 for no limit")                               \
    X(kCheckMemoryPositive, "deploy.check.memory_positive",                                                          \
      "memory request and limit must be positive: size them to hold the weights while loading")                     \
    X(kCheckMemoryLimit, "deploy.check.memory_limit", "memory limit %1 is below the request %2: raise the limit")     \
    X(kCheckShmPositive, "deploy.check.shm_positive",                                                                \
      "/dev/shm size must be positive: NCCL and SGLang need a memory-backed /dev/shm (e.g. 16Gi)")                  \
    X(kCheckShmLimit, "deploy.check.shm_limit",                                                                      \
      "/dev/shm (%1) is counted against the memory limit (%2) and must stay well below it: raise the memory limit " \
      "or shrink /dev/shm")                                                                                         \
    /* validate(): images and storage */                                                                            \
    X(kCheckImage, "deploy.check.image", "%1 %2 is not an image reference: use e.g. 'lmsysorg/sglang:latest'")       \
    X(kFieldServerImage, "deploy.field.server_image", "server image")                                                \
    X(kFieldLoaderImage, "deploy.field.loader_image", "loader image")                                                \
    X(kCheckDownloadImage, "deploy.check.download_image",                                                            \
      "download image %1 is not an image reference: use e.g. 'docker.io/library/python:3.12-slim'")                 \
    X(kCheckS3SyncImage, "deploy.check.s3_sync_image",                                                               \
      "S3 sync image %1 is not an image reference: use e.g. 'docker.io/amazon/aws-cli:latest'")                     \
    X(kCheckS3EndpointMissing, "deploy.check.s3_endpoint_missing",                                                   \
      "storage s3 needs the S3 endpoint: give its URL, e.g. http://minio.minio.svc:9000")                           \
    X(kCheckS3Endpoint, "deploy.check.s3_endpoint", "S3 endpoint %1 must be a URL starting with http:// or https://") \
    X(kCheckS3BucketMissing, "deploy.check.s3_bucket_missing",                                                       \
      "storage s3 needs the S3 bucket that holds the model: give the bucket name")                                  \
    X(kCheckS3Bucket, "deploy.check.s3_bucket",                                                                      \
      "S3 bucket %1 is not a valid bucket name: use 3-63 lower-case letters, digits, '.' and '-'")                  \
    X(kCheckS3Path, "deploy.check.s3_path",                                                                          \
      "S3 path %1 is not a valid key prefix: use e.g. 'models/DeepSeek-R1-Distill-Qwen-7B' (no '..', no blanks)")   \
    X(kCheckS3CredentialsTwice, "deploy.check.s3_credentials_twice",                                                 \
      "S3 credentials are given twice: give either the access keys or an existing Secret, not both")               \
    X(kCheckS3CredentialsIncomplete, "deploy.check.s3_credentials_incomplete",                                       \
      "S3 credentials are incomplete: give both the access key id and the secret access key")                       \
    X(kCheckS3CredentialsMissing, "deploy.check.s3_credentials_missing",                                             \
      "storage s3 needs credentials: give the access key id and secret access key, or the name of a Secret "        \
      "holding AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")                                                        \
    X(kCheckImageModelPath, "deploy.check.image_model_path",                                                         \
      "storage image needs the model's absolute path inside the image, e.g. /models/DeepSeek-R1-Distill-Qwen-7B")    \
    X(kCheckVolumeSize, "deploy.check.volume_size",                                                                  \
      "the model volume size must be positive: give room for the weights, e.g. 100Gi for a 32B model in bf16")      \
    X(kCheckMountPath, "deploy.check.mount_path",                                                                    \
      "model mount path %1 must be an absolute directory such as /models (not /, not under /dev)")                  \
    X(kCheckModelDir, "deploy.check.model_dir",                                                                      \
      "model folder %1 must be a relative path inside the volume, e.g. 'DeepSeek-R1-Distill-Qwen-7B' (no '/' at "   \
      "the start, no '..')")                                                                                        \
    X(kCheckDownloadModelId, "deploy.check.download_model_id",                                                       \
      "storage download needs a Hugging Face model id of the form owner/name, e.g. "                                \
      "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B (got %1)")                                                           \
    X(kCheckDownloadEndpoint, "deploy.check.download_endpoint",                                                      \
      "download endpoint %1 must be a URL such as https://huggingface.co or https://hf-mirror.com")                 \
    X(kCheckDownloadRevision, "deploy.check.download_revision",                                                      \
      "download revision %1 is not valid: use a branch, tag or commit, e.g. main")                                  \
    X(kCheckRwoReplicas, "deploy.check.rwo_replicas",                                                                \
      "replicas %1 share one ReadWriteOnce PVC, which pods on other nodes cannot mount: use --rwx (ReadWriteMany "  \
      "storage) or 1 replica")                                                                                      \
    X(kCheckLwsRwoNodes, "deploy.check.lws_rwo_nodes",                                                               \
      "lws with %1 nodes and a ReadWriteOnce PVC cannot work: all workers share one template and so one claim, "    \
      "which only one node can mount; use --rwx (ReadWriteMany storage), or storage download or s3 (each pod "      \
      "fills its own volume)")                                                                                      \
    X(kCheckLwsRwoGroups, "deploy.check.lws_rwo_groups",                                                             \
      "lws with %1 groups and ReadWriteOnce PVCs cannot work: the groups would share the leader's and the "         \
      "worker's claim; use --rwx, storage download or s3, or 1 group")                                              \
    /* planNotes(): what the operator must know or do */                                                            \
    X(kNoteCopyRwx, "deploy.note.copy_rwx",                                                                          \
      "Copy the model folder into the PVC through the loader pod: %1 cp ./%2 %3/%4:/models/ , then delete %4.")      \
    X(kNoteCopyRwo, "deploy.note.copy_rwo",                                                                          \
      "Copy the model folder into the PVC through the loader pod: %1 cp ./%2 %3/%4:/models/ , then delete %4 (a "    \
      "ReadWriteOnce volume is attached to one node at a time).")                                                   \
    X(kNoteDownloadEachPod, "deploy.note.download_each_pod",                                                         \
      "Every pod downloads %1 from %2 into its own volume when it starts, and again whenever it is recreated; "     \
      "with ReadWriteMany storage (--rwx) one Job downloads it once for all.")                                      \
    X(kNoteDownloadJob, "deploy.note.download_job",                                                                  \
      "The Job %1 downloads %2@%3 from %4 into the PVC; the server starts when it has finished.")                   \
    X(kNoteKServeS3, "deploy.note.kserve_s3",                                                                        \
      "KServe's storage initializer copies the model from S3 at every start; its default memory limit (1Gi) can "   \
      "be too small for large models: raise it in the inferenceservice-config ConfigMap.")                          \
    X(kNoteS3EachPod, "deploy.note.s3_each_pod",                                                                     \
      "Every pod copies the model from S3 into its own volume when it starts, and again whenever it is recreated.") \
    X(kNoteImage, "deploy.note.image", "The server reads the model from %1 inside its image.")                       \
    X(kNotePodSecurity, "deploy.note.pod_security",                                                                  \
      "Privileged pods need the namespace's Pod Security level 'privileged': kubectl label namespace %1 "           \
      "pod-security.kubernetes.io/enforce=privileged")                                                              \
    X(kNoteRdmaScc, "deploy.note.rdma_scc",                                                                          \
      "RDMA needs IPC_LOCK, which OpenShift's restricted-v2 SCC does not allow: grant the ServiceAccount %1 an SCC " \
      "that does, or use security privileged.")                                                                     \
    X(kNoteLwsOpenShift, "deploy.note.lws_openshift",                                                                \
      "Needs the LeaderWorkerSet controller (the Leader Worker Set Operator on OpenShift 4.18+).")                   \
    X(kNoteLwsKubernetes, "deploy.note.lws_kubernetes", "Needs the LeaderWorkerSet controller (kubernetes-sigs/lws).") \
    X(kNoteKServeOpenShift, "deploy.note.kserve_openshift", "Needs KServe with RawDeployment (OpenShift AI).")         \
    X(kNoteKServeKubernetes, "deploy.note.kserve_kubernetes", "Needs KServe with RawDeployment.")                      \
    /* image_mirror: the image and the registry to mirror it into */                                                \
    X(kMirrorImageRequired, "deploy.mirror.image_required",                                                          \
      "--image is required: the image to mirror; use e.g. 'lmsysorg/sglang:latest' or "                            \
      "'quay.io/slipway/slipway-engine:%1'")                                                                        \
    X(kMirrorRegistryRequired, "deploy.mirror.registry_required",                                                    \
      "--registry is required: the registry (and namespace) to mirror into, e.g. quay.io/myorg")                    \
    X(kMirrorImageInvalid, "deploy.mirror.image_invalid",                                                            \
      "--image '%1' is not an image reference: %2; use e.g. 'lmsysorg/sglang:latest' or "                           \
      "'quay.io/slipway/slipway-engine:%3'")                                                                        \
    X(kMirrorWhyEmpty, "deploy.mirror.why_empty", "it is empty")                                                     \
    X(kMirrorWhyScheme, "deploy.mirror.why_scheme", "give it without a scheme such as docker://")                    \
    X(kMirrorWhyBlank, "deploy.mirror.why_blank", "it contains a blank or a control character")                      \
    X(kMirrorWhyDigest, "deploy.mirror.why_digest", "the digest after '@' must be sha256: and 64 lower-case hex digits") \
    X(kMirrorWhyTag, "deploy.mirror.why_tag",                                                                        \
      "the tag after ':' may hold only letters, digits, '_', '.' and '-' (at most 128)")                            \
    X(kMirrorWhyHost, "deploy.mirror.why_host", "'%1' is not a registry host[:port]")                                \
    X(kMirrorWhyEmptyComponent, "deploy.mirror.why_empty_component",                                                 \
      "it has an empty path component ('//' or a '/' at an end)")                                                   \
    X(kMirrorWhyUpperCase, "deploy.mirror.why_upper_case", "repository names are lower case ('%1')")                 \
    X(kMirrorWhyComponent, "deploy.mirror.why_component",                                                            \
      "'%1' may hold only a-z, 0-9 and single '.', '_', '__' or '-' runs between them")                             \
    X(kMirrorWhyTooLong, "deploy.mirror.why_too_long", "the name is longer than 255 characters")                     \
    X(kMirrorRegistryEmpty, "deploy.mirror.registry_empty", "--registry is empty: " SLIPWAY_DEPLOY_USE_MIRROR_EXAMPLE) \
    X(kMirrorRegistryScheme, "deploy.mirror.registry_scheme",                                                        \
      "--registry '%1' has a scheme: give the registry without https:// or docker://; "                             \
      SLIPWAY_DEPLOY_USE_MIRROR_EXAMPLE)                                                                            \
    X(kMirrorRegistryHost, "deploy.mirror.registry_host",                                                            \
      "--registry '%1' does not start with a registry host (a name with a '.', a ':port' or localhost): "           \
      SLIPWAY_DEPLOY_USE_MIRROR_EXAMPLE)                                                                            \
    X(kMirrorRegistryTag, "deploy.mirror.registry_tag",                                                              \
      "--registry '%1' names a tag or digest: give only the registry and namespace; "                               \
      SLIPWAY_DEPLOY_USE_MIRROR_EXAMPLE)                                                                            \
    X(kMirrorRegistryNamespace, "deploy.mirror.registry_namespace",                                                  \
      "--registry '%1': namespace '%2' may hold only a-z, 0-9 and single '.', '_' or '-' between them; "            \
      SLIPWAY_DEPLOY_USE_MIRROR_EXAMPLE)                                                                            \
    X(kMirrorTool, "deploy.mirror.tool", "--tool must be skopeo or podman, not '%1'")                                \
    X(kMirrorArch, "deploy.mirror.arch",                                                                             \
      "--arch must be amd64, arm64, ppc64le or s390x (the nodes' architecture), not '%1'")                          \
    X(kMirrorAuthfileEmpty, "deploy.mirror.authfile_empty",                                                          \
      "--authfile is empty: give the credentials file, e.g. ${XDG_RUNTIME_DIR}/containers/auth.json")               \
    X(kMirrorAlreadyThere, "deploy.mirror.already_there",                                                            \
      "--image %1 is already in %2: name another registry or namespace")                                            \
    X(kMirrorArchive, "deploy.mirror.archive",                                                                       \
      "--archive '%1' must be a file name without quotes, '$', '`' or '\\'")

namespace slipway::deploy::msg {

#define SLIPWAY_DECLARE_MESSAGE(name, code, text) inline constexpr MessageTemplate name{code, text};
SLIPWAY_DEPLOY_MESSAGES(SLIPWAY_DECLARE_MESSAGE)
#undef SLIPWAY_DECLARE_MESSAGE

// Every template above, in order.
std::vector<MessageTemplate> messageTemplates();

} // namespace slipway::deploy::msg
