using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Simulation;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Hil;

/// <summary>
/// What `hil` sends in its Configuration is what the virtual device rebuilds: the same rig and the same
/// planner sizes, for every planner of the catalog, so that a lockstep run can equal `run`.
/// </summary>
[TestClass]
public sealed class HilConfigurationTests
{
    public static System.Collections.Generic.IEnumerable<object[]> Planners()
    {
        foreach (string name in PlannerCatalog.Names)
        {
            yield return [name, null!, null!];
        }

        yield return ["cem", 8, 40];       // the firmware's sizes
        yield return ["icem", 6, 30];      // 3 model steps per knot: the horizon travels as knots
        yield return ["mppi", 12, null!];
    }

    [TestMethod]
    [DynamicData(nameof(Planners))]
    public void TheDeviceRebuildsThePlannerTheHostConfigured(string planner, int? samples, int? horizon)
    {
        var host = new RunSettings { Planner = planner, Samples = samples, Horizon = horizon, Seed = 17, Mismatch = 0.2 };
        RigProfile profile = host.ResolveProfile();
        PlannerStack hostStack = PlannerCatalog.Build(host, profile);
        ConfigurationMessage message = HilConfiguration.From(host, profile, hostStack);

        ConfigurationMessage received = ThroughTheWire(message);

        var device = new RunSettings { Planner = planner };
        RigProfile believed = received.ToProfile(device.ResolveProfile());
        // No work limit here: this checks the mapping of sizes; the limit has its own test below.
        RunSettings rebuilt = HilConfiguration.ToSettings(ref received, device, believed, int.MaxValue, out AckDetail detail, out _)!;
        Assert.AreEqual(AckDetail.None, detail);
        PlannerStack deviceStack = PlannerCatalog.Build(rebuilt, believed);

        Assert.AreEqual(hostStack.Sizes, deviceStack.Sizes, planner);
        Assert.AreEqual(17u, rebuilt.Seed);
        Assert.AreEqual(0.0, rebuilt.Mismatch, "the device plans with the parameters it was sent");
        CartPoleParameters expected = hostStack.PlannerParameters;
        CartPoleParameters actual = deviceStack.PlannerParameters;
        Assert.AreEqual(expected.CartMassKilograms, actual.CartMassKilograms);
        Assert.AreEqual(expected.PoleInertiaAboutPivotKilogramSquareMeters, actual.PoleInertiaAboutPivotKilogramSquareMeters);
        Assert.AreEqual(expected.PivotDampingNewtonMeterSecondsPerRadian, actual.PivotDampingNewtonMeterSecondsPerRadian);
        Assert.AreEqual(profile.ControlPeriodSeconds, believed.ControlPeriodSeconds);
        Assert.AreEqual(profile.CartCountsPerMeter, believed.CartCountsPerMeter);
    }

    [TestMethod]
    [DataRow("icem-esp32", 0.0)]
    [DataRow("cem", 0.2)]
    public void TheDevicePlansWithEveryParameterTheHostBelieves_DryFrictionIncluded(string planner, double mismatch)
    {
        // Scenario: a rig identified with dry friction on the cart and the pivot, run over HIL (with and without a
        // believed mismatch). The device must plan with the same eleven parameters as the host's planner, or a
        // lockstep run would differ from `run` on such a rig.
        RigProfile builtIn = RigProfiles.Esp32Rig();
        CartPoleParameters withFriction = builtIn.CopyParameters();
        withFriction.CartCoulombFrictionNewtons = 0.75f;
        withFriction.PivotCoulombFrictionNewtonMeters = 0.003f;
        var profile = new RigProfile("identified", "with dry friction", withFriction, builtIn.CopyMotor(), builtIn.CartCountsPerMeter,
            builtIn.PoleCountsPerRevolution, builtIn.ControlPeriodSeconds, builtIn.LimitSwitchOffsetMeters, builtIn.EndStopOffsetMeters);
        var host = new RunSettings { Planner = planner, Seed = 5, Mismatch = mismatch };
        PlannerStack hostStack = PlannerCatalog.Build(host, profile);
        ConfigurationMessage message = HilConfiguration.From(host, profile, hostStack);
        ConfigurationMessage received = ThroughTheWire(message);

        var device = new RunSettings { Planner = planner };
        RigProfile believed = received.ToProfile(builtIn);
        RunSettings rebuilt = HilConfiguration.ToSettings(ref received, device, believed, int.MaxValue, out AckDetail detail, out _)!;
        Assert.AreEqual(AckDetail.None, detail);
        CartPoleParameters expected = hostStack.PlannerParameters;
        CartPoleParameters actual = PlannerCatalog.Build(rebuilt, believed).PlannerParameters;
        Assert.AreEqual(0.75f, expected.CartCoulombFrictionNewtons, "the host's planner knows the friction (else this test means nothing)");
        foreach (System.Reflection.PropertyInfo property in typeof(CartPoleParameters).GetProperties())
        {
            Assert.AreEqual(property.GetValue(expected), property.GetValue(actual), $"{planner}, mismatch {mismatch}: {property.Name}");
        }
    }

    [TestMethod]
    public void ASizeOutsideTheProtocolsRangeIsRefusedWithItsName()
    {
        var message = HilConfiguration.From(new RunSettings(), RigProfiles.Esp32Rig(), PlannerCatalog.Build(new RunSettings(), RigProfiles.Esp32Rig()));
        message.Elites = message.Samples + 1;
        Assert.IsNull(HilConfiguration.ToSettings(ref message, new RunSettings(), RigProfiles.Esp32Rig(), VirtualDevice.ModelStepsPerSecond, out AckDetail detail, out uint limit));
        Assert.AreEqual(AckDetail.Elites, detail);
        Assert.AreEqual(0u, limit);
    }

    [TestMethod]
    [DataRow("cem-pets", 400 * 25 * 5, false)]   // 50,000 model steps per tick: above the virtual device's 8,000
    [DataRow("shooting", 200 * 40 * 1, true)]    // exactly at the limit
    [DataRow("cem", 24 * 40 * 3, true)]
    [DataRow("icem-robust", 8 * 30 * 1 * 3, true)]  // 3 particles multiply the work
    public void TheVirtualDeviceRefusesAPlannerWhoseTickWorkIsAboveItsLimit_NamingTheLimit(string planner, int modelStepsPerTick, bool accepted)
    {
        var host = new RunSettings { Planner = planner };
        RigProfile profile = host.ResolveProfile();
        PlannerStack stack = PlannerCatalog.Build(host, profile);
        Assert.AreEqual(modelStepsPerTick, stack.Sizes.Samples * stack.Sizes.HorizonSteps * stack.Sizes.Iterations * stack.Sizes.Particles, "the catalog's sizes, as this test assumes them");
        ConfigurationMessage message = HilConfiguration.From(host, profile, stack);
        RunSettings? rebuilt = HilConfiguration.ToSettings(ref message, new RunSettings { Planner = planner }, profile, VirtualDevice.ModelStepsPerSecond, out AckDetail detail, out uint limit);
        const uint LimitAt20Ms = VirtualDevice.ModelStepsPerSecond / 50;
        Assert.AreEqual(8_000u, LimitAt20Ms);
        if (accepted)
        {
            Assert.IsNotNull(rebuilt);
            Assert.AreEqual(AckDetail.None, detail);
        }
        else
        {
            Assert.IsNull(rebuilt);
            Assert.AreEqual(AckDetail.TickWork, detail);
            Assert.AreEqual(LimitAt20Ms, limit, "the Ack names the limit at the configured 20 ms period");
        }
    }

    /// <summary>The message as the device reads it: written to the wire format and read back.</summary>
    private static ConfigurationMessage ThroughTheWire(ConfigurationMessage message)
    {
        var payload = new byte[ConfigurationMessage.PayloadLength];
        message.Write(payload, 0);
        var received = new ConfigurationMessage();
        received.Read(payload, 0);
        return received;
    }
}
