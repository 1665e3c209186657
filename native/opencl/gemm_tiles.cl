// The blocking of the tiled matrix-product kernels (gemm.cl, and conv2d.cl's implicit GEMM), chosen with
// -D K4J_TILE_M, K4J_TILE_N, K4J_TILE_K (the block of the result one work-group computes and the depth of
// one k step) and K4J_GROUP_M, K4J_GROUP_N (work-group shape; each work-item computes
// TILE_M/GROUP_M × TILE_N/GROUP_N elements, strided by the group shape so that neighbouring work-items
// touch neighbouring columns). Built after dtypes.cl.
//
// A kernel stages one k step of its left operand in local memory as a_tile[p][i] and of its right one as
// b_tile[p][j], so that the inner loop reads one row of each, and keeps its accumulators in registers.
// The sum over k runs in order for every tiling: the tiling changes the speed, never the result.

#if !defined(K4J_TILE_M) || !defined(K4J_TILE_N) || !defined(K4J_TILE_K) || !defined(K4J_GROUP_M) || !defined(K4J_GROUP_N)
#error "gemm_tiles.cl needs -D K4J_TILE_M, K4J_TILE_N, K4J_TILE_K, K4J_GROUP_M and K4J_GROUP_N"
#endif
#if K4J_TILE_M % K4J_GROUP_M != 0 || K4J_TILE_N % K4J_GROUP_N != 0
#error "the tile must be a multiple of the work-group shape"
#endif

#define K4J_WORK_M (K4J_TILE_M / K4J_GROUP_M)
#define K4J_WORK_N (K4J_TILE_N / K4J_GROUP_N)
#define K4J_GROUP_SIZE (K4J_GROUP_M * K4J_GROUP_N)

void k4j_clear_accumulators(k4j_acc acc[K4J_WORK_M][K4J_WORK_N]) {
    for (int wm = 0; wm < K4J_WORK_M; wm++) {
        for (int wn = 0; wn < K4J_WORK_N; wn++) {
            acc[wm][wn] = 0;
        }
    }
}

// acc += a_tile · b_tile over one k step, for the work-item at (tx, ty) of its group.
void k4j_multiply_tiles(__local const k4j_value a_tile[K4J_TILE_K][K4J_TILE_M],
                        __local const k4j_value b_tile[K4J_TILE_K][K4J_TILE_N],
                        k4j_acc acc[K4J_WORK_M][K4J_WORK_N], int tx, int ty) {
    for (int pp = 0; pp < K4J_TILE_K; pp++) {
        k4j_value a_values[K4J_WORK_M];
        k4j_value b_values[K4J_WORK_N];
        for (int wm = 0; wm < K4J_WORK_M; wm++) {
            a_values[wm] = a_tile[pp][ty + wm * K4J_GROUP_M];
        }
        for (int wn = 0; wn < K4J_WORK_N; wn++) {
            b_values[wn] = b_tile[pp][tx + wn * K4J_GROUP_N];
        }
        for (int wm = 0; wm < K4J_WORK_M; wm++) {
            for (int wn = 0; wn < K4J_WORK_N; wn++) {
                acc[wm][wn] = K4J_MULTIPLY_ADD(acc[wm][wn], a_values[wm], b_values[wn]);
            }
        }
    }
}
