using System;
using System.Diagnostics;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;

namespace EmbeddedMpc.HostSim.Simulation;

/// <summary>
/// One closed-loop run: each control period the plant's sensors are read, the state estimated,
/// the controller plans and its first action is held on the plant for one period (integrated at
/// 1 kHz). The tick path (estimate, plan, scale to newtons) is timed and its allocations counted.
/// </summary>
public static class ClosedLoopRun
{
    /// <summary>Ticks excluded from the allocation count while the JIT warms up.</summary>
    public const int WarmUpTicks = 10;

    /// <summary>Runs <paramref name="settings"/> to completion and returns the per-tick log and the metrics.</summary>
    /// <exception cref="ArgumentException">A setting is out of range (the message names it).</exception>
    public static RunResult Execute(RunSettings settings, Action<double>? progress = null)
    {
        settings.Validate();
        RigProfile profile = settings.ResolveProfile();
        PlannerStack stack = ControllerFactory.Build(settings, profile);
        RecedingHorizonController controller = stack.Controller;

        float controlPeriod = profile.ControlPeriodSeconds;
        int ticks = (int)Math.Round(settings.DurationSeconds / controlPeriod);
        const double plantStepSeconds = 0.001;
        int substeps = (int)Math.Round(controlPeriod / plantStepSeconds);
        int rewardEvery = (int)Math.Round(DmControlReward.StepSeconds / plantStepSeconds);

        var plant = new SimulatedPlant(profile, InitialState(settings), plantStepSeconds);
        EncoderStateEstimator? estimator = plant.HasEncoders
            ? new EncoderStateEstimator(profile.CartCountsPerMeter, profile.PoleCountsPerRevolution, controlPeriod, 0.7f)
            : null;
        float maxForce = stack.PlannerParameters.MaxForceNewtons;

        var log = new TickLog(ticks);
        var rewardStates = new RewardTrace(ticks * substeps / rewardEvery + 1);
        long allocatedBytes = 0;
        long ticksCounted = 0;
        int plantSteps = 0;

        for (int tick = 0; tick < ticks; tick++)
        {
            CartPoleState truth = plant.State;
            long cartCount = plant.CartCount;
            long poleCount = plant.PoleCount;

            // ---- tick path: estimate, plan, actuate ----
            long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            long startTimestamp = Stopwatch.GetTimestamp();
            CartPoleState estimate;
            if (estimator != null)
            {
                estimator.Update(cartCount, poleCount);
                estimate = estimator.State;
            }
            else
            {
                estimate = truth;
            }

            float action = controller.ComputeAction(ref estimate);
            float forceNewtons = action * maxForce;
            long elapsedTicks = Stopwatch.GetTimestamp() - startTimestamp;
            long bytesAfter = GC.GetAllocatedBytesForCurrentThread();
            // ---- end of tick path ----

            if (tick >= WarmUpTicks)
            {
                allocatedBytes += bytesAfter - bytesBefore;
                ticksCounted++;
            }

            log.Add(tick * (double)controlPeriod, truth, estimate, forceNewtons, action, controller.LastPlanCost,
                elapsedTicks * 1e6 / Stopwatch.Frequency, controller.LastModelSteps);

            for (int s = 0; s < substeps; s++)
            {
                plant.Step(forceNewtons);
                plantSteps++;
                if (plantSteps % rewardEvery == 0)
                {
                    CartPoleState state = plant.State;
                    rewardStates.Add(plantSteps * plantStepSeconds, state, action);
                }
            }

            progress?.Invoke((tick + 1) / (double)ticks);
        }

        RunMetrics metrics = RunMetrics.Compute(rewardStates, plant.HitEndStop, plant.MaxAbsCartPositionMeters,
            log, ticksCounted > 0 ? allocatedBytes / (double)ticksCounted : 0);
        return new RunResult(settings, profile, stack.PlannerParameters, stack.Sizes, log, metrics);
    }

    /// <summary>
    /// The start state: the dm_control start distribution (every component perturbed by 0.01 N(0, 1))
    /// around theta = pi for swing-up or theta = 0.2 rad for balance, seeded by the run's seed.
    /// </summary>
    public static CartPoleState InitialState(RunSettings settings)
    {
        var random = new SeededRandom(settings.Seed ^ 0x5EED5EEDu);
        double angle = settings.InitialAngleRadians ?? (settings.Task == ControlTask.SwingUp ? Math.PI : 0.2);
        return new CartPoleState(
            0.01f * random.NextGaussian(),
            0.01f * random.NextGaussian(),
            (float)angle + 0.01f * random.NextGaussian(),
            0.01f * random.NextGaussian());
    }
}
