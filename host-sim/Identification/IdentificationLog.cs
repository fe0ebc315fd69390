using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace EmbeddedMpc.HostSim.Identification;

/// <summary>
/// The columns of a log.csv (<see cref="Output.CsvLogWriter"/>) that identification uses: what a real
/// rig has. The true-state columns are ignored (a rig has none); velocities are recomputed from the
/// estimated positions (the logged estimated velocities are lagged by the estimator's filter).
/// Only rows in which the controller drove the rig after homing (mode swingup or balance) are kept,
/// as segments of consecutive such rows.
/// </summary>
public sealed class IdentificationLog
{
    /// <summary>The columns read: time, mode, estimated cart position and pole angle, and the duty sent.</summary>
    public static readonly string[] RequiredColumns = ["time_s", "mode", "est_x_m", "est_theta_rad", "duty"];

    /// <summary>The supervisor modes whose rows are used.</summary>
    public static readonly string[] UsedModes = ["swingup", "balance"];

    /// <param name="source">Where the log came from (its path).</param>
    /// <param name="periodSeconds">The control period (median time step), s.</param>
    /// <param name="segments">Runs of consecutive usable rows.</param>
    public IdentificationLog(string source, double periodSeconds, IReadOnlyList<LogSegment> segments)
    {
        Source = source;
        PeriodSeconds = periodSeconds;
        Segments = segments;
    }

    /// <summary>The log's path.</summary>
    public string Source { get; }

    /// <summary>Control period, s.</summary>
    public double PeriodSeconds { get; }

    /// <summary>Runs of consecutive usable rows (mode swingup or balance, uniform time step).</summary>
    public IReadOnlyList<LogSegment> Segments { get; }

    /// <summary>Usable rows over all segments.</summary>
    public int UsableRows
    {
        get
        {
            int rows = 0;
            foreach (LogSegment segment in Segments)
            {
                rows += segment.Count;
            }

            return rows;
        }
    }

    /// <summary>Reads a log.csv.</summary>
    /// <exception cref="ArgumentException">
    /// The file cannot be read, lacks a required column, has a row with a missing or non-finite value
    /// or a time that does not increase (the message names the file, the row and the column).
    /// </exception>
    public static IdentificationLog Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read the log '{path}': {error.Message}");
        }

        return Parse(lines, path);
    }

    /// <summary>Parses the lines of a log.csv; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="ArgumentException">See <see cref="Read"/>.</exception>
    public static IdentificationLog Parse(IReadOnlyList<string> lines, string source)
    {
        string accepted = $"accepted: a log.csv written by `run`, `hil` or `monitor` (columns {string.Join(", ", RequiredColumns)} are needed)";
        if (lines.Count == 0)
        {
            throw new ArgumentException($"{source}: the file is empty; {accepted}.");
        }

        string[] header = lines[0].Split(',');
        var index = new int[RequiredColumns.Length];
        for (int c = 0; c < RequiredColumns.Length; c++)
        {
            index[c] = Array.IndexOf(header, RequiredColumns[c]);
            if (index[c] < 0)
            {
                throw new ArgumentException($"{source}: missing column '{RequiredColumns[c]}' in the header; {accepted}.");
            }
        }

        var time = new List<double>(lines.Count);
        var used = new List<bool>(lines.Count);
        var x = new List<double>(lines.Count);
        var theta = new List<double>(lines.Count);
        var duty = new List<double>(lines.Count);
        for (int row = 1; row < lines.Count; row++)
        {
            if (lines[row].Length == 0)
            {
                continue;
            }

            string[] fields = lines[row].Split(',');
            if (fields.Length != header.Length)
            {
                throw new ArgumentException($"{source}: row {row} (line {row + 1}) has {fields.Length} fields, the header {header.Length}.");
            }

            string mode = fields[index[1]];
            time.Add(Value(fields, index, 0, row, source));
            bool isUsed = Array.IndexOf(UsedModes, mode) >= 0;
            used.Add(isUsed);
            // Positions and duty are required finite only where they are used: a HIL log has NaN estimates
            // in ticks whose telemetry never came, and such a tick in the middle of the data is an error.
            x.Add(isUsed ? Value(fields, index, 2, row, source) : double.NaN);
            theta.Add(isUsed ? Value(fields, index, 3, row, source) : double.NaN);
            duty.Add(isUsed ? Value(fields, index, 4, row, source) : double.NaN);
            if (time.Count > 1 && !(time[^1] > time[^2]))
            {
                throw new ArgumentException($"{source}: row {row}, column 'time_s': time {time[^1].ToString(CultureInfo.InvariantCulture)} s does not increase.");
            }
        }

        if (time.Count < 2)
        {
            throw new ArgumentException($"{source}: the log has {time.Count} data row(s); {accepted}.");
        }

        var steps = new double[time.Count - 1];
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i] = time[i + 1] - time[i];
        }

        Array.Sort(steps);
        double period = steps[steps.Length / 2];
        var segments = new List<LogSegment>();
        int start = -1;
        for (int i = 0; i <= time.Count; i++)
        {
            bool continues = i < time.Count && used[i] && (start < 0 || Math.Abs(time[i] - time[i - 1] - period) <= 0.01 * period);
            if (start >= 0 && !continues)
            {
                segments.Add(new LogSegment(source, start + 1, x.GetRange(start, i - start).ToArray(), theta.GetRange(start, i - start).ToArray(), duty.GetRange(start, i - start).ToArray()));
                start = -1;
            }

            if (start < 0 && i < time.Count && used[i])
            {
                start = i;
            }
        }

        return new IdentificationLog(source, period, segments);
    }

    private static double Value(string[] fields, int[] index, int required, int row, string source)
    {
        string text = fields[index[required]];
        string where = $"{source}: row {row}, column '{RequiredColumns[required]}'";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new ArgumentException($"{where}: '{text}' is not a number.");
        }

        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{where}: '{text}' is not a finite number; identification needs finite values in every row it uses (modes {string.Join(", ", UsedModes)}).");
        }

        return value;
    }
}

/// <summary>A run of consecutive usable rows of one log, one control period apart.</summary>
/// <param name="Source">The log's path.</param>
/// <param name="FirstRow">Data row number (1-based, the header is row 0) of the first sample.</param>
/// <param name="X">Estimated cart position, m.</param>
/// <param name="Theta">Estimated pole angle, rad (0 upright, not wrapped).</param>
/// <param name="Duty">Signed duty sent during the period that starts at each sample.</param>
public sealed record LogSegment(string Source, int FirstRow, double[] X, double[] Theta, double[] Duty)
{
    /// <summary>Samples in the segment.</summary>
    public int Count => X.Length;

    /// <summary>The first <paramref name="count"/> samples starting at <paramref name="start"/>.</summary>
    public LogSegment Slice(int start, int count) =>
        new(Source, FirstRow + start, X[start..(start + count)], Theta[start..(start + count)], Duty[start..(start + count)]);
}
