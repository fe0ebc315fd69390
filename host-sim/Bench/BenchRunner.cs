using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Bench;

/// <summary>Figures of one cell of the bench matrix (one planner, task, profile, plant, reality, mismatch and delay over all seeds).</summary>
public sealed record BenchCell(
    string Planner,
    string Task,
    string Profile,
    string Plant,
    string Reality,
    double Mismatch,
    int ActuationDelayTicks,
    int Runs,
    double SuccessRate,
    double? TimeToUprightMedianSeconds,
    double? TimeToUprightP90Seconds,
    double DmControlReturnMean,
    double DmControlReturnStandardDeviation,
    double ControlEffortMean,
    double ModelStepsPerTickMean,
    int ModelStepsPerTickMax,
    double PlanningMicrosecondsMedian,
    double PlanningMicrosecondsP99,
    double AllocatedBytesPerTickMax,
    uint[] FailedSeeds);

/// <summary>Runs a bench matrix across the cores and aggregates it per cell.</summary>
public static class BenchRunner
{
    /// <summary>Runs every (cell, seed) once; <paramref name="progress"/> is told after each run.</summary>
    public static BenchCell[] Run(BenchSettings settings, Action<int, int>? progress = null)
    {
        settings.Validate();
        var jobs = (from cell in settings.Cells(settings.FirstSeed)
                    from seedOffset in Enumerable.Range(0, settings.Seeds)
                    select cell with { Seed = settings.FirstSeed + (uint)seedOffset }).ToArray();
        var results = new RunOutcome[jobs.Length];
        int done = 0;
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = settings.Parallelism }, i =>
        {
            RunResult run = ClosedLoopRun.Execute(jobs[i]);
            results[i] = RunOutcome.From(run);
            progress?.Invoke(Interlocked.Increment(ref done), jobs.Length);
        });

        return results
            .GroupBy(r => (r.Settings.Planner, r.Settings.Task, r.Settings.ProfileName, r.Settings.Reality, r.Settings.Mismatch, r.Settings.ActuationDelayTicks))
            .Select(group => Aggregate(group.ToArray()))
            .ToArray();
    }

    private static BenchCell Aggregate(RunOutcome[] runs)
    {
        RunSettings first = runs[0].Settings;
        double[] returns = runs.Select(r => r.Metrics.DmControlReturn).ToArray();
        double mean = returns.Average();
        double standardDeviation = Math.Sqrt(returns.Select(v => (v - mean) * (v - mean)).Sum() / Math.Max(1, returns.Length - 1));
        double[] upright = runs.Where(r => r.Metrics.Success).Select(r => r.Metrics.TimeToUprightSeconds!.Value).ToArray();
        double[] planning = runs.SelectMany(r => r.PlanningMicroseconds).ToArray();
        double[] runMedians = runs.Select(r => r.Metrics.PlanningMicrosecondsMedian).ToArray();
        return new BenchCell(
            first.Planner,
            RunSettings.TaskName(first.Task),
            first.ProfileName,
            Plants.PlantNames.Of(first.Plant),
            Plants.PlantNames.Of(first.Reality),
            first.Mismatch,
            first.ActuationDelayTicks,
            runs.Length,
            runs.Count(r => r.Metrics.Success) / (double)runs.Length,
            upright.Length > 0 ? RunMetrics.Percentile((double[])upright.Clone(), 0.5) : null,
            upright.Length > 0 ? RunMetrics.Percentile((double[])upright.Clone(), 0.9) : null,
            mean,
            standardDeviation,
            runs.Average(r => r.Metrics.ControlEffort),
            runs.Average(r => r.Metrics.ModelStepsPerTick),
            runs.Max(r => r.Metrics.ModelStepsPerTickMax),
            RunMetrics.Percentile(runMedians, 0.5),
            RunMetrics.Percentile(planning, 0.99),
            runs.Max(r => r.Metrics.AllocatedBytesPerTick),
            runs.Where(r => !r.Metrics.Success).Select(r => r.Settings.Seed).ToArray());
    }

    /// <summary>What the aggregate needs of a run: its planning times in ticks where a planner ran (the full log is dropped to keep memory flat).</summary>
    private sealed record RunOutcome(RunSettings Settings, RunMetrics Metrics, double[] PlanningMicroseconds)
    {
        public static RunOutcome From(RunResult run)
        {
            var planning = new List<double>();
            for (int i = 0; i < run.Log.Count; i++)
            {
                if (run.Log.ModelSteps[i] > 0)
                {
                    planning.Add(run.Log.PlanningMicroseconds[i]);
                }
            }

            return new RunOutcome(run.Settings, run.Metrics, planning.ToArray());
        }
    }
}
