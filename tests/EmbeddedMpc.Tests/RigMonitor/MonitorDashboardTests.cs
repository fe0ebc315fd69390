using EmbeddedMpc.Core.Control;
using EmbeddedMpc.HostSim.Monitor;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.RigMonitor;

/// <summary>What the dashboard draws from the numbers: the live trace and the switch row.</summary>
[TestClass]
public sealed class MonitorDashboardTests
{
    [TestMethod]
    public void TheTraceSpansItsRangeFromTheLowestToTheHighestLevel_AndKeepsItsWidth()
    {
        // A ramp from the bottom of the range to its top: the first character is the lowest block, the last the highest.
        float[] ramp = new float[500];
        for (int i = 0; i < ramp.Length; i++)
        {
            ramp[i] = -0.35f + 0.7f * i / (ramp.Length - 1);
        }

        string trace = MonitorDashboard.Trace(ramp, v => v, -0.35, 0.35);
        string empty = MonitorDashboard.Trace([], v => v, -0.35, 0.35);
        Assert.AreEqual('▁', trace[0]);
        Assert.AreEqual('█', trace[^1]);
        Assert.AreEqual(empty.Length, trace.Length, "the row keeps its width before the first telemetry");
        Assert.AreEqual('█', MonitorDashboard.Trace([5f], v => v, -0.35, 0.35)[0], "a value off the scale is clamped, not wrapped");
        Assert.AreEqual('▁', MonitorDashboard.Trace([float.NaN], v => v, -0.35, 0.35)[0], "a non-finite value draws as the lowest block");
    }

    [TestMethod]
    public void TheSwitchRowNamesEachTrippedInput()
    {
        Assert.AreEqual("all clear", MonitorDashboard.SwitchText(0));
        Assert.AreEqual("-x limit (homing) tripped", MonitorDashboard.SwitchText(TelemetryInputs.NegativeLimit));
        Assert.AreEqual("+x limit tripped, E-STOP pressed",
            MonitorDashboard.SwitchText(TelemetryInputs.PositiveLimit | TelemetryInputs.EmergencyStop));
        Assert.AreEqual("button held", MonitorDashboard.SwitchText(TelemetryInputs.Button));
    }
}
