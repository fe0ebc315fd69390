using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Simulator;

/// <summary>
/// A simulator run does not depend on how busy the host is: its planning time is the host's wall clock,
/// which says nothing about the device, so overruns are counted and logged but never fault the run.
/// HIL's real-time virtual device keeps faulting on them. The clocks here are fakes: nothing is timed.
/// </summary>
[TestClass]
public sealed class HostLoadTests
{
    /// <summary>What a host so busy that every planning call is late reads: 30 ms more at every reading.</summary>
    private const long SlowStepMicroseconds = 30_000;

    [TestMethod]
    public void ASlowHostClockChangesNothingButThePlanningTimes()
    {
        // Scenario: `run --planner icem-dm --seed 1` from power-on (homing, swing-up, the LQR balance), once with a
        // planning clock that stands still (an infinitely fast host) and once with one that moves on 30 ms at every
        // reading, so every planning tick measures 30 ms against the 16 ms budget.
        var settings = new RunSettings { Planner = "icem-dm", Seed = 1 };
        RunResult fast = ClosedLoopRun.Execute(settings, planningClock: new SteppingClock(0));
        RunResult slow = ClosedLoopRun.Execute(settings, planningClock: new SteppingClock(SlowStepMicroseconds));

        // The slow host's overruns are measured: every planning tick, far more in a row than fault a device.
        Assert.AreEqual(0, fast.Metrics.PlanningOverruns, "a clock that stands still never overruns");
        int planningTicks = 0;
        for (int i = 0; i < slow.Log.Count; i++)
        {
            planningTicks += slow.Log.PlanningMicroseconds[i] > 0 ? 1 : 0;
        }

        Assert.IsTrue(planningTicks > 100, $"{planningTicks} planning ticks");
        Assert.AreEqual(planningTicks, slow.Metrics.PlanningOverruns, "each planning tick of the slow host overran");
        Assert.IsTrue(slow.Metrics.LongestOverrunStreak >= new SupervisorSettings().MaxOverrunStreak,
            $"longest streak {slow.Metrics.LongestOverrunStreak}: long enough to fault a device");

        // ... and change nothing else: the same outcome and the same log, row for row, but for planning_us.
        Assert.AreEqual(FaultReason.None, slow.Metrics.Fault);
        Assert.IsTrue(slow.Metrics.Success, "icem-dm swings up seed 1 on the default rig");
        Assert.AreEqual(fast.Log.Count, slow.Log.Count, "ticks");
        for (int i = 0; i < fast.Log.Count; i++)
        {
            Assert.AreEqual(fast.Log.Mode[i], slow.Log.Mode[i], $"mode, tick {i}");
            Assert.AreEqual(fast.Log.True[i], slow.Log.True[i], $"plant state, tick {i}");
            Assert.AreEqual(fast.Log.Estimated[i], slow.Log.Estimated[i], $"estimate, tick {i}");
            Assert.AreEqual(fast.Log.Duty[i], slow.Log.Duty[i], $"duty, tick {i}");
            Assert.AreEqual(fast.Log.Command[i], slow.Log.Command[i], $"command, tick {i}");
            Assert.AreEqual(fast.Log.PlanCost[i], slow.Log.PlanCost[i], $"plan cost, tick {i}");
            Assert.AreEqual(fast.Log.ModelSteps[i], slow.Log.ModelSteps[i], $"model steps, tick {i}");
        }
    }

    [TestMethod]
    public void TheSameSlowClockFaultsALoopThatTimesTheDevice()
    {
        // Scenario: the controller of the run above as HIL's virtual device builds it (faulting on overruns, the
        // supervisor's default), homed on a simulated rig, with the slow clock: the fifth late planning tick in
        // a row faults it. This is what the simulator's setting keeps out of its runs.
        var settings = new RunSettings { Planner = "icem-dm", Seed = 1, StartHomed = true };
        RigProfile profile = settings.ResolveProfile();
        RigHardware rig = ControlledRig.CreateRig(settings, profile, startHomed: true);
        ControlLoop loop = ControlStackBuilder.Build(settings, profile, rig, rig, new SteppingClock(SlowStepMicroseconds), startHomed: true).Loop;
        loop.Supervisor.AutoStart = true;
        int streakLimit = new SupervisorSettings().MaxOverrunStreak;
        var record = new TelemetryRecord();
        int substeps = ControlledRig.SubstepsPerControlPeriod(profile);
        for (int tick = 0; tick < 3 * streakLimit && record.Mode != SupervisorMode.Fault; tick++)
        {
            loop.Tick(ref record);
            for (int s = 0; s < substeps; s++)
            {
                rig.Step();
            }
        }

        Assert.AreEqual(SupervisorMode.Fault, record.Mode);
        Assert.AreEqual(FaultReason.PlannerOverrun, record.Fault);
        Assert.AreEqual(streakLimit, record.OverrunStreak, "faulted at the streak limit");
    }

    [TestMethod]
    public void TheVirtualDeviceFaultsOnOverrunsInRealTimeSessionsOnly()
    {
        // Scenario: the virtual HIL device's controller for `run`'s default planner, homed, with the slow clock. In
        // a real-time session the device's time is the host's, and the streak faults it; in a lockstep session the
        // host paces every tick, so (as in the simulator) overruns are only counted and the run goes on.
        var settings = new RunSettings { Seed = 1, StartHomed = true };
        Assert.AreEqual(FaultReason.PlannerOverrun, VirtualDeviceAfterSlowTicks(settings, lockstep: false).Fault);
        TelemetryRecord lockstep = VirtualDeviceAfterSlowTicks(settings, lockstep: true);
        Assert.AreEqual(FaultReason.None, lockstep.Fault);
        Assert.IsTrue(lockstep.OverrunStreak > new SupervisorSettings().MaxOverrunStreak, $"streak {lockstep.OverrunStreak}: the overruns were measured");
    }

    private static TelemetryRecord VirtualDeviceAfterSlowTicks(RunSettings settings, bool lockstep)
    {
        RigProfile profile = settings.ResolveProfile();
        RigHardware rig = ControlledRig.CreateRig(settings, profile, startHomed: true);
        var controller = new EmbeddedMpc.HostSim.Hil.VirtualDeviceController(settings, rig, rig, new SteppingClock(SlowStepMicroseconds), () => lockstep);
        controller.PowerOn();
        ControlLoop loop = controller.Loop;
        loop.Supervisor.AutoStart = true;
        var record = new TelemetryRecord();
        int substeps = ControlledRig.SubstepsPerControlPeriod(profile);
        for (int tick = 0; tick < 20 && record.Mode != SupervisorMode.Fault; tick++)
        {
            loop.Tick(ref record);
            for (int s = 0; s < substeps; s++)
            {
                rig.Step();
            }
        }

        return record;
    }

    /// <summary>A clock that moves on a fixed step at every reading.</summary>
    private sealed class SteppingClock(long stepMicroseconds) : IMicrosecondClock
    {
        private long _now = 1_000_000;

        public long NowMicroseconds => _now += stepMicroseconds;
    }
}
