#pragma once
// RAII owners of device memory, pinned host memory, streams, events and graphs.
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>

namespace slipway::engine::cuda {

class DeviceBuffer final {
public:
    DeviceBuffer() = default;
    ~DeviceBuffer() { reset(); }
    DeviceBuffer(const DeviceBuffer &) = delete;
    DeviceBuffer &operator=(const DeviceBuffer &) = delete;
    DeviceBuffer(DeviceBuffer &&o) noexcept : ptr_(std::exchange(o.ptr_, nullptr)), bytes_(std::exchange(o.bytes_, 0)) {}
    DeviceBuffer &operator=(DeviceBuffer &&o) noexcept {
        if (this != &o) {
            reset();
            ptr_ = std::exchange(o.ptr_, nullptr);
            bytes_ = std::exchange(o.bytes_, 0);
        }
        return *this;
    }
    cudaError_t allocate(size_t bytes) {
        reset();
        if (bytes == 0) return cudaSuccess;
        const cudaError_t e = cudaMalloc(&ptr_, bytes);
        if (e == cudaSuccess) bytes_ = bytes;
        else ptr_ = nullptr;
        return e;
    }
    void reset() {
        if (ptr_ != nullptr) cudaFree(ptr_);
        ptr_ = nullptr;
        bytes_ = 0;
    }
    template <typename T> T *as() const { return static_cast<T *>(ptr_); }
    void *get() const { return ptr_; }
    size_t bytes() const { return bytes_; }

private:
    void *ptr_ = nullptr;
    size_t bytes_ = 0;
};

class PinnedBuffer final {
public:
    PinnedBuffer() = default;
    ~PinnedBuffer() { reset(); }
    PinnedBuffer(const PinnedBuffer &) = delete;
    PinnedBuffer &operator=(const PinnedBuffer &) = delete;
    cudaError_t allocate(size_t bytes) {
        reset();
        const cudaError_t e = cudaMallocHost(&ptr_, bytes);
        if (e == cudaSuccess) bytes_ = bytes;
        else ptr_ = nullptr;
        return e;
    }
    void reset() {
        if (ptr_ != nullptr) cudaFreeHost(ptr_);
        ptr_ = nullptr;
        bytes_ = 0;
    }
    template <typename T> T *as() const { return static_cast<T *>(ptr_); }
    size_t bytes() const { return bytes_; }

private:
    void *ptr_ = nullptr;
    size_t bytes_ = 0;
};

class GraphExec final {
public:
    GraphExec() = default;
    explicit GraphExec(cudaGraphExec_t g) : exec_(g) {}
    ~GraphExec() { reset(); }
    GraphExec(const GraphExec &) = delete;
    GraphExec &operator=(const GraphExec &) = delete;
    GraphExec(GraphExec &&o) noexcept : exec_(std::exchange(o.exec_, nullptr)) {}
    GraphExec &operator=(GraphExec &&o) noexcept {
        if (this != &o) {
            reset();
            exec_ = std::exchange(o.exec_, nullptr);
        }
        return *this;
    }
    void reset() {
        if (exec_ != nullptr) cudaGraphExecDestroy(exec_);
        exec_ = nullptr;
    }
    cudaGraphExec_t get() const { return exec_; }

private:
    cudaGraphExec_t exec_ = nullptr;
};

} // namespace slipway::engine::cuda
