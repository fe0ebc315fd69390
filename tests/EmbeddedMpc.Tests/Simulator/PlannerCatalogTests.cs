using System.Collections.Generic;
using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Planning;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.Firmware;
using FirmwareControlStack = EmbeddedMpc.Firmware.ControlStack;
using EmbeddedMpc.HostSim.Simulation;
using EmbeddedMpc.Tests.Firmware;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Simulator;

/// <summary>Every planner the simulator offers, in closed loop, and the firmware's planner built the firmware's way.</summary>
[TestClass]
public sealed class PlannerCatalogTests
{
    [TestMethod]
    public void RunsDefaultPlannerIsTheOneTheFirmwareRunsOnTheRig()
    {
        // What a user simulates by default is what the board runs: one definition, by name.
        Assert.AreEqual(FirmwareSettings.Planner().Name, RunSettings.DefaultPlanner);
        Assert.IsNotNull(PlannerCatalog.Find(RunSettings.DefaultPlanner), "the default must be a catalog entry");
    }

    [TestMethod]
    public void HilsDefaultPlannerIsTheOneTheFirmwareRunsInHilMode()
    {
        // A lockstep hil run with no --planner must plan as the board's HIL mode does.
        Assert.AreEqual(FirmwareSettings.HilPlanner().Name, RunSettings.HilDefaultPlanner);
        Assert.IsNotNull(PlannerCatalog.Find(RunSettings.HilDefaultPlanner), "the default must be a catalog entry");
    }

    [TestMethod]
    [DataRow("icem-dm")]
    [DataRow("mppi")]
    [DataRow("icem")]
    public void TheBudgetPlannersSwingUpBothRigsWithinThreeHundredModelStepsPerTick(string planner)
    {
        foreach (string profile in new[] { "dm-control", "esp32-rig" })
        {
            for (uint seed = 1; seed <= 3; seed++)
            {
                RunResult run = ClosedLoopRun.Execute(new RunSettings { Planner = planner, ProfileName = profile, Seed = seed, StartHomed = true });
                Assert.IsTrue(run.Metrics.Success, ClosedLoopTests.Describe(run));
                // The ESP32's budget (the Core's README: a few hundred model steps in a 20 ms tick).
                Assert.IsTrue(run.Metrics.ModelStepsPerTickMax <= 300, $"{planner} {profile}: {run.Metrics.ModelStepsPerTickMax} model steps in one tick");
            }
        }
    }

    [TestMethod]
    public void OnTheDmControlTaskIcemOnABudgetBeatsPlaNetsCemScore()
    {
        // PlaNet's CEM with the true simulator scores 850 (1000 candidates x 10 iterations per decision);
        // icem-dm measured 870 +/- 4 over seeds 1..20 with at most 300 model steps per tick.
        double total = 0;
        for (uint seed = 1; seed <= 3; seed++)
        {
            total += ClosedLoopRun.Execute(new RunSettings { Planner = "icem-dm", ProfileName = "dm-control", Seed = seed }).Metrics.DmControlReturn;
        }

        Assert.IsTrue(total / 3 > 850, $"mean dm_control return {total / 3:F1}");
    }

    [TestMethod]
    public void MctsSwingsUpTheDmControlTaskWithinThreeHundredModelStepsPerTick()
    {
        // Seed 1 measured: upright after about 2.4 s (9 of seeds 1..10 succeed; seed 7 is upright too late).
        RunResult run = ClosedLoopRun.Execute(new RunSettings { Planner = "mcts", ProfileName = "dm-control", Seed = 1 });
        Assert.IsTrue(run.Metrics.Success, ClosedLoopTests.Describe(run));
        // The ESP32's budget (the Core's README), the same as the other budget planners'.
        Assert.IsTrue(run.Metrics.ModelStepsPerTickMax <= 300, $"{run.Metrics.ModelStepsPerTickMax} model steps in one tick");
    }

    [TestMethod]
    public void TheEnergyBaselineSwingsUpTheLongTrackOfTheDmControlTask()
    {
        RunResult run = ClosedLoopRun.Execute(new RunSettings { Planner = "energy-lqr", ProfileName = "dm-control", Seed = 1 });
        Assert.IsTrue(run.Metrics.Success, ClosedLoopTests.Describe(run));
        Assert.AreEqual(0, run.Metrics.ModelStepsPerTickMax, "the baseline simulates nothing");
    }

    [TestMethod]
    public void EveryPlannerInTheCatalogAllocatesNothingPerTick()
    {
        foreach (string planner in PlannerCatalog.Names)
        {
            var simulation = new ControlledRig(new RunSettings { Planner = planner, Seed = 2, StartHomed = true });
            var record = new TelemetryRecord();
            for (int tick = 0; tick < 50; tick++)
            {
                simulation.ControlTick(ref record);
                simulation.AdvancePlant();
            }

            long before = System.GC.GetAllocatedBytesForCurrentThread();
            for (int tick = 0; tick < 200; tick++)
            {
                simulation.ControlTick(ref record);
                simulation.AdvancePlant();
            }

            Assert.AreEqual(0L, System.GC.GetAllocatedBytesForCurrentThread() - before, $"{planner}: bytes allocated by 200 ticks after warm-up");
        }
    }

    [TestMethod]
    public void TheFirmwaresStackAndTheSimulatorsMakeTheSameDecisionsTickForTick()
    {
        // Scenario: `run --seed 1` (the default, the firmware's planner) from power-on (homing, swing-up, the LQR
        // balance), and next to it the firmware's own controller (ControlStack.Build, as Program.cs builds it
        // on the rig) fed the very readings the simulated plant gives the simulator. The simulated rig's encoders
        // count as the board's PCNT does (PcntCounts.AsCounted: the profile's scales x FirmwareSettings.EncoderCountScale),
        // so the firmware reads them as shipped and the simulator's estimator has its scales. Both are built by the
        // Core's ControllerFactory from the same catalog entry, so every duty must agree bit for bit.
        // Both clocks stand still, so planning time cannot fault either side on a loaded machine.
        var settings = new RunSettings { Planner = FirmwareSettings.Planner().Name, Seed = 1, StartHomed = false };
        RigProfile profile = RigProfiles.Esp32Rig();
        RigProfile counted = PcntCounts.AsCounted(profile);
        RigHardware plant = ControlledRig.CreateRig(settings, counted, startHomed: false);
        ControlLoop simulator = ControlStackBuilder.Build(settings, counted, plant, plant, new ManualClock(), startHomed: false).Loop;
        var firmwareSensors = new ReplayedSensors();
        var firmwareMotor = new RecordedMotor();
        ControlLoop firmware = FirmwareControlStack.Build(profile, firmwareSensors, firmwareMotor, new ManualClock());

        // 1000 ticks = 20 s: homing takes about 7 s, the swing-up about 2.5 s.
        List<SupervisorMode> modes = RunSideBySide(simulator, firmware, plant, firmwareSensors, firmwareMotor, ticks: 1000, mismatches: out int mismatches, out string firstMismatch);
        Assert.AreEqual(0, mismatches, firstMismatch);
        CollectionAssert.IsSubsetOf(new[] { SupervisorMode.Homing, SupervisorMode.SwingUp, SupervisorMode.Balance }, modes,
            "the comparison covers homing, the planner and the LQR");

        // The comparison can fail: the firmware's planner with another seed draws other samples and decides otherwise.
        plant = ControlledRig.CreateRig(settings, counted, startHomed: false);
        simulator = ControlStackBuilder.Build(settings, counted, plant, plant, new ManualClock(), startHomed: false).Loop;
        PlannerDefinition reseeded = FirmwareSettings.Planner();
        reseeded.Seed = 2;
        firmware = ControllerFactory.Build(reseeded, profile, FirmwareSettings.EncoderCountScale, firmwareSensors, firmwareMotor, new ManualClock());
        RunSideBySide(simulator, firmware, plant, firmwareSensors, firmwareMotor, ticks: 1000, mismatches: out mismatches, out _);
        Assert.IsTrue(mismatches > 0, "seeds 1 and 2 decided alike on every tick");
    }

    [TestMethod]
    public void EveryCatalogEntryIsACoreDefinitionTheFactoryBuilds()
    {
        // The host catalog adds nothing but particles: each name is a Core definition, in the Core's order,
        // and each builds through the Core's factory on the firmware's rig with the sizes it declares.
        PlannerDefinition[] definitions = PlannerDefinitions.All();
        CollectionAssert.AreEqual(System.Array.ConvertAll(definitions, d => d.Name), PlannerCatalog.Names);
        RigProfile profile = RigProfiles.Esp32Rig();
        foreach (PlannerDefinition definition in definitions)
        {
            PlannerPolicies built = ControllerFactory.BuildPlanner(definition, profile, profile.CopyParameters(), true, null);
            PlannerSizes sizes = PlannerCatalog.Build(new RunSettings { Planner = definition.Name }, profile).Sizes;
            Assert.AreEqual(definition.Kind == PlannerKind.EnergySwingUp ? 0 : definition.HorizonSteps, built.HorizonSteps, definition.Name);
            Assert.AreEqual((built.Samples, built.HorizonSteps, built.Iterations, built.Elites, built.Knots, (double)built.ModelStepSeconds),
                (sizes.Samples, sizes.HorizonSteps, sizes.Iterations, sizes.Elites, sizes.Knots, sizes.ModelStepSeconds), definition.Name);
        }
    }

    [TestMethod]
    public void RunOptionsChangeACopyOfTheDefinitionNotTheCatalog()
    {
        // Scenario: `run --planner cem --samples 6 --seed 9`, then a run with the defaults. The options reach
        // the planner (CEM's elites follow --samples down to half of them) and leave the shared entry as it was.
        RigProfile profile = RigProfiles.Esp32Rig();
        PlannerSizes changed = PlannerCatalog.Build(new RunSettings { Planner = "cem", Samples = 6, Seed = 9 }, profile).Sizes;
        Assert.AreEqual((6, 3), (changed.Samples, changed.Elites), "6 samples, elites min(4, 6 / 2)");
        PlannerSizes defaults = PlannerCatalog.Build(new RunSettings { Planner = "cem" }, profile).Sizes;
        Assert.AreEqual((24, 4, 3, 40), (defaults.Samples, defaults.Elites, defaults.Iterations, defaults.HorizonSteps), "cem's own sizes");
        PlannerDefinition entry = PlannerCatalog.Find("cem").Definition;
        Assert.AreEqual((24, 1u), (entry.Samples, entry.Seed));

        PlannerDefinition mcts = PlannerDefinitions.Mcts();
        PlannerDefinition copy = mcts.Copy();
        copy.Tree.ActionLevels = 7;
        Assert.AreEqual(5, mcts.Tree.ActionLevels, "a copy's MCTS settings are its own");
    }

    /// <summary>
    /// Ticks <paramref name="simulator"/> (on <paramref name="plant"/>) and <paramref name="firmware"/> (on the
    /// plant's readings) side by side, the plant driven by the simulator's duty; counts the ticks whose mode,
    /// command or duty differ in any bit. Returns the modes seen.
    /// </summary>
    private static List<SupervisorMode> RunSideBySide(ControlLoop simulator, ControlLoop firmware, RigHardware plant, ReplayedSensors firmwareSensors,
        RecordedMotor firmwareMotor, int ticks, out int mismatches, out string firstMismatch)
    {
        foreach (Supervisor supervisor in new[] { simulator.Supervisor, firmware.Supervisor })
        {
            supervisor.AutoStart = true;
            supervisor.RequestStart();
        }

        var modes = new List<SupervisorMode>();
        var expected = new TelemetryRecord();
        var actual = new TelemetryRecord();
        mismatches = 0;
        firstMismatch = "";
        int substeps = ControlledRig.SubstepsPerControlPeriod(RigProfiles.Esp32Rig());
        for (int tick = 0; tick < ticks; tick++)
        {
            plant.Read(ref firmwareSensors.Reading);
            simulator.Tick(ref expected);
            firmware.Tick(ref actual);
            if (expected.Mode != actual.Mode
                || System.BitConverter.SingleToInt32Bits(expected.Command) != System.BitConverter.SingleToInt32Bits(actual.Command)
                || System.BitConverter.SingleToInt32Bits(expected.Duty) != System.BitConverter.SingleToInt32Bits(firmwareMotor.Duty))
            {
                if (mismatches++ == 0)
                {
                    firstMismatch = $"tick {tick}: simulator {expected.Mode} command {expected.Command:R} duty {expected.Duty:R}, firmware {actual.Mode} command {actual.Command:R} duty {firmwareMotor.Duty:R}";
                }
            }

            if (!modes.Contains(expected.Mode))
            {
                modes.Add(expected.Mode);
            }

            for (int s = 0; s < substeps; s++)
            {
                plant.Step();
            }
        }

        return modes;
    }

    /// <summary>Sensors that give whatever reading the test put in.</summary>
    private sealed class ReplayedSensors : IRigSensors
    {
        public SensorReading Reading;

        public void Read(ref SensorReading reading) => reading = Reading;
    }

    /// <summary>A motor that keeps the last duty.</summary>
    private sealed class RecordedMotor : IMotorDriver
    {
        public float Duty { get; private set; }

        public void SetDuty(float signedDuty) => Duty = signedDuty;
    }
}
