using System;
using System.Collections.Generic;
using System.IO;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Cecil.Rocks;

namespace EmbeddedMpc.HostSim.Cost;

/// <summary>
/// Rewrites a copy of the compiled Core so that it counts the IL instructions it executes: every basic
/// block starts by adding its own instruction count to one static counter
/// (<see cref="CounterTypeName"/>.<see cref="CounterFieldName"/>, a long). The instrumented copy computes
/// exactly what the original computes; only the counter is added.
/// </summary>
/// <remarks>
/// A basic block starts at a method's first instruction, at every branch, switch and leave target, after
/// every branch, return, throw and leave, and at every exception-region boundary. The count of a block is
/// its number of instructions in the original method; a block left early by an exception is counted whole
/// (the Core throws nothing on the tick path). Calls into the framework (e.g. Array.Copy, native on
/// nanoFramework) are counted as the one call instruction.
/// </remarks>
public static class IlCountingInstrumenter
{
    /// <summary>Full name of the type the instrumented Core gets for its counter.</summary>
    public const string CounterTypeName = "EmbeddedMpc.Core.IlInstructionCounter";

    /// <summary>Name of the counter's public static long field.</summary>
    public const string CounterFieldName = "Executed";

    /// <summary>An instrumented copy of the assembly at <paramref name="sourcePath"/>, as the bytes of its image.</summary>
    /// <exception cref="IOException">The assembly cannot be read.</exception>
    public static byte[] Instrument(string sourcePath)
    {
        var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(Path.GetDirectoryName(sourcePath)!);
        resolver.AddSearchDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!);
        using AssemblyDefinition assembly = AssemblyDefinition.ReadAssembly(sourcePath, new ReaderParameters { AssemblyResolver = resolver });
        ModuleDefinition module = assembly.MainModule;

        var counterType = new TypeDefinition("EmbeddedMpc.Core", "IlInstructionCounter",
            TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Class,
            module.TypeSystem.Object);
        var counter = new FieldDefinition(CounterFieldName, FieldAttributes.Public | FieldAttributes.Static, module.TypeSystem.Int64);
        counterType.Fields.Add(counter);

        foreach (TypeDefinition type in AllTypes(module))
        {
            foreach (MethodDefinition method in type.Methods)
            {
                if (method.HasBody && method.Body.Instructions.Count > 0)
                {
                    InstrumentMethod(method.Body, counter);
                }
            }
        }

        module.Types.Add(counterType);
        using var image = new MemoryStream();
        assembly.Write(image);
        return image.ToArray();
    }

    private static IEnumerable<TypeDefinition> AllTypes(ModuleDefinition module)
    {
        var pending = new Stack<TypeDefinition>(module.Types);
        while (pending.Count > 0)
        {
            TypeDefinition type = pending.Pop();
            yield return type;
            foreach (TypeDefinition nested in type.NestedTypes)
            {
                pending.Push(nested);
            }
        }
    }

    private static void InstrumentMethod(MethodBody body, FieldDefinition counter)
    {
        body.SimplifyMacros();
        IList<Instruction> instructions = body.Instructions;
        var leaders = new HashSet<Instruction> { instructions[0] };
        for (int i = 0; i < instructions.Count; i++)
        {
            Instruction instruction = instructions[i];
            if (instruction.Operand is Instruction target)
            {
                leaders.Add(target);
            }
            else if (instruction.Operand is Instruction[] targets)
            {
                leaders.UnionWith(targets);
            }

            if (EndsBlock(instruction.OpCode) && i + 1 < instructions.Count)
            {
                leaders.Add(instructions[i + 1]);
            }
        }

        foreach (ExceptionHandler handler in body.ExceptionHandlers)
        {
            foreach (Instruction? boundary in new[] { handler.TryStart, handler.TryEnd, handler.HandlerStart, handler.HandlerEnd, handler.FilterStart })
            {
                if (boundary is not null)
                {
                    leaders.Add(boundary);
                }
            }
        }

        // Block lengths in the original order, before anything is inserted.
        var lengths = new Dictionary<Instruction, int>();
        Instruction? current = null;
        foreach (Instruction instruction in instructions)
        {
            if (leaders.Contains(instruction))
            {
                current = instruction;
                lengths[current] = 0;
            }

            lengths[current!]++;
        }

        ILProcessor il = body.GetILProcessor();
        var replacement = new Dictionary<Instruction, Instruction>();
        foreach (KeyValuePair<Instruction, int> block in lengths)
        {
            Instruction first = il.Create(OpCodes.Ldsfld, counter);
            il.InsertBefore(block.Key, first);
            il.InsertBefore(block.Key, il.Create(OpCodes.Ldc_I8, (long)block.Value));
            il.InsertBefore(block.Key, il.Create(OpCodes.Add));
            il.InsertBefore(block.Key, il.Create(OpCodes.Stsfld, counter));
            replacement[block.Key] = first;
        }

        // Branches and exception regions must enter a block through its counter.
        foreach (Instruction instruction in instructions)
        {
            if (instruction.Operand is Instruction target && replacement.TryGetValue(target, out Instruction? moved))
            {
                instruction.Operand = moved;
            }
            else if (instruction.Operand is Instruction[] targets)
            {
                for (int t = 0; t < targets.Length; t++)
                {
                    if (replacement.TryGetValue(targets[t], out Instruction? movedTarget))
                    {
                        targets[t] = movedTarget;
                    }
                }
            }
        }

        foreach (ExceptionHandler handler in body.ExceptionHandlers)
        {
            handler.TryStart = Moved(handler.TryStart, replacement);
            handler.TryEnd = Moved(handler.TryEnd, replacement);
            handler.HandlerStart = Moved(handler.HandlerStart, replacement);
            handler.HandlerEnd = Moved(handler.HandlerEnd, replacement);
            handler.FilterStart = Moved(handler.FilterStart, replacement);
        }

        body.OptimizeMacros();
    }

    private static Instruction Moved(Instruction instruction, Dictionary<Instruction, Instruction> replacement) =>
        instruction is not null && replacement.TryGetValue(instruction, out Instruction? moved) ? moved : instruction!;

    private static bool EndsBlock(OpCode opCode) =>
        opCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw
        || opCode.Code is Code.Leave or Code.Leave_S or Code.Endfinally or Code.Endfilter;
}
