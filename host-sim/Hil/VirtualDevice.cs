using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Hil;
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
/// A virtual HIL device: the device end of PROTOCOL.md as the firmware's HIL mode runs it, i.e. the
/// Core's <see cref="HilDevice"/> (frames, ticks, commands, configuration, link-loss rule, heartbeats,
/// loop statistics) behind a <see cref="SerialLink"/>, with a controller built by
/// <see cref="ControlStackBuilder"/> exactly as the simulator builds its own
/// (<see cref="VirtualDeviceController"/>).
/// </summary>
/// <remarks>
/// <para>Threads: the caller's thread reads the port and hands the bytes to the device, which runs a
/// control tick for each SensorReadings and writes its answer at once. A watchdog thread calls
/// <see cref="HilDevice.Poll"/> every millisecond while the motor may run (every 10 ms otherwise): the
/// link-loss rule and Heartbeats; every 200 ms it also checks the time limit and whether the port's
/// device node has gone (socat ended, adapter unplugged), and closes the port to end the reading. <see cref="HilDevice"/> is single-threaded, so both take one lock.
/// When bytes have arrived that the reading thread has not handed over yet (a busy PC), the watchdog
/// waits for them, as <see cref="LinkWatchdog"/> asks, rather than take them for silence.</para>
/// <para>Before it listens it runs <see cref="WarmUpTicks"/> ticks of a throwaway simulation with the same
/// controller, so that .NET's JIT, which the ESP32 does not have, does not delay the first real ticks.
/// As the firmware, it sends LoopStatistics every 5 s of ticks while a connection is open (free
/// memory and collection time 0: the host's runtime does not collect on purpose), and counts the bytes
/// the Core allocates per tick (after <see cref="RunRecorder.WarmUpTicks"/> ticks; the port's own
/// writes are not counted).</para>
/// </remarks>
public sealed class VirtualDevice : IDisposable
{
    /// <summary>Firmware version the virtual device reports in HelloAck: major.</summary>
    public const byte VersionMajor = 0;

    /// <summary>Firmware version: minor.</summary>
    public const byte VersionMinor = 1;

    /// <summary>Firmware version: patch.</summary>
    public const ushort VersionPatch = 0;

    /// <summary>Length of a LoopStatistics window, s (as the ESP32 firmware).</summary>
    public const int StatisticsPeriodSeconds = 5;

    private readonly VirtualDeviceSettings _settings;
    private readonly TextWriter _log;
    private readonly SerialLink _link;
    private readonly CountingTransmitter _transmitter;
    private readonly object _sync = new();
    private readonly HilMotorDriver _motor = new();
    private readonly StopwatchClock _clock = new();
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private readonly VirtualDeviceController _controller;
    private readonly HilDevice _device;
    private readonly List<double> _planningMicroseconds = new();
    private readonly List<string> _faults = new();
    private readonly List<DeviceLinkLoss> _linkLosses = new();

    private SupervisorMode _lastMode;
    private uint _sessions;
    private uint _configurationsApplied;
    private uint _configurationsRejected;
    private uint _commands;
    private uint _ticks;
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
        var sensors = new HilSensors();
        _controller = new VirtualDeviceController(settings.Controller, sensors, _motor, _clock);
        WarmUp(settings.Controller);
        _link = SerialLink.Open(settings.Port, settings.BaudRate);
        _transmitter = new CountingTransmitter(_link);
        _device = new HilDevice(_controller, sensors, _motor, _clock, _transmitter, VersionMajor, VersionMinor, VersionPatch);
        _lastMode = _device.Mode;
    }

    /// <summary>Ticks of a throwaway simulated run at start-up, so that the JIT has compiled the tick path before the first real tick.</summary>
    public const int WarmUpTicks = 50;

    // The ESP32 interprets IL from its first tick on; .NET compiles each method on its first call, which
    // would make the first ticks of a real-time run late by tens of milliseconds. A short simulated swing-up
    // with the same controller compiles the estimator, supervisor, planner and actuator first.
    private static void WarmUp(RunSettings controller)
    {
        var simulation = new ControlledRig(new RunSettings
        {
            Task = controller.Task,
            Planner = controller.Planner,
            ProfileName = controller.ProfileName,
            StartHomed = true,
        });
        var record = new TelemetryRecord();
        for (int tick = 0; tick < WarmUpTicks; tick++)
        {
            simulation.ControlTick(ref record);
            simulation.AdvancePlant();
        }
    }

    /// <summary>Asks <see cref="Run"/> to return (from any thread, e.g. a signal handler).</summary>
    public void RequestStop(string reason)
    {
        if (!_stopRequested)
        {
            _endReason = reason;
            _stopRequested = true;
            _link.Close(); // ends the read the receiving thread is waiting in
        }
    }

    /// <summary>Serves the link until the port closes, a limit is reached or <see cref="RequestStop"/>; returns the report.</summary>
    public DeviceReport Run()
    {
        var watchdog = new Thread(Watchdog) { IsBackground = true, Name = "hil-device-watchdog" };
        watchdog.Start();
        _log.WriteLine($"device: listening on {_settings.Port} at {_settings.BaudRate} baud ({_controller.Describe()})");
        _log.Flush();
        while (!_stopRequested)
        {
            if (!_link.ReceiveBytes(OnBytes))
            {
                RequestStop("port closed");
                break;
            }
        }

        watchdog.Join();
        lock (_sync)
        {
            _motor.SetDuty(0f);
            DeviceReport report = BuildReport();
            _log.WriteLine($"device: stopped ({_endReason}) after {report.Ticks} ticks; frames accepted {report.FramesAccepted}, rejected {report.FramesRejected.Total}, readings missed {report.ReadingsMissed}, link losses {report.LinkLosses.Length}");
            _log.Flush();
            return report;
        }
    }

    public void Dispose() => _link.Dispose();

    private void OnBytes(byte[] buffer, int count)
    {
        lock (_sync)
        {
            uint ticksBefore = _device.TicksRun;
            uint sessionsBefore = _device.Sessions;
            uint configurationsBefore = _device.ConfigurationsApplied;
            long transmittedBefore = _transmitter.AllocatedBytes;
            long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            _device.Receive(buffer, 0, count);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - bytesBefore - (_transmitter.AllocatedBytes - transmittedBefore);
            uint ticksRun = _device.TicksRun - ticksBefore;
            if (ticksRun > 0 && _device.Sessions == sessionsBefore && _device.ConfigurationsApplied == configurationsBefore)
            {
                if (_ticks >= RunRecorder.WarmUpTicks)
                {
                    _allocatedBytes += allocated;
                    _allocationTicks += ticksRun;
                }

                TelemetryRecord record = _device.LastRecord;
                if (record.ModelSteps > 0)
                {
                    _planningMicroseconds.Add(record.PlanningMicroseconds);
                }
            }

            _ticks += ticksRun;
            Report();
            if (_device.SessionOpen && _device.TicksInStatisticsWindow >= StatisticsPeriodSeconds * 1_000_000L / _device.Watchdog.ControlPeriodMicroseconds)
            {
                _device.SendLoopStatistics(0, 0);
            }

            if (_settings.MaxTicks is long maxTicks && _device.TicksRun >= maxTicks)
            {
                RequestStop("--ticks reached");
            }
        }
    }

    private void Watchdog()
    {
        bool motorMayRun = false;
        long nextPortCheck = 0;
        while (!_stopRequested)
        {
            // Millisecond checks while the motor may run; otherwise only heartbeats and the 500 ms rule are due.
            Thread.Sleep(motorMayRun ? 1 : 10);
            long now = Stopwatch.GetTimestamp();
            if (now >= nextPortCheck)
            {
                nextPortCheck = now + Stopwatch.Frequency / 5;
                if (_settings.MaxSeconds is double seconds && Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds >= seconds)
                {
                    RequestStop("--seconds reached");
                }
                else if (_link.CloseIfVanished())
                {
                    RequestStop("port closed");
                }
            }

            lock (_sync)
            {
                motorMayRun = DeviceCommands.MotorMayRun(_device.Mode);
                if (_link.HasUnreadBytes)
                {
                    continue; // the reading thread will hand them over first: bytes waiting are no silence
                }

                float dutyBefore = _motor.Duty;
                long silence = _device.Watchdog.SilenceMicroseconds(_clock.NowMicroseconds);
                LinkCheck check = _device.Poll();
                if (check == LinkCheck.LinkLost)
                {
                    var loss = new DeviceLinkLoss(_device.LastTickIndex, silence / 1000.0, dutyBefore, _motor.Duty);
                    _linkLosses.Add(loss);
                    string without = _device.Watchdog.Lockstep ? "a valid frame" : "SensorReadings";
                    _log.WriteLine($"device: link lost after {loss.SilenceMilliseconds:F1} ms without {without}; duty {dutyBefore:F3} -> {_motor.Duty:F3}");
                }
                else if (check == LinkCheck.HostGone)
                {
                    _log.WriteLine("device: host gone (500 ms without a valid frame); waiting for a Hello");
                }

                Report();
            }
        }
    }

    // Logs what the device did since the last call, from its counters and mode (under the lock).
    private void Report()
    {
        if (_device.Sessions != _sessions)
        {
            _sessions = _device.Sessions;
            _log.WriteLine($"device: hello, {ModeName(_device.SessionFlags)}, flags 0x{_device.SessionFlags:X}");
        }

        if (_device.ConfigurationsApplied != _configurationsApplied)
        {
            _configurationsApplied = _device.ConfigurationsApplied;
            _log.WriteLine($"device: configuration applied: {_controller.DescribeConfiguration()}");
        }

        if (_device.ConfigurationsRejected != _configurationsRejected)
        {
            _configurationsRejected = _device.ConfigurationsRejected;
            _log.WriteLine($"device: configuration refused: {_controller.LastRefusal ?? "not in Idle, Ready or Fault"}");
        }

        if (_device.CommandsHandled != _commands)
        {
            _commands = _device.CommandsHandled;
            _log.WriteLine($"device: command handled, mode {ModeNames.Of(_device.Mode)}");
        }

        SupervisorMode mode = _device.Mode;
        if (mode == SupervisorMode.Fault && _lastMode != SupervisorMode.Fault)
        {
            string reason = ModeNames.Of(_device.Loop.Supervisor.Fault);
            _faults.Add(reason);
            _log.WriteLine($"device: fault {reason} at tick {_device.LastTickIndex}");
        }

        _lastMode = mode;
        _log.Flush();
    }

    private static string ModeName(uint sessionFlags) =>
        (sessionFlags & HelloMessage.FlagLockstep) != 0 ? HilDefaults.LockstepName : HilDefaults.RealTimeName;

    private DeviceReport BuildReport()
    {
        RunSettings c = _settings.Controller;
        FrameDecoder decoder = _device.Decoder;
        return new DeviceReport(_settings.Port, _settings.BaudRate, c.ProfileName, c.Planner, RunSettings.TaskName(c.Task), _controller.StartsHomed,
            _endReason, _device.Sessions > 0 ? ModeName(_device.SessionFlags) : null, (int)_device.Sessions,
            (int)_device.ConfigurationsApplied, (int)_device.ConfigurationsRejected, (int)_device.CommandsHandled, _device.TicksRun,
            _device.ReadingGaps, _device.ReadingsMissed, _device.RepeatedReadings, _device.StaleReadings, _device.UnexpectedFrames,
            _allocationTicks > 0 ? _allocatedBytes / (double)_allocationTicks : null,
            _planningMicroseconds.Count > 0 ? RunMetrics.Percentile(_planningMicroseconds.ToArray(), 0.5) : null,
            _device.Overruns, decoder.FramesAccepted, HilRejectedFrames.From(decoder), decoder.SequenceGaps, decoder.FramesMissed,
            decoder.DuplicateFrames, decoder.SequenceRestarts, _link.WriteFailures, _faults.ToArray(), _linkLosses.ToArray());
    }

    // Passes frames on to the port and counts what the port's writes allocate (SerialPort's, not the Core's).
    private sealed class CountingTransmitter : ILinkTransmitter
    {
        private readonly SerialLink _link;

        public CountingTransmitter(SerialLink link) => _link = link;

        public long AllocatedBytes { get; private set; }

        public void Transmit(byte[] buffer, int offset, int count)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            _link.Transmit(buffer, offset, count);
            AllocatedBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }
}

/// <summary>
/// The virtual device's controller (<see cref="IHilController"/>): the controller of
/// <see cref="ControlStackBuilder"/>, i.e. `run`'s, for the device's own planner kind, task and homing,
/// with the profile and sizes of the last accepted Configuration (<see cref="HilConfiguration"/>).
/// </summary>
public sealed class VirtualDeviceController : IHilController
{
    private readonly RunSettings _deviceSettings;
    private readonly RigProfile _baseProfile;
    private readonly IRigSensors _sensors;
    private readonly IMotorDriver _motor;
    private readonly IMicrosecondClock _clock;
    private RigProfile _profile;
    private RunSettings _controller;
    private ControlStack _stack;

    /// <exception cref="ArgumentException">The profile measures the state exactly, or a setting is out of range.</exception>
    public VirtualDeviceController(RunSettings deviceSettings, IRigSensors sensors, IMotorDriver motor, IMicrosecondClock clock)
    {
        _deviceSettings = deviceSettings;
        _baseProfile = deviceSettings.ResolveProfile();
        if (!ControlStackBuilder.HasEncoders(_baseProfile))
        {
            throw new ArgumentException($"--profile {_baseProfile.Name} measures the state exactly; the serial protocol carries encoder counts: use {RigProfiles.Esp32RigName} or {RigProfiles.QuanserIp02Name}.");
        }

        _sensors = sensors;
        _motor = motor;
        _clock = clock;
        _profile = _baseProfile;
        _controller = deviceSettings;
        _stack = Build(_controller, _profile);
    }

    /// <summary>As `run`: homed if asked, and always for a balance task (homing needs the pole hanging).</summary>
    public bool StartsHomed => _deviceSettings.ResolveStartHomed(_baseProfile);

    /// <summary>Why the last Configuration was refused, or null.</summary>
    public string? LastRefusal { get; private set; }

    /// <inheritdoc />
    public ControlLoop Loop => _stack.Loop;

    /// <inheritdoc />
    public uint ControlPeriodMicroseconds => (uint)(_profile.ControlPeriodSeconds * 1000000f + 0.5f);

    /// <inheritdoc />
    public void PowerOn()
    {
        _stack = Build(_controller, _profile);
    }

    /// <inheritdoc />
    public AckStatus Configure(ref ConfigurationMessage configuration)
    {
        try
        {
            RigProfile profile = configuration.ToProfile(_baseProfile);
            if (!ControlStackBuilder.HasEncoders(profile))
            {
                throw new ArgumentException("CartCountsPerMeter and PoleCountsPerRevolution must be above 0: this device estimates the state from encoder counts.");
            }

            RunSettings controller = HilConfiguration.ToSettings(ref configuration, _deviceSettings, profile);
            ControlStack stack = Build(controller, profile);
            _profile = profile;
            _controller = controller;
            _stack = stack;
            LastRefusal = null;
            return AckStatus.Accepted;
        }
        catch (ArgumentException error)
        {
            LastRefusal = error.Message;
            return AckStatus.InvalidValue;
        }
    }

    /// <summary>One line for the log: profile, planner, task, homing.</summary>
    public string Describe() =>
        $"{_profile.Name}, {_controller.Planner}, {RunSettings.TaskName(_controller.Task)}, {(StartsHomed ? "homed" : "not homed")}";

    /// <summary>One line for the log: the configured period and planner sizes.</summary>
    public string DescribeConfiguration()
    {
        PlannerSizes sizes = _stack.Planner.Sizes;
        return $"period {ControlPeriodMicroseconds} µs, {_controller.Planner} {sizes.Samples} samples x {sizes.Iterations} iterations, horizon {sizes.HorizonSteps} steps, seed {_controller.Seed}";
    }

    private ControlStack Build(RunSettings controller, RigProfile profile) =>
        ControlStackBuilder.Build(controller, profile, _sensors, _motor, _clock, StartsHomed);
}
