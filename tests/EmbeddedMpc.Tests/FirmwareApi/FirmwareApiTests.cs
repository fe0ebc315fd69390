using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.FirmwareApi;

/// <summary>
/// The firmware and the device tests only build for nanoFramework, which this machine cannot do. The
/// project tests/EmbeddedMpc.Firmware.ApiCheck compiles their sources for .NET against declarations of
/// the nanoFramework types they use (NanoFrameworkDeclarations/), so a misspelt call fails the build.
/// These tests close the two gaps that leaves: a declaration that nanoFramework does not really have,
/// and a .NET class-library member that compiled only because .NET has it. Both are judged against
/// nanoFramework's public API lists in ../shared/reference/nanoframework-api (present in the project's
/// workspace and CI; a clone without them reports the tests as skipped).
/// </summary>
[TestClass]
public sealed class FirmwareApiTests
{
    private const int MaxUsersShown = 6;

    [TestMethod]
    public void EveryNanoFrameworkDeclaration_IsALineOfNanoFrameworksApiLists_Verbatim()
    {
        NanoFrameworkApiLists lists = LoadListsOrSkip();
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        IReadOnlyList<TypeDefinition> declaredTypes = FirmwareApiCheck.DeclaredTypes(module);
        Assert.IsTrue(declaredTypes.Count > 0, "No nanoFramework declarations found in the ApiCheck assembly; the check would prove nothing.");

        var lineAssemblies = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach ((string assembly, string line) in lists.LinesStartingWith(string.Empty))
        {
            if (!lineAssemblies.TryGetValue(line, out List<string>? assemblies))
            {
                assemblies = new List<string>();
                lineAssemblies.Add(line, assemblies);
            }

            assemblies.Add(assembly);
        }

        Dictionary<string, List<(string Assembly, string Line)>> bySignature = FirmwareApiCheck.IndexBySignature(lists);
        var problems = new List<string>();
        int checkedCount = 0;
        foreach (TypeDefinition type in declaredTypes)
        {
            foreach (DeclaredApi declared in DeclarationRenderer.Render(type))
            {
                checkedCount++;
                if (!lineAssemblies.ContainsKey(declared.Line))
                {
                    problems.Add("  " + declared.Line + (declared.Location == null ? string.Empty : "   [" + declared.Location + "]")
                        + Environment.NewLine + "      " + Hint(declared, bySignature, lists));
                }
            }
        }

        Assert.AreEqual(
            0,
            problems.Count,
            $"{problems.Count} of the {checkedCount} nanoFramework declarations in tests/{FirmwareApiCheck.ApiCheckProjectName}/NanoFrameworkDeclarations "
            + $"are not lines of nanoFramework's API lists ({lists.Directory}). Each declaration must reproduce its list line exactly "
            + "(kind, names, parameter types, out/ref/params, defaults, static/virtual/override), or the firmware may compile here "
            + "and not on the device:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void CompiledFirmwareAndDeviceTests_ReferenceOnlyMembersOfNanoFrameworksApiLists()
    {
        NanoFrameworkApiLists lists = LoadListsOrSkip();
        string path = FirmwareApiCheck.AssemblyPath;
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(path);

        IReadOnlyList<FrameworkUse> uses = FirmwareApiCheck.FrameworkUses(module, lists);
        Assert.IsTrue(uses.Any(u => u.Signature == "method System.Threading.Thread.Sleep(System.Int32) : System.Void (static)"),
            "The walk did not find Thread.Sleep(int), which the control thread calls; the check is not seeing the firmware.");

        List<FrameworkUse> missing = uses.Where(u => u.Providers.Count == 0).ToList();
        if (missing.Count > 0)
        {
            var message = new StringBuilder();
            message.AppendLine($"The compiled firmware and device tests ({path}) reference {missing.Count} framework type(s)/member(s) that "
                + "nanoFramework 1.x does not have (in none of its API lists). They compiled only because .NET has them; on the "
                + "device they would not build or would fail to load:");
            foreach (FrameworkUse use in missing)
            {
                message.AppendLine();
                message.AppendLine("  " + use.Signature);
                foreach (string user in use.Users.Take(MaxUsersShown))
                {
                    message.AppendLine("      used by " + user);
                }

                if (use.Users.Count > MaxUsersShown)
                {
                    message.AppendLine($"      ... and {use.Users.Count - MaxUsersShown} more");
                }

                message.AppendLine("      " + OverloadHint(use.Signature, lists));
            }

            Assert.Fail(message.ToString());
        }
    }

    [TestMethod]
    public void CompiledFirmwareAndDeviceTests_UseNoGenericsLinqSpanTuplesAsyncLambdasOrUnsafeCode()
    {
        string path = FirmwareApiCheck.AssemblyPath;
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(path);

        List<string> violations = LanguageFeatureCheck.FindViolations(module).ToList();

        Assert.AreEqual(
            0,
            violations.Count,
            $"The firmware or the device tests ({path}) use {violations.Count} feature(s) outside the nanoFramework 1.x subset "
            + "(firmware/EmbeddedMpc.Core/README.md, \"The nanoFramework rules the Core keeps\"):" + Environment.NewLine + string.Join(Environment.NewLine, violations.Select(v => "  " + v)));
    }

    [TestMethod]
    public void Renderer_WritesDeclarationsTheWayTheApiListsDo()
    {
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        Dictionary<string, DeclaredApi> lines = FirmwareApiCheck.DeclaredTypes(module)
            .SelectMany(DeclarationRenderer.Render)
            .ToDictionary(d => d.Line, StringComparer.Ordinal);

        // One of each shape the declarations use, spelled as in the API lists (copied from them).
        string[] expected =
        {
            "type System.IO.Ports.SerialPort (sealed class) : System.IDisposable",
            "ctor System.IO.Ports.SerialPort(System.String, System.Int32 = 9600, System.IO.Ports.Parity = System.IO.Ports.Parity.None, System.Int32 = 8, System.IO.Ports.StopBits = System.IO.Ports.StopBits.One)",
            "property System.IO.Ports.SerialPort.BytesToRead : System.Int32 { get; }",
            "method System.Device.Pwm.PwmChannel.CreateFromPin(System.Int32, System.Int32 = 400, System.Double = 0.5) : System.Device.Pwm.PwmChannel (static)",
            "method System.Device.Gpio.PinValue.Equals(System.Object) : System.Boolean (override)",
            "operator System.Device.Gpio.PinValue.op_Equality(System.Device.Gpio.PinValue, System.Device.Gpio.PinValue) : System.Boolean (static)",
            "field nanoFramework.Hardware.Esp32.DeviceFunction.PWM1 : nanoFramework.Hardware.Esp32.DeviceFunction = 262400",
            "type nanoFramework.Runtime.Native.GC (static class)",
            "method nanoFramework.TestFramework.Assert.IsTrue(System.Boolean, System.String = \"\") : System.Void (static)",
        };
        List<string> notRendered = expected.Where(line => !lines.ContainsKey(line)).ToList();

        Assert.AreEqual(0, notRendered.Count,
            "These list lines were not produced from their declarations:" + Environment.NewLine + string.Join(Environment.NewLine, notRendered)
            + Environment.NewLine + "Rendered:" + Environment.NewLine + string.Join(Environment.NewLine, lines.Keys.OrderBy(k => k, StringComparer.Ordinal)));
    }

    private static NanoFrameworkApiLists LoadListsOrSkip()
    {
        NanoFrameworkApiLists? lists = NanoFrameworkApiLists.TryLoad();
        if (lists == null)
        {
            Assert.Inconclusive(
                "Skipped: the nanoFramework API lists are not at " + RepositoryLayout.NanoFrameworkApiListDirectory
                + " (expected in the project's workspace and CI, not in a user's clone), so the firmware's use of the "
                + "nanoFramework API could not be checked.");
        }

        return lists!;
    }

    /// <summary>Why a declaration is not a list line: the list's own spelling of the same signature, or the type's members of that name.</summary>
    private static string Hint(DeclaredApi declared, Dictionary<string, List<(string Assembly, string Line)>> bySignature, NanoFrameworkApiLists lists)
    {
        List<(string Assembly, string Line)> sameSignature = declared.Signatures
            .Where(bySignature.ContainsKey)
            .SelectMany(s => bySignature[s])
            .Distinct()
            .ToList();
        if (sameSignature.Count > 0)
        {
            return "nanoFramework spells it: " + string.Join(" | ", sameSignature.Select(p => $"[{p.Assembly}] {p.Line}"));
        }

        return OverloadHint(declared.Signatures[0], lists);
    }

    /// <summary>The list lines of the same kind and name ("method T.Name(", "ctor T(", "property T.Name "), or that the type is missing.</summary>
    private static string OverloadHint(string signature, NanoFrameworkApiLists lists)
    {
        int space = signature.IndexOf(' ');
        string kind = signature.Substring(0, space);
        string rest = signature.Substring(space + 1);
        int end = rest.Length;
        foreach (string marker in new[] { "(", " : ", "[", " (" })
        {
            int index = rest.IndexOf(marker, StringComparison.Ordinal);
            if (index >= 0 && index < end)
            {
                end = index;
            }
        }

        string name = rest.Substring(0, end);
        List<(string Assembly, string Line)> sameName = lists.LinesStartingWith(kind + " " + name)
            .Where(p => p.Line.Length > kind.Length + 1 + name.Length && "( [:".Contains(p.Line[kind.Length + 1 + name.Length], StringComparison.Ordinal))
            .ToList();
        if (sameName.Count > 0)
        {
            return "nanoFramework has only: " + string.Join(" | ", sameName.Select(p => $"[{p.Assembly}] {p.Line}"));
        }

        string typeName = kind == "type" || kind == "ctor" ? name : name.Substring(0, Math.Max(0, name.LastIndexOf('.')));
        bool typeExists = lists.LinesStartingWith("type " + typeName + " ").Any();
        return typeExists
            ? "type " + typeName + " exists in nanoFramework, but it has no such member."
            : "type " + typeName + " does not exist in nanoFramework 1.x.";
    }
}
