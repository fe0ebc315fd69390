using System;
using System.Collections.Concurrent;
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
/// <para>Threads, shaped as the firmware's HIL loop: a reading thread only reads the port (a blocking read;
/// see <see cref="SerialLink"/>) and queues what it read. The device loop, on the caller's thread, owns the
/// <see cref="HilDevice"/>: it hands over at most <see cref="MaxChunksPerPoll"/> queued chunks (a
/// SensorReadings runs its tick and is answered at once), then calls <see cref="HilDevice.Poll"/> (the
/// link-loss rule on the monotonic clock, and Heartbeats), then waits up to a millisecond for more. So no
/// stream of bytes, however fast, keeps the link-loss rule from running, and a tick, which the
/// Configuration's work limit (<see cref="ModelStepsPerSecond"/>) keeps well within one period, is the
/// longest the rule can wait. Every 200 ms the loop also checks the time limit and whether the port's
/// device node has gone (socat ended, adapter unplugged). <see cref="RequestStop"/> (SIGTERM, Ctrl+C)
/// closes the port and the loop ends within a tick.</para>
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

    /// <summary>
    /// The most work a Configuration may ask of this device, in model steps per second of control period
    /// (8,000 model steps per 20 ms tick). Measured on a 2-core x86-64 PC shared with parallel builds, .NET 10
    /// Debug build: 400 to 720 ns per model step (median of `run --planner cem` and `cem-pets` ticks), so
    /// 8,000 steps take 3 to 6 ms: a tick keeps within a third of its period with room for a loaded machine,
    /// and the watchdog's deadline is never behind a tick.
    /// </summary>
    public const int ModelStepsPerSecond = 400_000;

    /// <summary>Chunks of received bytes handed to the device before the link-loss rule runs again, as the firmware's HIL loop.</summary>
    public const int MaxChunksPerPoll = 8;

    /// <summary>Length of a LoopStatistics window, s (as the ESP32 firmware).</summary>
    public const int StatisticsPeriodSeconds = 5;

    private readonly VirtualDeviceSettings _settings;
    private readonly TextWriter _log;
    private readonly SerialLink _link;
    private readonly CountingTransmitter _transmitter;
    private readonly ConcurrentQueue<byte[]> _received = new();   // chunks the reading thread read, in order
    private readonly SemaphoreSlim _receivedSignal = new(0);
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
    private uint _refusedBeforeHello;
    private long _lastPollTimestamp;
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
        _controller = new VirtualDeviceController(settings.Controller, sensors, _motor, _clock,
            () => _device is not null && (_device.SessionFlags & HelloMessage.FlagLockstep) != 0);
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
        var reader = new Thread(ReadPort) { IsBackground = true, Name = "hil-device-reader", Priority = ThreadPriority.AboveNormal };
        reader.Start();
        _log.WriteLine($"device: listening on {_settings.Port} at {_settings.BaudRate} baud ({_controller.Describe()})");
        _log.Flush();
        long nextPortCheck = 0;
        while (!_stopRequested)
        {
            int chunks = 0;
            while (chunks < MaxChunksPerPoll && _received.TryDequeue(out byte[]? chunk))
            {
                HandBytes(chunk);
                chunks++;
            }

            PollLink();
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

            if (chunks == 0)
            {
                _receivedSignal.Wait(1); // bytes wake the loop at once; otherwise the rule runs every millisecond
            }
        }

        reader.Join(TimeSpan.FromSeconds(5)); // the port is closed: its read has returned or is about to
        _motor.SetDuty(0f);
        DeviceReport report = BuildReport();
        _log.WriteLine($"device: stopped ({_endReason}) after {report.Ticks} ticks; frames accepted {report.FramesAccepted}, rejected {report.FramesRejected.Total}, readings missed {report.ReadingsMissed}, link losses {report.LinkLosses.Length}");
        _log.Flush();
        return report;
    }

    public void Dispose()
    {
        _link.Dispose();
        _receivedSignal.Dispose();
    }

    // The reading thread: whatever the port delivers, copied and queued for the device loop.
    private void ReadPort()
    {
        while (!_stopRequested)
        {
            bool open = _link.ReceiveBytes((buffer, count) =>
            {
                var chunk = new byte[count];
                Array.Copy(buffer, chunk, count);
                _received.Enqueue(chunk);
                _receivedSignal.Release();
            });
            if (!open)
            {
                RequestStop("port closed");
                return;
            }
        }
    }

    private void HandBytes(byte[] chunk)
    {
        uint ticksBefore = _device.TicksRun;
        uint sessionsBefore = _device.Sessions;
        uint configurationsBefore = _device.ConfigurationsApplied;
        long transmittedBefore = _transmitter.AllocatedBytes;
        long bytesBefore = GC.GetAllocatedBytesForCurrentThread();
        _device.Receive(chunk, 0, chunk.Length);
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

    private void PollLink()
    {
        long previousPoll = _lastPollTimestamp;
        _lastPollTimestamp = Stopwatch.GetTimestamp();
        float dutyBefore = _motor.Duty;
        long silence = _device.Watchdog.SilenceMicroseconds(_clock.NowMicroseconds);
        LinkCheck check = _device.Poll();
        if (check == LinkCheck.LinkLost)
        {
            double loopGap = previousPoll == 0 ? 0 : (_lastPollTimestamp - previousPoll) * 1000.0 / Stopwatch.Frequency;
            var loss = new DeviceLinkLoss(_device.LastTickIndex, silence / 1000.0, dutyBefore, _motor.Duty, loopGap);
            _linkLosses.Add(loss);
            _log.WriteLine($"device: link lost after {loss.SilenceMilliseconds:F1} ms without a fresh SensorReadings; duty {dutyBefore:F3} -> {_motor.Duty:F3} (loop gap {loopGap:F1} ms)");
        }
        else if (check == LinkCheck.HostGone)
        {
            _log.WriteLine("device: host gone (500 ms without a valid frame); waiting for a Hello");
        }

        Report();
    }

    // Logs what the device did since the last call, from its counters and mode (under the lock).
    private void Report()
    {
        if (_device.Sessions != _sessions)
        {
            _sessions = _device.Sessions;
            _log.WriteLine($"device: hello, {ModeName(_device.SessionFlags)}, flags 0x{_device.SessionFlags:X}");
        }

        if (_device.RefusedBeforeHello != _refusedBeforeHello)
        {
            _refusedBeforeHello = _device.RefusedBeforeHello;
            _log.WriteLine("device: refused a frame before any Hello (Ack NotConnected): the link watchdog is not armed");
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
            decoder.DuplicateFrames, decoder.SequenceRestarts, _link.WriteFailures, _faults.ToArray(), _linkLosses.ToArray(), _device.RefusedBeforeHello);
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
