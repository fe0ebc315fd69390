using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.Firmware;
using EmbeddedMpc.HostSim.Simulation;
using EmbeddedMpc.Tests.Firmware;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Budget;

/// <summary>The firmware's rig controller plans with the simulator's default planner (icem-esp32-adapt), the planner the budget is measured for.</summary>
[TestClass]
public sealed class FirmwarePlannerTests
{
    [TestMethod]
    public void TheFirmwaresRigControllerMakesTheDecisionsOfTheSimulatorsDefaultPlanner()
    {
        // Scenario: a homed swing-up on esp32-rig, seed 1 (the firmware's planner seed), 300 ticks: the
        // firmware's ControlStack for the rig and the simulator's controller of `run --homed` (its default planner)
        // (ControlStackBuilder), each on its own simulated rig whose encoders count as the board's PCNT does
        // (PcntCounts.AsCounted), so the firmware reads them as shipped and both estimators have the same scales.
        // Same duty, mode and model steps on every tick (the adapted model included: it decides the duties), so
        // `cost` and `bench` of the default measure the firmware's planner. (Its deadline is armed on a clock
        // that stands still: never reached.)
        var settings = new RunSettings { Planner = RunSettings.DefaultPlanner, Seed = FirmwareSettings.Planner().Seed, StartHomed = true, DurationSeconds = 3600 };
        Assert.AreEqual(FirmwareSettings.Planner().Name, settings.Planner);
        RigProfile counted = PcntCounts.AsCounted(RigProfiles.Esp32Rig());
        RigHardware simulatorRig = ControlledRig.CreateRig(settings, counted, startHomed: true);
        ControlLoop simulator = ControlStackBuilder.Build(settings, counted, simulatorRig, simulatorRig, new StillClock(), startHomed: true,
            faultsOnPlannerOverrun: false).Loop;
        simulator.Supervisor.AutoStart = true;
        RigHardware rig = ControlledRig.CreateRig(settings, counted, startHomed: true);
        ControlLoop firmware = EmbeddedMpc.Firmware.ControlStack.Build(RigProfiles.Esp32Rig(), rig, rig, new StillClock());
        firmware.Supervisor.MarkHomed();
        firmware.Supervisor.AutoStart = true;
        Assert.IsTrue(firmware.StopsPlanningAtBudget, "the rig's planner plans anytime");
        int substeps = ControlledRig.SubstepsPerControlPeriod(counted);

        var expected = new TelemetryRecord();
        var actual = new TelemetryRecord();
        int swingUpTicks = 0;
        for (int tick = 0; tick < 300; tick++)
        {
            simulator.Tick(ref expected);
            firmware.Tick(ref actual);
            Assert.AreEqual(expected.Mode, actual.Mode, $"tick {tick}");
            Assert.AreEqual(expected.Duty, actual.Duty, $"tick {tick}");
            Assert.AreEqual(expected.ModelSteps, actual.ModelSteps, $"tick {tick}");
            swingUpTicks += actual.Mode == SupervisorMode.SwingUp ? 1 : 0;
            for (int s = 0; s < substeps; s++)
            {
                simulatorRig.Step();
                rig.Step();
            }
        }

        Assert.IsTrue(swingUpTicks > 50, $"{swingUpTicks} swing-up ticks");
        Assert.AreEqual(SupervisorMode.Balance, actual.Mode, "swung up within 6 s");
    }

    [TestMethod]
    public void TheFirmwaresPlannerSwingsUpAndBalancesTheSimulatedRigOnSeeds1To10()
    {
        // Scenario: `run` with the firmware's planner (icem-esp32-adapt) on esp32-rig, powered on (homing first),
        // 10 s of task, seeds 1 to 10. Measured: 100 of 100 seeds succeed (bench --homing, BENCH.md), so every one
        // of these must.
        for (uint seed = 1; seed <= 10; seed++)
        {
            RunResult run = ClosedLoopRun.Execute(new RunSettings { Planner = FirmwareSettings.Planner().Name, Seed = seed });
            Assert.IsTrue(run.Metrics.Success, $"seed {seed}: fault {run.Metrics.Fault}, time to upright {run.Metrics.TimeToUprightSeconds}");
            Assert.AreEqual(30, run.Metrics.ModelStepsPerTickMax, $"seed {seed}: model steps per tick");
        }
    }

    private sealed class StillClock : IMicrosecondClock
    {
        public long NowMicroseconds => 1_000_000;
    }
}
