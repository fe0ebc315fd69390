using System;
using System.IO;
using System.Linq;
using EmbeddedMpc.HostSim.Simulation;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.Cli;

/// <summary>The front page and the folder documents: short, true to the code, self-contained, and rendering.</summary>
[TestClass]
public sealed class DocumentationTests
{
    private static string Root => RepositoryLayout.RepositoryRoot;

    private static readonly string[] s_documents =
    [
        "README.md", "host-sim/README.md", "firmware/EmbeddedMpc.Core/README.md", "hardware/README.md", "tests/README.md",
    ];

    [TestMethod]
    public void TheFrontPageIsShortNamesTheDefaultPlannerAndKeepsTheTwoCommands()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, "README.md"));
        Assert.IsTrue(lines.Length <= 150, $"README.md has {lines.Length} lines; the front page keeps to 150");
        string text = string.Join("\n", lines);
        StringAssert.Contains(text, $"`run` uses `{RunSettings.DefaultPlanner}` unless told otherwise", "the README states the default `run` really uses");
        StringAssert.Contains(text, "dotnet test EmbeddedMpc.sln", ".ci/run calls exactly this command");
        StringAssert.Contains(text, "dotnet run --project host-sim -c Release -- run\n");
    }

    [TestMethod]
    public void TheFrontPagesGifIsInTheRepositoryAndSmall()
    {
        string text = File.ReadAllText(Path.Combine(Root, "README.md"));
        const string gif = "host-sim/docs/swingup.gif";
        StringAssert.Contains(text, $"({gif})");
        StringAssert.Contains(text, "-- run --planner icem-dm --seed 1 --gif", "the command that made it");
        var file = new FileInfo(Path.Combine(Root, gif));
        Assert.IsTrue(file.Exists && file.Length < 1_000_000, $"{gif}: {(file.Exists ? file.Length + " bytes" : "missing")}");
    }

    [TestMethod]
    public void NoFileCitesADesignDocumentOutsideTheRepository()
    {
        string outside = "DESIGN" + ".md"; // spelled in two parts so that this file does not cite it
        string[] citing = Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or ".git" or "TestResults"))
            .Where(path => new[] { ".cs", ".md", ".csproj", ".projitems", ".nfproj", ".props", ".txt" }.Contains(Path.GetExtension(path)))
            .Where(path => File.ReadAllText(path).Contains(outside, StringComparison.Ordinal))
            .Select(path => Path.GetRelativePath(Root, path))
            .ToArray();
        Assert.AreEqual(0, citing.Length, string.Join(", ", citing));
    }

    [TestMethod]
    public void EveryTableHasAsManyDelimiterCellsAsHeaderCells()
    {
        foreach (string document in s_documents)
        {
            string[] lines = File.ReadAllLines(Path.Combine(Root, document));
            for (int i = 1; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("|---", StringComparison.Ordinal) && lines[i - 1].StartsWith('|'))
                {
                    int header = Cells(lines[i - 1]);
                    Assert.AreEqual(header, Cells(lines[i]), $"{document}:{i + 1}: the delimiter row does not match the header (a table that does not render)");
                }
            }
        }
    }

    /// <summary>Cells of a table row: the pipes between them, not counting escaped ones.</summary>
    private static int Cells(string row) => row.Replace("\\|", "", StringComparison.Ordinal).Trim().Trim('|').Split('|').Length;
}
