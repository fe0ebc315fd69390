using System.Globalization;
using System.IO;
using EmbeddedMpc.HostSim.Hil;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// link.csv of a hardware-in-the-loop run: one row per tick (the rows of log.csv), columns tick,
/// sent_us (when SensorReadings(k) went out, µs after the first), schedule_error_us (real time: how
/// late after t0 + kP; empty in lockstep), latency_us (to MotorCommand(k); empty if it never came),
/// late (1: after the next reading was due), retries (lockstep re-sends), telemetry (1: arrived).
/// </summary>
public static class LinkLogWriter
{
    /// <summary>The header line.</summary>
    public const string Header = "tick,sent_us,schedule_error_us,latency_us,late,retries,telemetry";

    /// <summary>Writes <paramref name="link"/> to <paramref name="writer"/>.</summary>
    public static void Write(HilTickLink[] link, TextWriter writer)
    {
        writer.WriteLine(Header);
        for (int i = 0; i < link.Length; i++)
        {
            HilTickLink row = link[i];
            writer.WriteLine(string.Join(',',
                i.ToString(CultureInfo.InvariantCulture),
                row.SentMicroseconds.ToString("0.0", CultureInfo.InvariantCulture),
                double.IsNaN(row.ScheduleErrorMicroseconds) ? "" : row.ScheduleErrorMicroseconds.ToString("0.0", CultureInfo.InvariantCulture),
                double.IsNaN(row.LatencyMicroseconds) ? "" : row.LatencyMicroseconds.ToString("0.0", CultureInfo.InvariantCulture),
                row.Late ? "1" : "0",
                row.Retries.ToString(CultureInfo.InvariantCulture),
                row.TelemetryReceived ? "1" : "0"));
        }
    }
}
