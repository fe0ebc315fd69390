using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using EmbeddedMpc.HostSim.Cli;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.HostSim.Monitor;
using EmbeddedMpc.Tests.Cli;
using EmbeddedMpc.Tests.Hil;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.RigMonitor;

/// <summary>
/// The cable between the PC and a running virtual rig (`device --rig`) pulled and plugged in again: the rig's
/// pty stays open (socat <c>rig ⇄ middle</c>), and the PC's side is a second socat (<c>middle ⇄ host</c>)
/// that the test kills and starts again, as a USB-serial adapter is unplugged and plugged in.
/// </summary>
[TestClass]
public sealed class MonitorReconnectTests : CliTestBase
{
    // Bounds on waits for socat, not expected times: the suite runs on two cores shared with builds.
    private static readonly TimeSpan s_startUpTimeout = TimeSpan.FromSeconds(60);

    private static Process StartSocat(string socat, params string[] addresses)
    {
        var start = new ProcessStartInfo(socat) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string argument in new[] { "-d", "-d" }.Concat(addresses))
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static void WaitForFile(string path, Process socat)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path))
        {
            Assert.IsTrue(clock.Elapsed < s_startUpTimeout && !socat.HasExited, $"socat did not create {path}");
            Thread.Sleep(20); // polling a condition with a bound
        }
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }

        process.Dispose();
    }

    [TestMethod]
    public void MonitorPicksUpARunningVirtualRigAgainAfterTheCableWasPulled_AndTheRigRanOnMeanwhile()
    {
        string socat = HilHarness.FindSocat() ?? throw new AssertInconclusiveException("socat is not installed (apt-get install socat)");
        string rigPort = Path.Combine(WorkDirectory, "rig");
        string middle = Path.Combine(WorkDirectory, "middle");
        string hostPort = Path.Combine(WorkDirectory, "host");
        string output = Path.Combine(WorkDirectory, "recording");
        string logPath = Path.Combine(output, "log.csv");
        Process rigSide = StartSocat(socat, $"pty,raw,echo=0,link={rigPort}", $"pty,raw,echo=0,link={middle}");
        Process? pcSide = null;
        try
        {
            WaitForFile(middle, rigSide);
            using CliProcess rig = CliProcess.Start(WorkDirectory, "device", "--rig", "--port", rigPort, "--seed", "4", "--seconds", "600");
            pcSide = StartSocat(socat, $"{middle},raw,echo=0", $"pty,raw,echo=0,link={hostPort}");
            WaitForFile(hostPort, pcSide);
            using CliProcess monitor = CliProcess.Start(WorkDirectory, "monitor", "--port", hostPort, "--out", output, "--start");
            WaitUntil(() => RowsOnDisk(logPath) >= 100, "monitor recorded 100 rows");

            Kill(pcSide); // the cable is pulled: the PC's port vanishes, the rig's stays open
            pcSide = null;
            int rowsBefore = RowsOnDisk(logPath);
            Thread.Sleep(2000); // the cable stays out for 2 s (about 100 ticks of the rig's)
            pcSide = StartSocat(socat, $"{middle},raw,echo=0", $"pty,raw,echo=0,link={hostPort}");
            WaitUntil(() => RowsOnDisk(logPath) >= rowsBefore + 100, "monitor recorded 100 more rows after the cable came back");
            monitor.Interrupt();
            CliResult result = monitor.WaitForExit();
            Assert.AreEqual(ExitCodes.Interrupted, result.ExitCode, result.ToString());

            string[] lines = File.ReadAllLines(logPath);
            uint[] ticks = lines.Skip(1).Select(l => (uint)Math.Round(double.Parse(l.Split(',')[0], CultureInfo.InvariantCulture) / 0.02)).ToArray();
            long largestJump = ticks.Zip(ticks.Skip(1), (a, b) => (long)b - a).Max();
            // The rig ran on while the cable was out: its ticks went on counting on its own clock, so the log
            // jumps by at least the 2 s the cable was out (100 ticks; 50 leaves room for frames the ptys held).
            Assert.IsTrue(largestJump >= 50, $"largest jump between rows {largestJump} ticks");
            CollectionAssert.AreEqual(ticks.OrderBy(t => t).Distinct().ToArray(), ticks, "one log, time increasing across the reconnection");
            IdentificationLog.Parse(lines, "log.csv"); // readable as identify reads it (it throws on a bad row)

            MonitorSummary summary = MonitorSummary.FromJson(File.ReadAllText(Path.Combine(output, "summary.json")))!;
            Assert.AreEqual(2, summary.Connections, result.ToString());
            Assert.AreEqual(1, summary.Disconnections);
            Assert.IsTrue(summary.Gaps >= 1);
            StringAssert.Contains(result.StandardOutput, "connected again");
        }
        finally
        {
            if (pcSide is not null)
            {
                Kill(pcSide);
            }

            Kill(rigSide);
        }
    }

    private static int RowsOnDisk(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Count(c => c == '\n') - 1;
    }
}
