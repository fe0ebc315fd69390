using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Threading;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hil;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.Core.Protocol;
using EmbeddedMpc.Core.Rig;
using EmbeddedMpc.Core.Safety;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.HostSim.Simulation;

namespace EmbeddedMpc.HostSim.Hil;

/// <summary>What the virtual rig runs: its port, the simulated rig and controller (as `run`), its store and when to stop.</summary>
public sealed class VirtualRigSettings
{
    public string Port { get; init; } = "";

    public int BaudRate { get; init; } = HilDefaults.BaudRate;

    /// <summary>The simulated rig and the controller built around it, as `run` builds them: profile (also the rig's built-in model), plant, reality, planner, seed.</summary>
    public RunSettings Controller { get; init; } = new();

    /// <summary>The file that keeps a model sent (the board's flash); null: nothing is kept.</summary>
    public string? StorePath { get; init; }

    /// <summary>Stop after this many seconds of wall-clock time; null: no limit.</summary>
    public double? MaxSeconds { get; init; }
}

/// <summary>
/// A virtual rig in rig mode: the Core's <see cref="RigModeDevice"/> (what the firmware runs in rig mode) around the
/// simulated rig of `run` (<see cref="ControlledRig.CreateRig"/>, powered on un-homed with the pole hanging) and a
/// controller built by <see cref="ControlStackBuilder"/>, ticking on the wall clock at the profile's period whether
/// or not a host listens: Telemetry streams from start-up, commands and Configurations are answered, a model sent is
/// kept in <see cref="VirtualRigSettings.StorePath"/>.
/// </summary>
/// <remarks>
/// Threads: a reading thread queues what the port delivers; a writing thread sends what the rig transmits, from a
/// bounded queue (frames are dropped, and counted, when nobody drains the port: a UART never blocks the firmware's
/// loop, and a host that stops reading must not stall the rig); the control loop, on the caller's thread, hands the
/// received bytes to the device, runs one tick at each deadline t0 + k P and advances the plant by one period. It
/// sends LoopStatistics every 5 s (free memory unknown: -1 in Telemetry).
/// </remarks>
public sealed class VirtualRig : IDisposable
{
    /// <summary>Frames waiting for the port at most; beyond it, new frames are dropped.</summary>
    public const int MaxQueuedWrites = 256;

    private readonly VirtualRigSettings _settings;
    private readonly TextWriter _log;
    private readonly SerialLink _link;
    private readonly RigHardware _hardware;
    private readonly StopwatchClock _clock = new();
    private readonly RigModeDevice _device;
    private readonly int _substeps;
    private readonly ConcurrentQueue<byte[]> _received = new();
    private readonly BlockingCollection<byte[]> _toSend = new(MaxQueuedWrites);
    private readonly long _startTimestamp = Stopwatch.GetTimestamp();
    private volatile bool _stopRequested;
    private string _endReason = "";
    private long _droppedWrites;
    private uint _configurationsApplied;
    private uint _configurationsRejected;
    private uint _commands;
    private uint _sessions;
    private SupervisorMode _lastMode;
    private RigActivity _lastActivity;

    /// <summary>Builds the simulated rig and the device (loading the stored model), and opens the port.</summary>
    /// <exception cref="ArgumentException">A setting is out of range, or the port cannot be opened.</exception>
    public VirtualRig(VirtualRigSettings settings, TextWriter log)
    {
        _settings = settings;
        _log = log;
        settings.Controller.Validate();
        RigProfile profile = settings.Controller.ResolveProfile();
        if (!ControlStackBuilder.HasEncoders(profile))
        {
            throw new ArgumentException($"--profile {profile.Name} measures the state exactly; rig mode needs a rig with encoders and limit switches.");
        }

        _hardware = ControlledRig.CreateRig(settings.Controller, profile, startHomed: false);
        _substeps = _hardware.StepsPerControlPeriod(profile.ControlPeriodSeconds);
        IModelStore? store = settings.StorePath is null ? null : new VirtualRigStore(settings.StorePath);
        _device = new RigModeDevice(new Controller(settings.Controller, _hardware, _clock), profile, store!, new QueueTransmitter(this),
            VirtualDevice.VersionMajor, VirtualDevice.VersionMinor, VirtualDevice.VersionPatch);
        _lastMode = _device.Mode;
        WarmUp(settings.Controller);
        _link = SerialLink.Open(settings.Port, settings.BaudRate);
    }

    // The ESP32 interprets IL from its first tick on; .NET compiles each method at its first call, which would
    // make the first real ticks late by tens of milliseconds. A throwaway simulated swing-up and excitation with
    // the same controller compiles the tick path first (as the virtual HIL device does).
    private static void WarmUp(RunSettings controller)
    {
        foreach (ControlTask task in new[] { ControlTask.SwingUp, ControlTask.Excite })
        {
            var simulation = new ControlledRig(new RunSettings
            {
                Task = task,
                Planner = controller.Planner,
                ProfileName = controller.ProfileName,
                StartHomed = true,
            });
            var record = new TelemetryRecord();
            for (int tick = 0; tick < VirtualDevice.WarmUpTicks; tick++)
            {
                simulation.ControlTick(ref record);
                simulation.AdvancePlant();
            }
        }
    }

    /// <summary>The device, for tests.</summary>
    public RigModeDevice Device => _device;

    /// <summary>In words: where the model in use came from.</summary>
    public static string DescribeModel(uint modelId, ModelSource source) => source switch
    {
        ModelSource.Stored => $"model 0x{modelId:X8} (stored)",
        ModelSource.BuiltIn => $"model 0x{modelId:X8} (built-in profile; nothing stored)",
        ModelSource.BuiltInStoredCorrupt => $"model 0x{modelId:X8} (built-in profile: the stored model is corrupt or invalid)",
        ModelSource.Unsaved => $"model 0x{modelId:X8} (applied, not stored)",
        _ => $"model 0x{modelId:X8} (source {(byte)source})",
    };

    /// <summary>
    /// In words: the model's masses, pole length and dry frictions (the values a user checks after sending an identified
    /// profile; 4 significant digits).
    /// </summary>
    public static string DescribeParameters(CartPoleParameters p) =>
        FormattableString.Invariant($"cart {p.CartMassKilograms:G4} kg, pole {p.PoleMassKilograms:G4} kg, l {p.PivotToCenterOfMassMeters:G4} m, ")
        + FormattableString.Invariant($"cart friction {p.CartCoulombFrictionNewtons:G4} N, pivot friction {p.PivotCoulombFrictionNewtonMeters:G4} N·m");

    /// <summary>Asks <see cref="Run"/> to return (from any thread, e.g. a signal handler).</summary>
    public void RequestStop(string reason)
    {
        if (!_stopRequested)
        {
            _endReason = reason;
            _stopRequested = true;
            _link.Close();
        }
    }

    /// <summary>Runs the rig until the port closes, the time limit or <see cref="RequestStop"/>.</summary>
    public void Run()
    {
        var reader = new Thread(ReadPort) { IsBackground = true, Name = "rig-reader" };
        var writer = new Thread(WritePort) { IsBackground = true, Name = "rig-writer" };
        reader.Start();
        writer.Start();
        RunSettings c = _settings.Controller;
        _log.WriteLine($"device: rig mode on {_settings.Port} at {_settings.BaudRate} baud (profile {c.ProfileName}, plant {Plants.PlantNames.Of(c.Plant)}, planner {c.Planner}, "
            + $"period {_device.ControlPeriodMicroseconds} us); {DescribeModel(_device.ModelId, _device.ModelSource)}: {DescribeParameters(_device.Profile.CopyParameters())}"
            + (_settings.StorePath is null ? "; no --store: a model sent is not kept" : $"; store {_settings.StorePath}"));
        _log.Flush();

        long period = _device.ControlPeriodMicroseconds;
        long due = _clock.NowMicroseconds + period;
        long statisticsEvery = 5_000_000 / period;
        long ticks = 0;
        long maxJitter = 0;
        var statistics = new LoopStatisticsMessage();
        while (!_stopRequested)
        {
            WaitUntil(due);
            long start = _clock.NowMicroseconds;
            while (_received.TryDequeue(out byte[]? chunk))
            {
                _device.Receive(chunk, 0, chunk.Length, start);
            }

            _device.Tick(start, due, buttonHeld: false);
            for (int s = 0; s < _substeps; s++)
            {
                _hardware.Step();
            }

            maxJitter = Math.Max(maxJitter, Math.Abs(start - due));
            due += period;
            long end = _clock.NowMicroseconds;
            if (end > due)
            {
                long missed = (end - due) / period + 1;
                statistics.SkippedPeriods += (uint)missed;
                due += missed * period;
            }

            if (++ticks % statisticsEvery == 0)
            {
                statistics.TickIndex = _device.LastTickIndex;
                statistics.MaxJitterMicroseconds = (uint)maxJitter;
                _device.SendLoopStatistics(ref statistics, end);
                maxJitter = 0;
            }

            Report();
            if (_settings.MaxSeconds is double seconds && Stopwatch.GetElapsedTime(_startTimestamp).TotalSeconds >= seconds)
            {
                RequestStop("--seconds reached");
            }
            else if (ticks % 10 == 0 && _link.CloseIfVanished())
            {
                RequestStop("port closed");
            }
        }

        _hardware.SetDuty(0f);
        _toSend.CompleteAdding();
        writer.Join(TimeSpan.FromSeconds(2));
        reader.Join(TimeSpan.FromSeconds(2));
        _log.WriteLine($"device: stopped ({_endReason}) after {ticks} ticks; {DescribeModel(_device.ModelId, _device.ModelSource)}; "
            + $"configurations applied {_device.ConfigurationsApplied}, refused {_device.ConfigurationsRejected}; frames dropped unsent {Interlocked.Read(ref _droppedWrites)}");
        _log.Flush();
    }

    public void Dispose()
    {
        _link.Dispose();
        _toSend.Dispose();
    }

    private void WaitUntil(long dueMicroseconds)
    {
        while (true)
        {
            long remaining = dueMicroseconds - _clock.NowMicroseconds;
            if (remaining <= 0 || _stopRequested)
            {
                return;
            }

            if (remaining > 2000)
            {
                Thread.Sleep((int)((remaining - 1000) / 1000));
            }
            else
            {
                Thread.SpinWait(50);
            }
        }
    }

    private void ReadPort()
    {
        while (!_stopRequested)
        {
            bool open = _link.ReceiveBytes((buffer, count) =>
            {
                var chunk = new byte[count];
                Array.Copy(buffer, chunk, count);
                _received.Enqueue(chunk);
            });
            if (!open)
            {
                RequestStop("port closed");
                return;
            }
        }
    }

    private void WritePort()
    {
        try
        {
            foreach (byte[] frame in _toSend.GetConsumingEnumerable())
            {
                _link.Transmit(frame, 0, frame.Length);
            }
        }
        catch (ObjectDisposedException)
        {
            // stopping
        }
    }

    // Logs what changed since the last tick, from the device's counters.
    private void Report()
    {
        if (_device.Sessions != _sessions)
        {
            _sessions = _device.Sessions;
            _log.WriteLine($"device: hello, streams 0x{_device.SessionFlags:X}; {DescribeModel(_device.ModelId, _device.ModelSource)}");
        }

        if (_device.ConfigurationsApplied != _configurationsApplied)
        {
            _configurationsApplied = _device.ConfigurationsApplied;
            CartPoleParameters p = _device.Profile.CopyParameters();
            _log.WriteLine($"device: configuration applied: {DescribeModel(_device.ModelId, _device.ModelSource)}: {DescribeParameters(p)}");
        }

        if (_device.ConfigurationsRejected != _configurationsRejected)
        {
            _configurationsRejected = _device.ConfigurationsRejected;
            _log.WriteLine("device: configuration refused");
        }

        SupervisorMode mode = _device.Mode;
        if (_device.CommandsHandled != _commands || _device.Activity != _lastActivity)
        {
            _commands = _device.CommandsHandled;
            _lastActivity = _device.Activity;
            _log.WriteLine($"device: mode {ModeNames.Of(mode)}, activity {_device.Activity}");
        }

        if (mode == SupervisorMode.Fault && _lastMode != SupervisorMode.Fault)
        {
            _log.WriteLine($"device: fault {ModeNames.Of(_device.Loop.Supervisor.Fault)} at tick {_device.LastTickIndex}");
        }

        _lastMode = mode;
        _log.Flush();
    }

    /// <summary>Builds the loop as `run` does, for the profile the device runs, around the simulated rig.</summary>
    private sealed class Controller : IRigController
    {
        private readonly RunSettings _settings;
        private readonly RigHardware _hardware;
        private readonly StopwatchClock _clock;

        public Controller(RunSettings settings, RigHardware hardware, StopwatchClock clock)
        {
            _settings = settings;
            _hardware = hardware;
            _clock = clock;
        }

        public ControlLoop Build(RigProfile profile)
        {
            ControlLoop loop = ControlStackBuilder.Build(_settings, profile, _hardware, _hardware, _clock, startHomed: false).Loop;
            loop.StopsPlanningAtBudget = true; // as the firmware: planning stops at the budget, the tick keeps its period
            return loop;
        }
    }

    /// <summary>Copies each frame into the writing thread's queue; drops it when the queue is full.</summary>
    private sealed class QueueTransmitter : ILinkTransmitter
    {
        private readonly VirtualRig _rig;

        public QueueTransmitter(VirtualRig rig) => _rig = rig;

        public void Transmit(byte[] buffer, int offset, int count)
        {
            var copy = new byte[count];
            Array.Copy(buffer, offset, copy, 0, count);
            if (_rig._toSend.IsAddingCompleted || !_rig._toSend.TryAdd(copy))
            {
                Interlocked.Increment(ref _rig._droppedWrites);
            }
        }
    }
}
