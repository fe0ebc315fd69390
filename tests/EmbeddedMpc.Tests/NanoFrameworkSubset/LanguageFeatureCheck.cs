using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// The check behind "the Core uses no generics, LINQ, Span, MathF, Nullable&lt;T&gt;": finds, in a compiled
/// assembly, the language and library features nanoFramework 1.x's interpreter and class library lack
/// (firmware/EmbeddedMpc.Core/README.md, "nanoFramework compatibility"). Each finding is
/// "member: what it uses".
/// </summary>
internal static class LanguageFeatureCheck
{
    /// <summary>Framework types whose use means a feature nanoFramework 1.x does not have, with the reason.</summary>
    private static readonly IReadOnlyDictionary<string, string> s_forbiddenTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["System.Span`1"] = "Span<T> (no Span on nanoFramework 1.x; use arrays and indices)",
        ["System.ReadOnlySpan`1"] = "ReadOnlySpan<T> (no Span on nanoFramework 1.x; use arrays and indices)",
        ["System.Memory`1"] = "Memory<T> (not on nanoFramework 1.x)",
        ["System.ReadOnlyMemory`1"] = "ReadOnlyMemory<T> (not on nanoFramework 1.x)",
        ["System.MathF"] = "System.MathF (not on nanoFramework; use the Core's FloatMath)",
        ["System.Nullable`1"] = "Nullable<T> / nullable value type such as int? (generic; not on nanoFramework 1.x)",
        ["System.Runtime.CompilerServices.IsExternalInit"] = "init-only setter (modreq IsExternalInit; no init accessors in the Core)",
        ["System.Runtime.CompilerServices.Unsafe"] = "System.Runtime.CompilerServices.Unsafe (unsafe code)",
        ["System.Runtime.CompilerServices.IAsyncStateMachine"] = "async state machine (no async/await on nanoFramework)",
        ["System.Runtime.CompilerServices.AsyncStateMachineAttribute"] = "async method (no async/await on nanoFramework)",
        ["System.Runtime.CompilerServices.AsyncVoidMethodBuilder"] = "async method (no async/await on nanoFramework)",
        ["System.Runtime.CompilerServices.AsyncTaskMethodBuilder"] = "async method (no async/await on nanoFramework)",
        ["System.Runtime.CompilerServices.AsyncTaskMethodBuilder`1"] = "async method (no async/await on nanoFramework)",
        ["System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder"] = "async method (no async/await on nanoFramework)",
        ["System.Runtime.CompilerServices.AsyncValueTaskMethodBuilder`1"] = "async method (no async/await on nanoFramework)",
        ["System.Runtime.CompilerServices.IteratorStateMachineAttribute"] = "iterator (yield; a compiler-generated, allocating state machine)",
        ["System.Runtime.CompilerServices.InterpolatedStringHandlerAttribute"] = "string interpolation handler",
        ["System.Runtime.CompilerServices.InterpolatedStringHandlerArgumentAttribute"] = "string interpolation handler",
        ["System.Runtime.CompilerServices.TupleElementNamesAttribute"] = "tuple (ValueTuple)",
    };

    /// <summary>Every use of an unsupported feature in <paramref name="module"/>, sorted, one line each.</summary>
    public static IReadOnlyList<string> FindViolations(ModuleDefinition module)
    {
        var findings = new SortedSet<string>(StringComparer.Ordinal);
        CheckDefinitions(module, findings);

        // One finding per (member, reason), with every source line where the member does it.
        var locationsByFinding = new Dictionary<(string User, string Reason), List<string?>>();
        foreach (ReferenceUse use in CompiledAssemblyWalker.Walk(module))
        {
            foreach (string reason in ReasonsAgainst(use.Reference))
            {
                if (!locationsByFinding.TryGetValue((use.User, reason), out List<string?>? locations))
                {
                    locations = new List<string?>();
                    locationsByFinding.Add((use.User, reason), locations);
                }

                locations.Add(use.Location);
            }
        }

        // The metadata tables are a safety net: report from there only what the walk did not already find.
        var reasonsFoundByWalk = new HashSet<string>(
            locationsByFinding.Keys.Where(k => k.User != CompiledAssemblyWalker.MetadataTableUser).Select(k => k.Reason),
            StringComparer.Ordinal);
        foreach (KeyValuePair<(string User, string Reason), List<string?>> finding in locationsByFinding)
        {
            if (finding.Key.User == CompiledAssemblyWalker.MetadataTableUser && reasonsFoundByWalk.Contains(finding.Key.Reason))
            {
                continue;
            }

            findings.Add(CompiledAssemblyWalker.WithLocations(finding.Key.User, finding.Value) + ": " + finding.Key.Reason);
        }

        return findings.ToList();
    }

    private static void CheckDefinitions(ModuleDefinition module, ISet<string> findings)
    {
        foreach (TypeDefinition type in module.GetTypes())
        {
            string typeName = CompiledAssemblyWalker.DisplayName(type);
            if (type.HasGenericParameters)
            {
                findings.Add(typeName + ": generic type definition (no generics on nanoFramework 1.x)");
            }

            string? compilerGenerated = CompilerGeneratedTypeKind(type);
            if (compilerGenerated != null)
            {
                findings.Add(typeName + ": " + compilerGenerated);
            }

            if (type.Properties.Any(p => p.Name == "EqualityContract") || type.Methods.Any(m => m.Name == "<Clone>$"))
            {
                findings.Add(typeName + ": record (EqualityContract / <Clone>$; no records in the Core)");
            }

            foreach (MethodDefinition method in type.Methods)
            {
                string methodName = CompiledAssemblyWalker.DisplayName(method);
                if (method.HasGenericParameters)
                {
                    findings.Add(CompiledAssemblyWalker.WithLocations(methodName, new[] { CompiledAssemblyWalker.SourceLocation(method, null) })
                        + ": generic method definition (no generics on nanoFramework 1.x)");
                }

                if (method.Name.Contains(">b__", StringComparison.Ordinal))
                {
                    findings.Add(methodName + ": lambda body (no lambdas in the Core: they allocate delegates and closures)");
                }

                if (method.HasBody)
                {
                    List<string?> stackallocs = method.Body.Instructions
                        .Where(instruction => instruction.OpCode.Code == Code.Localloc)
                        .Select(instruction => CompiledAssemblyWalker.SourceLocation(method, instruction))
                        .ToList();
                    if (stackallocs.Count > 0)
                    {
                        findings.Add(CompiledAssemblyWalker.WithLocations(methodName, stackallocs) + ": stackalloc (localloc; no stackalloc or unsafe code)");
                    }
                }
            }
        }
    }

    /// <summary>What a compiler-generated type stands for, or null for an ordinary (or harmless generated) type.</summary>
    private static string? CompilerGeneratedTypeKind(TypeDefinition type)
    {
        string name = type.Name;
        if (!name.StartsWith("<", StringComparison.Ordinal) || name == "<Module>")
        {
            return null;
        }

        if (name.StartsWith("<PrivateImplementationDetails>", StringComparison.Ordinal))
        {
            // Constant data for array initializers (RuntimeHelpers.InitializeArray); nanoFramework supports it.
            // Anything else the compiler might put there is caught by the reference checks.
            return null;
        }

        if (name == "<>c")
        {
            return "compiler-generated lambda class <>c (no lambdas in the Core)";
        }

        if (name.Contains("DisplayClass", StringComparison.Ordinal))
        {
            return "compiler-generated closure (display class for a lambda or local function that captures variables)";
        }

        if (name.Contains(">d__", StringComparison.Ordinal))
        {
            return "compiler-generated state machine (async method or iterator)";
        }

        if (name.Contains("AnonymousType", StringComparison.Ordinal))
        {
            return "anonymous type (generic)";
        }

        if (name.Contains("FixedBuffer", StringComparison.Ordinal))
        {
            return "fixed-size buffer (unsafe)";
        }

        return "compiler-generated type " + name + " (a language feature beyond the nanoFramework subset)";
    }

    private static IEnumerable<string> ReasonsAgainst(MemberReference reference)
    {
        switch (reference)
        {
            case GenericInstanceMethod method:
                yield return "generic method instance " + ApiSignature.Of(method.ElementMethod) + " (no generics on nanoFramework 1.x)";
                break;
            case GenericInstanceType instance:
                yield return "generic type instance " + ApiSignature.TypeName(instance) + " (no generics on nanoFramework 1.x)";
                break;
            case GenericParameter parameter:
                yield return "generic parameter " + parameter.Name + " (no generics on nanoFramework 1.x)";
                break;
            case ArrayType array when array.Rank > 1:
                yield return "multidimensional array " + ApiSignature.TypeName(array) + " (use a flat array and index arithmetic)";
                break;
            case PointerType pointer:
                yield return "pointer type " + ApiSignature.TypeName(pointer) + " (no unsafe code)";
                break;
            case FunctionPointerType functionPointer:
                yield return "function pointer " + ApiSignature.TypeName(functionPointer) + " (no unsafe code)";
                break;
            case PinnedType pinned:
                yield return "pinned local " + ApiSignature.TypeName(pinned) + " (fixed statement; no unsafe code)";
                break;
            case TypeSpecification:
                break;
            case TypeReference type:
                string? reason = NamedTypeReason(type);
                if (reason != null)
                {
                    yield return reason;
                }

                break;
        }
    }

    private static string? NamedTypeReason(TypeReference type)
    {
        string fullName = type.FullName;
        if (s_forbiddenTypes.TryGetValue(fullName, out string? reason))
        {
            return reason + ": " + fullName;
        }

        TypeReference outermost = type;
        while (outermost.DeclaringType != null)
        {
            outermost = outermost.DeclaringType;
        }

        string ns = outermost.Namespace;
        if (ns == "System.Linq" || ns.StartsWith("System.Linq.", StringComparison.Ordinal))
        {
            return "LINQ (not on nanoFramework): " + fullName;
        }

        if (ns == "System.Threading.Tasks" || ns.StartsWith("System.Threading.Tasks.", StringComparison.Ordinal))
        {
            return "tasks / async (not on nanoFramework 1.x): " + fullName;
        }

        if (ns == "System" && (type.Name == "ValueTuple" || type.Name.StartsWith("ValueTuple`", StringComparison.Ordinal)))
        {
            return "ValueTuple / tuple syntax (generic; not on nanoFramework 1.x): " + fullName;
        }

        if (ns == "System.Runtime.CompilerServices" && type.Name.EndsWith("InterpolatedStringHandler", StringComparison.Ordinal))
        {
            return "string interpolation handler (no string building in the Core; not on nanoFramework): " + fullName;
        }

        return null;
    }
}
