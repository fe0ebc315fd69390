using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Core.Hardware;
using EmbeddedMpc.Core.Model;
using EmbeddedMpc.HostSim.Simulation;
using EmbeddedMpc.Tests.FirmwareApi;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// The tick allocates nothing on nanoFramework's interpreter. .NET counts 0 bytes for struct copies, so this is
/// proven on the IL instead: <see cref="InterpreterAllocationCheck"/> walks everything reachable from
/// <c>ControlLoop.Tick</c> in the Core as compiled against nanoFramework's real mscorlib (the ApiCheck
/// assembly), for the control stack that the simulator builds for each planner of its catalog, and for the
/// firmware's own stack; virtual and interface calls resolve to the classes those stacks really hold.
/// </summary>
[TestClass]
public sealed class TickPathAllocationTests
{
    private const string TickMethod = "Tick";

    public static IEnumerable<object[]> Stacks()
    {
        foreach (PlannerEntry entry in PlannerCatalog.Entries)
        {
            yield return new object[] { entry.Name, ControlTask.SwingUp };
            yield return new object[] { entry.Name, ControlTask.Balance };
        }
    }

    [TestMethod]
    [DynamicData(nameof(Stacks))]
    public void TickOfEveryCatalogPlannersStack_HasNoConstructThatAllocatesOnTheInterpreter(string planner, ControlTask task)
    {
        var settings = new RunSettings { Planner = planner, Task = task, Seed = 1 };
        RigProfile profile = RigProfiles.Esp32Rig();
        var hardware = new NullHardware();
        ControlStack stack = ControlStackBuilder.Build(settings, profile, hardware, hardware, hardware, startHomed: true);

        AssertTickAllocatesNothing(stack.Loop, $"planner {planner}, task {task}");
    }

    [TestMethod]
    public void TickOfTheExcitationAndOpenLoopStacks_HasNoConstructThatAllocatesOnTheInterpreter()
    {
        // The identification run (--task excite) and an open-loop run (--open-loop) tick through other policies.
        RigProfile profile = RigProfiles.Esp32Rig();
        var hardware = new NullHardware();
        ControlStack excite = ControlStackBuilder.Build(new RunSettings { Task = ControlTask.Excite, Seed = 1 }, profile, hardware, hardware, hardware, startHomed: true);
        AssertTickAllocatesNothing(excite.Loop, "the excitation stack (--task excite)");

        var openLoopSettings = new RunSettings { Planner = "cem", OpenLoop = true, StartHomed = true, DurationSeconds = 1, Seed = 1 };
        ControlStack openLoop = ControlStackBuilder.Build(openLoopSettings, profile, hardware, hardware, hardware, startHomed: true);
        AssertTickAllocatesNothing(openLoop.Loop, "the open-loop stack (--open-loop)");
    }

    [TestMethod]
    public void TickOfTheFirmwaresStack_HasNoConstructThatAllocatesOnTheInterpreter()
    {
        var hardware = new NullHardware();
        ControlLoop loop = EmbeddedMpc.Firmware.ControlStack.Build(RigProfiles.Esp32Rig(), hardware, hardware, hardware);

        AssertTickAllocatesNothing(loop, "the firmware's stack (firmware/EmbeddedMpc.Firmware/ControlStack.cs)");
    }

    [TestMethod]
    public void TickOfTheRigMode_WithTheExcitationRunning_HasNoConstructThatAllocatesOnTheInterpreter()
    {
        // Rig mode's tick (the loop, the excitation's bookkeeping, the telemetry frames) on the firmware's controller,
        // with the excitation policy in place as a Command Excite leaves it.
        var hardware = new NullHardware();
        var rig = new EmbeddedMpc.Core.Rig.RigModeDevice(new EmbeddedMpc.Firmware.Commands.RigController(hardware, hardware, hardware),
            RigProfiles.Esp32Rig(), null!, new NullTransmitter(), 0, 1, 0);
        rig.ApplyCommand(EmbeddedMpc.Core.Protocol.DeviceCommand.Excite, 10_000, out _);

        AssertTickAllocatesNothing(rig, typeof(EmbeddedMpc.Core.Rig.RigModeDevice), TickMethod, "rig mode (firmware/EmbeddedMpc.Core/Rig/RigModeDevice.cs)");
    }

    [TestMethod]
    [DataRow("ButtonPressed", "the start button")]
    [DataRow("ApplyCommand", "a Command frame (start, stop, reset, excite)")]
    public void WhatRigModeDoesInsideATick_ForTheButtonAndACommand_HasNoConstructThatAllocatesOnTheInterpreter(string method, string what)
    {
        // The firmware's control thread hands the button and every received Command to the rig inside a tick:
        // they are on the tick path too (a Configuration, applied with the motor off, is allowed to allocate).
        var hardware = new NullHardware();
        var rig = new EmbeddedMpc.Core.Rig.RigModeDevice(new EmbeddedMpc.Firmware.Commands.RigController(hardware, hardware, hardware),
            RigProfiles.Esp32Rig(), null!, new NullTransmitter(), 0, 1, 0);

        AssertTickAllocatesNothing(rig, typeof(EmbeddedMpc.Core.Rig.RigModeDevice), method, "rig mode's " + what, reachesPolicy: false);
    }

    [TestMethod]
    public void Checker_ReportsEachAllocatingConstruct_WithMethodAndOffset_AndExemptsOnlyErrorPaths()
    {
        const string source = @"
namespace Probe
{
    public struct Pair { public float A; public float B; }

    public interface IStep { float Step(ref Pair p); }

    public sealed class Used : IStep
    {
        private Pair _pair;
        public float Step(ref Pair p) { Pair copy = p; return copy.A; }
    }

    public sealed class NotBuilt : IStep
    {
        public float Step(ref Pair p) { object o = p.A; return (float)o; }
    }

    public sealed class Root
    {
        private Pair _pair;
        private IStep _step = new Used();
        private float[] _buffer = new float[4];
        public Pair Current => _pair;

        public float Tick(int n)
        {
            if (n < 0)
            {
                throw new System.ArgumentException(""n is "" + n.ToString(), ""n"");
            }

            float viaRef = Read(ref _pair);
            float throughAddress = _pair.B;
            Pair snapshot = _pair;
            Pair fromProperty = Current;
            System.Array.Copy(_buffer, _buffer, 2);
            string text = ""tick"";
            return viaRef + throughAddress + snapshot.B + fromProperty.A + _step.Step(ref _pair) + text.Length;
        }

        private static float Read(ref Pair pair) { ref Pair r = ref pair; return r.A * r.B; }
    }
}";
        using ModuleDefinition module = CompileAgainstNanoFrameworkMscorlib(source);
        using ModuleDefinition mscorlib = CompiledAssemblyWalker.ReadModule(NanoFrameworkApiLists.MscorlibPath);
        MethodDefinition tick = module.GetType("Probe.Root").Methods.Single(m => m.Name == TickMethod);

        InterpreterAllocationCheck check = InterpreterAllocationCheck.Run(module, mscorlib, tick, new[] { "Probe.Root", "Probe.Used" });
        string all = string.Join(Environment.NewLine, check.Findings);

        // Each construct of the normal path, named with its method and IL offset.
        StringAssert.Matches(all, new System.Text.RegularExpressions.Regex(@"Probe\.Root\.Tick\(System\.Int32\) IL_[0-9a-f]{4}: ldfld Root\._pair of struct Pair"), all);
        StringAssert.Contains(all, "Probe.Root.Tick(System.Int32) locals: local V_", all);
        StringAssert.Contains(all, "get_Current: returns struct Pair by value", all);
        StringAssert.Contains(all, "Probe.Root.get_Current() signature: returns struct Pair by value", all);
        StringAssert.Contains(all, "ldstr \"tick\"", all);
        StringAssert.Contains(all, "Probe.Used.Step(ref Probe.Pair) IL_", all);
        StringAssert.Contains(all, "ldobj of struct Pair", all);

        // Error path (the throw and its message), a float field read through the struct's address (ldflda), ref locals, ldflda, float arrays and Array.Copy: not reported.
        Assert.IsFalse(all.Contains("\"n is \"", StringComparison.Ordinal), "The message of a throw on an error path is exempt:" + Environment.NewLine + all);
        Assert.IsFalse(all.Contains("throw", StringComparison.Ordinal), "A throw on an error path is exempt:" + Environment.NewLine + all);
        Assert.IsFalse(all.Contains("Root._pair of struct Pair (a by-value copy); read it through ldflda / a ref local" + Environment.NewLine + "Probe.Root.Tick", StringComparison.Ordinal) && all.Split(Environment.NewLine).Count(l => l.StartsWith("Probe.Root.Tick", StringComparison.Ordinal) && l.Contains("ldfld Root._pair", StringComparison.Ordinal)) != 1,
            "Exactly one by-value load of _pair (the snapshot) is in Tick; _pair.B goes through its address:" + Environment.NewLine + all);
        Assert.IsFalse(all.Contains("Probe.Root.Read", StringComparison.Ordinal), "Reading through a ref local copies nothing:" + Environment.NewLine + all);
        Assert.IsFalse(all.Contains("Array", StringComparison.Ordinal), "Array.Copy of floats allocates nothing:" + Environment.NewLine + all);

        // The interface call resolves to the built class only.
        Assert.IsFalse(all.Contains("NotBuilt", StringComparison.Ordinal), "NotBuilt was not among the built types, so its Step is not on the path:" + Environment.NewLine + all);
        Assert.IsTrue(check.Walked.Keys.Any(m => m.DeclaringType.Name == "Used" && m.Name == "Step"), "The interface call must be followed into Used.Step.");
    }

    [TestMethod]
    public void Checker_ReportsAThrowOnTheNormalPath_AndAMethodThatAlwaysThrows()
    {
        const string source = @"
namespace Probe
{
    public sealed class Root
    {
        private float _last;
        public float Tick(float x)
        {
            try { _last = Fail(x); }
            catch (System.Exception) { _last = 0f; throw; }
            return _last;
        }

        private static float Fail(float x) { throw new System.InvalidOperationException(); }
    }
}";
        using ModuleDefinition module = CompileAgainstNanoFrameworkMscorlib(source);
        MethodDefinition tick = module.GetType("Probe.Root").Methods.Single(m => m.Name == TickMethod);

        InterpreterAllocationCheck check = InterpreterAllocationCheck.Run(module, null, tick, new[] { "Probe.Root" });
        string all = string.Join(Environment.NewLine, check.Findings);

        StringAssert.Contains(all, "Probe.Root.Tick(System.Single) signature: every path throws", all);
    }

    private static void AssertTickAllocatesNothing(ControlLoop loop, string stackName) =>
        AssertTickAllocatesNothing(loop, typeof(ControlLoop), TickMethod, stackName);

    private static void AssertTickAllocatesNothing(object root, Type rootType, string methodName, string stackName, bool reachesPolicy = true)
    {
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        using ModuleDefinition mscorlib = CompiledAssemblyWalker.ReadModule(NanoFrameworkApiLists.MscorlibPath);
        TypeDefinition rootDefinition = module.GetType(rootType.FullName);
        MethodDefinition tick = rootDefinition.Methods.Where(m => m.Name == methodName).OrderByDescending(m => m.IsPublic).First();
        IReadOnlyList<string> builtTypes = ReachableObjects.CoreTypeNames(root, typeof(ControlLoop).Assembly);

        InterpreterAllocationCheck check = InterpreterAllocationCheck.Run(module, mscorlib, tick, builtTypes);

        Assert.IsTrue(check.Walked.Count > (reachesPolicy ? 10 : 2), $"Only {check.Walked.Count} methods reached from {methodName}; the walk is not following the calls.");
        Assert.IsTrue(
            !reachesPolicy || check.Walked.Keys.Any(m => m.Name == "ComputeAction" && m.DeclaringType.Name != "IPolicy"),
            "The walk never reached a policy's ComputeAction; the interface calls are not resolved to the built classes.");
        if (check.Findings.Count > 0)
        {
            Assert.Fail(
                $"{stackName}: {check.Findings.Count} construct(s) on the tick path allocate on nanoFramework's interpreter "
                + "(firmware/EmbeddedMpc.Core/README.md, \"nanoFramework compatibility\"; the method, IL offset and source line of each):"
                + Environment.NewLine + string.Join(Environment.NewLine, check.Findings.Select(f => "  " + f + ReachedFrom(check, f)))
                + Environment.NewLine + $"({check.Walked.Count} methods walked; calls leaving the Core, not walked: "
                + string.Join(", ", check.BoundaryCalls.OrderBy(c => c, StringComparer.Ordinal)) + ")");
        }
    }

    private static string ReachedFrom(InterpreterAllocationCheck check, AllocationFinding finding)
    {
        string? from = check.Walked.FirstOrDefault(pair => CompiledAssemblyWalker.DisplayName(pair.Key) == finding.Method).Value;
        return from == null || from == "root" ? string.Empty : Environment.NewLine + "      (called from " + from + ")";
    }

    /// <summary>Compiles C# 9 source against nanoFramework's mscorlib alone, with its PDB, into memory.</summary>
    private static ModuleDefinition CompileAgainstNanoFrameworkMscorlib(string source)
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            "Probe",
            new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source, new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp9)) },
            new[] { Microsoft.CodeAnalysis.MetadataReference.CreateFromFile(NanoFrameworkApiLists.MscorlibPath) },
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary, optimizationLevel: Microsoft.CodeAnalysis.OptimizationLevel.Release));
        var assembly = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(assembly);
        Assert.IsTrue(result.Success, "The probe does not compile against nanoFramework's mscorlib: " + string.Join(Environment.NewLine, result.Diagnostics));
        assembly.Position = 0;
        return ModuleDefinition.ReadModule(assembly);
    }

    /// <summary>A link that sends nothing; outside the Core, so the walk stops at it.</summary>
    private sealed class NullTransmitter : EmbeddedMpc.Core.Hil.ILinkTransmitter
    {
        public void Transmit(byte[] buffer, int offset, int count)
        {
        }
    }

    /// <summary>Hardware that reads nothing and drives nothing; outside the Core, so the walk stops at it.</summary>
    private sealed class NullHardware : IRigSensors, IMotorDriver, IMicrosecondClock
    {
        public long NowMicroseconds => 0;

        public void Read(ref SensorReading reading)
        {
        }

        public void SetDuty(float signedDuty)
        {
        }
    }
}

/// <summary>The classes of the objects a built control stack holds, found by following its fields.</summary>
internal static class ReachableObjects
{
    /// <summary>Full names (Cecil form, '/' for nesting) of the types of <paramref name="assembly"/> whose objects are reachable from <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> CoreTypeNames(object root, Assembly assembly)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        var work = new Stack<object>();
        work.Push(root);
        seen.Add(root);
        while (work.Count > 0)
        {
            object current = work.Pop();
            Type type = current.GetType();
            if (type.Assembly == assembly)
            {
                names.Add(type.FullName!.Replace('+', '/'));
            }

            foreach (object child in Children(current, type))
            {
                if (seen.Add(child))
                {
                    work.Push(child);
                }
            }
        }

        return names.ToList();
    }

    private static IEnumerable<object> Children(object current, Type type)
    {
        if (current is Array array)
        {
            if (type.GetElementType()!.IsPrimitive)
            {
                yield break;
            }

            foreach (object? element in array)
            {
                if (element != null && !element.GetType().IsPrimitive)
                {
                    yield return element;
                }
            }

            yield break;
        }

        if (current is string || current is Delegate || type.IsPrimitive)
        {
            yield break;
        }

        for (Type? declaring = type; declaring != null && declaring != typeof(object); declaring = declaring.BaseType)
        {
            foreach (FieldInfo field in declaring.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (field.FieldType.IsPrimitive || field.FieldType.IsPointer)
                {
                    continue;
                }

                object? value = field.GetValue(current);
                if (value != null && !value.GetType().IsPrimitive)
                {
                    yield return value;
                }
            }
        }
    }
}
