using EmbeddedMpc.Core.Protocol;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>
/// What a hardware-in-the-loop run measured about the link and the device, written under "hil" in
/// summary.json. Latencies are host wall-clock microseconds (Stopwatch); null where nothing was measured.
/// </summary>
/// <param name="Mode">"lockstep" or "realtime".</param>
/// <param name="Port">The serial port.</param>
/// <param name="BaudRate">Its speed, baud.</param>
/// <param name="Device">What the device said in its HelloAck.</param>
/// <param name="TicksSent">SensorReadings sent (one per tick; retries not counted).</param>
/// <param name="ReadingRetries">Lockstep: SensorReadings sent again because the tick's answer had not arrived within the retry time.</param>
/// <param name="CommandsMissing">Ticks whose MotorCommand never arrived.</param>
/// <param name="LateTicks">Real time: ticks whose MotorCommand arrived a control period or more after their SensorReadings, i.e. after the next reading was due (the plant kept the previous command until it came).</param>
/// <param name="StaleCommands">MotorCommands for a tick older than the one applied, or repeated (ignored).</param>
/// <param name="CommandLatencyMicrosecondsP50">Median time from handing SensorReadings(k) to the port to decoding MotorCommand(k).</param>
/// <param name="CommandLatencyMicrosecondsP99">99th percentile of the same.</param>
/// <param name="CommandLatencyMicrosecondsMax">Largest of the same.</param>
/// <param name="JitterMicrosecondsP50">Median |latency(k) - latency(k-1)| over consecutive ticks (delay variation).</param>
/// <param name="JitterMicrosecondsP99">99th percentile of the same.</param>
/// <param name="ScheduleErrorMicrosecondsP99">Real time: 99th percentile of how late the host sent SensorReadings(k) after t0 + kP.</param>
/// <param name="TelemetryMissingTicks">Ticks whose Telemetry never arrived (their log rows hold NaN for the device's figures).</param>
/// <param name="TelemetryGaps">Runs of consecutive ticks without Telemetry.</param>
/// <param name="TelemetryLate">Real time: Telemetry that arrived after its tick had been logged (the row was completed then).</param>
/// <param name="FramesAccepted">Frames from the device that passed every check.</param>
/// <param name="SequenceGaps">Times the device's frame numbers skipped ahead (frames lost or rejected on the way).</param>
/// <param name="FramesMissed">Frame numbers those gaps skipped.</param>
/// <param name="DuplicateFrames">Frames that repeated the previous number.</param>
/// <param name="SequenceRestarts">Times the device's numbering went backwards (it restarted).</param>
/// <param name="FramesRejected">Frames from the device dropped by the framing checks, by reason.</param>
/// <param name="Injected">Faults the host injected (test aid); null when none were asked for.</param>
/// <param name="DeviceFaults">Fault reasons the device reported (Fault messages), in order.</param>
/// <param name="DeviceLoop">What the device's LoopStatistics messages said, over the run; null if none came.</param>
/// <param name="LinkCut">What happened after the host cut the link on purpose (test aid); null otherwise.</param>
public sealed record HilReport(
    string Mode,
    string Port,
    int BaudRate,
    HilDeviceInfo Device,
    int TicksSent,
    int ReadingRetries,
    int CommandsMissing,
    int LateTicks,
    int StaleCommands,
    double? CommandLatencyMicrosecondsP50,
    double? CommandLatencyMicrosecondsP99,
    double? CommandLatencyMicrosecondsMax,
    double? JitterMicrosecondsP50,
    double? JitterMicrosecondsP99,
    double? ScheduleErrorMicrosecondsP99,
    int TelemetryMissingTicks,
    int TelemetryGaps,
    int TelemetryLate,
    long FramesAccepted,
    long SequenceGaps,
    long FramesMissed,
    long DuplicateFrames,
    long SequenceRestarts,
    HilRejectedFrames FramesRejected,
    HilInjection? Injected,
    string[] DeviceFaults,
    HilDeviceLoop? DeviceLoop,
    HilLinkCut? LinkCut);

/// <summary>The device's own view of its loop, from its LoopStatistics messages (PROTOCOL.md 0x15).</summary>
/// <param name="Windows">LoopStatistics messages received.</param>
/// <param name="Overruns">Ticks whose work took longer than a period (the device's count since its start-up, as of the last message).</param>
/// <param name="SkippedPeriods">SensorReadings the device never got (TickIndex gaps), as of the last message.</param>
/// <param name="MaxJitterMicroseconds">Largest jitter of any window: |reading arrival - (previous arrival + P)| on the device, µs (0 in lockstep).</param>
/// <param name="MaxTickMicroseconds">Longest tick of any window, from its start to its last frame sent, µs.</param>
public sealed record HilDeviceLoop(int Windows, long Overruns, long SkippedPeriods, long MaxJitterMicroseconds, long MaxTickMicroseconds);

/// <summary>The device's HelloAck.</summary>
public sealed record HilDeviceInfo(int ProtocolVersion, string Firmware, long ControlPeriodMicroseconds, long Flags);

/// <summary>Frames dropped by the receiver's checks (PROTOCOL.md, "Receiving"), by reason.</summary>
public sealed record HilRejectedFrames(long Oversize, long Cobs, long Crc, long Length, long Version, long UnknownType, long Total)
{
    /// <summary>The counters of <paramref name="decoder"/>.</summary>
    public static HilRejectedFrames From(FrameDecoder decoder) => new(decoder.OversizeFrames, decoder.CobsErrors, decoder.CrcErrors,
        decoder.LengthErrors, decoder.VersionErrors, decoder.UnknownTypeFrames, decoder.FramesRejected);
}

/// <summary>Faults injected by the host (a test aid): rates asked for and frames affected in each direction.</summary>
public sealed record HilInjection(double CorruptionRate, double DropRate, long SentCorrupted, long SentDropped, long ReceivedCorrupted, long ReceivedDropped);

/// <summary>The host stopped sending at <paramref name="AfterSeconds"/>; did the device report the lost link, and when.</summary>
/// <param name="AfterSeconds">Time of the cut after the first tick, s (the first SensorReadings not sent was due then).</param>
/// <param name="LastTickSent">The last tick whose SensorReadings went out.</param>
/// <param name="FaultReceived">True when a Fault message arrived after the cut.</param>
/// <param name="FaultReason">Its reason ("link-lost" expected), or null.</param>
/// <param name="FaultAfterMilliseconds">From the cut to the Fault's arrival, ms, or null.</param>
public sealed record HilLinkCut(double AfterSeconds, long LastTickSent, bool FaultReceived, string? FaultReason, double? FaultAfterMilliseconds);
