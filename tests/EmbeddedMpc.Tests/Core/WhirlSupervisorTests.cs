using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>
/// The supervisor stops an endless whirl (FaultReason.Whirl): a pole turning faster than any swing-up
/// needs, or a swing-up not caught within its time limit; a pole that is caught restarts the clock.
/// </summary>
[TestClass]
public sealed class WhirlSupervisorTests
{
    private static readonly SupervisorSettings s_settings = SupervisorHarness.Esp32RigSettings;
    private static readonly int s_timeoutTicks = (int)(SupervisorSettings.DefaultSwingUpTimeoutSeconds / s_settings.ControlPeriodSeconds + 0.5f);

    [TestMethod]
    public void ThePoleSpeedLimitSitsAboveWhatASwingUpNeeds()
    {
        // esp32-rig: a pole with just the energy to reach upright passes hanging at sqrt(4 m g l / J).
        float needed = SupervisorSettings.SwingUpSpeedRadiansPerSecond(RigProfiles.Esp32Rig().CopyParameters());
        Assert.AreEqual(SupervisorSettings.PoleSpeedMargin * needed, s_settings.MaxPoleSpeedRadiansPerSecond, 1e-4f);
        Assert.IsTrue(needed > 8f && needed < 14f, $"{needed} rad/s: a 0.5 m pole's swing-up speed");
    }

    [TestMethod]
    [DataRow(1.4f, false)]
    [DataRow(1.6f, true)]
    [DataRow(-1.6f, true)]
    public void APoleFasterThanAnySwingUpNeedsFaultsAtOnce(float timesNeeded, bool faults)
    {
        (Supervisor supervisor, SetStateEstimator estimator) = SupervisorHarness.SwingingUp();
        float needed = SupervisorSettings.SwingUpSpeedRadiansPerSecond(RigProfiles.Esp32Rig().CopyParameters());
        estimator.State = new CartPoleState(0f, 0f, 3.14f, timesNeeded * needed);
        SupervisorHarness.Tick(supervisor);
        Assert.AreEqual(faults ? SupervisorMode.Fault : SupervisorMode.SwingUp, supervisor.Mode);
        Assert.AreEqual(faults ? FaultReason.Whirl : FaultReason.None, supervisor.Fault);
        Assert.AreEqual(0f, faults ? supervisor.LimitCommand(0.7f) : 0f, "the motor is off after the fault");
    }

    [TestMethod]
    public void ASwingUpNotCaughtWithinTheTimeLimitFaults()
    {
        (Supervisor supervisor, SetStateEstimator estimator) = SupervisorHarness.SwingingUp();
        estimator.State = new CartPoleState(0f, 0f, 2.5f, 3f); // swinging, never near upright
        for (int tick = 0; tick < s_timeoutTicks; tick++)
        {
            SupervisorHarness.Tick(supervisor);
        }

        Assert.AreEqual(SupervisorMode.SwingUp, supervisor.Mode, "within the limit the swing-up goes on");
        SupervisorHarness.Tick(supervisor);
        Assert.AreEqual(SupervisorMode.Fault, supervisor.Mode, "one tick past the limit");
        Assert.AreEqual(FaultReason.Whirl, supervisor.Fault);
    }

    [TestMethod]
    public void PassingThroughBalanceForAMomentDoesNotRestartTheClock()
    {
        (Supervisor supervisor, SetStateEstimator estimator) = SupervisorHarness.SwingingUp();
        int ticks = 0;
        while (supervisor.Mode != SupervisorMode.Fault && ticks < 2 * s_timeoutTicks)
        {
            // Every second: 3 ticks near upright slowly enough to enter Balance, then away again (a whirl's pass).
            bool nearUpright = ticks % 50 < 3;
            estimator.State = nearUpright ? new CartPoleState(0f, 0f, 0.1f, 1f) : new CartPoleState(0f, 0f, 2.5f, 3f);
            SupervisorHarness.Tick(supervisor);
            ticks++;
        }

        Assert.AreEqual(FaultReason.Whirl, supervisor.Fault, $"after {ticks} ticks");
        Assert.IsTrue(ticks <= s_timeoutTicks + 1, $"{ticks} ticks: brief visits to Balance keep the swing-up clock running");
    }

    [TestMethod]
    public void APoleCaughtAndLostStartsANewSwingUpClock()
    {
        (Supervisor supervisor, SetStateEstimator estimator) = SupervisorHarness.SwingingUp();
        estimator.State = new CartPoleState(0f, 0f, 2.5f, 3f);
        // Swing for most of the limit: the second it takes Balance to count as caught still fits in it.
        for (int tick = 0; tick < s_timeoutTicks - 100; tick++)
        {
            SupervisorHarness.Tick(supervisor);
        }

        estimator.State = new CartPoleState(0f, 0f, 0.05f, 0f); // caught: balanced for 2 s
        for (int tick = 0; tick < 100; tick++)
        {
            SupervisorHarness.Tick(supervisor);
        }

        estimator.State = new CartPoleState(0f, 0f, 2.5f, 3f); // falls, swings again
        for (int tick = 0; tick < s_timeoutTicks; tick++)
        {
            SupervisorHarness.Tick(supervisor);
        }

        Assert.AreEqual(SupervisorMode.SwingUp, supervisor.Mode, "the catch restarted the clock");
        SupervisorHarness.Tick(supervisor);
        Assert.AreEqual(FaultReason.Whirl, supervisor.Fault);
    }

    [TestMethod]
    public void WithoutATimeLimitAnExcitationMaySwingForMinutes()
    {
        var settings = SupervisorSettings.ForProfile(RigProfiles.Esp32Rig());
        settings.SwingUpTimeoutSeconds = 0f;
        (Supervisor supervisor, SetStateEstimator estimator) = SupervisorHarness.SwingingUp(settings);
        estimator.State = new CartPoleState(0f, 0f, 2.5f, 3f);
        for (int tick = 0; tick < 10 * s_timeoutTicks; tick++)
        {
            SupervisorHarness.Tick(supervisor);
        }

        Assert.AreEqual(SupervisorMode.SwingUp, supervisor.Mode);
    }

    [TestMethod]
    public void AClosedLoopSwingUpThatNeverCatchesEndsInAWhirlFault()
    {
        // energy-lqr pumps energy without regard for the short track of the esp32 rig; on seed 15, from
        // power-on and homing, its catches never hold and the pole goes round and round until the supervisor
        // stops it (no planner runs, so nothing here depends on the machine's speed).
        RunResult run = ClosedLoopRun.Execute(new RunSettings { Planner = "energy-lqr", Seed = 15, DurationSeconds = 15 });
        Assert.IsFalse(run.Metrics.Success);
        Assert.AreEqual(FaultReason.Whirl, run.Metrics.Fault, string.Join(" -> ", run.Modes));
    }
}
