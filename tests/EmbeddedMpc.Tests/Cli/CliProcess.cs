using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Cli;

/// <summary>
/// The built simulator (embeddedmpc-sim.dll beside the tests) run as a user runs it, in its own process:
/// to completion (<see cref="Run"/>), or started, watched line by line on standard error and sent a
/// signal (<see cref="Start"/>), which an in-process call cannot test.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    /// <summary>Longest a command of these tests may take; a hang fails the test instead of the suite.</summary>
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(180);

    private readonly Process _process;
    private readonly StringBuilder _standardOutput = new();
    private readonly BlockingCollection<string> _errorLines = new();
    private readonly StringBuilder _standardError = new();

    private CliProcess(string workingDirectory, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "embeddedmpc-sim.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_standardOutput)
                {
                    _standardOutput.AppendLine(e.Data);
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _errorLines.CompleteAdding();
                return;
            }

            lock (_standardError)
            {
                _standardError.AppendLine(e.Data);
            }

            _errorLines.Add(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the simulator with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    public static CliProcess Start(string workingDirectory, params string[] arguments) => new(workingDirectory, arguments);

    /// <summary>Runs the simulator to completion.</summary>
    public static CliResult Run(string workingDirectory, params string[] arguments)
    {
        using CliProcess process = Start(workingDirectory, arguments);
        return process.WaitForExit();
    }

    /// <summary>Blocks until standard error shows a line containing <paramref name="text"/>; fails if the process ends first.</summary>
    public string WaitForErrorLine(string text)
    {
        foreach (string line in _errorLines.GetConsumingEnumerable(new CancellationTokenSource(s_timeout).Token))
        {
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return line;
            }
        }

        Assert.Fail($"the simulator ended without printing '{text}'; {WaitForExit()}");
        return "";
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. "INT", "TERM") to the process, as Ctrl+C or a service manager would.</summary>
    public void Signal(string signal)
    {
        using Process kill = Process.Start("kill", ["-s", signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        Assert.AreEqual(0, kill.ExitCode, $"kill -s {signal} failed");
    }

    /// <summary>
    /// Ctrl+C: SIGINT, or SIGTERM where SIGINT cannot arrive. A process started with SIGINT ignored (a
    /// background job of a non-interactive shell, e.g. a test run started with <c>&amp;</c>) passes that on to
    /// its children, and .NET keeps an inherited ignore of SIGINT; the simulator handles both signals alike.
    /// </summary>
    public void Interrupt() => Signal(SigintIgnoredHere() ? "TERM" : "INT");

    private static bool SigintIgnoredHere()
    {
        string? mask = File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal))?["SigIgn:".Length..].Trim()
            : null;
        return mask is not null && (Convert.ToUInt64(mask, 16) & (1UL << (2 - 1))) != 0; // bit of signal 2 (SIGINT)
    }

    /// <summary>Waits for the process to end and returns what it printed.</summary>
    public CliResult WaitForExit()
    {
        if (!_process.WaitForExit(s_timeout))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"the simulator did not finish within {s_timeout.TotalSeconds} s");
        }

        _process.WaitForExit(); // drains the asynchronous readers
        lock (_standardOutput)
        {
            lock (_standardError)
            {
                return new CliResult(_process.ExitCode, _standardOutput.ToString(), _standardError.ToString());
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

/// <summary>How a command ended.</summary>
internal sealed record CliResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Lines of standard error.</summary>
    public string[] ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}

/// <summary>A fresh directory per test, deleted afterwards.</summary>
public abstract class CliTestBase
{
    protected string WorkDirectory { get; private set; } = "";

    [TestInitialize]
    public void CreateWorkDirectory()
    {
        WorkDirectory = Path.Combine(Path.GetTempPath(), "embeddedmpc-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(WorkDirectory);
    }

    [TestCleanup]
    public void DeleteWorkDirectory() => Directory.Delete(WorkDirectory, recursive: true);

    /// <summary>Entries of the work directory whose name says they are staging debris.</summary>
    protected string[] StagingDebris() =>
        Directory.GetFileSystemEntries(WorkDirectory, "*", SearchOption.AllDirectories).Where(p => Path.GetFileName(p).Contains(".staging-", StringComparison.Ordinal)).ToArray();

    internal CliResult Run(params string[] arguments) => CliProcess.Run(WorkDirectory, arguments);

    /// <summary>Polls <paramref name="condition"/> until it holds (an event to wait for, not a time to assert); fails after 3 minutes.</summary>
    protected static void WaitUntil(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.IsTrue(stopwatch.Elapsed < TimeSpan.FromMinutes(3), $"waited in vain: {what}");
            Thread.Sleep(20);
        }
    }
}
