using System;
using System.Diagnostics;
using System.IO;
using System.Text.RegularExpressions;
using EmbeddedMpc.HostSim.Hil;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Hil;

/// <summary>
/// PROTOCOL.md's Python peer runs as written: the listing is taken from the document, saved, and run with
/// python3 against the virtual device through a socat pair (skipped as inconclusive without python3 or socat).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PythonPeerTests
{
    [TestMethod]
    public void ThePythonPeerOfTheProtocolDocumentTalksToTheVirtualDevice()
    {
        string document = File.ReadAllText(Path.Combine(RepositoryLayout.CoreSourceDirectory, "PROTOCOL.md"));
        MatchCollection listings = Regex.Matches(document, "```python\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.AreEqual(1, listings.Count, "PROTOCOL.md has one Python listing");
        string python = FindOnPath("python3") ?? throw new AssertInconclusiveException("python3 is not installed (not on PATH)");

        using HilHarness link = HilHarness.Start();
        link.StartDevice();
        string script = Path.Combine(link.Directory, "peer.py");
        File.WriteAllText(script, listings[0].Groups["code"].Value);
        const int Ticks = 30;
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(link.HostPort);
        start.ArgumentList.Add(Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using Process peer = Process.Start(start)!;
        var output = peer.StandardOutput.ReadToEndAsync();
        string errors = peer.StandardError.ReadToEnd();
        if (!peer.WaitForExit(TimeSpan.FromSeconds(120))) // a bound for a loaded machine; it takes about a second
        {
            peer.Kill();
            Assert.Fail("the Python peer did not finish within 120 s");
        }

        string printed = output.Result;
        Assert.AreEqual(0, peer.ExitCode, $"{printed}\n{errors}\ndevice:\n{link.DeviceOutput}");
        StringAssert.Contains(printed, $"HelloAck: protocol 2, firmware {VirtualDevice.VersionMajor}.{VirtualDevice.VersionMinor}.{VirtualDevice.VersionPatch}, period 20000 us, flags 0x1");
        // The device is not homed: Start homes it, driving toward the -x switch (the readings never trip it).
        StringAssert.Contains(printed, $"{Ticks} MotorCommands, {Ticks} with the motor on");

        DeviceReport device = link.StopDevice();
        Assert.AreEqual((uint)Ticks, device.Ticks, "one tick per reading the peer sent");
        Assert.AreEqual(0L, device.FramesRejected.Total, "every frame the peer built is valid");
        Assert.AreEqual(2, device.Commands, "Start and Stop");
    }

    private static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
