using System;
using System.Globalization;
using System.IO;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Output;

namespace EmbeddedMpc.HostSim.Monitor;

/// <summary>The receiving side of a session: what each frame does, and the Hello and Command exchanges.</summary>
public sealed partial class MonitorSession
{
    /// <summary>The Hello flags monitor asks for: Telemetry only (what a rig streams before any Hello anyway).</summary>
    public const uint HelloFlags = HelloMessage.FlagSendTelemetry;

    /// <summary>FNV-1a of "embeddedmpc-monitor": tells the rig's log which host program connected.</summary>
    public static readonly uint ClientId = Fnv1a("embeddedmpc-monitor");

    /// <inheritdoc/>
    public void OnConnected(int connection)
    {
        lock (_gate)
        {
            Say(connection == 1 ? $"connected to {_settings.Port} at {_settings.BaudRate} baud" : $"connected again to {_settings.Port} (connection {connection})");
            _hello = new PendingReply(default, 0, double.NegativeInfinity, 0);
            _haveHelloAck = false;
            _fresh = false;
            RetryHello(_clock.Elapsed.TotalSeconds);
        }
    }

    /// <inheritdoc/>
    public void OnDisconnected(string reason)
    {
        lock (_gate)
        {
            _disconnections++;
            Say($"link lost: {reason}; trying again every {RigConnection.ReconnectIntervalSeconds:0.#} s (the rig runs on without the PC)");
        }
    }

    /// <inheritdoc/>
    public void OnFrame(FrameDecoder decoder)
    {
        lock (_gate)
        {
            _lastFrameSeconds = _clock.Elapsed.TotalSeconds;
            switch (decoder.MessageType)
            {
                case MessageType.Telemetry:
                    _telemetry.Read(decoder.Frame, FrameLayout.PayloadOffset);
                    OnTelemetry();
                    break;
                case MessageType.LoopStatistics:
                    _loop.Read(decoder.Frame, FrameLayout.PayloadOffset);
                    _haveLoop = true;
                    _maxJitterMicroseconds = Math.Max(_maxJitterMicroseconds, _loop.MaxJitterMicroseconds);
                    if (_loop.FreeMemoryBytes > 0)
                    {
                        _minFreeMemoryBytes = Math.Min(_minFreeMemoryBytes, _loop.FreeMemoryBytes);
                    }

                    break;
                case MessageType.HelloAck:
                    _helloAck.Read(decoder.Frame, FrameLayout.PayloadOffset);
                    OnHelloAck();
                    break;
                case MessageType.Ack:
                    _ack.Read(decoder.Frame, FrameLayout.PayloadOffset);
                    OnAck();
                    break;
                case MessageType.Fault:
                    _fault.Read(decoder.Frame, FrameLayout.PayloadOffset);
                    Say($"fault at tick {_fault.TickIndex}: {ModeNames.Of(_fault.Reason)}");
                    break;
            }
        }
    }

    private void OnTelemetry()
    {
        _haveTelemetry = true;
        if (_telemetry.Record.Activity == RigActivity.Excitation)
        {
            _sawExcitation = true;
        }

        if (_ending != MonitorEnding.Running || _writeError is not null || _restart is not null || !_fresh)
        {
            return;
        }

        try
        {
            _recorder ??= new RigLogRecorder(LogPath, ControlPeriodSeconds, RigTelemetryColumns.Names);
            uint? last = _recorder.LastTickIndex;
            switch (_recorder.Record(ref _telemetry.Record, RigTelemetryColumns.Format(ref _telemetry.Record)))
            {
                case RecordOutcome.WrittenAfterGap:
                    Say($"gap: ticks {last + 1} to {_telemetry.Record.TickIndex - 1} never arrived");
                    break;
                case RecordOutcome.RigRestarted:
                    _restart = $"the rig's tick index fell from {last} to {_telemetry.Record.TickIndex}: it restarted; start a new recording";
                    Say(_restart);
                    break;
            }

            CheckEnd(); // here, not only in Poll: a row after --duration's last tick is never written
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            _writeError = $"cannot write {LogPath}: {error.Message}";
            Say(_writeError);
        }
    }

    private void OnHelloAck()
    {
        _haveHelloAck = true;
        _fresh = true;
        _hello = null;
        double period = _helloAck.ControlPeriodMicroseconds / 1e6;
        Say($"rig answers: protocol {_helloAck.ProtocolVersion}, firmware {_helloAck.FirmwareMajor}.{_helloAck.FirmwareMinor}.{_helloAck.FirmwarePatch}, control period {_helloAck.ControlPeriodMicroseconds / 1000.0:0.###} ms, model {_helloAck.ModelId:x8} ({RigTelemetryColumns.ModelSourceName(_helloAck.ModelSource)})");
        if (Math.Abs(period - ControlPeriodSeconds) > 1e-9 && period > 0 && period <= 1)
        {
            if (_recorder is null)
            {
                ControlPeriodSeconds = period;
            }
            else
            {
                Say($"warning: log.csv is timed with {ControlPeriodSeconds * 1000:0.###} ms per tick (--profile {_settings.ProfileName}); the rig reports {period * 1000:0.###} ms");
            }
        }
    }

    private void OnAck()
    {
        if (_ack.AcknowledgedType != MessageType.Command || _command is null || _ack.AcknowledgedSequence != _command.Sequence)
        {
            return;
        }

        string name = CommandName(_command.Message.Command);
        string status = AckText.Describe(_ack.Status, _ack.Detail, _ack.Limit);
        _commands.Add(new CommandResult(name, status, _clock.Elapsed.TotalSeconds));
        if (_ack.Status == AckStatus.Accepted && _command.Message.Command == DeviceCommand.Excite)
        {
            _excitationAccepted = true;
            _sawExcitation = false;
        }

        Say(_ack.Status == AckStatus.Accepted ? $"{name}: accepted" : $"{name}: refused, {status}" + (_ack.Status == AckStatus.WrongMode ? " (in Fault: reset first, key R)" : ""));
        _command = null;
    }

    private void RequestCommandLocked(DeviceCommand command, uint durationMilliseconds = 0)
    {
        _command = new PendingReply(new CommandMessage { Command = command, DurationMilliseconds = durationMilliseconds }, 0, double.NegativeInfinity, 0);
        RetryCommand(_clock.Elapsed.TotalSeconds);
    }

    private void RetryCommand(double now)
    {
        if (_command is null || now - _command.SentSeconds < ReplyTimeoutSeconds)
        {
            return;
        }

        if (_command.Tries >= ReplyTries)
        {
            string name = CommandName(_command.Message.Command);
            _commands.Add(new CommandResult(name, "unanswered", now));
            Say($"{name}: no answer after {ReplyTries} tries");
            _command = null;
            return;
        }

        CommandMessage message = _command.Message;
        ushort? sequence = _connection?.Send(ref message);
        if (sequence is ushort sent)
        {
            _command = _command with { Sequence = sent, SentSeconds = now, Tries = _command.Tries + 1 };
        }
    }

    private void RetryHello(double now)
    {
        if (_hello is null || now - _hello.SentSeconds < ReplyTimeoutSeconds)
        {
            return;
        }

        if (_hello.Tries >= ReplyTries)
        {
            Say($"no HelloAck after {ReplyTries} Hellos; rows are timed with --profile {_settings.ProfileName}'s {ControlPeriodSeconds * 1000:0.###} ms per tick");
            _hello = null;
            _fresh = true;
            return;
        }

        var hello = new HelloMessage { ProtocolVersion = FrameLayout.ProtocolVersion, ClientId = ClientId, Flags = HelloFlags };
        if (_connection?.Send(ref hello) is not null)
        {
            _hello = _hello with { SentSeconds = now, Tries = _hello.Tries + 1 };
        }
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }

    /// <summary>The lower-case name of a command, as the summary and the events write it.</summary>
    public static string CommandName(DeviceCommand command) => command.ToString().ToLower(CultureInfo.InvariantCulture);
}
