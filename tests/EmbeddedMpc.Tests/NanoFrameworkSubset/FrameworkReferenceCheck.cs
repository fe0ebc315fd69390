using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>An attribute the C# compiler adds by itself, and only when the target's class library has it.</summary>
/// <param name="FullName">The attribute type.</param>
/// <param name="Owner">Where the compiler puts it; an application anywhere else is not exempt.</param>
/// <param name="Reason">Why the nanoFramework build (same sources, nanoFramework's mscorlib, C# 9) does not emit it.</param>
internal sealed record TargetSpecificCompilerAttribute(string FullName, AttributeOwner Owner, string Reason);

/// <summary>A framework type or member the compiled assembly references although the allowlist does not name it.</summary>
/// <param name="Signature">The reference, in <see cref="ApiSignature"/> form.</param>
/// <param name="Users">The members of the compiled assembly that reference it.</param>
internal sealed record UnlistedReference(string Signature, IReadOnlyList<string> Users);

/// <summary>
/// The check behind "the compiled Core references only allowlisted framework members": every type,
/// method and field outside the inspected assembly must have its signature in the allowlist, except
/// the few attributes that the compiler synthesizes per target (see <see cref="TargetSpecificCompilerAttributes"/>).
/// </summary>
internal static class FrameworkReferenceCheck
{
    /// <summary>
    /// Attributes that Roslyn adds to the .NET build of the Core but would not add to the nanoFramework
    /// build, because they are missing from nanoFramework 1.x's mscorlib (mscorlib.txt) and Roslyn only
    /// synthesizes them when the target's class library defines them. They are exempt only where the
    /// compiler puts them (assembly, module, compiler-generated members), and the Core sources must
    /// not write them (checked by a separate test), so "the compiler added it" is the only way they
    /// can get into the assembly.
    /// DebuggableAttribute and DebuggerBrowsableAttribute are also compiler-synthesized, but
    /// nanoFramework has them, so they are in the allowlist like everything else.
    /// </summary>
    public static readonly IReadOnlyList<TargetSpecificCompilerAttribute> TargetSpecificCompilerAttributes = new[]
    {
        new TargetSpecificCompilerAttribute(
            "System.Runtime.CompilerServices.CompilationRelaxationsAttribute",
            AttributeOwner.Assembly,
            "Roslyn adds [assembly: CompilationRelaxations(8)] only when the referenced class library defines the type "
            + "(SourceAssemblySymbol.AddSynthesizedAttributes: 'skips attribute if the well-known types aren't available'); "
            + "nanoFramework's mscorlib does not."),
        new TargetSpecificCompilerAttribute(
            "System.Runtime.CompilerServices.RuntimeCompatibilityAttribute",
            AttributeOwner.Assembly,
            "Same rule as CompilationRelaxations: [assembly: RuntimeCompatibility(WrapNonExceptionThrows = true)] is only "
            + "added when the type exists; nanoFramework's mscorlib does not have it."),
        new TargetSpecificCompilerAttribute(
            "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
            AttributeOwner.Module,
            "Roslyn adds [module: RefSafetyRules(11)] when it uses the C# 11 ref-safety rules: language version 11 or later, "
            + "or a class library whose RuntimeFeature has ByRefFields (.NET 7+). The nanoFramework build uses C# 9 and "
            + "nanoFramework's RuntimeFeature only has DefaultImplementationsOfInterfaces, so it is not emitted there."),
        new TargetSpecificCompilerAttribute(
            "System.Runtime.CompilerServices.CompilerGeneratedAttribute",
            AttributeOwner.CompilerGeneratedMember,
            "Roslyn marks auto-property backing fields and accessors with it, but it is an optional synthesized attribute "
            + "(WellKnownMembers.IsSynthesizedAttributeOptional): left out when the class library lacks it, "
            + "as nanoFramework 1.x's mscorlib does."),
    };

    /// <summary>The framework references of <paramref name="module"/> that <paramref name="allowlist"/> does not allow, by signature.</summary>
    public static IReadOnlyList<UnlistedReference> FindUnlistedReferences(ModuleDefinition module, CoreApiAllowlist allowlist)
    {
        IReadOnlyList<ReferenceUse> uses = CompiledAssemblyWalker.Walk(module);
        var seenByWalk = new HashSet<string>(StringComparer.Ordinal);
        var usersBySignature = new SortedDictionary<string, SortedDictionary<string, List<string?>>>(StringComparer.Ordinal);

        foreach (ReferenceSite pass in new[] { ReferenceSite.Code, ReferenceSite.MetadataTable })
        {
            foreach (ReferenceUse use in uses)
            {
                bool isTablePass = pass == ReferenceSite.MetadataTable;
                if ((use.Site == ReferenceSite.MetadataTable) != isTablePass)
                {
                    continue;
                }

                string? signature = ExternalSignature(use.Reference, module);
                if (signature == null)
                {
                    continue;
                }

                if (isTablePass && seenByWalk.Contains(signature))
                {
                    continue;
                }

                seenByWalk.Add(signature);
                if (IsExemptCompilerAttribute(use) || allowlist.AllowedSignatures.Contains(signature))
                {
                    continue;
                }

                RecordUser(usersBySignature, signature, use);
            }
        }

        return usersBySignature
            .Select(pair => new UnlistedReference(
                pair.Key,
                pair.Value.Select(user => CompiledAssemblyWalker.WithLocations(user.Key, user.Value)).ToList()))
            .ToList();
    }

    /// <summary>The allowlist signature of a reference to something outside <paramref name="module"/>, or null.</summary>
    private static string? ExternalSignature(MemberReference reference, ModuleDefinition module)
    {
        switch (reference)
        {
            case GenericParameter:
            case TypeSpecification:
                // Arrays, generic instances, by-reference, modifiers: their named parts are reported on their own.
                return null;
            case TypeReference type:
                return CompiledAssemblyWalker.IsDefinedOutside(type, module) ? ApiSignature.Of(type) : null;
            case GenericInstanceMethod:
                // Reported as its generic method definition (and forbidden anyway, see CoreLanguageFeatureTests).
                return null;
            case MethodReference method:
                return CompiledAssemblyWalker.IsDefinedOutside(method.DeclaringType, module) ? ApiSignature.Of(method) : null;
            case FieldReference field:
                return CompiledAssemblyWalker.IsDefinedOutside(field.DeclaringType, module) ? ApiSignature.Of(field) : null;
            default:
                return null;
        }
    }

    private static bool IsExemptCompilerAttribute(ReferenceUse use)
    {
        return use.Site == ReferenceSite.Attribute
            && TargetSpecificCompilerAttributes.Any(a => a.FullName == use.AttributeType && a.Owner == use.Owner);
    }

    /// <summary>Files <paramref name="use"/> under its signature and user (attribute uses name the attribute), keeping its location.</summary>
    internal static void RecordUser(SortedDictionary<string, SortedDictionary<string, List<string?>>> usersBySignature, string signature, ReferenceUse use)
    {
        if (!usersBySignature.TryGetValue(signature, out SortedDictionary<string, List<string?>>? users))
        {
            users = new SortedDictionary<string, List<string?>>(StringComparer.Ordinal);
            usersBySignature.Add(signature, users);
        }

        string user = use.Site == ReferenceSite.Attribute ? $"{use.User} (attribute [{use.AttributeType}])" : use.User;
        if (!users.TryGetValue(user, out List<string?>? locations))
        {
            locations = new List<string?>();
            users.Add(user, locations);
        }

        locations.Add(use.Location);
    }
}
