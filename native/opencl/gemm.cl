// C = alpha·op(A)·op(B) + beta·C on row-major matrices, one source for every dtype pair: the host
// builds it after bfloat16.cl, dtypes.cl, whose input and output macros choose the dtypes, and
// gemm_tiles.cl, whose -D options give the tiling.
//
// Semantics (those of GemmSpec), beyond the dtypes' (see dtypes.cl): beta == 0 never reads C. Any m, n, k:
// loads outside the matrices give 0 and stores outside C are skipped. Launch with global size
// (ceil(n/TILE_N)·GROUP_N, ceil(m/TILE_M)·GROUP_M) and local size (GROUP_N, GROUP_M).

// c[index] = alpha·acc + beta·c[index], not reading c when beta == 0. For INT32 output alpha and beta
// are integers (GemmSpec checks it) and everything wraps modulo 2^32; going through long keeps 2^31.
void k4j_store_result(__global k4j_out* c, long index, k4j_acc acc, float alpha, float beta) {
#if defined(K4J_OUT_INT32)
    uint result = (uint) (long) alpha * acc;
    if (beta != 0.0f) {
        result += (uint) (long) beta * as_uint(c[index]);
    }
    c[index] = as_int(result);
#else
    float result = alpha * K4J_ACC_TO_FLOAT(acc);
    if (beta != 0.0f) {
        result += beta * K4J_LOAD_OUT(c, index);
    }
    K4J_STORE_OUT(c, index, result);
#endif
}

__kernel __attribute__((reqd_work_group_size(K4J_GROUP_N, K4J_GROUP_M, 1)))
void k4j_gemm(const long m, const long n, const long k,
              __global const k4j_in* a, const long lda, const int trans_a,
              __global const k4j_in* b, const long ldb, const int trans_b,
              __global k4j_out* c, const long ldc, const float alpha, const float beta) {
    // op(A) tile stored [p][i] and op(B) tile [p][j]: the inner loop reads one row of each.
    __local k4j_value a_tile[K4J_TILE_K][K4J_TILE_M];
    __local k4j_value b_tile[K4J_TILE_K][K4J_TILE_N];

    const int tx = get_local_id(0);
    const int ty = get_local_id(1);
    const int local_index = ty * K4J_GROUP_N + tx;
    const long row0 = (long) get_group_id(1) * K4J_TILE_M;
    const long col0 = (long) get_group_id(0) * K4J_TILE_N;

    k4j_acc acc[K4J_WORK_M][K4J_WORK_N];
    k4j_clear_accumulators(acc);

    for (long p0 = 0; p0 < k; p0 += K4J_TILE_K) {
        // Consecutive work-items load consecutive addresses of the stored matrix, whichever its orientation.
        for (int e = local_index; e < K4J_TILE_K * K4J_TILE_M; e += K4J_GROUP_SIZE) {
            const int pp = trans_a ? e / K4J_TILE_M : e % K4J_TILE_K;
            const int ii = trans_a ? e % K4J_TILE_M : e / K4J_TILE_K;
            const long i = row0 + ii;
            const long p = p0 + pp;
            a_tile[pp][ii] = (i < m && p < k) ? K4J_LOAD_IN(a, trans_a ? p * lda + i : i * lda + p) : 0;
        }
        for (int e = local_index; e < K4J_TILE_K * K4J_TILE_N; e += K4J_GROUP_SIZE) {
            const int pp = trans_b ? e % K4J_TILE_K : e / K4J_TILE_N;
            const int jj = trans_b ? e / K4J_TILE_K : e % K4J_TILE_N;
            const long j = col0 + jj;
            const long p = p0 + pp;
            b_tile[pp][jj] = (j < n && p < k) ? K4J_LOAD_IN(b, trans_b ? j * ldb + p : p * ldb + j) : 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);

        k4j_multiply_tiles(a_tile, b_tile, acc, tx, ty);
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int wm = 0; wm < K4J_WORK_M; wm++) {
        const long i = row0 + ty + wm * K4J_GROUP_M;
        for (int wn = 0; wn < K4J_WORK_N; wn++) {
            const long j = col0 + tx + wn * K4J_GROUP_N;
            if (i < m && j < n) {
                k4j_store_result(c, i * ldc + j, acc[wm][wn], alpha, beta);
            }
        }
    }
}
