using System;
using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Plants;
using EmbeddedMpc.HostSim.Simulation;
using EmbeddedMpc.Tests.Simulator;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Plants;

/// <summary>
/// The dm_control return of "ilqr-10ms" on MuJoCo (the dm_control task's own physics, action repeat 2)
/// within 300 model steps per tick, and the pushing first plan it needs to leave the hanging rest.
/// </summary>
[TestClass]
public sealed class MuJoCoReturnTests
{
    private const string Planner = "ilqr-10ms";

    [TestMethod]
    public void IterativeLqrOnTheTenMillisecondStepScoresAbove878OnMuJoCoWithin300ModelStepsPerTick()
    {
        // Measured (seeds 1..20, MuJoCo): 881.0 mean, the weakest seed 879.3; the next best catalog planner,
        // icem-ilqr, scores 868 +/- 2. 878 sits between the two: iLQR on 40 ms model steps (867.8 on seeds 1..3)
        // or from a first plan of zeros (868.0 on seeds 1..10, at 20 ms) falls below it. Three seeds keep it short.
        for (uint seed = 1; seed <= 3; seed++)
        {
            RunResult run = ClosedLoopRun.Execute(new RunSettings
            {
                ProfileName = RigProfiles.DmControlName,
                Planner = Planner,
                Plant = PlantKind.MuJoCo,
                Seed = seed,
            });

            Assert.IsTrue(run.Metrics.Success, $"seed {seed}: {ClosedLoopTests.Describe(run)}");
            Assert.IsTrue(run.Metrics.DmControlReturn > 878, $"seed {seed}: return {run.Metrics.DmControlReturn:F1}");
            // One nominal rollout plus at most two forward passes of 100 model steps: the budget exactly.
            Assert.IsTrue(run.Metrics.ModelStepsPerTickMax <= 300, $"seed {seed}: {run.Metrics.ModelStepsPerTickMax} model steps in a tick");
        }
    }

    [TestMethod]
    public void FromRestAtTheBottomAPlanOfZerosStaysStillAndThePushingFirstPlanMoves()
    {
        // Hanging exactly at rest the reward is symmetric in the cart's direction, so iLQR started from a plan
        // of zeros finds no gradient to either side; the catalog entry's first plan of +1 breaks the symmetry.
        RigProfile profile = RigProfiles.DmControl();
        PlannerDefinition pushing = PlannerDefinitions.IterativeLqrTenMilliseconds();
        PlannerDefinition still = pushing.CopyAs("still", "the same from a plan of zeros");
        still.InitialAction = 0f;

        float pushingAction = FirstAction(pushing, profile);
        float stillAction = FirstAction(still, profile);

        // A push is a large command (the optimum is near the bound); "still" is the rounding noise of sin(pi).
        Assert.IsTrue(Math.Abs(pushingAction) > 0.5f, $"pushing first plan: first action {pushingAction}");
        Assert.IsTrue(Math.Abs(stillAction) < 0.05f, $"plan of zeros: first action {stillAction}");
    }

    [TestMethod]
    public void AFirstPlanOutsideTheActionBoundsIsRefusedNamingTheSetting()
    {
        PlannerDefinition definition = PlannerDefinitions.IterativeLqrTenMilliseconds();
        definition.InitialAction = 1.5f;
        RigProfile profile = RigProfiles.DmControl();

        var error = Assert.ThrowsExactly<ArgumentException>(() => ControllerFactory.BuildPlanner(definition, profile, profile.CopyParameters(), true, null));

        StringAssert.Contains(error.Message, "InitialAction");
    }

    private static float FirstAction(PlannerDefinition definition, RigProfile profile)
    {
        PlannerPolicies policies = ControllerFactory.BuildPlanner(definition, profile, profile.CopyParameters(), true, null);
        var hanging = new CartPoleState(0f, 0f, (float)Math.PI, 0f);
        return policies.SwingUp.ComputeAction(ref hanging);
    }
}
