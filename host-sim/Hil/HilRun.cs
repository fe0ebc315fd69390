using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>A hardware-in-the-loop run: the run's settings and the link's.</summary>
public sealed class HilSettings
{
    public RunSettings Run { get; init; } = new();

    public string Port { get; init; } = "";

    public int BaudRate { get; init; } = HilDefaults.BaudRate;

    /// <summary>True: the plant waits for each command (deterministic). False: the plant runs on the wall clock.</summary>
    public bool Lockstep { get; init; }

    /// <summary>Test aid: probability that a frame, in either direction, has a byte changed.</summary>
    public double CorruptionRate { get; init; }

    /// <summary>Test aid: probability that a frame, in either direction, is lost.</summary>
    public double DropRate { get; init; }

    /// <summary>Test aid: stop sending anything this many seconds after the first tick and watch for the device's Fault.</summary>
    public double? CutLinkAfterSeconds { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        Run.Validate();
        RigProfile profile = Run.ResolveProfile();
        if (!ControlStackBuilder.HasEncoders(profile))
        {
            throw new ArgumentException($"--profile {profile.Name} measures the state exactly, which the serial protocol cannot carry (it sends encoder counts): use {RigProfiles.Esp32RigName} or {RigProfiles.QuanserIp02Name}.");
        }

        PlannerCatalog.Build(Run, profile); // the planner's sizes, checked before any port is opened

        if (string.IsNullOrWhiteSpace(Port))
        {
            throw new ArgumentException("--port is required: the serial port of the device (e.g. /dev/ttyUSB0, COM5).");
        }

        if (Run.OpenLoop)
        {
            throw new ArgumentException("--open-loop is a simulator mode: in hil the device plans every tick.");
        }

        if (Run.Particles.HasValue || Run.ProcessNoise != 0 || Run.ParticleSpread != PlannerCatalog.DefaultParticleSpread)
        {
            throw new ArgumentException("--particles, --particle-spread and --process-noise are not carried by the serial protocol (the device builds its planner from its own settings): leave them out of hil.");
        }

        if (!Lockstep && Run.ActuationDelayTicks != 0)
        {
            throw new ArgumentException("--delay-ticks works with --lockstep only: in real time the link's own delay is the actuation delay.");
        }

        _ = new LinkFaultInjector(CorruptionRate, DropRate, 0);
        if (CutLinkAfterSeconds is double cut && !(cut >= 0 && cut <= 3600))
        {
            throw new ArgumentException($"--cut-link-after must be in [0, 3600] seconds; got {cut}.");
        }
    }
}

/// <summary>The outcome of a HIL run: the run (null if it never started), an exit code and what went wrong.</summary>
public sealed record HilOutcome(RunResult? Result, int ExitCode, string? Error);

/// <summary>
/// The host side of a hardware-in-the-loop run: the simulated rig (<see cref="RigHardware"/>) is the
/// plant, the device on the serial port is the controller. The host opens the connection (Hello,
/// Configuration, Command Start, each retried as PROTOCOL.md says), then runs ticks with the shared
/// bookkeeping of <see cref="RunRecorder"/>, ends with Command Stop and reports the run as `run` does
/// plus the link's figures (<see cref="HilReport"/>).
/// </summary>
/// <remarks>
/// <para>Threads: a receive thread reads the port (blocking, no timeout), decodes frames and queues
/// them with their arrival time (Stopwatch); the calling thread runs the plant and sends.</para>
/// <para>Lockstep: send SensorReadings(k), wait for MotorCommand(k) and Telemetry(k), apply the duty,
/// integrate one period, repeat. If the answer is not complete within <see cref="LockstepRetryMilliseconds"/>
/// the host sends SensorReadings(k) again (a new frame; the device answers a repeated TickIndex again
/// without re-running the tick), which also keeps the device's lockstep link timer alive; after
/// <see cref="LockstepMaxRetries"/> retries (1 s) the link counts as lost. Deterministic whatever the
/// link's speed and losses.</para>
/// <para>Real time: SensorReadings(k) leaves at t0 + kP on the wall clock whatever the device does.
/// The plant's period k is integrated at t0 + (k+1)P from what arrived meanwhile: each 1 ms step uses
/// the duty of the newest MotorCommand that had arrived by the step's start (so the device's latency
/// delays the command as it would on the rig); a command for an older tick than the one applied is
/// stale, a Fault turns the drive off. Tick k is logged then, from its Telemetry (or, if that was
/// lost, with the device's figures as NaN; a Telemetry that comes later completes the row).</para>
/// </remarks>
public sealed class HilRun
{
    /// <summary>Lockstep: time to wait for a tick's answer before sending its SensorReadings again, ms.</summary>
    public const int LockstepRetryMilliseconds = 100;

    /// <summary>Lockstep: retries of one tick before the link counts as lost (10 x 100 ms = the protocol's 1 s).</summary>
    public const int LockstepMaxRetries = 10;

    /// <summary>PROTOCOL.md: a request (Hello, Configuration, Command) unanswered for this long is sent again, ms.</summary>
    public const int ReplyTimeoutMilliseconds = 200;

    /// <summary>Real time: the device counts as gone after this long without a valid frame, ms.</summary>
    public const int HostLinkTimeoutMilliseconds = 500;

    private static readonly uint ClientId = Fnv1a("embeddedmpc-sim");

    private readonly HilSettings _settings;
    private readonly TextWriter _log;
    private readonly RunSettings _run;
    private readonly RigProfile _profile;
    private readonly bool _startHomed;
    private readonly PlannerStack _planner;
    private readonly RigHardware _rig;
    private readonly RunRecorder _recorder;
    private readonly SerialLink _link;
    private readonly ConcurrentQueue<LinkEvent> _events = new();
    private readonly SemaphoreSlim _eventSignal = new(0);
    private readonly Queue<LinkEvent> _carried = new();
    private readonly long _periodTicks;
    private readonly long _stepTicks;

    // Per tick k (arrays sized for the longest run).
    private readonly CartPoleState[] _truth;
    private readonly long[] _sentTimestamp;
    private readonly double[] _scheduleError;
    private readonly int[] _retries;
    private readonly bool[] _commandArrived;
    private readonly long[] _commandTimestamp;
    private readonly float[] _commandDuty;
    private readonly float[] _commandForce;
    private readonly bool[] _telemetryArrived;
    private readonly TelemetryRecord[] _telemetry;
    private readonly bool[] _statisticsArrived;
    private readonly TickStatisticsMessage[] _statistics;
    private readonly bool[] _logged;

    private readonly List<string> _deviceFaults = new();
    private readonly List<(MessageType Type, ushort Sequence, AckStatus Status)> _acks = new();
    private HelloAckMessage _helloAck;
    private bool _helloAckReceived;
    private int _ticksSent;
    private int _lateTicks;
    private int _staleCommands;
    private int _telemetryLate;
    private int _appliedTick = -1;
    private float _appliedAction;
    private long _lastEventTimestamp;
    private long _faultTimestamp;
    private FaultReason _faultReason;
    private Thread? _receiver;
    private volatile bool _stopReceiving;
    private HilLinkCut? _linkCut;
    private HilDeviceLoop? _deviceLoop;

    private HilRun(HilSettings settings, TextWriter log, SerialLink link)
    {
        _settings = settings;
        _log = log;
        _run = settings.Run;
        _profile = _run.ResolveProfile();
        _startHomed = _run.ResolveStartHomed(_profile);
        _planner = PlannerCatalog.Build(_run, _profile);
        _rig = ControlledRig.CreateRig(_run, _profile, _startHomed);
        _recorder = new RunRecorder(_run, _profile, _rig, _startHomed ? SupervisorMode.Ready : SupervisorMode.Idle) { AllocationsMeasured = false };
        _link = link;
        _periodTicks = (long)Math.Round(_profile.ControlPeriodSeconds * (double)Stopwatch.Frequency);
        _stepTicks = (long)Math.Round(ControlledRig.PlantStepSeconds * Stopwatch.Frequency);
        int n = _recorder.MaxTicks;
        _truth = new CartPoleState[n];
        _sentTimestamp = new long[n];
        _scheduleError = new double[n];
        _retries = new int[n];
        _commandArrived = new bool[n];
        _commandTimestamp = new long[n];
        _commandDuty = new float[n];
        _commandForce = new float[n];
        _telemetryArrived = new bool[n];
        _telemetry = new TelemetryRecord[n];
        _statisticsArrived = new bool[n];
        _statistics = new TickStatisticsMessage[n];
        _logged = new bool[n];
    }

    /// <summary>Runs <paramref name="settings"/>; progress and problems go to <paramref name="log"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range or the port cannot be opened (exit code 2).</exception>
    public static HilOutcome Execute(HilSettings settings, TextWriter log)
    {
        settings.Validate();
        LinkFaultInjector? injector = settings.CorruptionRate > 0 || settings.DropRate > 0
            ? new LinkFaultInjector(settings.CorruptionRate, settings.DropRate, settings.Run.Seed)
            : null;
        using SerialLink link = SerialLink.Open(settings.Port, settings.BaudRate, injector);
        var run = new HilRun(settings, log, link);
        try
        {
            return run.Execute();
        }
        finally
        {
            run.StopReceiver();
        }
    }

    private HilOutcome Execute()
    {
        _receiver = new Thread(ReceiveLoop) { IsBackground = true, Name = "hil-receive", Priority = ThreadPriority.AboveNormal };
        _receiver.Start();

        string? error = Connect();
        if (error is not null)
        {
            return new HilOutcome(null, 3, error);
        }

        error = Request(DeviceRequest.Configuration);
        if (error is not null)
        {
            return new HilOutcome(null, error.StartsWith("the device refused", StringComparison.Ordinal) ? 2 : 3, error);
        }

        error = Request(DeviceRequest.Start);
        if (error is not null && error.Contains(nameof(AckStatus.WrongMode), StringComparison.Ordinal))
        {
            // A device still in Fault from an earlier session (the firmware keeps its mode): reset it, start again.
            error = Request(DeviceRequest.Reset) ?? Request(DeviceRequest.Start);
        }

        if (error is not null)
        {
            return new HilOutcome(null, error.StartsWith("the device refused", StringComparison.Ordinal) ? 2 : 3, error);
        }

        _log.WriteLine($"hil: {(_settings.Lockstep ? HilDefaults.LockstepName : HilDefaults.RealTimeName)} run on {_settings.Port}: {RunSettings.TaskName(_run.Task)}, {_run.Planner}, {_run.ProfileName}, seed {_run.Seed}");
        (int exitCode, string? runError) = _settings.Lockstep ? RunLockstep() : RunRealTime();
        if (_linkCut is null && !_link.IsClosed)
        {
            string? stopError = Request(DeviceRequest.Stop);
            if (stopError is not null)
            {
                _log.WriteLine($"hil: warning: {stopError}");
            }
        }

        StopReceiver();
        RunResult result = _recorder.Finish(_planner) with { Hil = BuildReport(), Link = BuildLinkRows() };
        return new HilOutcome(result, exitCode, runError);
    }

    // ---------------------------------------------------------------- connection

    private string? Connect()
    {
        _link.SendDelimiter();
        var hello = new HelloMessage
        {
            ProtocolVersion = FrameLayout.ProtocolVersion,
            ClientId = ClientId,
            Flags = (_settings.Lockstep ? HelloMessage.FlagLockstep : 0u) | HelloMessage.FlagSendTickStatistics | HelloMessage.FlagSendTelemetry,
        };
        for (int attempt = 0; attempt < 10 && !_helloAckReceived; attempt++)
        {
            _link.Send(ref hello);
            WaitFor(() => _helloAckReceived, ReplyTimeoutMilliseconds);
            if (_link.IsClosed)
            {
                return $"the serial port '{_settings.Port}' closed";
            }
        }

        if (!_helloAckReceived)
        {
            return $"no HelloAck from the device on '{_settings.Port}' after 10 Hellos: check that it runs, the wiring (RXD and TXD swapped?), the baud rate ({_settings.BaudRate}) and the device's protocol version";
        }

        if (_helloAck.ProtocolVersion != FrameLayout.ProtocolVersion)
        {
            return $"the device speaks protocol version {_helloAck.ProtocolVersion}, this host {FrameLayout.ProtocolVersion}";
        }

        uint missing = hello.Flags & ~_helloAck.Flags;
        if ((missing & HelloMessage.FlagLockstep) != 0)
        {
            return "the device does not accept lockstep timing (HelloAck without the Lockstep flag); run without --lockstep";
        }

        if ((missing & HelloMessage.FlagSendTelemetry) != 0)
        {
            return "the device does not send Telemetry (HelloAck without the flag); hil logs the run from it";
        }

        uint period = (uint)(_profile.ControlPeriodSeconds * 1000000f + 0.5f);
        _log.WriteLine($"hil: device firmware {_helloAck.FirmwareMajor}.{_helloAck.FirmwareMinor}.{_helloAck.FirmwarePatch}, control period {_helloAck.ControlPeriodMicroseconds} µs{(period != _helloAck.ControlPeriodMicroseconds ? $" (configuring {period} µs)" : "")}");
        return null;
    }

    private enum DeviceRequest
    {
        Configuration,
        Start,
        Stop,
        Reset,
    }

    // Sends a Configuration or Command and waits for its Ack, retrying up to 3 times (PROTOCOL.md).
    private string? Request(DeviceRequest request)
    {
        ConfigurationMessage configuration = HilConfiguration.From(_run, _profile, _planner);
        var command = new CommandMessage
        {
            Command = request switch
            {
                DeviceRequest.Stop => DeviceCommand.Stop,
                DeviceRequest.Reset => DeviceCommand.Reset,
                _ => DeviceCommand.Start,
            },
        };
        MessageType type = request == DeviceRequest.Configuration ? MessageType.Configuration : MessageType.Command;
        var sent = new List<ushort>();
        for (int attempt = 0; attempt < 4; attempt++)
        {
            sent.Add(type == MessageType.Configuration ? _link.Send(ref configuration) : _link.Send(ref command));
            AckStatus? status = null;
            WaitFor(() =>
            {
                foreach ((MessageType t, ushort s, AckStatus st) in _acks)
                {
                    if (t == type && sent.Contains(s))
                    {
                        status = st;
                        return true;
                    }
                }

                return false;
            }, ReplyTimeoutMilliseconds);
            if (status is AckStatus answer)
            {
                return answer == AckStatus.Accepted ? null : $"the device refused the {request} ({answer}); see the device's log";
            }

            if (_link.IsClosed)
            {
                return $"the serial port '{_settings.Port}' closed";
            }
        }

        return $"no Ack from the device for the {request} after 4 tries";
    }

    // ---------------------------------------------------------------- lockstep

    private (int ExitCode, string? Error) RunLockstep()
    {
        var reading = new SensorReading();
        for (int tick = 0; !_recorder.IsComplete(tick); tick++)
        {
            if (CutDue(tick))
            {
                return CutLink(tick, Stopwatch.GetTimestamp());
            }

            _truth[tick] = _rig.Plant.State;
            _rig.Read(ref reading);
            SendReadings(tick, ref reading);
            long retryAt = Stopwatch.GetTimestamp() + LockstepRetryMilliseconds * Stopwatch.Frequency / 1000;
            while (!(_commandArrived[tick] && _telemetryArrived[tick]))
            {
                int waitMilliseconds = (int)Math.Max(0, (retryAt - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
                if (TakeEvent(waitMilliseconds, out LinkEvent e))
                {
                    Handle(e, tick);
                    continue;
                }

                if (_link.IsClosed)
                {
                    return (3, $"the serial port closed at tick {tick}");
                }

                if (Stopwatch.GetTimestamp() < retryAt)
                {
                    continue;
                }

                if (_retries[tick] >= LockstepMaxRetries)
                {
                    return (3, $"link lost: no answer to SensorReadings({tick}) within {(LockstepMaxRetries + 1) * LockstepRetryMilliseconds} ms");
                }

                _retries[tick]++;
                _link.Send(ref ReadingsMessage(tick, ref reading));
                retryAt = Stopwatch.GetTimestamp() + LockstepRetryMilliseconds * Stopwatch.Frequency / 1000;
            }

            _rig.SetDuty(_commandDuty[tick]);
            TelemetryRecord record = _telemetry[tick];
            _logged[tick] = true;
            string? disagreement = CheckDeviceAgrees(tick, ref record);
            _recorder.RecordTick(tick, _truth[tick], ref record);
            if (disagreement is not null)
            {
                return (2, disagreement);
            }

            _recorder.AdvancePlant(tick, record.Command);
        }

        return (0, null);
    }

    private SensorReadingsMessage _readingsMessage;

    private ref SensorReadingsMessage ReadingsMessage(int tick, ref SensorReading reading)
    {
        _readingsMessage.TickIndex = (uint)tick;
        _readingsMessage.Reading = reading;
        return ref _readingsMessage;
    }

    private void SendReadings(int tick, ref SensorReading reading)
    {
        _sentTimestamp[tick] = _link.Send(ref ReadingsMessage(tick, ref reading));
        _ticksSent = tick + 1;
    }

    // ---------------------------------------------------------------- real time

    private (int ExitCode, string? Error) RunRealTime()
    {
        var reading = new SensorReading();
        long t0 = Stopwatch.GetTimestamp() + _periodTicks;
        _lastEventTimestamp = t0;
        for (int tick = 0; ; tick++)
        {
            long deadline = t0 + tick * _periodTicks;
            WaitUntil(deadline);
            if (tick > 0)
            {
                string? disagreement = FinishPeriod(tick - 1, deadline - _periodTicks, deadline);
                if (disagreement is not null)
                {
                    return (2, disagreement);
                }
            }

            if (_recorder.IsComplete(tick))
            {
                return (0, null);
            }

            if (_link.IsClosed)
            {
                return (3, $"the serial port closed at tick {tick}");
            }

            if (tick > 0 && Stopwatch.GetTimestamp() - _lastEventTimestamp > HostLinkTimeoutMilliseconds * Stopwatch.Frequency / 1000)
            {
                return (3, $"link lost: no valid frame from the device for {HostLinkTimeoutMilliseconds} ms (tick {tick})");
            }

            if (CutDue(tick))
            {
                return CutLink(tick, deadline);
            }

            _truth[tick] = _rig.Plant.State;
            _rig.Read(ref reading);
            SendReadings(tick, ref reading);
            _scheduleError[tick] = (_sentTimestamp[tick] - deadline) * 1e6 / Stopwatch.Frequency;
        }
    }

    // Logs tick `tick` and integrates its period [start, end) from the frames that arrived before `end`.
    private string? FinishPeriod(int tick, long start, long end)
    {
        var changes = new List<(long Timestamp, float Duty, int Tick)>();
        while (NextEventBefore(end, out LinkEvent e))
        {
            int applied = _appliedTick;
            bool faultBefore = _faultTimestamp != 0;
            Handle(e, tick);
            if (_appliedTick != applied)
            {
                changes.Add((e.Timestamp, _commandDuty[_appliedTick], _appliedTick));
            }
            else if (!faultBefore && _faultTimestamp != 0)
            {
                changes.Add((e.Timestamp, 0f, -1)); // the device's motor is off from its Fault on
            }
        }

        TelemetryRecord record = _telemetryArrived[tick] ? _telemetry[tick] : Synthesize(tick);
        _logged[tick] = true;
        string? disagreement = CheckDeviceAgrees(tick, ref record);
        _recorder.RecordTick(tick, _truth[tick], ref record);
        if (disagreement is not null)
        {
            return disagreement;
        }

        int next = 0;
        for (int s = 1; s <= _recorder.SubstepsPerTick; s++)
        {
            long stepStart = start + (s - 1) * _stepTicks;
            while (next < changes.Count && changes[next].Timestamp <= stepStart)
            {
                Apply(changes[next++]);
            }

            _recorder.StepPlant(tick, s, _appliedAction);
        }

        while (next < changes.Count)
        {
            Apply(changes[next++]); // arrived in the period's last step: in effect from the next period on
        }

        return null;
    }

    private void Apply((long Timestamp, float Duty, int Tick) change)
    {
        _rig.SetDuty(change.Duty);
        if (change.Tick < 0)
        {
            _appliedAction = 0f;
        }
        else if (_telemetryArrived[change.Tick])
        {
            _appliedAction = _telemetry[change.Tick].Command;
        }
    }

    // The log row of a tick whose Telemetry has not arrived: the device's estimate, command and cost unknown
    // (NaN), the duty as the MotorCommand said (or, without one, as the drive kept it), the mode as last known.
    private TelemetryRecord Synthesize(int tick)
    {
        var record = new TelemetryRecord
        {
            TickIndex = (uint)tick,
            Mode = _recorder.LastMode,
            Fault = SupervisorMode.Fault == _recorder.LastMode ? _faultReason : FaultReason.None,
            State = new CartPoleState(float.NaN, float.NaN, float.NaN, float.NaN),
            Command = float.NaN,
            ForceNewtons = _commandArrived[tick] ? _commandForce[tick] : float.NaN,
            Duty = _commandArrived[tick] ? _commandDuty[tick] : _rig.Duty, // the drive kept the duty it had
            PlanCost = float.NaN,
        };
        if (_statisticsArrived[tick])
        {
            record.PlanningMicroseconds = _statistics[tick].PlanningMicroseconds;
            record.ModelSteps = _statistics[tick].ModelSteps;
            record.OverrunStreak = _statistics[tick].OverrunStreak;
        }

        return record;
    }

    private static void WaitUntil(long deadline)
    {
        long spin = 2 * Stopwatch.Frequency / 1000;
        while (true)
        {
            long remaining = deadline - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > spin)
            {
                Thread.Sleep(1);
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }

    // ---------------------------------------------------------------- link cut (test aid)

    // The first tick whose reading is due at or after the cut time.
    private bool CutDue(int tick) =>
        _settings.CutLinkAfterSeconds is double cut && tick >= (int)Math.Ceiling(cut / _profile.ControlPeriodSeconds - 1e-6);

    private (int ExitCode, string? Error) CutLink(int tick, long cutTimestamp)
    {
        // Send nothing more; watch for the device's Fault for its link timeout and half a second more.
        long deviceTimeout = _settings.Lockstep ? Stopwatch.Frequency : 2 * _periodTicks;
        long until = cutTimestamp + deviceTimeout + Stopwatch.Frequency / 2;
        long faultBefore = _faultTimestamp;
        while (Stopwatch.GetTimestamp() < until)
        {
            int wait = (int)Math.Max(1, (until - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            if (TakeEvent(wait, out LinkEvent e))
            {
                Handle(e, tick - 1);
                if (_faultTimestamp != faultBefore && _faultTimestamp != 0)
                {
                    break;
                }
            }
        }

        bool received = _faultTimestamp != faultBefore && _faultTimestamp != 0;
        _linkCut = new HilLinkCut(tick * (double)_profile.ControlPeriodSeconds, tick - 1, received,
            received ? ModeNames.Of(_faultReason) : null,
            received ? (_faultTimestamp - cutTimestamp) * 1000.0 / Stopwatch.Frequency : null);
        _log.WriteLine(received
            ? $"hil: link cut at tick {tick}; the device reported {ModeNames.Of(_faultReason)} {_linkCut.FaultAfterMilliseconds:F1} ms later"
            : $"hil: link cut at tick {tick}; no Fault from the device");
        return (0, null);
    }

    // ---------------------------------------------------------------- receiving

    private readonly record struct LinkEvent(MessageType Type, ushort Sequence, long Timestamp, byte[] Payload);

    private void ReceiveLoop()
    {
        while (!_stopReceiving)
        {
            bool open = _link.Receive((decoder, timestamp) =>
            {
                if (decoder.IsDuplicate)
                {
                    return;
                }

                var payload = new byte[decoder.PayloadLength];
                Array.Copy(decoder.Frame, FrameLayout.PayloadOffset, payload, 0, payload.Length);
                _events.Enqueue(new LinkEvent(decoder.MessageType, decoder.Sequence, timestamp, payload));
                _eventSignal.Release();
            });
            if (!open)
            {
                _eventSignal.Release();
                return;
            }
        }
    }

    // Closes the port (the receive thread waits in a read without timeout) and waits for the thread.
    private void StopReceiver()
    {
        _stopReceiving = true;
        _link.Close();
        _receiver?.Join();
        _receiver = null;
    }

    private bool TakeEvent(int timeoutMilliseconds, out LinkEvent e)
    {
        if (_carried.Count > 0)
        {
            e = _carried.Dequeue();
            return true;
        }

        long until = Stopwatch.GetTimestamp() + timeoutMilliseconds * Stopwatch.Frequency / 1000;
        while (true)
        {
            if (_events.TryDequeue(out e))
            {
                return true;
            }

            int remaining = (int)((until - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            if (remaining <= 0 || _link.IsClosed || !_eventSignal.Wait(remaining))
            {
                return _events.TryDequeue(out e);
            }
        }
    }

    private bool NextEventBefore(long end, out LinkEvent e)
    {
        if (_carried.Count == 0 && _events.TryDequeue(out LinkEvent fresh))
        {
            _carried.Enqueue(fresh);
        }

        if (_carried.Count > 0 && _carried.Peek().Timestamp < end)
        {
            e = _carried.Dequeue();
            return true;
        }

        e = default;
        return false;
    }

    private void WaitFor(Func<bool> condition, int timeoutMilliseconds)
    {
        long until = Stopwatch.GetTimestamp() + timeoutMilliseconds * Stopwatch.Frequency / 1000;
        while (!condition())
        {
            int remaining = (int)((until - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency);
            if (remaining <= 0 || !TakeEvent(remaining, out LinkEvent e))
            {
                return;
            }

            Handle(e, -1);
        }
    }

    // Takes one frame from the device. currentTick: the newest tick sent (-1 before the first).
    private void Handle(LinkEvent e, int currentTick)
    {
        _lastEventTimestamp = Math.Max(_lastEventTimestamp, e.Timestamp);
        byte[] p = e.Payload;
        switch (e.Type)
        {
            case MessageType.HelloAck:
                _helloAck.Read(p, 0);
                _helloAckReceived = true;
                break;
            case MessageType.Ack:
                var ack = new AckMessage();
                ack.Read(p, 0);
                _acks.Add((ack.AcknowledgedType, ack.AcknowledgedSequence, ack.Status));
                break;
            case MessageType.MotorCommand:
            {
                var command = new MotorCommandMessage();
                command.Read(p, 0);
                int k = TickOf(command.TickIndex);
                if (k < 0 || _commandArrived[k] || k <= _appliedTick)
                {
                    _staleCommands++;
                    break;
                }

                _commandArrived[k] = true;
                _commandTimestamp[k] = e.Timestamp;
                _commandDuty[k] = command.Duty;
                _commandForce[k] = command.ForceNewtons;
                _appliedTick = k;
                if (!_settings.Lockstep && e.Timestamp - _sentTimestamp[k] >= _periodTicks)
                {
                    _lateTicks++;
                }

                break;
            }

            case MessageType.TickStatistics:
            {
                var statistics = new TickStatisticsMessage();
                statistics.Read(p, 0);
                int k = TickOf(statistics.TickIndex);
                if (k >= 0 && !_statisticsArrived[k])
                {
                    _statisticsArrived[k] = true;
                    _statistics[k] = statistics;
                }

                break;
            }

            case MessageType.Telemetry:
            {
                var telemetry = new TelemetryMessage();
                telemetry.Read(p, 0);
                int k = TickOf(telemetry.Record.TickIndex);
                if (k < 0 || _telemetryArrived[k])
                {
                    break;
                }

                _telemetryArrived[k] = true;
                _telemetry[k] = telemetry.Record;
                if (_logged[k])
                {
                    // Real time: the row was logged without it; complete it (the plant's integration is done).
                    _telemetryLate++;
                    _recorder.Log.Replace(k, ref telemetry.Record);
                }

                break;
            }

            case MessageType.Fault:
            {
                var fault = new FaultMessage();
                fault.Read(p, 0);
                _deviceFaults.Add(ModeNames.Of(fault.Reason));
                _faultReason = fault.Reason;
                _faultTimestamp = e.Timestamp;
                _log.WriteLine($"hil: the device reported fault {ModeNames.Of(fault.Reason)} at its tick {fault.TickIndex}");
                break;
            }

            case MessageType.LoopStatistics:
            {
                var statistics = new LoopStatisticsMessage();
                statistics.Read(p, 0);
                _deviceLoop = new HilDeviceLoop(
                    (_deviceLoop?.Windows ?? 0) + 1,
                    statistics.Overruns,
                    statistics.SkippedPeriods,
                    Math.Max(_deviceLoop?.MaxJitterMicroseconds ?? 0, statistics.MaxJitterMicroseconds),
                    Math.Max(_deviceLoop?.MaxTickMicroseconds ?? 0, statistics.MaxTickMicroseconds));
                break;
            }

            default:
                break; // Heartbeats and anything else: signs of life only
        }
    }

    private int TickOf(uint tickIndex) => tickIndex < (uint)_ticksSent ? (int)tickIndex : -1;

    // The device must home exactly when the host's rig is not homed, or the run is not the one asked for.
    private string? CheckDeviceAgrees(int tick, ref TelemetryRecord record)
    {
        if (tick != 0 || !_telemetryArrived[0] || record.Mode == SupervisorMode.Fault)
        {
            return null;
        }

        if (_startHomed && record.Mode == SupervisorMode.Homing)
        {
            return "the device is homing but this run starts homed: start the device with --homed (or run hil without it)";
        }

        if (!_startHomed && record.Mode != SupervisorMode.Homing)
        {
            return "the device did not home but this run powers on unhomed: start the device without --homed (or run hil with --homed)";
        }

        return null;
    }

    // ---------------------------------------------------------------- report

    private HilReport BuildReport()
    {
        int ticks = _recorder.Log.Count;
        var latencies = new List<double>();
        var jitter = new List<double>();
        var schedule = new List<double>();
        double previous = double.NaN;
        int missingCommands = 0;
        int missingTelemetry = 0;
        int telemetryGaps = 0;
        int readingRetries = 0;
        for (int k = 0; k < ticks; k++)
        {
            readingRetries += _retries[k];
            if (!_settings.Lockstep)
            {
                schedule.Add(_scheduleError[k]);
            }

            if (_commandArrived[k])
            {
                double latency = (_commandTimestamp[k] - _sentTimestamp[k]) * 1e6 / Stopwatch.Frequency;
                latencies.Add(latency);
                if (!double.IsNaN(previous))
                {
                    jitter.Add(Math.Abs(latency - previous));
                }

                previous = latency;
            }
            else
            {
                missingCommands++;
                previous = double.NaN;
            }

            if (!_telemetryArrived[k])
            {
                missingTelemetry++;
                if (k == 0 || _telemetryArrived[k - 1])
                {
                    telemetryGaps++;
                }
            }
        }

        FrameDecoder decoder = _link.Decoder;
        return new HilReport(
            _settings.Lockstep ? HilDefaults.LockstepName : HilDefaults.RealTimeName,
            _settings.Port,
            _settings.BaudRate,
            new HilDeviceInfo(_helloAck.ProtocolVersion, $"{_helloAck.FirmwareMajor}.{_helloAck.FirmwareMinor}.{_helloAck.FirmwarePatch}", _helloAck.ControlPeriodMicroseconds, _helloAck.Flags),
            _ticksSent,
            readingRetries,
            missingCommands,
            _lateTicks,
            _staleCommands,
            Percentile(latencies, 0.5),
            Percentile(latencies, 0.99),
            latencies.Count > 0 ? Max(latencies) : null,
            Percentile(jitter, 0.5),
            Percentile(jitter, 0.99),
            _settings.Lockstep ? null : Percentile(schedule, 0.99),
            missingTelemetry,
            telemetryGaps,
            _telemetryLate,
            decoder.FramesAccepted,
            decoder.SequenceGaps,
            decoder.FramesMissed,
            decoder.DuplicateFrames,
            decoder.SequenceRestarts,
            HilRejectedFrames.From(decoder),
            _link.Injector?.Report(),
            _deviceFaults.ToArray(),
            _deviceLoop,
            _linkCut);
    }

    private HilTickLink[] BuildLinkRows()
    {
        int ticks = _recorder.Log.Count;
        var rows = new HilTickLink[ticks];
        long first = ticks > 0 ? _sentTimestamp[0] : 0;
        for (int k = 0; k < ticks; k++)
        {
            rows[k] = new HilTickLink(
                (_sentTimestamp[k] - first) * 1e6 / Stopwatch.Frequency,
                _settings.Lockstep ? double.NaN : _scheduleError[k],
                _commandArrived[k] ? (_commandTimestamp[k] - _sentTimestamp[k]) * 1e6 / Stopwatch.Frequency : double.NaN,
                _commandArrived[k] && !_settings.Lockstep && _commandTimestamp[k] - _sentTimestamp[k] >= _periodTicks,
                _retries[k],
                _telemetryArrived[k]);
        }

        return rows;
    }

    private static double? Percentile(List<double> values, double fraction) =>
        values.Count == 0 ? null : RunMetrics.Percentile(values.ToArray(), fraction);

    private static double Max(List<double> values)
    {
        double max = double.MinValue;
        foreach (double v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    private static uint Fnv1a(string text)
    {
        uint hash = 2166136261u;
        foreach (char c in text)
        {
            hash = (hash ^ (byte)c) * 16777619u;
        }

        return hash;
    }
}

/// <summary>One tick of a HIL run as the link saw it (a row of link.csv).</summary>
/// <param name="SentMicroseconds">When SensorReadings(k) went out, µs after the first.</param>
/// <param name="ScheduleErrorMicroseconds">Real time: how late after t0 + kP; NaN in lockstep.</param>
/// <param name="LatencyMicroseconds">From sending SensorReadings(k) to decoding MotorCommand(k), µs; NaN if it never came.</param>
/// <param name="Late">Real time: the command came after the next reading was due.</param>
/// <param name="Retries">Lockstep: times SensorReadings(k) was sent again.</param>
/// <param name="TelemetryReceived">Telemetry(k) arrived.</param>
public readonly record struct HilTickLink(double SentMicroseconds, double ScheduleErrorMicroseconds, double LatencyMicroseconds, bool Late, int Retries, bool TelemetryReceived);
