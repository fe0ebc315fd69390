using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>Words for an Ack's verdict, for logs and error messages (both ends of the link use them).</summary>
public static class AckText
{
    /// <summary>What refused a Configuration: the field and its range (PROTOCOL.md's table), or the device's limit.</summary>
    public static string Describe(AckDetail detail, uint limit) => detail switch
    {
        AckDetail.None => "no detail",
        AckDetail.TickWork => $"the planner's work, Samples x Horizon (model steps) x Iterations x particles, is above this device's limit of {limit:N0} model steps per tick at the configured control period",
        AckDetail.PlannerMemory => $"Samples x Horizon is above the {limit:N0} values this device's memory holds",
        AckDetail.Rejected => "the values are each in range but the device cannot build a controller from them",
        AckDetail.PoleInertiaAboutPivotKilogramSquareMeters => "PoleInertiaAboutPivotKilogramSquareMeters must be in [m·l², 10]",
        AckDetail.Elites => "Elites must be in [1, Samples]",
        AckDetail.Duration => "an excitation's duration must be in [1000, 600000] ms",
        AckDetail.Running => "the rig is running (Homing, SwingUp or Balance): stop it first",
        AckDetail.ControlPeriodMicroseconds when limit > 0 => $"ControlPeriodMicroseconds must be this device's period, {limit} µs",
        _ => $"{detail} is outside its range (PROTOCOL.md, Configuration)",
    };

    /// <summary>One Ack verdict in words: the status, and for a refused Configuration what refused it.</summary>
    public static string Describe(AckStatus status, AckDetail detail, uint limit) => status switch
    {
        AckStatus.Accepted => "accepted",
        AckStatus.InvalidValue => $"InvalidValue: {Describe(detail, limit)}",
        AckStatus.NotConnected => "NotConnected: no Hello has opened a connection",
        AckStatus.WrongMode when detail != AckDetail.None => $"WrongMode: {Describe(detail, limit)}",
        _ => status.ToString(),
    };
}
