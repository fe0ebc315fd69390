using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>What the virtual device runs: its port, its built-in controller choices and when to stop.</summary>
public sealed class VirtualDeviceSettings
{
    public string Port { get; init; } = "";

    public int BaudRate { get; init; } = HilDefaults.BaudRate;

    /// <summary>Planner kind, task, profile (drive model, switch offsets, defaults), homed or not; sizes and seed until a Configuration arrives.</summary>
    public RunSettings Controller { get; init; } = new();

    /// <summary>Stop after this many control ticks; null: no limit.</summary>
    public long? MaxTicks { get; init; }

    /// <summary>Stop after this many seconds of wall-clock time; null: no limit.</summary>
    public double? MaxSeconds { get; init; }
}

/// <summary>
/// A virtual HIL device: the Core's <see cref="ControlLoop"/> behind the serial link, run the way the
/// firmware's HIL mode runs it (PROTOCOL.md). The controller is built by <see cref="ControlStackBuilder"/>
/// like the simulator's, with <see cref="LinkSensors"/> (the latest SensorReadings) and
/// <see cref="LinkMotorDriver"/> as its hardware.
/// </summary>
/// <remarks>
/// <para>Threads: the caller's thread reads the port and handles each accepted frame at once; a
/// SensorReadings frame runs one control tick and its answer (MotorCommand, then TickStatistics and
/// Telemetry as the Hello asked) leaves in one write. A watchdog thread wakes every millisecond to
/// apply the link-loss rule and send Heartbeats. Both take one lock, so a tick and the watchdog never
/// interleave.</para>
/// <para>Link loss: while the motor may run (Homing, SwingUp, Balance), no valid SensorReadings for two
/// control periods in real time (no valid frame for 1 s in lockstep) sets the duty to 0 at once, puts
/// the supervisor in Fault with reason LinkLost and sends Fault. (Bytes that have arrived but that the
/// receiving thread has not read yet, on a busy PC, postpone the decision until they are read.) Motor off, 500 ms without a valid
/// frame means the host is gone (logged). Heartbeat after 100 ms without sending, while a host is there.</para>
/// <para>Hello: treated as a power-on of the rig behind the link: the controller is rebuilt (not homed
/// unless <c>--homed</c>), keeping the last configuration. Configuration (Idle, Ready or Fault only) is
/// applied whole through <see cref="HilConfiguration"/> or not at all. Commands act like the firmware's:
/// Start (refused in Fault) sets AutoStart and requests a start, Stop and Reset clear AutoStart.</para>
/// <para>A SensorReadings with the TickIndex of the last tick handled is a host's retry (lockstep): the
/// device sends that tick's answer again without running the tick again. An older TickIndex is stale and
/// ignored; a jump counts the readings missed, and the tick runs on the newest reading.</para>
/// </remarks>
public sealed class VirtualDevice : IDisposable
{
    /// <summary>Firmware version the virtual device reports in HelloAck: major.</summary>
    public const byte VersionMajor = 0;

    /// <summary>Firmware version: minor.</summary>
    public const byte VersionMinor = 1;

    /// <summary>Firmware version: patch.</summary>
    public const ushort VersionPatch = 0;

    private const uint SupportedFlags = HelloMessage.FlagLockstep | HelloMessage.FlagSendTickStatistics | HelloMessage.FlagSendTelemetry;

    private readonly VirtualDeviceSettings _settings;
    private readonly TextWriter _log;
    private readonly SerialLink _link;
    private readonly object _sync = new();
    private readonly LinkSensors _sensors = new();
    private readonly LinkMotorDriver _motor = new();
    private readonly StopwatchClock _clock = new();
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly RigProfile _baseProfile;
    private readonly DeviceReportBuilder _report;
    private readonly List<double> _planningMicroseconds = new();

    private RigProfile _profile;
    private RunSettings _controller;
    private ControlStack _stack;
    private TelemetryRecord _record;
    private MotorCommandMessage _motorCommand;
    private TickStatisticsMessage _tickStatistics;
    private TelemetryMessage _telemetry;
    private uint _sessionFlags;
    private bool _sessionOpen;
    private bool _hostPresent;
    private bool _hasTicked;
    private uint _lastTickIndex;
    private SupervisorMode _lastMode;
    private long _lastReadingTimestamp;
    private long _lastValidFrameTimestamp;
    private long _ticksRun;
    private long _allocatedBytes;
    private long _allocationTicks;
    private volatile bool _stopRequested;
    private string _endReason = "";

    /// <summary>Opens the port and builds the controller as at power-on.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, or the port cannot be opened.</exception>
    public VirtualDevice(VirtualDeviceSettings settings, TextWriter log)
    {
        _settings = settings;
        _log = log;
        _baseProfile = settings.Controller.ResolveProfile();
        if (!ControlStackBuilder.HasEncoders(_baseProfile))
        {
            throw new ArgumentException($"--profile {_baseProfile.Name} measures the state exactly; the serial protocol carries encoder counts: use {RigProfiles.Esp32RigName} or {RigProfiles.QuanserIp02Name}.");
        }

        _profile = _baseProfile;
        _controller = settings.Controller;
        _stack = Build(_controller, _profile);
        _report = new DeviceReportBuilder(settings);
        _link = SerialLink.Open(settings.Port, settings.BaudRate);
    }

    /// <summary>Asks <see cref="Run"/> to return (from any thread, e.g. a signal handler).</summary>
    public void RequestStop(string reason)
    {
        if (!_stopRequested)
        {
            _endReason = reason;
            _stopRequested = true;
        }
    }

    /// <summary>Serves the link until the port closes, a limit is reached or <see cref="RequestStop"/>; returns the report.</summary>
    public DeviceReport Run()
    {
        var watchdog = new Thread(Watchdog) { IsBackground = true, Name = "hil-device-watchdog", Priority = ThreadPriority.AboveNormal };
        watchdog.Start();
        _log.WriteLine($"device: listening on {_settings.Port} at {_settings.BaudRate} baud ({Describe()})");
        _log.Flush();
        while (!_stopRequested)
        {
            if (!_link.Receive(HandleFrame))
            {
                RequestStop("port closed");
                break;
            }

            if (_settings.MaxSeconds is double seconds && Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds >= seconds)
            {
                RequestStop("--seconds reached");
            }
        }

        watchdog.Join();
        lock (_sync)
        {
            _motor.SetDuty(0f);
            DeviceReport report = _report.Finish(_endReason, _link, _ticksRun,
                _allocationTicks > 0 ? _allocatedBytes / (double)_allocationTicks : null,
                _planningMicroseconds.Count > 0 ? RunMetrics.Percentile(_planningMicroseconds.ToArray(), 0.5) : null);
            _log.WriteLine($"device: stopped ({_endReason}) after {_ticksRun} ticks; frames accepted {report.FramesAccepted}, rejected {report.FramesRejected.Total}, readings missed {report.ReadingsMissed}, link losses {report.LinkLosses.Length}");
            _log.Flush();
            return report;
        }
    }

    public void Dispose() => _link.Dispose();

    private string Describe() =>
        $"{_profile.Name}, {_controller.Planner}, {RunSettings.TaskName(_controller.Task)}, {(StartsHomed ? "homed" : "not homed")}";

    // As `run`: homed if asked, and always for a balance task (homing needs the pole hanging).
    private bool StartsHomed => _settings.Controller.ResolveStartHomed(_baseProfile);

    private ControlStack Build(RunSettings controller, RigProfile profile)
    {
        ControlStack stack = ControlStackBuilder.Build(controller, profile, _sensors, _motor, _clock, StartsHomed);
        _lastMode = stack.Supervisor.Mode;
        _hasTicked = false;
        return stack;
    }

    private void HandleFrame(FrameDecoder decoder, long timestamp)
    {
        lock (_sync)
        {
            _lastValidFrameTimestamp = timestamp;
            if (!_hostPresent)
            {
                _hostPresent = true;
            }

            if (decoder.IsDuplicate)
            {
                return; // PROTOCOL.md: receivers ignore frames flagged duplicate
            }

            byte[] frame = decoder.Frame;
            const int payload = FrameLayout.PayloadOffset;
            switch (decoder.MessageType)
            {
                case MessageType.Hello:
                    var hello = new HelloMessage();
                    hello.Read(frame, payload);
                    OnHello(ref hello);
                    break;
                case MessageType.Configuration:
                    var configuration = new ConfigurationMessage();
                    configuration.Read(frame, payload);
                    OnConfiguration(ref configuration, decoder.Sequence);
                    break;
                case MessageType.Command:
                    var command = new CommandMessage();
                    command.Read(frame, payload);
                    OnCommand(command.Command, decoder.Sequence);
                    break;
                case MessageType.SensorReadings:
                    var readings = new SensorReadingsMessage();
                    readings.Read(frame, payload);
                    _lastReadingTimestamp = timestamp;
                    OnSensorReadings(ref readings);
                    break;
                case MessageType.Heartbeat:
                    break; // a sign of life, nothing more
                default:
                    _report.UnexpectedFrames++;
                    break;
            }
        }
    }

    private void OnHello(ref HelloMessage hello)
    {
        _motor.SetDuty(0f);
        _stack = Build(_controller, _profile);
        _sessionFlags = hello.Flags & SupportedFlags;
        _sessionOpen = true;
        _report.Sessions++;
        _report.Mode = (_sessionFlags & HelloMessage.FlagLockstep) != 0 ? HilDefaults.LockstepName : HilDefaults.RealTimeName;
        var answer = new HelloAckMessage
        {
            ProtocolVersion = FrameLayout.ProtocolVersion,
            FirmwareMajor = VersionMajor,
            FirmwareMinor = VersionMinor,
            FirmwarePatch = VersionPatch,
            ControlPeriodMicroseconds = (uint)(_profile.ControlPeriodSeconds * 1000000f + 0.5f),
            Flags = _sessionFlags,
        };
        _link.Send(ref answer);
        _log.WriteLine($"device: hello from client 0x{hello.ClientId:X8} (protocol {hello.ProtocolVersion}), {_report.Mode}, flags 0x{_sessionFlags:X}");
    }

    private void OnConfiguration(ref ConfigurationMessage configuration, ushort sequence)
    {
        AckStatus status;
        SupervisorMode mode = _stack.Supervisor.Mode;
        if (mode != SupervisorMode.Idle && mode != SupervisorMode.Ready && mode != SupervisorMode.Fault)
        {
            status = AckStatus.WrongMode;
            _report.ConfigurationsRejected++;
            _log.WriteLine($"device: configuration refused in {ModeNames.Of(mode)}");
        }
        else
        {
            try
            {
                RigProfile profile = HilConfiguration.ToProfile(ref configuration, _baseProfile);
                if (!ControlStackBuilder.HasEncoders(profile))
                {
                    throw new ArgumentException("CartCountsPerMeter and PoleCountsPerRevolution must be above 0: this device estimates the state from encoder counts.");
                }

                RunSettings controller = HilConfiguration.ToSettings(ref configuration, _settings.Controller, profile);
                ControlStack stack = ControlStackBuilder.Build(controller, profile, _sensors, _motor, _clock, StartsHomed);
                _motor.SetDuty(0f);
                _profile = profile;
                _controller = controller;
                _stack = stack;
                _lastMode = stack.Supervisor.Mode;
                _hasTicked = false;
                status = AckStatus.Accepted;
                _report.ConfigurationsApplied++;
                PlannerSizes sizes = stack.Planner.Sizes;
                _log.WriteLine($"device: configuration applied: period {configuration.ControlPeriodMicroseconds} µs, {_controller.Planner} {sizes.Samples} samples x {sizes.Iterations} iterations, horizon {sizes.HorizonSteps} steps, seed {configuration.Seed}");
            }
            catch (ArgumentException error)
            {
                status = AckStatus.InvalidValue;
                _report.ConfigurationsRejected++;
                _log.WriteLine($"device: configuration refused: {error.Message}");
            }
        }

        var ack = new AckMessage { AcknowledgedType = MessageType.Configuration, AcknowledgedSequence = sequence, Status = status };
        _link.Send(ref ack);
    }

    private void OnCommand(DeviceCommand command, ushort sequence)
    {
        Supervisor supervisor = _stack.Supervisor;
        AckStatus status = AckStatus.Accepted;
        switch (command)
        {
            case DeviceCommand.Start:
                if (supervisor.Mode == SupervisorMode.Fault)
                {
                    status = AckStatus.WrongMode;
                }
                else
                {
                    supervisor.AutoStart = true;
                    supervisor.RequestStart();
                }

                break;
            case DeviceCommand.Stop:
                supervisor.AutoStart = false;
                supervisor.RequestStop();
                if (!supervisor.IsPlanning && supervisor.Mode != SupervisorMode.Homing)
                {
                    _motor.SetDuty(0f);
                }

                break;
            case DeviceCommand.Reset:
                supervisor.AutoStart = false;
                supervisor.RequestReset();
                break;
            default:
                status = AckStatus.Unsupported;
                break;
        }

        _report.Commands++;
        _lastMode = supervisor.Mode;
        var ack = new AckMessage { AcknowledgedType = MessageType.Command, AcknowledgedSequence = sequence, Status = status };
        _link.Send(ref ack);
        _log.WriteLine($"device: command {command} -> {status}, mode {ModeNames.Of(supervisor.Mode)}");
    }

    private void OnSensorReadings(ref SensorReadingsMessage readings)
    {
        if (_hasTicked)
        {
            uint step = readings.TickIndex - _lastTickIndex;
            if (step == 0)
            {
                // The host's retry: the answer was lost or slow. Send it again; do not run the tick twice.
                _report.RepeatedReadings++;
                SendAnswer();
                return;
            }

            if (step >= 0x80000000u)
            {
                _report.StaleReadings++;
                return;
            }

            if (step > 1)
            {
                _report.ReadingGaps++;
                _report.ReadingsMissed += step - 1;
            }
        }

        _sensors.Update(ref readings.Reading);
        long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        _stack.Loop.Tick(ref _record);
        long bytesAfter = GC.GetAllocatedBytesForCurrentThread();
        if (_ticksRun >= RunRecorder.WarmUpTicks)
        {
            _allocatedBytes += bytesAfter - bytesBefore;
            _allocationTicks++;
        }

        _ticksRun++;
        _record.TickIndex = readings.TickIndex; // the host's numbering, so that it can match answers to readings
        _lastTickIndex = readings.TickIndex;
        _hasTicked = true;
        if (_record.ModelSteps > 0)
        {
            _planningMicroseconds.Add(_record.PlanningMicroseconds);
        }

        _motorCommand.TickIndex = readings.TickIndex;
        _motorCommand.Duty = _motor.Duty;
        _motorCommand.ForceNewtons = _record.ForceNewtons;
        _tickStatistics.TickIndex = readings.TickIndex;
        _tickStatistics.PlanningMicroseconds = _record.PlanningMicroseconds;
        _tickStatistics.ModelSteps = _record.ModelSteps;
        _tickStatistics.OverrunStreak = _record.OverrunStreak;
        _telemetry.Record = _record;
        SendAnswer();

        if (_record.Mode == SupervisorMode.Fault && _lastMode != SupervisorMode.Fault)
        {
            SendFault(readings.TickIndex, _record.Fault);
        }

        _lastMode = _record.Mode;
        if (_settings.MaxTicks is long maxTicks && _ticksRun >= maxTicks)
        {
            RequestStop("--ticks reached");
        }
    }

    private void SendAnswer()
    {
        _link.SendTick(ref _motorCommand,
            (_sessionFlags & HelloMessage.FlagSendTickStatistics) != 0, ref _tickStatistics,
            (_sessionFlags & HelloMessage.FlagSendTelemetry) != 0, ref _telemetry);
    }

    private void SendFault(uint tickIndex, FaultReason reason)
    {
        var fault = new FaultMessage { TickIndex = tickIndex, Reason = reason };
        _link.Send(ref fault);
        _report.Faults.Add(ModeNames.Of(reason));
        _log.WriteLine($"device: fault {ModeNames.Of(reason)} at tick {tickIndex}");
    }

    private void Watchdog()
    {
        long periodTicks = 0;
        while (!_stopRequested)
        {
            Thread.Sleep(1);
            lock (_sync)
            {
                long now = Stopwatch.GetTimestamp();
                if (periodTicks == 0 || _hasTicked)
                {
                    periodTicks = (long)(_profile.ControlPeriodSeconds * (double)Stopwatch.Frequency);
                }

                SupervisorMode mode = _stack.Supervisor.Mode;
                bool motorMayRun = mode == SupervisorMode.Homing || mode == SupervisorMode.SwingUp || mode == SupervisorMode.Balance;
                bool lockstep = (_sessionFlags & HelloMessage.FlagLockstep) != 0;
                if (motorMayRun && _sessionOpen)
                {
                    long silence = lockstep ? now - _lastValidFrameTimestamp : now - _lastReadingTimestamp;
                    long limit = lockstep ? Stopwatch.Frequency : 2 * periodTicks;
                    // Bytes waiting unread mean the host is not silent, only this process slow to read
                    // them (a loaded PC); the receiving thread will take them and restart the count.
                    if (silence > limit && !_link.HasUnreadBytes)
                    {
                        OnLinkLost(silence);
                    }
                }
                else if (_hostPresent && now - _lastValidFrameTimestamp > Stopwatch.Frequency / 2)
                {
                    _hostPresent = false;
                    _log.WriteLine("device: host gone (500 ms without a valid frame); waiting for a Hello");
                    _log.Flush();
                }

                if (_sessionOpen && _hostPresent && now - _link.LastSendTimestamp > Stopwatch.Frequency / 10)
                {
                    var heartbeat = new HeartbeatMessage
                    {
                        TimeMicroseconds = unchecked((uint)(Stopwatch.GetElapsedTime(_startTimestamp).Ticks / 10)),
                        TickIndex = _lastTickIndex,
                    };
                    _link.Send(ref heartbeat);
                }
            }
        }
    }

    private void OnLinkLost(long silenceTicks)
    {
        float dutyBefore = _motor.Duty;
        _motor.SetDuty(0f); // at once: the motor stops now, not at the next frame
        _stack.Supervisor.EnterFault(FaultReason.LinkLost);
        double silenceMilliseconds = silenceTicks * 1000.0 / Stopwatch.Frequency;
        _report.LinkLosses.Add(new DeviceLinkLoss(_lastTickIndex, silenceMilliseconds, dutyBefore, _motor.Duty));
        _lastMode = SupervisorMode.Fault;
        string without = (_sessionFlags & HelloMessage.FlagLockstep) != 0 ? "a valid frame" : "SensorReadings";
        _log.WriteLine($"device: link lost after {silenceMilliseconds:F1} ms without {without}; duty {dutyBefore:F3} -> {_motor.Duty:F3}");
        SendFault(_lastTickIndex, FaultReason.LinkLost);
        _log.Flush();
    }
}
