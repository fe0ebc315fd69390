using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>Reading an assembly, and the names and source locations the checks write in their messages.</summary>
internal sealed partial class CompiledAssemblyWalker
{
    /// <summary>Reads an assembly from disk, with its portable PDB when there is one (for source lines in messages).</summary>
    public static ModuleDefinition ReadModule(string assemblyPath)
    {
        // Nothing is resolved: references are judged by name, so no assembly resolver is needed.
        bool hasSymbols = File.Exists(Path.ChangeExtension(assemblyPath, ".pdb"));
        try
        {
            return ModuleDefinition.ReadModule(
                assemblyPath,
                new ReaderParameters { ReadSymbols = hasSymbols, InMemory = true });
        }
        catch (Exception exception) when (hasSymbols && exception is not FileNotFoundException)
        {
            // A PDB that does not match is no reason to skip the checks; messages just lose their line numbers.
            return ModuleDefinition.ReadModule(
                assemblyPath,
                new ReaderParameters { ReadSymbols = false, InMemory = true });
        }
    }

    /// <summary>True when <paramref name="type"/> (after removing arrays, generic arguments, modifiers, ...) is defined outside <paramref name="module"/>.</summary>
    public static bool IsDefinedOutside(TypeReference type, ModuleDefinition module)
    {
        TypeReference element = type.GetElementType();
        if (element is GenericParameter)
        {
            return false;
        }

        if (element is TypeDefinition definition)
        {
            return definition.Module != module;
        }

        return element.Scope is AssemblyNameReference || (element.Scope is ModuleDefinition other && other != module);
    }

    /// <summary>A readable name for a type of the inspected assembly ("EmbeddedMpc.Core.Planning.CemOptimizer").</summary>
    public static string DisplayName(TypeReference type) => type.FullName.Replace('/', '.');

    /// <summary>A readable name for a method of the inspected assembly ("EmbeddedMpc.Core.Math.FloatMath.Sin(System.Single)").</summary>
    public static string DisplayName(MethodDefinition method)
    {
        return DisplayName(method.DeclaringType) + "." + method.Name
            + "(" + string.Join(", ", method.Parameters.Select(p => ApiSignature.TypeName(p.ParameterType))) + ")";
    }

    /// <summary>
    /// "firmware/EmbeddedMpc.Core/Math/FloatMath.cs:42" for an instruction (or, without one, the method's first line),
    /// when the PDB was read; otherwise null.
    /// </summary>
    public static string? SourceLocation(MethodDefinition method, Instruction? instruction)
    {
        if (!method.HasBody || method.DebugInformation == null || !method.DebugInformation.HasSequencePoints)
        {
            return null;
        }

        SequencePoint? best = null;
        foreach (SequencePoint point in method.DebugInformation.SequencePoints)
        {
            if (point.IsHidden)
            {
                continue;
            }

            if (instruction == null)
            {
                best = point;
                break;
            }

            if (point.Offset <= instruction.Offset)
            {
                best = point;
            }
        }

        if (best == null)
        {
            return null;
        }

        return ShortDocumentPath(best.Document.Url) + ":" + best.StartLine;
    }

    /// <summary>
    /// "User [firmware/.../File.cs:12, 15, 40]": a member with the source lines where it makes a reference
    /// (lines of one file are merged; the user alone when no line is known).
    /// </summary>
    public static string WithLocations(string user, IEnumerable<string?> locations)
    {
        var lines = new List<(string File, int Line)>();
        foreach (string? location in locations)
        {
            if (location == null)
            {
                continue;
            }

            int colon = location.LastIndexOf(':');
            lines.Add((location.Substring(0, colon), int.Parse(location.Substring(colon + 1), System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (lines.Count == 0)
        {
            return user;
        }

        IEnumerable<string> byFile = lines
            .Distinct()
            .GroupBy(l => l.File)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Key + ":" + string.Join(", ", g.Select(l => l.Line).OrderBy(l => l)));
        return user + " [" + string.Join("; ", byFile) + "]";
    }

    private static string ShortDocumentPath(string url)
    {
        string normalized = url.Replace('\\', '/');
        const string marker = "/firmware/";
        int index = normalized.LastIndexOf(marker, StringComparison.Ordinal);
        return index >= 0 ? normalized.Substring(index + 1) : Path.GetFileName(normalized);
    }
}
