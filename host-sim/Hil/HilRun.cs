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

/// <summary>How a HIL run ended.</summary>
public enum HilEnd
{
    /// <summary>The run went to its end (the link cut of a test aid included).</summary>
    Completed,

    /// <summary>The device refused the run's Configuration or Start, or is set up for another run (its homing differs): the settings are at fault.</summary>
    Refused,

    /// <summary>The link failed: no answer, the device went silent, or the port closed.</summary>
    LinkFailed,
}

/// <summary>The outcome of a HIL run: the run (null if it never started), how it ended and what went wrong.</summary>
public sealed record HilOutcome(RunResult? Result, HilEnd End, string? Error);

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
public sealed partial class HilRun
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
    private readonly List<AckMessage> _acks = new();
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
            return new HilOutcome(null, HilEnd.LinkFailed, error);
        }

        RequestAnswer answer = Request(DeviceRequest.Configuration);
        if (answer.End != HilEnd.Completed)
        {
            return new HilOutcome(null, answer.End, answer.Error);
        }

        answer = Request(DeviceRequest.Start);
        if (answer.Status == AckStatus.WrongMode)
        {
            // A device still in Fault from an earlier session (the firmware keeps its mode): reset it, start again.
            answer = Request(DeviceRequest.Reset);
            if (answer.End == HilEnd.Completed)
            {
                answer = Request(DeviceRequest.Start);
            }
        }

        if (answer.End != HilEnd.Completed)
        {
            return new HilOutcome(null, answer.End, answer.Error);
        }

        _log.WriteLine($"hil: {(_settings.Lockstep ? HilDefaults.LockstepName : HilDefaults.RealTimeName)} run on {_settings.Port}: {RunSettings.TaskName(_run.Task)}, {_run.Planner}, {_run.ProfileName}, seed {_run.Seed}");
        (HilEnd end, string? runError) = _settings.Lockstep ? RunLockstep() : RunRealTime();
        if (_linkCut is null && !_link.IsClosed)
        {
            RequestAnswer stop = Request(DeviceRequest.Stop);
            if (stop.Error is not null)
            {
                _log.WriteLine($"hil: warning: {stop.Error}");
            }
        }

        StopReceiver();
        RunResult result = _recorder.Finish(_planner) with { Hil = BuildReport(), Link = BuildLinkRows() };
        return new HilOutcome(result, end, runError);
    }
}
