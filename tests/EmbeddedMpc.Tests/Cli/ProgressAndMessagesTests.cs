using System;
using System.IO;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.Tests.Identification;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Cli;

/// <summary>Progress on long work, and messages that state the numbers that matter.</summary>
[TestClass]
public sealed class ProgressAndMessagesTests
{
    [TestMethod]
    public void ProgressIsSilentForShortWorkThenReportsEachTenthInALog()
    {
        double clock = 0;
        var writer = new StringWriter();
        var progress = new ProgressReporter("run", writer, () => clock, inPlace: false, fraction => $"task time {fraction * 120:0} of 120 s");
        for (int tick = 0; tick <= 1000; tick++)
        {
            clock = tick * 0.01; // 10 s of wall clock over the work
            progress.Report(tick / 1000.0);
        }

        progress.Finish();
        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Silent for the first 2 s (20 % of the work), then one line per tenth from there: 20 %, 30 %, ... 100 %.
        Assert.AreEqual(9, lines.Length, writer.ToString());
        StringAssert.StartsWith(lines[0], "run: 20 % (task time 24 of 120 s");
        StringAssert.StartsWith(lines[^1], "run: 100 % (task time 120 of 120 s");
    }

    [TestMethod]
    public void ProgressOfWorkShorterThanTheSilentSpellPrintsNothing()
    {
        var writer = new StringWriter();
        var progress = new ProgressReporter("run", writer, () => ProgressReporter.SilentSeconds / 2, inPlace: true, _ => "");
        progress.Report(0.5);
        progress.Report(1.0);
        progress.Finish();
        Assert.AreEqual("", writer.ToString());
    }

    [TestMethod]
    public void ALogJustShortOfTenSecondsSaysHowShortNotTenSeconds()
    {
        // 499 usable rows of 20 ms: 9.98 s, which one decimal rounds to the 10 s required.
        string[] excitation = IdentificationTests.ExcitationLog(5, 12).Lines;
        int firstTaskRow = Array.FindIndex(excitation, l => l.Split(',')[1] == "swingup");
        string[] lines = excitation.Take(firstTaskRow + 499).ToArray();
        var error = Assert.ThrowsExactly<ArgumentException>(() =>
            SystemIdentifier.Identify([IdentificationLog.Parse(lines, "short.csv")], new IdentificationSettings { Prior = RigProfiles.Esp32Rig() }));
        StringAssert.Contains(error.Message, "(9.98 s in modes");
        StringAssert.Contains(error.Message, "at least 10 s (500 rows)");
    }
}
