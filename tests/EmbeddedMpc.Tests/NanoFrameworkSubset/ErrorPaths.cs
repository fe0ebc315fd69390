using System;
using System.Collections.Generic;
using Mono.Cecil;
using Mono.Cecil.Cil;
using Mono.Collections.Generic;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// Splits a method body into its normal path and its error paths, for the interpreter allocation check.
/// <para>
/// The rule: an instruction is on the <b>normal path</b> when it is reachable from the method's entry (or
/// from the start of a finally/fault handler, which normal code runs too) and at least one path from it
/// reaches a <c>ret</c>. Every other instruction is on an <b>error path</b>: every path from it ends in
/// <c>throw</c> or <c>rethrow</c> (or a call to a method that never returns normally), or it is only
/// reachable through an exception (catch and filter handlers). Building an exception's message before
/// such a throw is on the error path; building it before a branch that can still return is not.
/// </para>
/// </summary>
internal sealed class ErrorPaths
{
    private readonly HashSet<Instruction> _normal;

    private ErrorPaths(HashSet<Instruction> normal, bool entryReturns)
    {
        _normal = normal;
        EntryReturns = entryReturns;
    }

    /// <summary>Whether some path from the method's first instruction reaches a <c>ret</c>.</summary>
    public bool EntryReturns { get; }

    /// <summary>True when <paramref name="instruction"/> is on the normal path (see the class summary).</summary>
    public bool IsNormal(Instruction instruction) => _normal.Contains(instruction);

    /// <summary>
    /// Analyses <paramref name="method"/>'s body. <paramref name="neverReturns"/> tells whether a call's target
    /// never returns normally (every path in it throws); such a call ends its path like a throw.
    /// </summary>
    public static ErrorPaths Of(MethodDefinition method, Func<MethodReference, bool> neverReturns)
    {
        Collection<Instruction> instructions = method.Body.Instructions;
        var successors = new Dictionary<Instruction, List<Instruction>>();
        var returns = new HashSet<Instruction>();
        foreach (Instruction instruction in instructions)
        {
            successors[instruction] = Successors(instruction, neverReturns);
            if (instruction.OpCode.Code == Code.Ret || instruction.OpCode.Code == Code.Endfinally || instruction.OpCode.Code == Code.Endfilter)
            {
                // The end of a finally or filter goes back to code that may return; count it as returning.
                returns.Add(instruction);
            }
        }

        // Backward: which instructions can reach a return.
        var predecessors = new Dictionary<Instruction, List<Instruction>>();
        foreach (KeyValuePair<Instruction, List<Instruction>> pair in successors)
        {
            foreach (Instruction next in pair.Value)
            {
                if (!predecessors.TryGetValue(next, out List<Instruction>? list))
                {
                    list = new List<Instruction>();
                    predecessors.Add(next, list);
                }

                list.Add(pair.Key);
            }
        }

        var canReturn = new HashSet<Instruction>(returns);
        var work = new Stack<Instruction>(returns);
        while (work.Count > 0)
        {
            Instruction current = work.Pop();
            if (predecessors.TryGetValue(current, out List<Instruction>? previous))
            {
                foreach (Instruction instruction in previous)
                {
                    if (canReturn.Add(instruction))
                    {
                        work.Push(instruction);
                    }
                }
            }
        }

        // Forward: reachable from the entry or a finally/fault handler, through instructions that can return.
        var normal = new HashSet<Instruction>();
        var starts = new List<Instruction> { instructions[0] };
        foreach (ExceptionHandler handler in method.Body.ExceptionHandlers)
        {
            if (handler.HandlerType == ExceptionHandlerType.Finally || handler.HandlerType == ExceptionHandlerType.Fault)
            {
                starts.Add(handler.HandlerStart);
            }
        }

        var forward = new Stack<Instruction>();
        foreach (Instruction start in starts)
        {
            if (canReturn.Contains(start) && normal.Add(start))
            {
                forward.Push(start);
            }
        }

        while (forward.Count > 0)
        {
            foreach (Instruction next in successors[forward.Pop()])
            {
                if (canReturn.Contains(next) && normal.Add(next))
                {
                    forward.Push(next);
                }
            }
        }

        return new ErrorPaths(normal, canReturn.Contains(instructions[0]));
    }

    private static List<Instruction> Successors(Instruction instruction, Func<MethodReference, bool> neverReturns)
    {
        var next = new List<Instruction>();
        switch (instruction.OpCode.FlowControl)
        {
            case FlowControl.Return:
            case FlowControl.Throw:
                return next;
            case FlowControl.Branch:
                next.Add((Instruction)instruction.Operand);
                return next;
            case FlowControl.Cond_Branch:
                if (instruction.Operand is Instruction[] targets)
                {
                    next.AddRange(targets);
                }
                else
                {
                    next.Add((Instruction)instruction.Operand);
                }

                break;
            case FlowControl.Call:
                if (instruction.Operand is MethodReference called && neverReturns(called))
                {
                    return next;
                }

                break;
        }

        if (instruction.Next != null)
        {
            next.Add(instruction.Next);
        }

        return next;
    }
}
