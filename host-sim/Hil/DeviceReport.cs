using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>Constants shared by the two ends of a HIL run.</summary>
public static class HilDefaults
{
    /// <summary>Line speed both ends use unless told otherwise (PROTOCOL.md recommends 921,600 baud).</summary>
    public const int BaudRate = 921600;

    public const string LockstepName = "lockstep";

    public const string RealTimeName = "realtime";
}

/// <summary>One application of the link-loss rule by the virtual device.</summary>
/// <param name="TickIndex">The last tick handled before the silence.</param>
/// <param name="SilenceMilliseconds">How long the host had been silent when the device stopped the motor, ms.</param>
/// <param name="DutyBefore">The duty the motor had.</param>
/// <param name="DutyAfter">The duty it got (0).</param>
/// <param name="LoopGapMilliseconds">
/// Time since the device loop's previous link check, ms: a millisecond or so, unless something held the loop
/// (a tick, or the operating system not running the process); the silence can exceed the link timeout by
/// at most this much.
/// </param>
public sealed record DeviceLinkLoss(uint TickIndex, double SilenceMilliseconds, float DutyBefore, float DutyAfter, double LoopGapMilliseconds = 0);

/// <summary>What the virtual device did and saw, printed at exit and written by <c>device --summary FILE</c> (camelCase JSON).</summary>
public sealed record DeviceReport(
    string Port,
    int BaudRate,
    string Profile,
    string Planner,
    string Task,
    bool Homed,
    string EndReason,
    string? Mode,
    int Sessions,
    int ConfigurationsApplied,
    int ConfigurationsRejected,
    int Commands,
    long Ticks,
    long ReadingGaps,
    long ReadingsMissed,
    long RepeatedReadings,
    long StaleReadings,
    long UnexpectedFrames,
    double? AllocatedBytesPerTick,
    double? PlanningMicrosecondsMedian,
    long Overruns,
    long FramesAccepted,
    HilRejectedFrames FramesRejected,
    long SequenceGaps,
    long FramesMissed,
    long DuplicateFrames,
    long SequenceRestarts,
    long WriteFailures,
    string[] Faults,
    DeviceLinkLoss[] LinkLosses,
    uint RefusedBeforeHello = 0)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Options);

    public static DeviceReport? FromJson(string json) => JsonSerializer.Deserialize<DeviceReport>(json, Options);
}
