using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using EmbeddedMpc.Tests.Hil;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.RigMonitor;

/// <summary>
/// A serial cable on one PC: <c>socat pty,raw,echo=0,link=rig pty,raw,echo=0,link=host</c> in a fresh
/// directory. <see cref="Pull"/> kills socat (both ptys vanish, as a pulled USB cable's device node does);
/// <see cref="PlugIn"/> makes a new pair under the same names.
/// </summary>
internal sealed class PtyPair : IDisposable
{
    // A bound on a wait for socat, not an expected time: the suite runs on two cores shared with builds.
    private static readonly TimeSpan s_startUpTimeout = TimeSpan.FromSeconds(60);
    private readonly string _socat;
    private Process? _process;

    private PtyPair(string socat, string directory)
    {
        _socat = socat;
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The pty the rig opens.</summary>
    public string RigPort => Path.Combine(Directory, "rig");

    /// <summary>The pty `monitor` opens.</summary>
    public string HostPort => Path.Combine(Directory, "host");

    /// <summary>Makes the pair; Assert.Inconclusive when socat is missing.</summary>
    public static PtyPair Start()
    {
        string socat = HilHarness.FindSocat() ?? throw new AssertInconclusiveException("socat is not installed (apt-get install socat); the monitor tests need a pty pair");
        string directory = Path.Combine(Path.GetTempPath(), "embeddedmpc-monitor-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var pair = new PtyPair(socat, directory);
        pair.PlugIn();
        return pair;
    }

    /// <summary>Starts socat and waits for both links.</summary>
    public void PlugIn()
    {
        var start = new ProcessStartInfo(_socat) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "-d", "-d", $"pty,raw,echo=0,link={RigPort}", $"pty,raw,echo=0,link={HostPort}" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(RigPort) && File.Exists(HostPort)))
        {
            if (clock.Elapsed > s_startUpTimeout || _process.HasExited)
            {
                throw new AssertFailedException("socat did not create the pty pair");
            }

            Thread.Sleep(20); // polling a condition with a bound, not a timing assumption
        }
    }

    /// <summary>Kills socat: both ptys close and their device nodes go away.</summary>
    public void Pull()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
        // socat removes its links when it ends on a signal; a link left behind would point at nothing.
        foreach (string link in new[] { RigPort, HostPort })
        {
            if (new FileInfo(link).LinkTarget is not null)
            {
                File.Delete(link);
            }
        }
    }

    public void Dispose()
    {
        Pull();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
