using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Output;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>How a monitor session ended (summary.json "ending").</summary>
public enum MonitorEnding
{
    /// <summary>Still recording (a summary written while the session runs).</summary>
    Running,

    /// <summary>--duration of rig time was recorded.</summary>
    Duration,

    /// <summary>The excitation asked for ran and the rig stopped.</summary>
    ExcitationDone,

    /// <summary>The user quit (key Q).</summary>
    Quit,

    /// <summary>Ctrl+C or SIGTERM.</summary>
    Interrupted,

    /// <summary>The rig's tick index went back: it restarted, so its rows belong in a new recording.</summary>
    RigRestarted,

    /// <summary>log.csv could not be written.</summary>
    WriteFailed,
}

/// <summary>
/// One `monitor` session: telemetry from a <see cref="RigConnection"/> recorded by a <see cref="RigLogRecorder"/>
/// into log.csv as it arrives; commands (start, stop, reset, excite) sent and retried until acknowledged
/// (200 ms, 10 tries, as PROTOCOL.md's reply timeout); a Hello on each connection to learn the rig's control
/// period and model; summary.json rewritten every few seconds and at the end, so even a killed monitor leaves
/// one; the plots at the end. The receiving thread records; the caller's thread runs <see cref="Poll"/>
/// (commands, retries, end conditions) and reads <see cref="Snapshot"/> for the display.
/// </summary>
public sealed partial class MonitorSession : IRigFrameHandler
{
    /// <summary>A Hello or Command unanswered this long is sent again, s (PROTOCOL.md reply timeout).</summary>
    public const double ReplyTimeoutSeconds = 0.2;

    /// <summary>Tries of a Hello or Command before it is reported unanswered.</summary>
    public const int ReplyTries = 10;

    /// <summary>summary.json is rewritten this often while recording, s.</summary>
    public const double SummaryIntervalSeconds = 5;

    /// <summary>No valid frame for this long counts as a silent link, s (PROTOCOL.md: link timeout otherwise).</summary>
    public const double SilenceSeconds = 0.5;

    /// <summary>Seconds of theta and x the live trace holds.</summary>
    public const double TraceSeconds = 10;

    private readonly object _gate = new();
    private readonly MonitorSettings _settings;
    private readonly RigProfile _profile;
    private readonly Action<string> _say;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _events = new();
    private readonly List<CommandResult> _commands = new();
    private readonly DateTime _startedUtc = DateTime.UtcNow;
    private RigLogRecorder? _recorder;
    private RigConnection? _connection;
    private TelemetryMessage _telemetry;
    private LoopStatisticsMessage _loop;
    private HelloAckMessage _helloAck;
    private AckMessage _ack;
    private FaultMessage _fault;
    private bool _haveTelemetry;
    private bool _haveLoop;
    private bool _haveHelloAck;
    private double _lastFrameSeconds = double.NegativeInfinity;
    private PendingReply? _hello;
    private PendingReply? _command;
    private bool _autoCommandsSent;
    private bool _excitationAccepted;
    private bool _sawExcitation;
    private uint _maxJitterMicroseconds;
    private uint _minFreeMemoryBytes = uint.MaxValue;
    private int _disconnections;
    private double _lastSummarySeconds;
    private string? _writeError;
    private string? _restart;
    private MonitorEnding _ending = MonitorEnding.Running;
    private bool _linkUpAtEnd = true;

    // False from each connection until the HelloAck (or the last unanswered Hello): the link is first-in first-out,
    // so telemetry read before the HelloAck may have waited in a buffer since before the port was opened (a pty
    // keeps what was written while no one listened, an adapter's driver may too). Such rows are stale: a board that
    // restarted since would show as a tick index falling back. They are shown, not recorded.
    private bool _fresh;

    /// <param name="settings">The session.</param>
    /// <param name="profile">The rig profile named by the settings.</param>
    /// <param name="say">Where events go (a line each): the console in plain mode, the dashboard's event list always.</param>
    public MonitorSession(MonitorSettings settings, RigProfile profile, Action<string> say)
    {
        _settings = settings;
        _profile = profile;
        _say = say;
        // The profile's float period to whole microseconds, as the rig's HelloAck carries it (0.02f is 0.0199999996 as a double).
        ControlPeriodSeconds = Math.Round(profile.ControlPeriodSeconds * 1e6) / 1e6;
    }

    /// <summary>The control period rows are timed with, s (the profile's until a HelloAck reports the rig's).</summary>
    public double ControlPeriodSeconds { get; private set; }

    /// <summary>The log file.</summary>
    public string LogPath => Path.Combine(_settings.OutputDirectory, "log.csv");

    /// <summary>The summary file.</summary>
    public string SummaryPath => Path.Combine(_settings.OutputDirectory, "summary.json");

    /// <summary>How the session ended; <see cref="MonitorEnding.Running"/> while it runs.</summary>
    public MonitorEnding Ending
    {
        get
        {
            lock (_gate)
            {
                return _ending;
            }
        }
    }

    /// <summary>Opens the port and starts receiving.</summary>
    /// <exception cref="ArgumentException">The port cannot be opened (the message says why).</exception>
    public void Connect()
    {
        Directory.CreateDirectory(_settings.OutputDirectory);
        _connection = RigConnection.Open(_settings.Port, _settings.BaudRate, this);
    }

    /// <summary>Asks the rig to run <paramref name="command"/> (Excite for <paramref name="durationMilliseconds"/>); replaces a command still waiting for its Ack.</summary>
    public void RequestCommand(DeviceCommand command, uint durationMilliseconds = 0)
    {
        lock (_gate)
        {
            RequestCommandLocked(command, durationMilliseconds);
        }
    }

    /// <summary>Asks the session to end with <paramref name="ending"/> (the next <see cref="Poll"/> returns false).</summary>
    public void End(MonitorEnding ending)
    {
        lock (_gate)
        {
            if (_ending == MonitorEnding.Running)
            {
                _ending = ending;
            }
        }
    }

    /// <summary>
    /// The caller's periodic work (every 50 ms or so): retries, the commands of --start and --excite once
    /// telemetry flows, the end conditions, a vanished port, the periodic summary. Returns false once the
    /// session has ended.
    /// </summary>
    public bool Poll()
    {
        if (Interruption.Requested)
        {
            End(MonitorEnding.Interrupted);
        }

        _connection?.CloseIfVanished();
        lock (_gate)
        {
            double now = _clock.Elapsed.TotalSeconds;
            RetryHello(now);
            RetryCommand(now);
            if (!_autoCommandsSent && _haveTelemetry && (_haveHelloAck || _hello is null))
            {
                _autoCommandsSent = true;
                if (_settings.ExciteSeconds is double excite)
                {
                    RequestCommandLocked(DeviceCommand.Excite, (uint)Math.Round(excite * 1000));
                }
                else if (_settings.Start)
                {
                    RequestCommandLocked(DeviceCommand.Start);
                }
            }

            CheckEnd();
            if (_ending == MonitorEnding.Running && now - _lastSummarySeconds >= SummaryIntervalSeconds)
            {
                _lastSummarySeconds = now;
                WriteSummaryLocked();
            }

            return _ending == MonitorEnding.Running;
        }
    }

    /// <summary>
    /// Ends the session: closes the port, closes log.csv, writes summary.json and the plots.
    /// Returns the paths written.
    /// </summary>
    public string[] Finish()
    {
        End(MonitorEnding.Quit);
        WaitForPendingCommand();
        lock (_gate)
        {
            _linkUpAtEnd = _connection?.IsConnected ?? false;
        }

        _connection?.Dispose();
        lock (_gate)
        {
            _recorder?.Dispose();
            WriteSummaryLocked();
            var written = new List<string> { "summary.json" };
            if (_recorder is not null)
            {
                written.Insert(0, "log.csv");
                written.AddRange(RigPlotWriter.WriteAll(_recorder, _profile, _settings.OutputDirectory));
            }

            return written.ToArray();
        }
    }

    /// <summary>
    /// Gives a command still waiting (the Stop that ends what monitor started) its retries and its Ack before the
    /// port closes: at most <see cref="ReplyTries"/> x <see cref="ReplyTimeoutSeconds"/>, less if the link is down.
    /// </summary>
    private void WaitForPendingCommand()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_command is null || _connection is not { IsConnected: true })
                {
                    return;
                }

                RetryCommand(_clock.Elapsed.TotalSeconds);
            }

            System.Threading.Thread.Sleep(10); // the Ack arrives on the receiving thread
        }
    }

    private void CheckEnd()
    {
        if (_ending != MonitorEnding.Running)
        {
            return;
        }

        if (_writeError is not null)
        {
            _ending = MonitorEnding.WriteFailed;
        }
        else if (_restart is not null)
        {
            _ending = MonitorEnding.RigRestarted;
        }
        else if (_settings.DurationSeconds is double duration && _recorder is { Rows: > 0 } recorder
            && recorder.LastTickIndex!.Value - recorder.FirstTickIndex!.Value + 1 >= Math.Round(duration / ControlPeriodSeconds))
        {
            _ending = MonitorEnding.Duration;
            if (_settings.Start || _settings.ExciteSeconds is not null)
            {
                RequestCommandLocked(DeviceCommand.Stop); // what monitor started ends with it
            }
        }
        else if (_excitationAccepted && _sawExcitation && _settings.DurationSeconds is null && _telemetry.Record.Activity != RigActivity.Excitation)
        {
            _ending = MonitorEnding.ExcitationDone; // the rig ran the excitation (or faulted out of it) and stopped
        }
    }

    /// <summary>An event line: on the console in plain mode, in the dashboard's list.</summary>
    private void Say(string text)
    {
        string line = $"{_clock.Elapsed.TotalSeconds,7:0.0} s  {text}";
        _events.Add(line);
        if (_events.Count > 200)
        {
            _events.RemoveRange(0, 100);
        }

        _say(line);
    }

    private sealed record PendingReply(CommandMessage Message, ushort Sequence, double SentSeconds, int Tries);

    /// <summary>A command and what the rig answered.</summary>
    public sealed record CommandResult(string Command, string Status, double AtSeconds);
}
