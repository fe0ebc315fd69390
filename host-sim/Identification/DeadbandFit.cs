using System;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>A dead zone and the linear parameters (<see cref="SystemIdentifier.ParameterCount"/>, in the order of <see cref="SystemIdentifier"/>'s p) fitted with it.</summary>
internal readonly record struct FitPoint(double[] Parameters, double Deadband);

/// <summary>
/// The least-squares fit of <see cref="SystemIdentifier"/> on the normal-equation sums of blocks of
/// windows: the linear problem solved at every dead zone of a grid, the best refined by a parabola;
/// and the conditioning check that says whether every parameter is excited.
/// </summary>
internal static class DeadbandFit
{
    /// <summary>Condition number of the normal matrix scaled to a unit diagonal, and its weakest direction.</summary>
    public static double ConditionNumber(double[] normal, out double[] weakest)
    {
        int n = SystemIdentifier.ParameterCount;
        var scaled = new double[n * n];
        weakest = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (!(normal[i * n + i] > 0))
            {
                weakest[i] = 1;
                return double.PositiveInfinity;
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                scaled[i * n + j] = normal[i * n + j] / Math.Sqrt(normal[i * n + i] * normal[j * n + j]);
            }
        }

        var values = new double[n];
        var vectors = new double[n * n];
        SmallLinearAlgebra.SymmetricEigen(scaled, values, vectors);
        int min = 0;
        int max = 0;
        for (int i = 1; i < n; i++)
        {
            min = values[i] < values[min] ? i : min;
            max = values[i] > values[max] ? i : max;
        }

        for (int i = 0; i < n; i++)
        {
            weakest[i] = vectors[i * n + min];
        }

        return values[min] > 0 ? values[max] / values[min] : double.PositiveInfinity;
    }

    /// <summary>The best dead zone on the grid (refined by a parabola) and its parameters, for the sum of the picked blocks.</summary>
    public static FitPoint? Search(BlockSums[] blocks, int[] picks, double[] grid)
    {
        int n = SystemIdentifier.ParameterCount;
        var normal = new double[n * n];
        foreach (int b in picks)
        {
            for (int i = 0; i < normal.Length; i++)
            {
                normal[i] += blocks[b].Normal[i];
            }
        }

        var rss = new double[grid.Length];
        var solutions = new double[grid.Length][];
        var rhs = new double[n];
        int bestIndex = -1;
        for (int g = 0; g < grid.Length; g++)
        {
            Array.Clear(rhs);
            double bb = 0;
            foreach (int b in picks)
            {
                for (int i = 0; i < n; i++)
                {
                    rhs[i] += blocks[b].Rhs[g * n + i];
                }

                bb += blocks[b].RhsSquares[g];
            }

            var solution = new double[n];
            if (!SmallLinearAlgebra.TrySolveSymmetric(normal, rhs, solution))
            {
                return null;
            }

            double explained = 0;
            for (int i = 0; i < n; i++)
            {
                explained += rhs[i] * solution[i];
            }

            // Relative residual: scaling the dead-zone input scales the whole solution and its residual
            // alike, so the raw residual would favour a dead zone that shrinks the input.
            rss[g] = (bb - explained) / bb;
            solutions[g] = solution;
            if (bestIndex < 0 || rss[g] < rss[bestIndex])
            {
                bestIndex = g;
            }
        }

        double deadband = grid[bestIndex];
        double[] parameters = solutions[bestIndex];
        if (bestIndex > 0 && bestIndex < grid.Length - 1)
        {
            // Vertex of the parabola through the best grid point and its neighbours; parameters interpolated linearly.
            double left = rss[bestIndex - 1];
            double centre = rss[bestIndex];
            double right = rss[bestIndex + 1];
            double curvature = left - 2 * centre + right;
            if (curvature > 0)
            {
                double offset = Math.Clamp(0.5 * (left - right) / curvature, -0.5, 0.5);
                deadband += offset * SystemIdentifier.DeadbandStep;
                int neighbour = offset >= 0 ? bestIndex + 1 : bestIndex - 1;
                double fraction = Math.Abs(offset);
                parameters = new double[n];
                for (int i = 0; i < n; i++)
                {
                    parameters[i] = (1 - fraction) * solutions[bestIndex][i] + fraction * solutions[neighbour][i];
                }
            }
        }

        return new FitPoint(parameters, deadband);
    }

}
