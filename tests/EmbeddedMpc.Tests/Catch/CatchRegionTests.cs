using EmbeddedMpc.Core.Catalog;
using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Policies;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Catch;

/// <summary>
/// The catch region: SwingUp hands over to a balancing LQR only where the LQR's command is not deep in
/// saturation, and the balance LQR acts on the pole rate with a reduced gain.
/// </summary>
[TestClass]
public sealed class CatchRegionTests
{
    /// <summary>An estimator that reports whatever state the test sets.</summary>
    private sealed class SetState : IStateEstimator
    {
        public CartPoleState State { get; set; }

        public void ReadState(out CartPoleState state) => state = State;

        public bool Update(ref SensorReading reading) => true;

        public void SetCartPosition(long cartCount, float positionMeters) { }

        public void SetPoleHanging(long poleCount) { }

        public void Reset() { }
    }

    private static LinearQuadraticRegulator RigRegulator()
    {
        RigProfile profile = RigProfiles.Esp32Rig();
        return ControllerFactory.DmControlRewardLqr(new CartPoleModel(profile.CopyParameters()), profile.CopyMotor(), profile.ControlPeriodSeconds);
    }

    private static SupervisorMode ModeAfterOneTickAt(CartPoleState state, LinearQuadraticRegulator? catchRegulator)
    {
        var estimator = new SetState { State = new CartPoleState(0f, 0f, 3.14f, 0f) };
        var supervisor = new Supervisor(SupervisorSettings.ForProfile(RigProfiles.Esp32Rig()), estimator) { AutoStart = true };
        supervisor.UseCatchRegulator(catchRegulator);
        supervisor.MarkHomed();
        var reading = new SensorReading();
        supervisor.Observe(ref reading, true); // Ready -> SwingUp
        Assert.AreEqual(SupervisorMode.SwingUp, supervisor.Mode);
        estimator.State = state;
        supervisor.Observe(ref reading, true);
        return supervisor.Mode;
    }

    [TestMethod]
    public void APoleArrivingTooFastForTheRegulatorIsNotHandedOver()
    {
        // esp32-rig: 0.45 rad from upright and turning away at 3.5 rad/s is inside the angle (0.5) and speed (4)
        // box, but the balance LQR would ask for several times full command: caught there, it drags the cart
        // to the track end. The planner keeps the pole instead.
        LinearQuadraticRegulator regulator = RigRegulator();
        var fast = new CartPoleState(0f, 0f, 0.45f, 3.5f);
        Assert.IsTrue(System.Math.Abs(regulator.Command(ref fast)) > 2f * SupervisorSettings.DefaultBalanceEntryMaxCommand,
            "the scenario's state must be far outside the catch region");

        Assert.AreEqual(SupervisorMode.Balance, ModeAfterOneTickAt(fast, null), "without a regulator only the box decides");
        Assert.AreEqual(SupervisorMode.SwingUp, ModeAfterOneTickAt(fast, regulator));
    }

    [TestMethod]
    public void APoleArrivingSlowlyIsHandedOver()
    {
        // Slightly off upright and nearly still: the LQR's command is well inside the drive's range.
        LinearQuadraticRegulator regulator = RigRegulator();
        var slow = new CartPoleState(0.02f, 0f, 0.1f, -0.2f);
        Assert.IsTrue(System.Math.Abs(regulator.Command(ref slow)) < 1f, "the scenario's state must be inside the catch region");

        Assert.AreEqual(SupervisorMode.Balance, ModeAfterOneTickAt(slow, regulator));
    }

    [TestMethod]
    [DataRow(0f)]
    [DataRow(-1f)]
    [DataRow(100.5f)]
    public void AnEntryCommandOutsideItsRangeIsRefusedByName(float maxCommand)
    {
        var settings = SupervisorSettings.ForProfile(RigProfiles.Esp32Rig());
        settings.BalanceEntryMaxCommand = maxCommand;
        var error = Assert.ThrowsExactly<System.ArgumentException>(() => settings.Validate());
        StringAssert.Contains(error.Message, nameof(SupervisorSettings.BalanceEntryMaxCommand));
    }

    [TestMethod]
    public void TheBalancePolicyScalesOnlyThePoleRateGain()
    {
        // u = -(k_x x + k_xDot xDot + k_theta theta + c k_thetaDot thetaDot): a state with only a pole rate
        // gets c times the regulator's command, a state without one gets the regulator's command.
        LinearQuadraticRegulator regulator = RigRegulator();
        var policy = new LqrPolicy(regulator, 0.5f);
        var rateOnly = new CartPoleState(0f, 0f, 0f, 0.2f);
        var noRate = new CartPoleState(0.05f, 0.1f, 0.03f, 0f);

        Assert.AreEqual(0.5f * regulator.Command(ref rateOnly), policy.ComputeAction(ref rateOnly), 1e-6f);
        Assert.AreEqual(regulator.Command(ref noRate), policy.ComputeAction(ref noRate), 1e-6f);
        Assert.AreEqual(LqrPolicy.DefaultAngularVelocityGainScale, new LqrPolicy(regulator).AngularVelocityGainScale);
    }

    [TestMethod]
    [DataRow(0f)]
    [DataRow(2.5f)]
    public void ARateGainScaleOutsideItsRangeIsRefusedByName(float scale)
    {
        var error = Assert.ThrowsExactly<System.ArgumentException>(() => new LqrPolicy(RigRegulator(), scale));
        StringAssert.Contains(error.Message, "angularVelocityGainScale");
    }
}
