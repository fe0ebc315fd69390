using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// The allowlist is only worth something if every entry really exists on nanoFramework 1.x. Each entry
/// is checked against <see cref="NanoFrameworkApiLists"/>: the public API of the real mscorlib.dll of the
/// nanoFramework.CoreLibrary package for [mscorlib] entries, the project's declarations
/// (tests/EmbeddedMpc.Firmware.ApiCheck/NanoFrameworkDeclarations) for other assemblies. Runs on any clone.
/// </summary>
[TestClass]
public sealed class AllowlistAgainstNanoFrameworkApiTests
{
    [TestMethod]
    public void EveryAllowlistEntry_ExistsInNanoFrameworksPublicApiLists_InTheAssemblyItIsListedUnder()
    {
        NanoFrameworkApiLists lists = NanoFrameworkApiLists.Load();
        Assert.IsTrue(lists.Contains("mscorlib", "type System.Single (struct)"),
            "The public API read from nanoFramework's mscorlib.dll lacks System.Single; the check would prove nothing.");

        CoreApiAllowlist allowlist = CoreApiAllowlist.Load();
        Assert.IsTrue(allowlist.Entries.Count > 0, "CoreApiAllowlist.txt has no entries; even System.Object must be listed.");

        var problems = new List<string>();
        foreach (AllowlistEntry entry in allowlist.Entries)
        {
            string? problem = CheckEntry(lists, entry);
            if (problem != null)
            {
                problems.Add($"  CoreApiAllowlist.txt:{entry.LineNumber} [{entry.Assembly}] {entry.Line}{Environment.NewLine}      {problem}");
            }
        }

        Assert.AreEqual(
            0,
            problems.Count,
            $"{problems.Count} allowlist entr(y/ies) do not exist in nanoFramework 1.x's public API ({lists.Source}). "
            + "Each entry must be a line of the public API of the assembly named by its [section], exactly as the check writes it; "
            + "an entry that is not there means the Core would not build or run on the device:"
            + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void EveryAssemblyTheAllowlistDrawsFrom_IsReferencedByTheNanoFrameworkBuildOfTheCore()
    {
        // An allowlisted member of, say, System.Math only exists on the device if the .nfproj references
        // that assembly (nanoFramework.System.Math package); the host build cannot notice a missing one.
        string nfproj = System.IO.Path.Combine(RepositoryLayout.CoreSourceDirectory, "Nano", "EmbeddedMpc.Core.nfproj");
        Assert.IsTrue(System.IO.File.Exists(nfproj), "The nanoFramework build of the Core is expected at " + nfproj);
        HashSet<string> referenced = System.Xml.Linq.XDocument.Load(nfproj)
            .Descendants()
            .Where(e => e.Name.LocalName == "Reference")
            .Select(e => (e.Attribute("Include")?.Value ?? string.Empty).Split(',')[0].Trim())
            .ToHashSet(StringComparer.Ordinal);

        List<string> missing = CoreApiAllowlist.Load().Entries
            .Select(e => e.Assembly)
            .Distinct()
            .Where(assembly => !referenced.Contains(assembly))
            .OrderBy(assembly => assembly, StringComparer.Ordinal)
            .ToList();

        Assert.AreEqual(
            0,
            missing.Count,
            "CoreApiAllowlist.txt allows members of assemblies that firmware/EmbeddedMpc.Core/Nano/EmbeddedMpc.Core.nfproj does "
            + "not reference, so the nanoFramework build would not find them: " + string.Join(", ", missing)
            + ". Add the <Reference> (and its package to packages.config), or stop using them in the Core. "
            + "Referenced now: " + string.Join(", ", referenced.OrderBy(r => r, StringComparer.Ordinal)));
    }

    [TestMethod]
    public void Checker_RejectsEntriesTheRealMscorlibLacks_AndAcceptsItsOwnLines()
    {
        NanoFrameworkApiLists lists = NanoFrameworkApiLists.Load();
        CoreApiAllowlist allowlist = CoreApiAllowlist.Parse(
            new[]
            {
                "[mscorlib]",
                "method System.Single.IsNaN(System.Single) : System.Boolean (static)",
                // .NET has MathF; nanoFramework's mscorlib does not.
                "method System.MathF.Sin(System.Single) : System.Single (static)",
                // nanoFramework's Array.Copy has no (Array, Array, Int64) overload.
                "method System.Array.Copy(System.Array, System.Array, System.Int64) : System.Void (static)",
            },
            "test allowlist");

        Assert.IsNull(CheckEntry(lists, allowlist.Entries[0]), "IsNaN(float) is in nanoFramework's mscorlib.");
        StringAssert.Contains(CheckEntry(lists, allowlist.Entries[1]), "does not exist in nanoFramework 1.x");
        StringAssert.Contains(CheckEntry(lists, allowlist.Entries[2]), "nanoFramework has only");
    }

    [TestMethod]
    public void ApiSignature_ReadsListLinesTheWayCompiledReferencesSeeThem()
    {
        // Defaults, params and out/in disappear in IL; only "static" of the modifiers is visible in a call.
        AssertSignatures(
            "method System.Byte.TryParse(System.String, out System.Byte) : System.Boolean (static)",
            "method System.Byte.TryParse(System.String, ref System.Byte) : System.Boolean (static)");
        AssertSignatures(
            "ctor System.Device.Pwm.PwmChannel(System.Int32, System.Int32, System.Int32 = 400, System.Double = 0.5)",
            "ctor System.Device.Pwm.PwmChannel(System.Int32, System.Int32, System.Int32, System.Double)");
        AssertSignatures(
            "method System.String.Concat(params System.String[]) : System.String (static)",
            "method System.String.Concat(System.String[]) : System.String (static)");
        AssertSignatures(
            "method System.Int32.ToString() : System.String (override)",
            "method System.Int32.ToString() : System.String");
        AssertSignatures(
            "field System.TimeSpan.TicksPerSecond : System.Int64 = 10000000 (const)",
            "field System.TimeSpan.TicksPerSecond : System.Int64");
        AssertSignatures(
            "type System.Diagnostics.DebuggableAttribute.DebuggingModes (enum, Flags) : System.Int32",
            "type System.Diagnostics.DebuggableAttribute.DebuggingModes");
        AssertSignatures(
            "property System.Collections.ArrayList.Item[System.Int32] : System.Object { get; set; } (virtual)",
            "property System.Collections.ArrayList.Item[System.Int32] : System.Object { get; }",
            "property System.Collections.ArrayList.Item[System.Int32] : System.Object { set; }");
        AssertSignatures(
            "method nanoFramework.TestFramework.Assert.AreEqual(System.Boolean, System.Boolean, System.String = \"\") : System.Void (static)",
            "method nanoFramework.TestFramework.Assert.AreEqual(System.Boolean, System.Boolean, System.String) : System.Void (static)");
    }

    private static string? CheckEntry(NanoFrameworkApiLists lists, AllowlistEntry entry)
    {
        if (!lists.HasAssembly(entry.Assembly))
        {
            return $"there is no nanoFramework assembly named '{entry.Assembly}' in the real mscorlib or the project's declarations (known: {string.Join(", ", lists.Assemblies)}).";
        }

        if (lists.Contains(entry.Assembly, entry.Line))
        {
            return null;
        }

        // Not verbatim: say whether the type is missing, the member is elsewhere, or only other overloads exist.
        string typeName = DeclaringTypeOf(entry.Line);
        bool typeInThisAssembly = lists.LinesStartingWith("type " + typeName + " ").Any(p => p.Assembly == entry.Assembly);
        if (!typeInThisAssembly)
        {
            List<string> elsewhere = lists.LinesStartingWith("type " + typeName + " ").Select(p => p.Assembly).Distinct().ToList();
            return elsewhere.Count > 0
                ? $"type {typeName} is not in {entry.Assembly} but in {string.Join(", ", elsewhere)}; move the entry to that section."
                : $"type {typeName} does not exist in nanoFramework 1.x.";
        }

        List<(string Assembly, string Line)> sameSignature = entry.Signatures
            .SelectMany(lists.LinesProviding)
            .Distinct()
            .ToList();
        if (sameSignature.Count > 0)
        {
            return "not verbatim; nanoFramework spells it: "
                + string.Join(" | ", sameSignature.Select(p => $"[{p.Assembly}] {p.Line}"));
        }

        string memberPrefix = MemberPrefix(entry.Line);
        List<string> overloads = lists.LinesStartingWith(memberPrefix)
            .Where(p => p.Assembly == entry.Assembly)
            .Select(p => p.Line)
            .ToList();
        return overloads.Count > 0
            ? "no member with exactly these parameter and return types; nanoFramework has only: " + string.Join(" | ", overloads)
            : "type " + typeName + " exists, but it has no such member.";
    }

    /// <summary>The declaring type of an entry (the type itself for a type line).</summary>
    private static string DeclaringTypeOf(string line)
    {
        string kind = line.Substring(0, line.IndexOf(' '));
        string rest = line.Substring(kind.Length + 1);
        if (kind == "type")
        {
            return rest.Substring(0, IndexOrLength(rest, " ("));
        }

        // Member name ends before '(' (ctor, method, operator), '[' (indexer) or " : " (field, property, event).
        int end = Math.Min(Math.Min(IndexOrLength(rest, "("), IndexOrLength(rest, "[")), IndexOrLength(rest, " : "));
        string qualifiedName = rest.Substring(0, end);
        return kind == "ctor" ? qualifiedName : qualifiedName.Substring(0, qualifiedName.LastIndexOf('.'));
    }

    /// <summary>"method System.Math.Sqrt(System.Single) ..." -> "method System.Math.Sqrt(" (for listing other overloads).</summary>
    private static string MemberPrefix(string line)
    {
        int end = Math.Min(Math.Min(IndexOrLength(line, "("), IndexOrLength(line, "[")), IndexOrLength(line, " : "));
        return line.Substring(0, Math.Min(line.Length, end + 1));
    }

    private static int IndexOrLength(string text, string marker)
    {
        int index = text.IndexOf(marker, StringComparison.Ordinal);
        return index < 0 ? text.Length : index;
    }

    private static void AssertSignatures(string listLine, params string[] expected)
    {
        CollectionAssert.AreEqual(expected, ApiSignature.OfListLine(listLine).ToArray(), "Signatures of: " + listLine);
    }
}
