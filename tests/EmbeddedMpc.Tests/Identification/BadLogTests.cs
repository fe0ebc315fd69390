using System;
using System.IO;
using System.Linq;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Identification;
using EmbeddedMpc.HostSim.Output;
using EmbeddedMpc.Tests.Simulator;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Identification;

/// <summary>Logs identification cannot use are refused with the file, the row and the column, and `identify` writes nothing.</summary>
[TestClass]
public sealed class BadLogTests
{
    private static string[]? s_excitation;
    private string _workDirectory = "";

    /// <summary>20 s of excitation (seed 5), shared by the tests that spoil it.</summary>
    private static string[] Excitation => s_excitation ??= IdentificationTests.ExcitationLog(5, 20).Lines;

    [TestInitialize]
    public void CreateWorkDirectory()
    {
        _workDirectory = Path.Combine(Path.GetTempPath(), "embeddedmpc-badlog-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_workDirectory);
    }

    [TestCleanup]
    public void DeleteWorkDirectory() => Directory.Delete(_workDirectory, recursive: true);

    private static IdentificationResult Identify(string[] lines, string name) =>
        SystemIdentifier.Identify([IdentificationLog.Parse(lines, name)], new IdentificationSettings { Prior = RigProfiles.Esp32Rig() });

    [TestMethod]
    public void AMissingColumn_IsNamed()
    {
        string[] lines = (string[])Excitation.Clone();
        lines[0] = lines[0].Replace(",duty,", ",pwm,");
        var error = Assert.ThrowsExactly<ArgumentException>(() => Identify(lines, "nodutycolumn.csv"));
        StringAssert.Contains(error.Message, "nodutycolumn.csv");
        StringAssert.Contains(error.Message, "missing column 'duty'");
        StringAssert.Contains(error.Message, "accepted");
    }

    [TestMethod]
    public void ANaNInAUsedRow_IsNamedWithItsRowAndColumn()
    {
        string[] lines = (string[])Excitation.Clone();
        int column = Array.IndexOf(lines[0].Split(','), "est_theta_rad");
        int row = Array.FindLastIndex(lines, l => l.Split(',')[1] == "swingup");
        string[] fields = lines[row].Split(',');
        fields[column] = "NaN";
        lines[row] = string.Join(',', fields);
        var error = Assert.ThrowsExactly<ArgumentException>(() => Identify(lines, "nan.csv"));
        StringAssert.Contains(error.Message, $"nan.csv: row {row}, column 'est_theta_rad'");
        StringAssert.Contains(error.Message, "not a finite number");
    }

    [TestMethod]
    public void ATooShortLog_IsRefusedSayingHowMuchIsNeeded()
    {
        int firstTaskRow = Array.FindIndex(Excitation, l => l.Split(',')[1] == "swingup");
        string[] lines = Excitation.Take(firstTaskRow + 200).ToArray(); // 4 s of excitation
        var error = Assert.ThrowsExactly<ArgumentException>(() => Identify(lines, "short.csv"));
        StringAssert.Contains(error.Message, "short.csv: too short");
        StringAssert.Contains(error.Message, "at least 10 s");
    }

    [TestMethod]
    public void ALogWithoutExcitation_IsRefusedAsRankDeficient()
    {
        // A rig that sat still for 30 s: cart and pole at rest, duty 0.
        var lines = new string[1 + 1500];
        lines[0] = CsvLogWriter.Header;
        for (int i = 1; i < lines.Length; i++)
        {
            lines[i] = $"{(i - 1) * 0.02:0.###},swingup,0,0,3.1415927,0,0,0,3.1415927,0,0,0,0,0,0,0,3.1415927";
        }

        var error = Assert.ThrowsExactly<ArgumentException>(() => Identify(lines, "still.csv"));
        StringAssert.Contains(error.Message, "still.csv: no excitation");
        StringAssert.Contains(error.Message, "rank-deficient or ill-conditioned");
    }

    [TestMethod]
    public void ACartThatMovesWithAPoleThatDoesNotSwing_IsRefusedNamingThePoleParameters()
    {
        // The cart moves (a 0.5 Hz sine driven by the duty) but the pole reads a constant angle: J and b_p are not excited.
        var lines = new string[1 + 1500];
        lines[0] = CsvLogWriter.Header;
        for (int i = 1; i < lines.Length; i++)
        {
            double t = (i - 1) * 0.02;
            double x = 0.1 * Math.Sin(Math.PI * t);
            double duty = 0.5 * Math.Cos(Math.PI * t);
            lines[i] = FormattableString.Invariant($"{t:0.###},swingup,0,0,0,0,{x},0,3.1415927,0,0,0,{duty},0,0,0,0");
        }

        var error = Assert.ThrowsExactly<ArgumentException>(() => Identify(lines, "stuckpole.csv"));
        StringAssert.Contains(error.Message, "no excitation");
        StringAssert.Contains(error.Message, "J");
    }

    [TestMethod]
    public void TheCommand_ExitsWithCode2AndWritesNothingForABadLog()
    {
        string log = Path.Combine(_workDirectory, "log.csv");
        File.WriteAllLines(log, [Excitation[0].Replace("est_x_m", "x_est"), .. Excitation.Skip(1)]);
        string output = Path.Combine(_workDirectory, "out");
        CliTests.CliResult result = CliTests.Run("identify", log, "--out", output);
        Assert.AreEqual(2, result.ExitCode, result.ToString());
        StringAssert.Contains(result.StandardError, "missing column 'est_x_m'");
        Assert.IsFalse(Directory.Exists(output), "nothing is written for a bad log");
        Assert.AreEqual(0, Directory.GetDirectories(_workDirectory).Length, "no staging directory left behind");
    }
}
