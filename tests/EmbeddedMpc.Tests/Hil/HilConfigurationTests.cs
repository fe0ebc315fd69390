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

        // Through the wire format and back.
        var payload = new byte[ConfigurationMessage.PayloadLength];
        message.Write(payload, 0);
        var received = new ConfigurationMessage();
        received.Read(payload, 0);

        var device = new RunSettings { Planner = planner };
        RigProfile believed = received.ToProfile(device.ResolveProfile());
        RunSettings rebuilt = HilConfiguration.ToSettings(ref received, device, believed);
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
    public void ASizeOutsideTheProtocolsRangeIsRefusedWithItsName()
    {
        var message = HilConfiguration.From(new RunSettings(), RigProfiles.Esp32Rig(), PlannerCatalog.Build(new RunSettings(), RigProfiles.Esp32Rig()));
        message.Elites = message.Samples + 1;
        var error = Assert.ThrowsExactly<System.ArgumentException>(() => HilConfiguration.ToSettings(ref message, new RunSettings(), RigProfiles.Esp32Rig()));
        StringAssert.Contains(error.Message, "Elites must be an integer in [1, 24]");
    }
}
