using System;
using System.IO;
using EmbeddedMpc.Tests.Simulator;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Hil;

/// <summary>`hil` and `device` refuse what they cannot run before touching a port, and write nothing.</summary>
[TestClass]
public sealed class HilCommandLineTests
{
    [TestMethod]
    [DataRow("--profile", "dm-control", "measures the state exactly")]
    [DataRow("--delay-ticks", "1", "--delay-ticks works with --lockstep only")]
    [DataRow("--drop-rate", "1.5", "--drop-rate must be in [0, 1]; got 1.5.")]
    [DataRow("--samples", "0", "--samples must be an integer in [2, 100000] for planner")]
    public void HilNamesTheSettingItCannotRunAndWritesNothing(string option, string value, string message)
    {
        string output = Path.Combine(Path.GetTempPath(), "embeddedmpc-hil-cli-" + Guid.NewGuid().ToString("N"));
        CliTests.CliResult result = CliTests.Run("hil", "--port", "/dev/null-no-such-port", option, value, "--out", output);
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, message, result.ToString());
        Assert.IsFalse(Directory.Exists(output), "nothing is written");
    }

    [TestMethod]
    public void APortThatCannotBeOpenedIsNamed()
    {
        string output = Path.Combine(Path.GetTempPath(), "embeddedmpc-hil-cli-" + Guid.NewGuid().ToString("N"));
        CliTests.CliResult hil = CliTests.Run("hil", "--port", "/dev/null-no-such-port", "--out", output);
        Assert.AreEqual(2, hil.ExitCode, hil.ToString());
        StringAssert.Contains(hil.StandardError, "'/dev/null-no-such-port' does not exist", hil.ToString());
        Assert.IsFalse(Directory.Exists(output));

        CliTests.CliResult device = CliTests.Run("device", "--port", "/dev/null-no-such-port");
        Assert.AreEqual(2, device.ExitCode, device.ToString());
        StringAssert.Contains(device.StandardError, "'/dev/null-no-such-port' does not exist", device.ToString());
    }
}
