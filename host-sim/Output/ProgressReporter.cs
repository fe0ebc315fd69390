using System;
using System.Diagnostics;
using System.IO;

namespace EmbeddedMpc.HostSim.Output;

/// <summary>
/// Progress of a long computation on standard error, so that nothing runs for long in silence and
/// standard output keeps only the result. Silent for the first <see cref="SilentSeconds"/> (short runs print
/// nothing); then on a terminal one line rewritten in place at most five times a second, and elsewhere
/// (a log, a pipe) one line per tenth of the work.
/// </summary>
public sealed class ProgressReporter
{
    /// <summary>Wall-clock seconds before the first report: work that ends sooner prints nothing.</summary>
    public const double SilentSeconds = 2.0;

    private readonly string _what;
    private readonly TextWriter _writer;
    private readonly Func<double> _elapsedSeconds;
    private readonly bool _inPlace;
    private readonly Func<double, string> _describe;
    private double _lastReportSeconds = double.NegativeInfinity;
    private int _lastTenth = -1;
    private bool _shown;

    /// <param name="what">What is progressing, e.g. "run".</param>
    /// <param name="writer">Where to report.</param>
    /// <param name="elapsedSeconds">The wall clock since the work started, s.</param>
    /// <param name="inPlace">True to rewrite one line (a terminal), false for a line per tenth.</param>
    /// <param name="describe">Says where the work is, from the value given to <see cref="Report"/> (called only when a line is written).</param>
    public ProgressReporter(string what, TextWriter writer, Func<double> elapsedSeconds, bool inPlace, Func<double, string> describe)
    {
        _describe = describe;
        _what = what;
        _writer = writer;
        _elapsedSeconds = elapsedSeconds;
        _inPlace = inPlace;
    }

    /// <summary>A reporter on standard error, in place when standard error is a terminal, timed from now.</summary>
    public static ProgressReporter OnStandardError(string what, Func<double, string> describe)
    {
        var stopwatch = Stopwatch.StartNew();
        return new ProgressReporter(what, Console.Error, () => stopwatch.Elapsed.TotalSeconds, !Console.IsErrorRedirected, describe);
    }

    /// <summary>Reports where the work is: <paramref name="value"/> is passed to the description; its fraction done is <paramref name="value"/> clamped to [0, 1].</summary>
    public void Report(double value)
    {
        double fraction = value;
        double now = _elapsedSeconds();
        if (now < SilentSeconds)
        {
            return;
        }

        int tenth = (int)Math.Floor(Math.Clamp(fraction, 0, 1) * 10);
        if (_inPlace ? now - _lastReportSeconds < 0.2 : tenth <= _lastTenth)
        {
            return;
        }

        string line = $"{_what}: {Math.Clamp(fraction, 0, 1) * 100:0} % ({_describe(value)}, {now:0} s)";
        if (_inPlace)
        {
            _writer.Write("\r" + line + "\u001b[K");
        }
        else
        {
            _writer.WriteLine(line);
        }

        _writer.Flush();
        _lastReportSeconds = now;
        _lastTenth = tenth;
        _shown = true;
    }

    /// <summary>Ends the report: clears the in-place line.</summary>
    public void Finish()
    {
        if (_shown && _inPlace)
        {
            _writer.Write("\r\u001b[K");
            _writer.Flush();
        }
    }
}
