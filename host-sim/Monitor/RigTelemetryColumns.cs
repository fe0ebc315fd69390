using System.Globalization;
using System.Text;
using EmbeddedMpc.Core.Control;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>
/// The columns of a rig's log.csv after those of `run`: what only a rig's Telemetry carries (PROTOCOL.md,
/// Telemetry), as the rig sent it. cart_count and pole_count: raw encoder counts (low 32 bits);
/// negative_limit, positive_limit, emergency_stop, button: 1 when tripped or pressed (a cut wire reads 1);
/// activity: what the rig was asked to do (none, control, excitation); tick_period_us: measured time since
/// the previous tick's start (0 when not measured); jitter_us: this tick's start minus its due time;
/// free_memory_bytes: free managed heap at the last measurement (-1 when the rig cannot tell); model_id: the
/// rig model the controller runs (8 hex digits).
/// </summary>
public static class RigTelemetryColumns
{
    /// <summary>The column names, in order.</summary>
    public static readonly string[] Names =
    [
        "cart_count", "pole_count", "negative_limit", "positive_limit", "emergency_stop", "button",
        "activity", "tick_period_us", "jitter_us", "free_memory_bytes", "model_id",
    ];

    /// <summary>The values of <see cref="Names"/> for <paramref name="record"/>, comma-separated.</summary>
    public static string Format(ref TelemetryRecord record)
    {
        var line = new StringBuilder(96);
        line.Append(record.CartCount.ToString(CultureInfo.InvariantCulture)).Append(',');
        line.Append(record.PoleCount.ToString(CultureInfo.InvariantCulture)).Append(',');
        line.Append(Bit(record.Inputs, TelemetryInputs.NegativeLimit)).Append(',');
        line.Append(Bit(record.Inputs, TelemetryInputs.PositiveLimit)).Append(',');
        line.Append(Bit(record.Inputs, TelemetryInputs.EmergencyStop)).Append(',');
        line.Append(Bit(record.Inputs, TelemetryInputs.Button)).Append(',');
        line.Append(ActivityName(record.Activity)).Append(',');
        line.Append(record.TickPeriodMicroseconds.ToString(CultureInfo.InvariantCulture)).Append(',');
        line.Append(record.JitterMicroseconds.ToString(CultureInfo.InvariantCulture)).Append(',');
        line.Append(record.FreeMemoryBytes.ToString(CultureInfo.InvariantCulture)).Append(',');
        line.Append(record.ModelId.ToString("x8", CultureInfo.InvariantCulture));
        return line.ToString();
    }

    /// <summary>The lower-case name of an activity, as log.csv and the summary write it.</summary>
    public static string ActivityName(RigActivity activity) => activity switch
    {
        RigActivity.None => "none",
        RigActivity.Control => "control",
        RigActivity.Excitation => "excitation",
        _ => "unknown",
    };

    /// <summary>The lower-case name of a model source.</summary>
    public static string ModelSourceName(ModelSource source) => source switch
    {
        ModelSource.BuiltIn => "built-in",
        ModelSource.Stored => "stored",
        ModelSource.BuiltInStoredCorrupt => "built-in (stored model unreadable)",
        ModelSource.Unsaved => "sent, not stored",
        _ => "unknown",
    };

    private static char Bit(byte inputs, byte mask) => (inputs & mask) != 0 ? '1' : '0';
}
