using Mono.Cecil;
using Mono.Cecil.Cil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>Where in the compiled assembly a reference was found.</summary>
internal enum ReferenceSite
{
    /// <summary>An IL instruction's operand, or an exception handler's catch type.</summary>
    Code,

    /// <summary>A field, parameter, return, local variable, property or event type, or a method override.</summary>
    Signature,

    /// <summary>A base type, an implemented interface or a generic constraint.</summary>
    Inheritance,

    /// <summary>A custom attribute: its constructor, argument types and named arguments.</summary>
    Attribute,

    /// <summary>
    /// Only in the module's TypeRef/MemberRef tables: a safety net for anything the structural walk
    /// does not reach (reported only when the walk did not already see the same reference).
    /// </summary>
    MetadataTable,
}

/// <summary>What a custom attribute was applied to, for telling compiler-synthesized attributes apart.</summary>
internal enum AttributeOwner
{
    None,
    Assembly,
    Module,

    /// <summary>A member the compiler generated: auto-property backing field or accessor, lambda, closure, state machine, ...</summary>
    CompilerGeneratedMember,

    /// <summary>A type or member written in source.</summary>
    SourceMember,
}

/// <summary>One reference from the inspected assembly to a type, method or field.</summary>
/// <param name="User">The member of the inspected assembly that holds the reference.</param>
/// <param name="Location">Source file and line of the referencing instruction (or method) when the PDB has it, else null.</param>
/// <param name="Reference">The referenced type, method or field (a type may be a specification: array, generic instance, ...).</param>
/// <param name="Site">Where the reference sits.</param>
/// <param name="AttributeType">For <see cref="ReferenceSite.Attribute"/>: the full name of the attribute being applied.</param>
/// <param name="Owner">For <see cref="ReferenceSite.Attribute"/>: what the attribute is applied to.</param>
/// <param name="Instruction">For IL operands: the instruction.</param>
internal sealed record ReferenceUse(
    string User,
    string? Location,
    MemberReference Reference,
    ReferenceSite Site,
    string? AttributeType = null,
    AttributeOwner Owner = AttributeOwner.None,
    Instruction? Instruction = null);
