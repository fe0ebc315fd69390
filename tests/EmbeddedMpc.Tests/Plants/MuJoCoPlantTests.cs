using System;
using System.Diagnostics;
using System.IO;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Plants.MuJoCo;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Plants;

/// <summary>
/// MuJoCo 2.2.2 (Debian's libmujoco-dev, which the CI script installs) as the plant of the dm-control
/// profile: the struct offsets the plant reads through, its agreement with the project's own model,
/// and the dm_control return taken from its state.
/// </summary>
[TestClass]
public sealed class MuJoCoPlantTests
{
    private static readonly RigProfile s_profile = RigProfiles.DmControl();

    [TestMethod]
    public void AStateWrittenThroughTheOffsetsComesBackOutOfMuJoCosKinematics()
    {
        var state = new CartPoleState(0.3f, -0.7f, 0.9f, 2.5f);
        using var plant = new MuJoCoPlant(s_profile, state);

        Assert.AreEqual(state, plant.State);

        // mj_forward placed the pole's centre of mass from qpos: 0.5 m up the pole from the hinge on
        // the cart (at height 1 m), tilted by theta towards +x. Wrong offsets or a swapped qpos order
        // would put it elsewhere.
        (double comX, double comZ) = plant.PoleCenterOfMass();
        Assert.AreEqual(0.3 + 0.5 * Math.Sin(0.9), comX, 1e-6);
        Assert.AreEqual(1.0 + 0.5 * Math.Cos(0.9), comZ, 1e-6);

        Assert.AreEqual(0.01, plant.StepSeconds, 1e-15, "the model's own time step");
        plant.Step(0f);
        Assert.AreEqual(plant.StepSeconds, plant.TimeSeconds, 1e-15, "one mj_step advances mjData.time by the model's step");
    }

    [TestMethod]
    public void MuJoCoAndTheProjectsModelAgreeOverOneSecondFromTheSameState()
    {
        // The same start (hanging, moving) and the same force, held per 0.02 s control period and varied
        // over the swing: MuJoCo at its 0.01 s RK4 step against the Core's model at the ideal plant's 1 kHz.
        double worstAngle = MaxAngleGapOverOneSecond(s_profile);

        // Measured: 2.7e-6 rad, left by MuJoCo's 10 ms steps and the model's float arithmetic; 3e-5 rad
        // leaves a factor 10 and is still a 700th of what the plain-cylinder inertia (3 % off) leaves (next test).
        Assert.IsTrue(worstAngle < 3e-5, $"largest angle gap {worstAngle:E2} rad");
    }

    [TestMethod]
    public void APoleInertiaThreePercentOffIsVisibleAgainstMuJoCo()
    {
        // The agreement above must be able to fail: the profile's old plain-cylinder inertia.
        RigProfile cylinder = RigProfiles.DmControl();
        CartPoleParameters parameters = cylinder.CopyParameters();
        parameters.PoleInertiaAboutPivotKilogramSquareMeters = 0.1f / 3f + 0.1f * 0.045f * 0.045f / 4f;
        var wrong = new RigProfile(cylinder.Name, cylinder.Description, parameters, cylinder.CopyMotor(), 0f, 0f, cylinder.ControlPeriodSeconds, 0f, 0f);

        double worstAngle = MaxAngleGapOverOneSecond(wrong);
        // Measured: 2.0e-2 rad.
        Assert.IsTrue(worstAngle > 3e-3, $"largest angle gap {worstAngle:E2} rad");
    }

    [TestMethod]
    public void TheRunsDmControlReturnIsMuJoCosStateScoredAfterEvery10MillisecondStep()
    {
        var settings = new RunSettings { ProfileName = RigProfiles.DmControlName, Planner = "energy-lqr", Plant = PlantKind.MuJoCo, Seed = 4 };
        RunResult run = ClosedLoopRun.Execute(settings);

        // Replay the logged duties on a fresh MuJoCo plant, each held over the two 10 ms steps of its
        // period, and score the state after every step with the dm_control reward.
        using var replay = new MuJoCoPlant(s_profile, ClosedLoopRun.InitialState(settings));
        double score = 0;
        for (int tick = 0; tick < run.Log.Count; tick++)
        {
            for (int step = 0; step < 2; step++)
            {
                replay.Step(run.Log.Duty[tick] * 10f); // the ideal force source: 10 N at full duty
                CartPoleState s = replay.State;
                score += DmControlReward.Evaluate(s.X, s.Theta, s.ThetaDot, run.Log.Command[tick]);
            }
        }

        Assert.AreEqual(score, run.Metrics.DmControlReturn, 1e-6, "the run's return is the replay's");
        // The energy-shaping swing-up hands over to the LQR within about 2 s; it scores about 850 on
        // MuJoCo, as on the project's model. 800 flags a plant that no longer swings up cleanly.
        Assert.IsTrue(run.Metrics.DmControlReturn > 800 && run.Metrics.Success, $"return {run.Metrics.DmControlReturn:F1}");
    }

    [TestMethod]
    public void ProfilesWithoutAMuJoCoModelAreRefusedNamingTheSupportedOnes()
    {
        var settings = new RunSettings { ProfileName = RigProfiles.Esp32RigName, Plant = PlantKind.MuJoCo };
        var error = Assert.ThrowsExactly<ArgumentException>(() => settings.Validate());
        StringAssert.Contains(error.Message, RigProfiles.DmControlName);
    }

    [TestMethod]
    public void WithoutTheLibraryTheRunCommandExitsWith2NamingTheDebianPackage()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "embeddedmpc-sim.dll"));
        foreach (string argument in new[] { "run", "--profile", "dm-control", "--plant", "mujoco", "--duration", "1", "--out", Path.Combine(Path.GetTempPath(), $"mujoco-missing-{Guid.NewGuid():N}") })
        {
            start.ArgumentList.Add(argument);
        }

        // A library path that does not exist stands for a machine without the package.
        start.Environment[MuJoCoLibrary.LibraryPathVariable] = "/nonexistent/libmujoco.so.2.2.2";
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.IsTrue(process.WaitForExit(120_000), "the simulator did not finish");
        Assert.AreEqual(2, process.ExitCode, stderr + stdout.Result);
        StringAssert.Contains(stderr, MuJoCoLibrary.DebianPackage);
    }

    private static double MaxAngleGapOverOneSecond(RigProfile modelProfile)
    {
        var start = new CartPoleState(0.05f, 0.3f, 3.0f, -1.2f);
        using var mujoco = new MuJoCoPlant(s_profile, start);
        var model = new IdealPlant(modelProfile, start);
        double worst = 0;
        for (int period = 0; period < 50; period++)
        {
            float force = 6f * MathF.Sin(0.37f * period) + 2f;
            for (int step = 0; step < 2; step++)
            {
                mujoco.Step(force);
                for (int fine = 0; fine < 10; fine++)
                {
                    model.Step(force);
                }

                worst = Math.Max(worst, Math.Abs(mujoco.PreciseState.Theta - model.State.Theta));
            }
        }

        return worst;
    }
}
