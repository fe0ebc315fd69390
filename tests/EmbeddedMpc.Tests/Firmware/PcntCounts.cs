using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Firmware;

namespace EmbeddedMpc.Tests.Firmware;

/// <summary>
/// Encoder counts as the rig's PCNT delivers them, for tests that feed the firmware's rig stack
/// (<see cref="EmbeddedMpc.Firmware.ControlStack.Build(RigProfile, IRigSensors, IMotorDriver, IMicrosecondClock)"/>)
/// what the board gives it: <see cref="FirmwareSettings.EncoderCountsPerQuadratureCycle"/> counts per quadrature
/// cycle where the profile's scales assume 4.
/// </summary>
internal static class PcntCounts
{
    // The PCNT's count at each quarter of a cycle, from the cycle's start: A's rising edge is not counted, the
    // other three edges are (FirmwareSettings.EncoderCountsPerQuadratureCycle explains the channel set-up).
    private static readonly long[] s_countAtQuarter = { 0, 0, 1, 2 };

    /// <summary>
    /// A copy of <paramref name="profile"/> whose encoder scales are the counts the rig's PCNT gives per metre and per
    /// revolution (the profile's times <see cref="FirmwareSettings.EncoderCountScale"/>): a simulated rig built on it
    /// reads counts at the density the firmware is built for, evenly spaced, and the simulator's controller built
    /// on it has the firmware's estimator scales to the bit.
    /// </summary>
    public static RigProfile AsCounted(RigProfile profile) =>
        new(profile.Name, profile.Description, profile.CopyParameters(), profile.CopyMotor(),
            profile.CartCountsPerMeter * FirmwareSettings.EncoderCountScale, profile.PoleCountsPerRevolution * FirmwareSettings.EncoderCountScale,
            profile.ControlPeriodSeconds, profile.LimitSwitchOffsetMeters, profile.EndStopOffsetMeters);

    /// <summary>
    /// The count the PCNT shows after <paramref name="edges"/> quadrature edges from a cycle's start (negative:
    /// turned the other way): 3 per whole cycle, unevenly spaced within it (0, 0, 1, 2), the same in both directions.
    /// </summary>
    public static long ThreeOfFourEdges(long edges)
    {
        long cycles = edges >= 0 ? edges / 4 : -((-edges + 3) / 4);
        return 3 * cycles + s_countAtQuarter[edges - 4 * cycles];
    }

    /// <summary>
    /// The sensors of a rig whose encoders count every edge (<paramref name="everyEdge"/>, e.g. a simulated rig on
    /// the profile's x4 scales), read through a PCNT that counts 3 of the 4 edges per cycle.
    /// </summary>
    public sealed class ThreeOfFourSensors(IRigSensors everyEdge) : IRigSensors
    {
        public void Read(ref SensorReading reading)
        {
            everyEdge.Read(ref reading);
            reading.CartCount = ThreeOfFourEdges(reading.CartCount);
            reading.PoleCount = ThreeOfFourEdges(reading.PoleCount);
        }
    }
}
