using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.FirmwareApi;

/// <summary>A framework type or member that the compiled firmware (or device tests) reference.</summary>
/// <param name="Signature">The reference in <see cref="ApiSignature"/> form.</param>
/// <param name="Users">The firmware or device-test members that make it, with source lines.</param>
/// <param name="Providers">The API-list lines that provide it, with their assembly; empty if none does.</param>
internal sealed record FrameworkUse(string Signature, IReadOnlyList<string> Users, IReadOnlyList<(string Assembly, string Line)> Providers);

/// <summary>
/// The pieces of the firmware API check: where the compiled ApiCheck assembly is, which of its types are
/// the nanoFramework declarations, and which framework members the rest of it uses. The walking and the
/// signature format are the NanoFrameworkSubset infrastructure's (<see cref="CompiledAssemblyWalker"/>,
/// <see cref="ApiSignature"/>, <see cref="NanoFrameworkApiLists"/>).
/// </summary>
internal static class FirmwareApiCheck
{
    public const string ApiCheckProjectName = "EmbeddedMpc.Firmware.ApiCheck";

    /// <summary>Namespace prefix of the project's own code (Core, firmware, device tests): not framework.</summary>
    public const string ProjectNamespacePrefix = "EmbeddedMpc";

    public static string FirmwareDirectory => Path.Combine(RepositoryLayout.RepositoryRoot, "firmware", "EmbeddedMpc.Firmware");

    public static string DeviceTestsDirectory => Path.Combine(RepositoryLayout.RepositoryRoot, "tests", "EmbeddedMpc.DeviceTests");

    /// <summary>tests/EmbeddedMpc.Firmware.ApiCheck/NanoFrameworkDeclarations: one file per nanoFramework assembly not served by NuGet.</summary>
    public static string DeclarationsDirectory => Path.Combine(RepositoryLayout.RepositoryRoot, "tests", ApiCheckProjectName, "NanoFrameworkDeclarations");

    /// <summary>
    /// tests/EmbeddedMpc.Firmware.ApiCheck/bin/&lt;Configuration&gt;/net10.0/EmbeddedMpc.Firmware.ApiCheck.dll, the
    /// configuration being the test run's own (the folder above the test assembly's). The test project
    /// references the ApiCheck project without its output, so it is built first but not copied here.
    /// </summary>
    public static string AssemblyPath
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
            string targetFramework = testOutput.Name;
            string configuration = testOutput.Parent?.Name ?? "Debug";
            string path = Path.Combine(RepositoryLayout.RepositoryRoot, "tests", ApiCheckProjectName, "bin", configuration, targetFramework, ApiCheckProjectName + ".dll");
            if (!File.Exists(path))
            {
                Assert.Fail(
                    $"{path} was not found. The test project has a ProjectReference to tests/{ApiCheckProjectName} "
                    + "(ReferenceOutputAssembly=false), so building the tests builds it in the same configuration; build the solution.");
            }

            return path;
        }
    }

    /// <summary>
    /// The nanoFramework declarations compiled into <paramref name="module"/>: every type outside the project's
    /// namespaces that the compiler did not generate.
    /// </summary>
    public static IReadOnlyList<TypeDefinition> DeclaredTypes(ModuleDefinition module)
    {
        return module.GetTypes()
            .Where(t => !IsProjectType(t) && !IsCompilerGenerated(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The API-list lines by signature (one line can provide several: a property's accessors).</summary>
    public static Dictionary<string, List<(string Assembly, string Line)>> IndexBySignature(NanoFrameworkApiLists lists)
    {
        var index = new Dictionary<string, List<(string Assembly, string Line)>>(StringComparer.Ordinal);
        foreach ((string assembly, string line) in lists.LinesStartingWith(string.Empty))
        {
            foreach (string signature in ApiSignature.OfListLine(line))
            {
                if (!index.TryGetValue(signature, out List<(string Assembly, string Line)>? providers))
                {
                    providers = new List<(string Assembly, string Line)>();
                    index.Add(signature, providers);
                }

                providers.Add((assembly, line));
            }
        }

        return index;
    }

    /// <summary>
    /// Every framework type and member the firmware and the device tests reference (the declarations' own
    /// bodies and signatures excluded), by signature, with the list lines that provide each. Target-specific
    /// attributes the compiler adds by itself are left out (<see cref="FrameworkReferenceCheck.TargetSpecificCompilerAttributes"/>).
    /// A delegate's constructor (object, IntPtr) is provided by its type line: the lists leave delegate
    /// constructors out.
    /// </summary>
    public static IReadOnlyList<FrameworkUse> FrameworkUses(ModuleDefinition module, NanoFrameworkApiLists lists)
    {
        Dictionary<string, List<(string Assembly, string Line)>> index = IndexBySignature(lists);
        var declaredNames = new HashSet<string>(DeclaredTypes(module).Select(CompiledAssemblyWalker.DisplayName), StringComparer.Ordinal);
        IReadOnlyList<ReferenceUse> uses = CompiledAssemblyWalker.Walk(module);

        // The metadata tables are a safety net for what the walk cannot reach; whatever the walk saw
        // (in any member, the declarations included) is judged there.
        var seenByWalk = new HashSet<string>(StringComparer.Ordinal);
        foreach (ReferenceUse use in uses.Where(u => u.Site != ReferenceSite.MetadataTable))
        {
            string? signature = FrameworkSignature(use.Reference);
            if (signature != null)
            {
                seenByWalk.Add(signature);
            }
        }

        var usersBySignature = new SortedDictionary<string, SortedDictionary<string, List<string?>>>(StringComparer.Ordinal);
        foreach (ReferenceUse use in uses)
        {
            if (IsDeclarationUser(use.User, declaredNames) || IsExemptCompilerAttribute(use))
            {
                continue;
            }

            string? signature = FrameworkSignature(use.Reference);
            if (signature == null || (use.Site == ReferenceSite.MetadataTable && seenByWalk.Contains(signature)))
            {
                continue;
            }

            FrameworkReferenceCheck.RecordUser(usersBySignature, signature, use);
        }

        return usersBySignature
            .Select(pair => new FrameworkUse(
                pair.Key,
                pair.Value.Select(u => CompiledAssemblyWalker.WithLocations(u.Key, u.Value)).ToList(),
                Providers(pair.Key, index)))
            .ToList();
    }

    /// <summary>The project (firmware or device tests) a user of a reference belongs to, or null for the metadata tables.</summary>
    public static string? ProjectOf(string user)
    {
        if (user.StartsWith("EmbeddedMpc.Firmware.", StringComparison.Ordinal))
        {
            return "firmware";
        }

        if (user.StartsWith("EmbeddedMpc.DeviceTests.", StringComparison.Ordinal))
        {
            return "device tests";
        }

        return null;
    }

    private static IReadOnlyList<(string Assembly, string Line)> Providers(
        string signature, Dictionary<string, List<(string Assembly, string Line)>> index)
    {
        if (index.TryGetValue(signature, out List<(string Assembly, string Line)>? providers))
        {
            return providers;
        }

        // "ctor System.Threading.ThreadStart(System.Object, System.IntPtr)": the lists list a delegate by its type line.
        const string delegateConstructorParameters = "(System.Object, System.IntPtr)";
        if (signature.StartsWith("ctor ", StringComparison.Ordinal) && signature.EndsWith(delegateConstructorParameters, StringComparison.Ordinal))
        {
            string typeName = signature.Substring("ctor ".Length, signature.Length - "ctor ".Length - delegateConstructorParameters.Length);
            if (index.TryGetValue("type " + typeName, out List<(string Assembly, string Line)>? typeLines)
                && typeLines.Any(p => p.Line.EndsWith("(delegate)", StringComparison.Ordinal)))
            {
                return typeLines;
            }
        }

        return Array.Empty<(string Assembly, string Line)>();
    }

    /// <summary>The signature of a reference to a framework type or member, or null for the project's own code and for specifications.</summary>
    private static string? FrameworkSignature(MemberReference reference)
    {
        TypeReference? declaringType;
        switch (reference)
        {
            case GenericParameter:
            case TypeSpecification:
            case GenericInstanceMethod:
                // Arrays, generic instances, by-reference, modifiers: their named parts are reported on their
                // own; generics themselves are LanguageFeatureCheck's business.
                return null;
            case TypeReference type:
                declaringType = type;
                break;
            default:
                declaringType = reference.DeclaringType;
                break;
        }

        // The compiler's own types (<Module>, <PrivateImplementationDetails> and what is nested in them) are
        // not framework; what they reference in turn is.
        if (declaringType == null || IsProjectType(declaringType) || Outermost(declaringType).Name.StartsWith("<", StringComparison.Ordinal))
        {
            return null;
        }

        return ApiSignature.Of(reference);
    }

    private static bool IsProjectType(TypeReference type)
    {
        string ns = Outermost(type).Namespace;
        return ns == ProjectNamespacePrefix || ns.StartsWith(ProjectNamespacePrefix + ".", StringComparison.Ordinal);
    }

    private static TypeReference Outermost(TypeReference type)
    {
        TypeReference outermost = type;
        while (outermost.DeclaringType != null)
        {
            outermost = outermost.DeclaringType;
        }

        return outermost;
    }

    private static bool IsCompilerGenerated(TypeDefinition type)
    {
        TypeReference outermost = Outermost(type);
        return outermost.Name.StartsWith("<", StringComparison.Ordinal)
            || type.CustomAttributes.Any(a =>
                a.AttributeType.FullName == "System.Runtime.CompilerServices.CompilerGeneratedAttribute"
                || a.AttributeType.FullName == "Microsoft.CodeAnalysis.EmbeddedAttribute");
    }

    private static bool IsDeclarationUser(string user, HashSet<string> declaredNames)
    {
        foreach (string name in declaredNames)
        {
            if (user == name || user.StartsWith(name + ".", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsExemptCompilerAttribute(ReferenceUse use)
    {
        return use.Site == ReferenceSite.Attribute
            && FrameworkReferenceCheck.TargetSpecificCompilerAttributes.Any(a => a.FullName == use.AttributeType && a.Owner == use.Owner);
    }
}
