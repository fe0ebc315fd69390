namespace EmbeddedMpc.Core.Math
{
    /// <summary>
    /// Projects a small symmetric matrix onto the positive semidefinite cone: eigen-decomposes it by
    /// cyclic Jacobi rotations, raises every eigenvalue below zero to zero and rebuilds it. The result
    /// is the nearest positive semidefinite matrix in the Frobenius norm. For the curvature of
    /// non-convex costs in gradient-based planners. Allocates nothing; the caller passes the scratch.
    /// </summary>
    public static class PositiveSemidefiniteProjection
    {
        /// <summary>Jacobi sweeps at most; a symmetric 5 x 5 converges to float precision in 5 or 6.</summary>
        public const int MaxSweeps = 12;

        /// <summary>
        /// Replaces the leading <paramref name="size"/> x <paramref name="size"/> block of
        /// <paramref name="matrix"/> (row-major, rows <paramref name="stride"/> apart; symmetric) by its
        /// projection. <paramref name="scratch"/> needs size x size + size elements.
        /// </summary>
        public static void Project(float[] matrix, int size, int stride, float[] scratch)
        {
            // scratch holds the eigenvectors V (columns), matrix turns into diag(lambda) = V' A V.
            for (int i = 0; i < size; i++)
            {
                for (int j = 0; j < size; j++)
                {
                    scratch[i * size + j] = i == j ? 1f : 0f;
                }
            }

            for (int sweep = 0; sweep < MaxSweeps; sweep++)
            {
                float offDiagonal = 0f;
                float diagonal = 0f;
                for (int i = 0; i < size; i++)
                {
                    diagonal += matrix[i * stride + i] * matrix[i * stride + i];
                    for (int j = i + 1; j < size; j++)
                    {
                        offDiagonal += matrix[i * stride + j] * matrix[i * stride + j];
                    }
                }

                if (offDiagonal <= 1e-14f * diagonal || offDiagonal < 1e-30f)
                {
                    break;
                }

                for (int p = 0; p < size; p++)
                {
                    for (int q = p + 1; q < size; q++)
                    {
                        Rotate(matrix, size, stride, scratch, p, q);
                    }
                }
            }

            // A = V diag(max(lambda, 0)) V', the clipped eigenvalues kept after V in the scratch.
            int eigenvalues = size * size;
            for (int k = 0; k < size; k++)
            {
                float eigenvalue = matrix[k * stride + k];
                scratch[eigenvalues + k] = eigenvalue > 0f ? eigenvalue : 0f;
            }

            for (int i = 0; i < size; i++)
            {
                for (int j = i; j < size; j++)
                {
                    float sum = 0f;
                    for (int k = 0; k < size; k++)
                    {
                        sum += scratch[i * size + k] * scratch[eigenvalues + k] * scratch[j * size + k];
                    }

                    matrix[i * stride + j] = sum;
                    matrix[j * stride + i] = sum;
                }
            }
        }

        // A Jacobi rotation in the (p, q) plane that zeroes matrix[p, q]: A <- J' A J, V <- V J.
        private static void Rotate(float[] matrix, int size, int stride, float[] vectors, int p, int q)
        {
            float apq = matrix[p * stride + q];
            if (apq == 0f)
            {
                return;
            }

            float theta = (matrix[q * stride + q] - matrix[p * stride + p]) / (2f * apq);
            float t = 1f / (FloatMath.Abs(theta) + FloatMath.Sqrt(theta * theta + 1f));
            if (theta < 0f)
            {
                t = -t;
            }

            float c = 1f / FloatMath.Sqrt(t * t + 1f);
            float s = t * c;
            for (int k = 0; k < size; k++)
            {
                float akp = matrix[k * stride + p];
                float akq = matrix[k * stride + q];
                matrix[k * stride + p] = c * akp - s * akq;
                matrix[k * stride + q] = s * akp + c * akq;
            }

            for (int k = 0; k < size; k++)
            {
                float apk = matrix[p * stride + k];
                float aqk = matrix[q * stride + k];
                matrix[p * stride + k] = c * apk - s * aqk;
                matrix[q * stride + k] = s * apk + c * aqk;
            }

            for (int k = 0; k < size; k++)
            {
                float vkp = vectors[k * size + p];
                float vkq = vectors[k * size + q];
                vectors[k * size + p] = c * vkp - s * vkq;
                vectors[k * size + q] = s * vkp + c * vkq;
            }
        }
    }
}
