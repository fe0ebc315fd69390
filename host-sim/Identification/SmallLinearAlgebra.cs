using System;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>Dense symmetric n x n helpers for the small normal equations of identification (row-major arrays).</summary>
public static class SmallLinearAlgebra
{
    /// <summary>
    /// Solves the symmetric positive-definite system <paramref name="matrix"/> x = <paramref name="rhs"/>
    /// by Cholesky after scaling to a unit diagonal (Jacobi preconditioning). Returns false when the
    /// matrix is not positive definite (a zero or negative pivot).
    /// </summary>
    /// <param name="matrix">[n x n], row-major, symmetric; not modified.</param>
    /// <param name="rhs">[n]; not modified.</param>
    /// <param name="solution">[n], written.</param>
    public static bool TrySolveSymmetric(double[] matrix, double[] rhs, double[] solution)
    {
        int n = rhs.Length;
        var scale = new double[n];
        for (int i = 0; i < n; i++)
        {
            double diagonal = matrix[i * n + i];
            if (!(diagonal > 0))
            {
                return false;
            }

            scale[i] = 1.0 / Math.Sqrt(diagonal);
        }

        // L L^T = D A D, with D = diag(scale).
        var lower = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = matrix[i * n + j] * scale[i] * scale[j];
                for (int k = 0; k < j; k++)
                {
                    sum -= lower[i * n + k] * lower[j * n + k];
                }

                if (i == j)
                {
                    if (!(sum > 1e-14))
                    {
                        return false;
                    }

                    lower[i * n + i] = Math.Sqrt(sum);
                }
                else
                {
                    lower[i * n + j] = sum / lower[j * n + j];
                }
            }
        }

        // D A D y = D b, x = D y.
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = rhs[i] * scale[i];
            for (int k = 0; k < i; k++)
            {
                sum -= lower[i * n + k] * y[k];
            }

            y[i] = sum / lower[i * n + i];
        }

        for (int i = n - 1; i >= 0; i--)
        {
            double sum = y[i];
            for (int k = i + 1; k < n; k++)
            {
                sum -= lower[k * n + i] * y[k];
            }

            y[i] = sum / lower[i * n + i];
        }

        for (int i = 0; i < n; i++)
        {
            solution[i] = y[i] * scale[i];
        }

        return true;
    }

    /// <summary>
    /// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations.
    /// </summary>
    /// <param name="matrix">[n x n], row-major, symmetric; not modified.</param>
    /// <param name="eigenvalues">[n], written (unsorted).</param>
    /// <param name="eigenvectors">[n x n], written: column k is the eigenvector of eigenvalue k.</param>
    public static void SymmetricEigen(double[] matrix, double[] eigenvalues, double[] eigenvectors)
    {
        int n = eigenvalues.Length;
        var a = (double[])matrix.Clone();
        Array.Clear(eigenvectors);
        for (int i = 0; i < n; i++)
        {
            eigenvectors[i * n + i] = 1.0;
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double offDiagonal = 0;
            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    offDiagonal += a[p * n + q] * a[p * n + q];
                }
            }

            if (offDiagonal < 1e-30)
            {
                break;
            }

            for (int p = 0; p < n; p++)
            {
                for (int q = p + 1; q < n; q++)
                {
                    double apq = a[p * n + q];
                    if (Math.Abs(apq) < 1e-300)
                    {
                        continue;
                    }

                    double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double akp = a[k * n + p];
                        double akq = a[k * n + q];
                        a[k * n + p] = c * akp - s * akq;
                        a[k * n + q] = s * akp + c * akq;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double apk = a[p * n + k];
                        double aqk = a[q * n + k];
                        a[p * n + k] = c * apk - s * aqk;
                        a[q * n + k] = s * apk + c * aqk;
                    }

                    for (int k = 0; k < n; k++)
                    {
                        double vkp = eigenvectors[k * n + p];
                        double vkq = eigenvectors[k * n + q];
                        eigenvectors[k * n + p] = c * vkp - s * vkq;
                        eigenvectors[k * n + q] = s * vkp + c * vkq;
                    }
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            eigenvalues[i] = a[i * n + i];
        }
    }
}
