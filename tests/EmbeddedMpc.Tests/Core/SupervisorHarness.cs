using EmbeddedMpc.Core.Estimation;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Safety;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Core;

/// <summary>An estimator that reports whatever state the test sets, to walk the supervisor through its modes.</summary>
internal sealed class SetStateEstimator : IStateEstimator
{
    public CartPoleState State { get; set; }

    public void ReadState(out CartPoleState state) => state = State;

    public bool Update(ref SensorReading reading) => true;

    public void SetCartPosition(long cartCount, float positionMeters) { }

    public void SetPoleHanging(long poleCount) { }

    public void Reset() { }
}

/// <summary>A supervisor driven tick by tick by a <see cref="SetStateEstimator"/>, with no switch or E-stop tripped.</summary>
internal static class SupervisorHarness
{
    /// <summary>The esp32 rig's limits.</summary>
    public static readonly SupervisorSettings Esp32RigSettings = SupervisorSettings.ForProfile(RigProfiles.Esp32Rig());

    /// <summary>A homed supervisor with a hanging pole, one tick into SwingUp.</summary>
    public static (Supervisor Supervisor, SetStateEstimator Estimator) SwingingUp(SupervisorSettings? settings = null)
    {
        var estimator = new SetStateEstimator { State = new CartPoleState(0f, 0f, 3.14f, 0f) };
        var supervisor = new Supervisor(settings ?? Esp32RigSettings, estimator) { AutoStart = true };
        supervisor.MarkHomed();
        Tick(supervisor); // Ready -> SwingUp
        Assert.AreEqual(SupervisorMode.SwingUp, supervisor.Mode);
        return (supervisor, estimator);
    }

    /// <summary>One tick of the supervisor on a plausible reading with nothing tripped.</summary>
    public static void Tick(Supervisor supervisor)
    {
        var reading = new SensorReading();
        supervisor.Observe(ref reading, true);
    }
}
