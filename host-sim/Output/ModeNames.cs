using EmbeddedMpc.Core.Safety;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>Lower-case names of supervisor modes and fault reasons for logs and summaries.</summary>
public static class ModeNames
{
    public static string Of(SupervisorMode mode) => mode switch
    {
        SupervisorMode.Idle => "idle",
        SupervisorMode.Homing => "homing",
        SupervisorMode.Ready => "ready",
        SupervisorMode.SwingUp => "swingup",
        SupervisorMode.Balance => "balance",
        SupervisorMode.Fault => "fault",
        _ => "unknown",
    };

    public static string Of(FaultReason fault) => fault switch
    {
        FaultReason.None => "none",
        FaultReason.LimitSwitch => "limit-switch",
        FaultReason.EmergencyStop => "emergency-stop",
        FaultReason.TrackMargin => "track-margin",
        FaultReason.EncoderJump => "encoder-jump",
        FaultReason.PlannerOverrun => "planner-overrun",
        FaultReason.NonFinite => "non-finite",
        FaultReason.HomingFailed => "homing-failed",
        FaultReason.LinkLost => "link-lost",
        FaultReason.Whirl => "whirl",
        _ => "unknown",
    };
}
