using System;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>
/// summary.json of a `monitor` session (camelCase): how it ended, what was recorded (rows, ticks, the
/// gaps where ticks never arrived), the link (connections, frames, CRC errors), what the rig did (modes,
/// faults, planning time and overruns, its loop's jitter and free memory) and the commands sent with the
/// rig's answers. Written every few seconds while recording (ending "running") and at the end.
/// </summary>
public sealed record MonitorSummary(
    string Command,
    string Ending,
    string? EndingDetail,
    string Port,
    int BaudRate,
    string Profile,
    double ControlPeriodSeconds,
    string ControlPeriodSource,
    string? Firmware,
    string? ModelId,
    string? ModelSource,
    DateTime StartedUtc,
    DateTime WrittenUtc,
    int Rows,
    long? FirstTickIndex,
    long? LastTickIndex,
    double RecordedSeconds,
    int Gaps,
    long MissingTicks,
    int DuplicateTicks,
    int Connections,
    int Disconnections,
    long FramesAccepted,
    long FramesRejected,
    long CrcErrors,
    long VersionErrors,
    string[] Modes,
    string[] Faults,
    double PlanningMicrosecondsMedian,
    double PlanningMicrosecondsP99,
    int PlanningOverruns,
    int LongestOverrunStreak,
    long? LoopOverruns,
    long? LoopSkippedPeriods,
    long? MaxJitterMicroseconds,
    long? MinFreeMemoryBytes,
    MonitorSession.CommandResult[] Commands)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The summary as indented camelCase JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a summary written by <see cref="ToJson"/>.</summary>
    public static MonitorSummary? FromJson(string json) => JsonSerializer.Deserialize<MonitorSummary>(json, Options);

    /// <summary>Writes the summary to <paramref name="path"/> through a temporary file, so a reader never sees half of it.</summary>
    /// <exception cref="IOException">It cannot be written.</exception>
    public void WriteTo(string path)
    {
        string temporary = path + ".tmp";
        File.WriteAllText(temporary, ToJson() + "\n", new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}
