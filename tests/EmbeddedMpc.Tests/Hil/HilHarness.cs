using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.Tests.Simulator;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Hil;

/// <summary>
/// Two ends of a serial link on one PC: a pseudo-terminal pair made by
/// <c>socat -d -d pty,raw,echo=0,link=X pty,raw,echo=0,link=Y</c>, the virtual device
/// (<c>embeddedmpc-sim device</c>) on Y and `hil` runs on X, each a separate process started the way
/// <see cref="CliTests"/> starts the simulator. Disposing kills whatever is still running (socat first,
/// which closes the device's port so that it stops and writes its summary) and deletes the files.
/// </summary>
internal sealed class HilHarness : IDisposable
{
    private static readonly string Simulator = Path.Combine(AppContext.BaseDirectory, "embeddedmpc-sim.dll");

    // Bounds on waits for a condition, not expected durations: a process start-up or teardown takes well
    // under a second on an idle PC, but the suite also runs on two cores shared with several builds, where
    // starting the .NET runtime, JIT-compiling and warming the controller can take tens of seconds.
    // Each wait returns as soon as its condition holds; only a process that is really stuck reaches them.
    private static readonly TimeSpan StartUpTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ShutDownTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The device's own time limit (--seconds): longer than any test, so that a stuck test still ends the device.</summary>
    private const int DeviceSecondsLimit = 900;

    private readonly List<Process> _processes = new();
    private Process? _socat;
    private Process? _device;
    private readonly StringBuilder _deviceOutput = new();
    private readonly ManualResetEventSlim _deviceListening = new();

    private HilHarness(string directory)
    {
        Directory = directory;
        HostPort = Path.Combine(directory, "host");
        DevicePort = Path.Combine(directory, "device");
        DeviceSummaryPath = Path.Combine(directory, "device.json");
    }

    public string Directory { get; }

    /// <summary>The pty `hil` opens.</summary>
    public string HostPort { get; }

    /// <summary>The pty the device opens.</summary>
    public string DevicePort { get; }

    public string DeviceSummaryPath { get; }

    /// <summary>What the device printed so far.</summary>
    public string DeviceOutput
    {
        get
        {
            lock (_deviceOutput)
            {
                return _deviceOutput.ToString();
            }
        }
    }

    /// <summary>The full path of socat, or null when it is not installed.</summary>
    public static string? FindSocat()
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, "socat");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts socat with a fresh pty pair; Assert.Inconclusive when socat is missing.</summary>
    public static HilHarness Start()
    {
        string socat = FindSocat() ?? throw new AssertInconclusiveException(
            "socat is not installed (not on PATH); the HIL tests need it for a pseudo-terminal pair: apt-get install socat");
        string directory = Path.Combine(Path.GetTempPath(), "embeddedmpc-hil-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var harness = new HilHarness(directory);
        try
        {
            var start = new ProcessStartInfo(socat)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-d");
            start.ArgumentList.Add("-d");
            start.ArgumentList.Add($"pty,raw,echo=0,link={harness.HostPort}");
            start.ArgumentList.Add($"pty,raw,echo=0,link={harness.DevicePort}");
            harness._socat = Process.Start(start)!;
            harness._processes.Add(harness._socat);
            harness._socat.ErrorDataReceived += (_, _) => { };
            harness._socat.BeginErrorReadLine();
            var clock = Stopwatch.StartNew();
            while (!(File.Exists(harness.HostPort) && File.Exists(harness.DevicePort)))
            {
                if (clock.Elapsed > StartUpTimeout || harness._socat.HasExited)
                {
                    throw new AssertFailedException($"socat did not create the pty pair within {StartUpTimeout.TotalSeconds} s");
                }

                Thread.Sleep(20); // polling a condition, bounded above: not a timing assumption
            }

            return harness;
        }
        catch
        {
            harness.Dispose();
            throw;
        }
    }

    /// <summary>Starts the virtual device on the device pty and waits until it listens.</summary>
    public void StartDevice(params string[] arguments) =>
        StartDeviceProcess("device: listening", ["device", "--port", DevicePort, "--summary", DeviceSummaryPath, "--seconds", DeviceSecondsLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments]);

    /// <summary>Starts the virtual rig (`device --rig`) on the device pty and waits until it runs; a restart is a new process on the same pty pair.</summary>
    public void StartRig(params string[] arguments)
    {
        _deviceListening.Reset();
        lock (_deviceOutput)
        {
            _deviceOutput.AppendLine("--- start of the virtual rig ---");
        }

        StartDeviceProcess("device: rig mode on", ["device", "--rig", "--port", DevicePort, "--seconds", DeviceSecondsLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments]);
    }

    /// <summary>Sends SIGTERM to the virtual rig and waits for it to exit with 0.</summary>
    public void TerminateRig()
    {
        Assert.IsNotNull(_device, "no device was started");
        Assert.AreEqual(0, kill(_device.Id, SignalTerminate), "SIGTERM sent");
        if (!_device.WaitForExit(ShutDownTimeout))
        {
            Assert.Fail($"the virtual rig did not honour SIGTERM within {ShutDownTimeout.TotalSeconds} s:\n{DeviceOutput}");
        }

        _device.WaitForExit();
        Assert.AreEqual(0, _device.ExitCode, DeviceOutput);
    }

    private void StartDeviceProcess(string readyMarker, string[] arguments)
    {
        var start = SimulatorStart(arguments);
        _device = Process.Start(start)!;
        _processes.Add(_device);
        _device.OutputDataReceived += (_, line) =>
        {
            if (line.Data is null)
            {
                return;
            }

            lock (_deviceOutput)
            {
                _deviceOutput.AppendLine(line.Data);
            }

            if (line.Data.Contains(readyMarker, StringComparison.Ordinal))
            {
                _deviceListening.Set();
            }
        };
        _device.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                lock (_deviceOutput)
                {
                    _deviceOutput.AppendLine("stderr: " + line.Data);
                }
            }
        };
        _device.BeginOutputReadLine();
        _device.BeginErrorReadLine();
        // Listening is printed once the port is open; the device may still exit at once (a bad argument).
        var clock = Stopwatch.StartNew();
        while (!_deviceListening.Wait(TimeSpan.FromMilliseconds(200)) && !_device.HasExited && clock.Elapsed < StartUpTimeout)
        {
        }

        if (!_deviceListening.IsSet)
        {
            Assert.Fail($"the virtual device did not start listening (exited: {_device.HasExited}):\n{DeviceOutput}");
        }
    }

    /// <summary>Runs `hil` on the host pty to completion (killed after 120 s).</summary>
    public CliTests.CliResult RunHil(params string[] arguments) =>
        CliTests.Run(["hil", "--port", HostPort, .. arguments]);

    /// <summary>Closes the link (kills socat), waits for the device to stop on its closed port, and reads its summary.</summary>
    public DeviceReport StopDevice()
    {
        Assert.IsNotNull(_device, "no device was started");
        KillSocat();
        if (!_device.WaitForExit(ShutDownTimeout))
        {
            Assert.Fail($"the virtual device did not stop within {ShutDownTimeout.TotalSeconds} s of its port closing:\n{DeviceOutput}");
        }

        _device.WaitForExit(); // and its output has been read to the end
        Assert.AreEqual(0, _device.ExitCode, DeviceOutput);
        Assert.IsTrue(File.Exists(DeviceSummaryPath), $"no device summary:\n{DeviceOutput}");
        return DeviceReport.FromJson(File.ReadAllText(DeviceSummaryPath)) ?? throw new AssertFailedException("empty device summary");
    }

    /// <summary>
    /// Sends SIGTERM to the device and waits for it to exit (bounded by <see cref="ShutDownTimeout"/>, a
    /// bound for a loaded machine, not the expected time); returns its summary and how long the exit took.
    /// </summary>
    public (DeviceReport Report, TimeSpan ExitAfter) TerminateDevice()
    {
        Assert.IsNotNull(_device, "no device was started");
        var clock = Stopwatch.StartNew();
        Assert.AreEqual(0, kill(_device.Id, SignalTerminate), "SIGTERM sent");
        if (!_device.WaitForExit(ShutDownTimeout))
        {
            Assert.Fail($"the virtual device did not honour SIGTERM within {ShutDownTimeout.TotalSeconds} s:\n{DeviceOutput}");
        }

        TimeSpan exitAfter = clock.Elapsed;
        _device.WaitForExit();
        Assert.AreEqual(0, _device.ExitCode, DeviceOutput);
        StringAssert.Contains(DeviceOutput, "stopped (SIGTERM)");
        return (DeviceReport.FromJson(File.ReadAllText(DeviceSummaryPath)) ?? throw new AssertFailedException("empty device summary"), exitAfter);
    }

    private const int SignalTerminate = 15;

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    /// <summary>The summary.json `hil` (or `run`) wrote into <paramref name="directory"/>.</summary>
    public static RunSummary ReadSummary(string directory) =>
        RunSummary.FromJson(File.ReadAllText(Path.Combine(directory, "summary.json"))) ?? throw new AssertFailedException("empty summary.json");

    public void Dispose()
    {
        KillSocat();
        foreach (Process process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(ShutDownTimeout);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        _processes.Clear();
        _deviceListening.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file for a moment; the temporary directory is harmless.
        }
    }

    private void KillSocat()
    {
        if (_socat is { HasExited: false })
        {
            _socat.Kill(entireProcessTree: true);
            _socat.WaitForExit(ShutDownTimeout);
        }
    }

    private static ProcessStartInfo SimulatorStart(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Simulator);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
