// The tiled transpose shared by gemm.cu (repacking an operand k-contiguous) and conv2d.cu (NCHW <-> NHWC).
#pragma once

namespace k4j {

// dst (cols x rows, rows ldd apart) = transpose of src (rows x cols, rows lds apart); block b of a 1-D
// sequence of blocks handles the 32x32 tile b, blockDim (32, rows per pass).
template <typename T>
__device__ void transpose(const T* src, long long lds, T* dst, long long ldd, long long rows, long long cols) {
    __shared__ T tile[32][33];
    const long long tilesAcross = (cols + 31) / 32;
    const long long srcRow0 = (static_cast<long long>(blockIdx.x) / tilesAcross) * 32;
    const long long srcCol0 = (static_cast<long long>(blockIdx.x) % tilesAcross) * 32;
    for (int j = threadIdx.y; j < 32; j += blockDim.y) {
        long long row = srcRow0 + j;
        long long col = srcCol0 + threadIdx.x;
        if (row < rows && col < cols) {
            tile[j][threadIdx.x] = src[row * lds + col];
        }
    }
    __syncthreads();
    for (int j = threadIdx.y; j < 32; j += blockDim.y) {
        long long row = srcCol0 + j;
        long long col = srcRow0 + threadIdx.x;
        if (row < cols && col < rows) {
            dst[row * ldd + col] = tile[threadIdx.x][j];
        }
    }
}

}  // namespace k4j
