using EmbeddedMpc.HostSim.Hil;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>What `monitor` was asked to do (checked by the command before a session starts).</summary>
public sealed record MonitorSettings
{
    /// <summary>The rig's serial port.</summary>
    public required string Port { get; init; }

    /// <summary>Line speed, baud.</summary>
    public int BaudRate { get; init; } = HilDefaults.BaudRate;

    /// <summary>Where log.csv, summary.json and the plots go.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>The rig profile whose control period times the rows until the rig's HelloAck reports its own, and whose track the plots show.</summary>
    public required string ProfileName { get; init; }

    /// <summary>Send Start once connected.</summary>
    public bool Start { get; init; }

    /// <summary>Send Excite for this long once connected, s; null for none.</summary>
    public double? ExciteSeconds { get; init; }

    /// <summary>Stop recording this long after the first row, s; null to record until quit, Ctrl+C, or the end of an excitation.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>A live dashboard with keys (a terminal); false for plain lines (CI, a pipe, a log file).</summary>
    public bool Interactive { get; init; }
}
