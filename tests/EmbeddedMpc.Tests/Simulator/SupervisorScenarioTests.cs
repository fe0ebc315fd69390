using System;
using EmbeddedMpc.Core.Actuation;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Math;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Simulator;

/// <summary>The supervisor in closed loop with the simulated rig: homing, faults, track safety.</summary>
[TestClass]
public sealed class SupervisorScenarioTests
{
    [TestMethod]
    [DataRow(1u)]
    [DataRow(2u)]
    [DataRow(3u)]
    public void HomingFindsTheCartOriginAndThePoleZero(uint seed)
    {
        var simulation = new ControlledRig(new RunSettings { Seed = seed });
        Assert.AreEqual(SupervisorMode.Idle, simulation.Supervisor.Mode, "a rig powers on idle");
        var first = new TelemetryRecord();
        simulation.ControlTick(ref first);
        Assert.AreEqual(SupervisorMode.Homing, first.Mode, "the start command begins homing on the first tick");
        int ticks = RunUntilPlanning(simulation);
        Assert.IsTrue(simulation.Supervisor.IsHomed);

        // The switch is sampled once per tick, so the origin is uncertain by up to half a tick of homing
        // travel (0.1 m/s x 10 ms = 1 mm) plus a count (0.09 mm); the pole by a count (2.6 mrad) and its swing.
        var truth = simulation.Rig.Plant.State;
        simulation.Estimator.ReadState(out CartPoleState estimate);
        Assert.AreEqual(truth.X, estimate.X, 0.0011, $"cart position after homing ({ticks} ticks)");
        Assert.AreEqual(Math.IEEERemainder(truth.Theta, 2 * Math.PI), Math.IEEERemainder(estimate.Theta, 2 * Math.PI), 0.01, "pole angle after homing");
        Assert.IsTrue(Math.Abs(truth.X) < 0.02, $"homing ends near the centre; x = {truth.X}");
    }

    [TestMethod]
    public void TheDefaultRunGoesFromIdleThroughHomingToSwingUpAndBalanceAndSucceeds()
    {
        RunResult run = ClosedLoopRun.Execute(new RunSettings { Seed = 3 });
        CollectionAssert.AreEqual(
            new[] { SupervisorMode.Idle, SupervisorMode.Homing, SupervisorMode.Ready, SupervisorMode.SwingUp, SupervisorMode.Balance },
            run.Modes);
        Assert.IsTrue(run.Metrics.Success, ClosedLoopTests.Describe(run));
    }

    [TestMethod]
    [DataRow("limit switch", FaultReason.LimitSwitch)]
    [DataRow("emergency stop", FaultReason.EmergencyStop)]
    [DataRow("encoder jump", FaultReason.EncoderJump)]
    public void AnInjectedFaultStopsTheMotorOnTheNextTick(string fault, FaultReason expected)
    {
        var simulation = Balancing(seed: 5);
        switch (expected)
        {
            case FaultReason.LimitSwitch: simulation.Rig.LimitSwitchWireCut = true; break;
            case FaultReason.EmergencyStop: simulation.Rig.EmergencyStopPressed = true; break;
            default: simulation.Rig.CartEncoderGlitchCounts = 3000; break;
        }

        var record = new TelemetryRecord();
        simulation.ControlTick(ref record);
        Assert.AreEqual(SupervisorMode.Fault, record.Mode, fault);
        Assert.AreEqual(expected, record.Fault, fault);
        Assert.AreEqual(0f, simulation.Rig.Duty, $"{fault}: motor off in the same tick");
    }

    [TestMethod]
    public void CrossingTheTrackMarginFaultsBeforeTheEndStop()
    {
        // A steady 16 N push, more than the drive's 12.5 N stall force, slowly shoves the cart off the track.
        var simulation = Balancing(seed: 6);
        simulation.Rig.DisturbanceForceNewtons = 16f;
        var record = new TelemetryRecord();
        for (int tick = 0; tick < 200 && record.Mode != SupervisorMode.Fault; tick++)
        {
            simulation.ControlTick(ref record);
            simulation.AdvancePlant();
        }

        Assert.AreEqual(FaultReason.TrackMargin, record.Fault, "the margin must be caught before the limit switch");
        Assert.AreEqual(0f, simulation.Rig.Duty);
        Assert.IsTrue(simulation.Rig.Plant.State.X < simulation.Profile.CopyParameters().TrackHalfLengthMeters + simulation.Profile.LimitSwitchOffsetMeters);
    }

    [TestMethod]
    public void APlannerOverrunStreakFaultsTheRig()
    {
        // Scenario: a balancing rig whose controller is built as a device's (HIL's virtual device: the supervisor
        // faults on overruns; the simulator's own runs do not, see HostLoadTests); then every plan takes 30 ms
        // of a fake clock against the 16 ms budget.
        var settings = new RunSettings { Seed = 7, Task = ControlTask.Balance, InitialAngleRadians = 0.05 };
        RigProfile profile = settings.ResolveProfile();
        bool homed = settings.ResolveStartHomed(profile);
        RigHardware rig = ControlledRig.CreateRig(settings, profile, homed);
        var clock = new SteppingClock(0);
        ControlLoop loop = ControlStackBuilder.Build(settings, profile, rig, rig, clock, homed, new ExactStateEstimator(rig.Plant)).Loop;
        loop.Supervisor.AutoStart = true;
        if (!homed)
        {
            loop.Supervisor.RequestStart();
        }

        var record = new TelemetryRecord();
        int substeps = rig.StepsPerControlPeriod(profile.ControlPeriodSeconds);
        for (int tick = 0; tick < 25; tick++)
        {
            loop.Tick(ref record);
            StepPlant(rig, substeps);
        }

        Assert.AreEqual(SupervisorMode.Balance, record.Mode, "the scenario starts from a balancing rig");
        clock.StepMicroseconds = 30_000;
        int streakLimit = new SupervisorSettings().MaxOverrunStreak;
        for (int tick = 1; tick <= streakLimit; tick++)
        {
            loop.Tick(ref record);
            StepPlant(rig, substeps);
            Assert.AreEqual(tick, record.OverrunStreak);
            Assert.AreEqual(tick < streakLimit ? SupervisorMode.Balance : SupervisorMode.Fault, record.Mode, $"tick {tick}");
        }

        Assert.AreEqual(FaultReason.PlannerOverrun, record.Fault);
        Assert.AreEqual(0f, rig.Duty, "motor off in the tick that completed the streak");
    }

    private static void StepPlant(RigHardware rig, int substeps)
    {
        for (int s = 0; s < substeps; s++)
        {
            rig.Step();
        }
    }

    [TestMethod]
    public void ANonFinitePlannerOutputFaultsTheRigInTheSameTick()
    {
        var simulation = Balancing(seed: 8);
        var nanPlanner = new RecedingHorizonController(new NaNOptimizer(), new NaNOptimizer(), 1f);
        var loop = new ControlLoop(simulation.Rig, simulation.Rig, new StopwatchClock(), simulation.Estimator, simulation.Supervisor,
            nanPlanner, nanPlanner, new MotorActuator(ActuationSettings.ForProfile(simulation.Profile)), simulation.Profile.CopyMotor(), 16_000);
        var record = new TelemetryRecord();
        loop.Tick(ref record);
        Assert.AreEqual(SupervisorMode.Fault, record.Mode);
        Assert.AreEqual(FaultReason.NonFinite, record.Fault);
        Assert.AreEqual(0f, simulation.Rig.Duty, "motor off in the same tick");
    }

    [TestMethod]
    public void TheSupervisorNeverLetsTheCartHitTheEndOfTravelOver100RandomizedRuns()
    {
        // Seeded random runs: model mismatch up to 30 %, random pushes on the cart, and in most runs one
        // fault (E-stop, limit-switch wire, encoder glitch) at a random time. Whatever happens, the cart
        // must never reach a mechanical end stop.
        var random = new SeededRandom(2024);
        int faulted = 0;
        for (int run = 0; run < 100; run++)
        {
            var settings = new RunSettings
            {
                Planner = "cem", // the sizes below are CEM's
                Seed = (uint)(1000 + run),
                StartHomed = true,
                DurationSeconds = 4,
                Mismatch = random.NextUniform(0f, 0.3f),
                Samples = 16,
                Horizon = 30,
            };
            var simulation = new ControlledRig(settings);
            int faultTick = random.NextFloat() < 0.8f ? (int)random.NextUniform(5f, 200f) : -1;
            int faultKind = (int)(random.NextFloat() * 3f);
            int pushStart = (int)random.NextUniform(0f, 200f);
            float push = random.NextUniform(-8f, 8f);
            var record = new TelemetryRecord();
            for (int tick = 0; tick < 200; tick++)
            {
                simulation.Rig.DisturbanceForceNewtons = tick >= pushStart && tick < pushStart + 10 ? push : 0f;
                if (tick == faultTick)
                {
                    switch (faultKind)
                    {
                        case 0: simulation.Rig.EmergencyStopPressed = true; break;
                        case 1: simulation.Rig.LimitSwitchWireCut = true; break;
                        default: simulation.Rig.CartEncoderGlitchCounts = 4000; break;
                    }
                }

                simulation.ControlTick(ref record);
                simulation.AdvancePlant();
                Assert.IsFalse(simulation.Rig.Plant.HitEndStop, $"run {run} (seed {settings.Seed}) hit an end stop at tick {tick}; mode {record.Mode}, fault {record.Fault}");
            }

            faulted += record.Mode == SupervisorMode.Fault ? 1 : 0;
        }

        Assert.IsTrue(faulted >= 60, $"only {faulted} of 100 runs ended in Fault: the injection is not exercising the fault path");
    }

    internal static ControlledRig Balancing(uint seed)
    {
        var simulation = new ControlledRig(new RunSettings { Seed = seed, Task = ControlTask.Balance, InitialAngleRadians = 0.05 });
        var record = new TelemetryRecord();
        for (int tick = 0; tick < 25; tick++)
        {
            simulation.ControlTick(ref record);
            simulation.AdvancePlant();
        }

        Assert.AreEqual(SupervisorMode.Balance, record.Mode, "the scenario starts from a balancing rig");
        return simulation;
    }

    // Runs until the first planning tick; returns the number of ticks before it.
    private static int RunUntilPlanning(ControlledRig simulation)
    {
        var record = new TelemetryRecord();
        for (int ticks = 0; ticks < 5000; ticks++)
        {
            simulation.ControlTick(ref record);
            if (record.ModelSteps > 0)
            {
                return ticks;
            }

            simulation.AdvancePlant();
        }

        Assert.Fail($"the planner never started; mode {record.Mode}, fault {record.Fault}");
        return -1;
    }

    private sealed class SteppingClock(long stepMicroseconds) : IMicrosecondClock
    {
        private long _now;

        public long StepMicroseconds { get; set; } = stepMicroseconds;

        public long NowMicroseconds => _now += StepMicroseconds;
    }

    /// <summary>A planner that has gone wrong: every plan is NaN.</summary>
    private sealed class NaNOptimizer : IActionSequenceOptimizer, IRolloutEvaluator
    {
        public int Horizon => 4;

        public long ModelStepCount => 0;

        public float Optimize(ref CartPoleState start, float[] plan)
        {
            Array.Fill(plan, float.NaN);
            return float.NaN;
        }

        public float RolloutCost(ref CartPoleState start, float[] actions, int offset, int horizon) => float.NaN;

        public void Reset()
        {
        }
    }
}
