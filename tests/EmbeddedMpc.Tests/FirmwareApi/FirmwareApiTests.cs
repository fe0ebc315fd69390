using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.FirmwareApi;

/// <summary>
/// The firmware and the device tests only build for nanoFramework, whose tooling this machine lacks. The
/// project tests/EmbeddedMpc.Firmware.ApiCheck compiles them, with the Core, against the real mscorlib.dll of
/// nanoFramework.CoreLibrary and against the project's declarations of the other nanoFramework assemblies
/// (NanoFrameworkDeclarations/, one file per assembly; those packages are not on NuGet), so a misspelt call or a
/// .NET-only member fails that build. These tests check what the build alone does not: that it really used
/// nothing but that mscorlib and the declarations, that the declarations stay apart from mscorlib and belong to
/// assemblies the device projects reference, and that the Core needs no declaration at all.
/// </summary>
[TestClass]
public sealed class FirmwareApiTests
{
    private const int MaxUsersShown = 6;

    [TestMethod]
    public void ApiCheckAssembly_ReferencesNoAssemblyButNanoFrameworksMscorlib_AndHoldsTheCoreAndTheFirmware()
    {
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        using ModuleDefinition mscorlib = CompiledAssemblyWalker.ReadModule(NanoFrameworkApiLists.MscorlibPath);

        CollectionAssert.AreEqual(
            new[] { "mscorlib " + mscorlib.Assembly.Name.Version },
            module.AssemblyReferences.Select(r => r.Name + " " + r.Version).ToArray(),
            "The ApiCheck build must see nanoFramework's mscorlib.dll and nothing else (NoStdLib, no implicit framework references).");
        Assert.IsNotNull(module.GetType("EmbeddedMpc.Core.Control.ControlLoop"), "The Core's sources are not compiled into the ApiCheck assembly.");
        Assert.IsNotNull(module.GetType("EmbeddedMpc.Firmware.ControlStack"), "The firmware's sources are not compiled into the ApiCheck assembly.");
    }

    [TestMethod]
    public void CoreCompiledAgainstTheRealMscorlib_UsesNoDeclaredType()
    {
        // The Core must build for nanoFramework with mscorlib alone (its .nfproj references nothing else).
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        var declared = new HashSet<string>(FirmwareApiCheck.DeclaredTypes(module).Select(CompiledAssemblyWalker.DisplayName), StringComparer.Ordinal);
        List<string> uses = CompiledAssemblyWalker.Walk(module)
            .Where(u => u.User.StartsWith("EmbeddedMpc.Core.", StringComparison.Ordinal) && u.Reference is TypeReference type
                && declared.Contains(CompiledAssemblyWalker.DisplayName(type.GetElementType())))
            .Select(u => "  " + u.User + " uses " + u.Reference.FullName)
            .Distinct()
            .ToList();

        Assert.AreEqual(0, uses.Count, "The Core uses types that only the firmware's declarations provide:" + Environment.NewLine + string.Join(Environment.NewLine, uses));
    }

    [TestMethod]
    public void EveryNanoFrameworkDeclaration_IsAbsentFromTheRealMscorlib_AndFiledUnderAnAssemblyTheDeviceProjectsReference()
    {
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        using ModuleDefinition mscorlib = CompiledAssemblyWalker.ReadModule(NanoFrameworkApiLists.MscorlibPath);
        IReadOnlyList<TypeDefinition> declaredTypes = FirmwareApiCheck.DeclaredTypes(module);
        Assert.IsTrue(declaredTypes.Count > 0, "No nanoFramework declarations found in the ApiCheck assembly; the check would prove nothing.");
        var mscorlibTypes = new HashSet<string>(mscorlib.GetTypes().Select(t => t.FullName), StringComparer.Ordinal);
        Dictionary<string, string> assemblyByType = NanoFrameworkApiLists.DeclarationAssemblies();
        var referenced = new HashSet<string>(
            FirmwareProjectFilesTests.NanoProjectReferences().Select(r => r.Assembly), StringComparer.Ordinal);

        var problems = new List<string>();
        foreach (TypeDefinition type in declaredTypes)
        {
            if (mscorlibTypes.Contains(type.FullName))
            {
                problems.Add($"  {type.FullName} is declared, but nanoFramework's mscorlib.dll has it: delete the declaration.");
            }

            if (!assemblyByType.TryGetValue(type.FullName, out string? assembly))
            {
                problems.Add($"  {type.FullName} is compiled into the ApiCheck assembly but declared in no NanoFrameworkDeclarations/<assembly>.cs file.");
            }
            else if (!referenced.Contains(assembly))
            {
                problems.Add($"  {type.FullName} is declared in NanoFrameworkDeclarations/{assembly}.cs, but neither the firmware's nor the device "
                    + $"tests' .nfproj references an assembly '{assembly}' (referenced: {string.Join(", ", referenced.OrderBy(r => r, StringComparer.Ordinal))}).");
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void CompiledFirmwareAndDeviceTests_ReferenceOnlyTheRealMscorlibAndTheDeclarations()
    {
        NanoFrameworkApiLists lists = NanoFrameworkApiLists.Load();
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
                + "neither nanoFramework's mscorlib.dll nor the project's declarations provide. On the device they would not build or "
                + "would fail to load:");
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
            + "(firmware/EmbeddedMpc.Core/README.md, \"nanoFramework compatibility\"):" + Environment.NewLine + string.Join(Environment.NewLine, violations.Select(v => "  " + v)));
    }

    [TestMethod]
    public void Renderer_WritesDeclarationsTheWayTheApiListsDo()
    {
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        Dictionary<string, DeclaredApi> lines = FirmwareApiCheck.DeclaredTypes(module)
            .SelectMany(DeclarationRenderer.Render)
            .ToDictionary(d => d.Line, StringComparer.Ordinal);

        // One of each shape the declarations use, spelled as nanoFramework's public API lists write them.
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
