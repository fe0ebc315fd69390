using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Output;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>What <see cref="RigLogRecorder.Record"/> did with a telemetry record.</summary>
public enum RecordOutcome
{
    /// <summary>Written as the next row.</summary>
    Written,

    /// <summary>Written after a gap: ticks between the previous row and this one never arrived.</summary>
    WrittenAfterGap,

    /// <summary>Not written: the tick index repeats the last row's (the same tick sent twice).</summary>
    Duplicate,

    /// <summary>Not written: the tick index went back, so the rig restarted (its tick index counts from power-on).</summary>
    RigRestarted,
}

/// <summary>
/// log.csv of a real (or virtual) rig, written row by row as telemetry arrives: the columns of `run`
/// (<see cref="CsvLogWriter"/>; the true-state columns and theta_wrapped_rad empty, since a rig has no
/// true state), then the columns only telemetry from a rig carries, if any.
/// time_s is the tick index times the control period (time since the rig's power-on, as in `run`).
/// Each row is handed to the operating system whole, with its line end, as soon as it is recorded, so a
/// monitor that dies (cable pulled, Ctrl+C, a crash) leaves every received row and never a partial line.
/// Lost ticks are never filled in: they show as a jump of time_s (counted in <see cref="Gaps"/> and
/// <see cref="MissingTicks"/>), which `identify` treats as the end of one segment and the start of the next.
/// Keeps the recorded columns in memory too, for the plots and the summary at the end.
/// </summary>
public sealed class RigLogRecorder : IDisposable
{
    private readonly StreamWriter _writer;
    private readonly StringBuilder _line = new(320);
    private readonly string[] _extraColumns;
    private bool _any;
    private uint _lastTick;

    /// <summary>Creates <paramref name="path"/> (which must not exist) and writes the header.</summary>
    /// <param name="path">The log file.</param>
    /// <param name="controlPeriodSeconds">The rig's control period, s; (0, 1].</param>
    /// <param name="extraColumns">Names of the columns after those of `run`; none when empty.</param>
    /// <exception cref="ArgumentException">The period is out of range.</exception>
    /// <exception cref="IOException">The file exists or cannot be created.</exception>
    public RigLogRecorder(string path, double controlPeriodSeconds, string[] extraColumns)
    {
        if (!(controlPeriodSeconds > 0 && controlPeriodSeconds <= 1))
        {
            throw new ArgumentException($"controlPeriodSeconds must be in (0, 1] s; got {controlPeriodSeconds}.", nameof(controlPeriodSeconds));
        }

        Path = path;
        ControlPeriodSeconds = controlPeriodSeconds;
        _extraColumns = extraColumns;
        // CreateNew: a recording never replaces an earlier one. FileShare.Read lets `identify` or a plot
        // read the log while it grows.
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 4096) { AutoFlush = false, NewLine = "\n" };
        string header = extraColumns.Length == 0 ? CsvLogWriter.Header : CsvLogWriter.Header + "," + string.Join(",", extraColumns);
        _writer.Write(header + "\n");
        _writer.Flush();
    }

    /// <summary>The log file.</summary>
    public string Path { get; }

    /// <summary>The control period the times are computed with, s.</summary>
    public double ControlPeriodSeconds { get; }

    /// <summary>Data rows written.</summary>
    public int Rows => TickIndex.Count;

    /// <summary>Places where ticks are missing between two rows.</summary>
    public int Gaps { get; private set; }

    /// <summary>Ticks missing between the first and the last row.</summary>
    public long MissingTicks { get; private set; }

    /// <summary>Records not written because they repeated the last tick.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Ticks whose planner overran (OverrunStreak above 0).</summary>
    public int OverrunTicks { get; private set; }

    /// <summary>The longest overrun streak seen.</summary>
    public int LongestOverrunStreak { get; private set; }

    /// <summary>The supervisor modes in the order they appeared (consecutive repeats merged).</summary>
    public List<SupervisorMode> Modes { get; } = new();

    /// <summary>Fault reasons in the order they appeared (each entry into Fault once).</summary>
    public List<FaultReason> Faults { get; } = new();

    /// <summary>Recorded tick indices, one per row.</summary>
    public List<uint> TickIndex { get; } = new();

    /// <summary>Recorded rows' time_s.</summary>
    public List<double> TimeSeconds { get; } = new();

    /// <summary>Recorded supervisor modes.</summary>
    public List<SupervisorMode> Mode { get; } = new();

    /// <summary>Recorded estimated cart position, m.</summary>
    public List<float> X { get; } = new();

    /// <summary>Recorded estimated pole angle, rad (not wrapped).</summary>
    public List<float> Theta { get; } = new();

    /// <summary>Recorded estimated pole angular velocity, rad/s.</summary>
    public List<float> ThetaDot { get; } = new();

    /// <summary>Recorded normalized command.</summary>
    public List<float> Command { get; } = new();

    /// <summary>Recorded signed duty.</summary>
    public List<float> Duty { get; } = new();

    /// <summary>Recorded planning time on the rig, µs.</summary>
    public List<int> PlanningMicroseconds { get; } = new();

    /// <summary>The tick index of the last row; null before the first.</summary>
    public uint? LastTickIndex => _any ? _lastTick : null;

    /// <summary>The tick index of the first row; null before it.</summary>
    public uint? FirstTickIndex => _any ? TickIndex[0] : null;

    /// <summary>
    /// Writes <paramref name="record"/> as the next row (with <paramref name="extraFields"/>, the values
    /// of the extra columns, comma-separated) unless it repeats or precedes the last row's tick.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="extraFields"/> does not have one value per extra column.</exception>
    /// <exception cref="IOException">The row cannot be written.</exception>
    public RecordOutcome Record(ref TelemetryRecord record, string extraFields)
    {
        int fields = extraFields.Length == 0 ? 0 : extraFields.Split(',').Length;
        if (fields != _extraColumns.Length)
        {
            throw new ArgumentException($"extraFields has {fields} values; the log has {_extraColumns.Length} extra columns.", nameof(extraFields));
        }

        RecordOutcome outcome = RecordOutcome.Written;
        if (_any)
        {
            if (record.TickIndex == _lastTick)
            {
                Duplicates++;
                return RecordOutcome.Duplicate;
            }

            if (record.TickIndex < _lastTick)
            {
                return RecordOutcome.RigRestarted;
            }

            if (record.TickIndex > _lastTick + 1)
            {
                Gaps++;
                MissingTicks += record.TickIndex - _lastTick - 1;
                outcome = RecordOutcome.WrittenAfterGap;
            }
        }

        double time = record.TickIndex * ControlPeriodSeconds;
        _line.Clear();
        CsvLogWriter.AppendRow(_line, time, null, ref record);
        if (_extraColumns.Length > 0)
        {
            _line.Append(',').Append(extraFields);
        }

        _line.Append('\n');
        _writer.Write(_line);
        _writer.Flush(); // one write of the whole row: what is on disk always ends with a line end
        Remember(ref record, time);
        return outcome;
    }

    private void Remember(ref TelemetryRecord record, double time)
    {
        if (Modes.Count == 0 || Modes[^1] != record.Mode)
        {
            Modes.Add(record.Mode);
            if (record.Mode == SupervisorMode.Fault)
            {
                Faults.Add(record.Fault);
            }
        }

        if (record.OverrunStreak > 0)
        {
            OverrunTicks++;
            LongestOverrunStreak = Math.Max(LongestOverrunStreak, record.OverrunStreak);
        }

        _any = true;
        _lastTick = record.TickIndex;
        TickIndex.Add(record.TickIndex);
        TimeSeconds.Add(time);
        Mode.Add(record.Mode);
        X.Add(record.State.X);
        Theta.Add(record.State.Theta);
        ThetaDot.Add(record.State.ThetaDot);
        Command.Add(record.Command);
        Duty.Add(record.Duty);
        PlanningMicroseconds.Add(record.PlanningMicroseconds);
    }

    /// <summary>Flushes and closes the log.</summary>
    public void Dispose() => _writer.Dispose();

    /// <summary>The value of a float field as log.csv writes it (round-trip, invariant culture).</summary>
    public static string Format(float value) => value.ToString("R", CultureInfo.InvariantCulture);
}
