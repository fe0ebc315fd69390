using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.FirmwareApi;

/// <summary>One declared type or member and the API-list line it must match.</summary>
/// <param name="Line">The declaration written as one line: kind, full name, parameters, return type, modifiers.</param>
/// <param name="Signatures">What a call site sees of it, in <see cref="ApiSignature"/> form (one per property accessor), for hints.</param>
/// <param name="Location">Where it is declared ("nanoFramework.Hardware.Esp32.cs:41"), when the PDB says.</param>
internal sealed record DeclaredApi(string Line, IReadOnlyList<string> Signatures, string? Location);

/// <summary>
/// Writes the compiled declarations of nanoFramework types (tests/EmbeddedMpc.Firmware.ApiCheck/
/// NanoFrameworkDeclarations) and of the real mscorlib.dll as one line per type or member:
/// kind, full names, parameter modifiers and defaults, and the trailing modifiers. A declaration is
/// exact when its line appears verbatim in a list. Only public and protected members are written;
/// property accessors are folded into the property line, as the lists do.
/// </summary>
internal static class DeclarationRenderer
{
    /// <summary>The lines of <paramref name="type"/> and of its public and protected members.</summary>
    public static IEnumerable<DeclaredApi> Render(TypeDefinition type)
    {
        string? typeLocation = type.Methods.Where(m => m.HasBody).Select(m => CompiledAssemblyWalker.SourceLocation(m, null)).FirstOrDefault(l => l != null);
        yield return new DeclaredApi(TypeLine(type), new[] { "type " + ApiSignature.TypeName(type) }, typeLocation);

        foreach (MethodDefinition method in type.Methods)
        {
            if (!IsVisible(method.Attributes & MethodAttributes.MemberAccessMask) || method.IsGetter || method.IsSetter
                || method.IsAddOn || method.IsRemoveOn || method.IsConstructor && method.IsStatic)
            {
                continue;
            }

            yield return new DeclaredApi(MethodLine(method), new[] { ApiSignature.Of(method) }, CompiledAssemblyWalker.SourceLocation(method, null));
        }

        foreach (FieldDefinition field in type.Fields)
        {
            if (field.IsSpecialName || !IsVisible((MethodAttributes)(ushort)(field.Attributes & FieldAttributes.FieldAccessMask)))
            {
                continue;
            }

            yield return new DeclaredApi(FieldLine(type, field), new[] { ApiSignature.Of(field) }, typeLocation);
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            List<MethodDefinition> accessors = new[] { property.GetMethod, property.SetMethod }
                .Where(a => a != null && IsVisible(a.Attributes & MethodAttributes.MemberAccessMask))
                .ToList();
            if (accessors.Count == 0)
            {
                continue;
            }

            yield return new DeclaredApi(
                PropertyLine(type, property, accessors),
                accessors.Select(a => ApiSignature.Of(a)).ToList(),
                CompiledAssemblyWalker.SourceLocation(accessors[0], null));
        }
    }

    /// <summary>"type System.Device.Gpio.GpioPin (sealed class) : System.IDisposable".</summary>
    public static string TypeLine(TypeDefinition type)
    {
        string kind;
        var after = new List<string>();
        if (type.IsEnum)
        {
            bool flags = type.CustomAttributes.Any(a => a.AttributeType.FullName == "System.FlagsAttribute");
            kind = flags ? "enum, Flags" : "enum";
            after.Add(ApiSignature.TypeName(type.Fields.Single(f => f.IsSpecialName && f.Name == "value__").FieldType));
        }
        else if (type.IsInterface)
        {
            kind = "interface";
            after.AddRange(SortedInterfaces(type));
        }
        else if (type.IsValueType)
        {
            kind = "struct";
            after.AddRange(SortedInterfaces(type));
        }
        else if (type.BaseType?.FullName == "System.MulticastDelegate")
        {
            kind = "delegate";
        }
        else
        {
            kind = type.IsAbstract && type.IsSealed ? "static class"
                : type.IsAbstract ? "abstract class"
                : type.IsSealed ? "sealed class"
                : "class";
            if (type.BaseType != null && type.BaseType.FullName != "System.Object")
            {
                after.Add(ApiSignature.TypeName(type.BaseType));
            }

            after.AddRange(SortedInterfaces(type));
        }

        return "type " + ApiSignature.TypeName(type) + " (" + kind + ")" + (after.Count > 0 ? " : " + string.Join(", ", after) : string.Empty);
    }

    /// <summary>The implemented interfaces in ordinal order (metadata order depends on the compiler; a line must not).</summary>
    private static IEnumerable<string> SortedInterfaces(TypeDefinition type) =>
        type.Interfaces.Select(i => ApiSignature.TypeName(i.InterfaceType)).OrderBy(name => name, StringComparer.Ordinal);

    private static string MethodLine(MethodDefinition method)
    {
        string declaringType = ApiSignature.TypeName(method.DeclaringType);
        string parameters = "(" + string.Join(", ", method.Parameters.Select(Parameter)) + ")";
        var modifiers = new List<string>();
        if (method.IsStatic)
        {
            modifiers.Add("static");
        }

        if (method.IsFamily || method.IsFamilyOrAssembly)
        {
            modifiers.Add("protected");
        }

        string? virtuality = Virtuality(method);
        if (virtuality != null)
        {
            modifiers.Add(virtuality);
        }

        AddAttributeModifiers(method, modifiers);
        if (method.IsConstructor)
        {
            return "ctor " + declaringType + parameters + Modifiers(modifiers);
        }

        string kind = method.IsSpecialName && method.Name.StartsWith("op_", StringComparison.Ordinal) ? "operator" : "method";
        return kind + " " + declaringType + "." + method.Name + parameters + " : " + ApiSignature.TypeName(method.ReturnType) + Modifiers(modifiers);
    }

    private static string FieldLine(TypeDefinition type, FieldDefinition field)
    {
        string line = "field " + ApiSignature.TypeName(type) + "." + field.Name + " : " + ApiSignature.TypeName(field.FieldType);
        if (type.IsEnum)
        {
            // Enum values carry their number and no modifiers.
            return line + " = " + Constant(field.Constant, null);
        }

        var modifiers = new List<string>();
        if (field.HasConstant)
        {
            line += " = " + Constant(field.Constant, field.FieldType);
            modifiers.Add("const");
        }
        else
        {
            if (field.IsStatic)
            {
                modifiers.Add("static");
            }

            if (field.IsInitOnly)
            {
                modifiers.Add("readonly");
            }
        }

        if (field.IsFamily || field.IsFamilyOrAssembly)
        {
            modifiers.Insert(0, "protected");
        }

        AddAttributeModifiers(field, modifiers);
        return line + Modifiers(modifiers);
    }

    private static string PropertyLine(TypeDefinition type, PropertyDefinition property, IReadOnlyList<MethodDefinition> accessors)
    {
        string index = property.Parameters.Count == 0
            ? string.Empty
            : "[" + string.Join(", ", property.Parameters.Select(Parameter)) + "]";
        string accessorList = string.Join(" ", accessors.Select(a => a.IsGetter ? "get;" : "set;"));
        MethodDefinition first = accessors[0];
        var modifiers = new List<string>();
        if (first.IsStatic)
        {
            modifiers.Add("static");
        }

        if (first.IsFamily || first.IsFamilyOrAssembly)
        {
            modifiers.Add("protected");
        }

        string? virtuality = Virtuality(first);
        if (virtuality != null)
        {
            modifiers.Add(virtuality);
        }

        AddAttributeModifiers(property, modifiers);
        return "property " + ApiSignature.TypeName(type) + "." + property.Name + index + " : " + ApiSignature.TypeName(property.PropertyType)
            + " { " + accessorList + " }" + Modifiers(modifiers);
    }

    /// <summary>"System.Int32 = -1", "out System.Byte", "params System.Object[]", "System.IO.Ports.Parity = System.IO.Ports.Parity.None".</summary>
    private static string Parameter(ParameterDefinition parameter)
    {
        TypeReference type = parameter.ParameterType;
        string text;
        if (type is ByReferenceType byReference)
        {
            string modifier = parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ";
            text = modifier + ApiSignature.TypeName(byReference.ElementType);
        }
        else
        {
            bool isParams = parameter.CustomAttributes.Any(a => a.AttributeType.FullName == "System.ParamArrayAttribute");
            text = (isParams ? "params " : string.Empty) + ApiSignature.TypeName(type);
        }

        if (parameter.HasConstant)
        {
            text += " = " + Constant(parameter.Constant, type);
        }

        return text;
    }

    /// <summary>A default or constant value as the lists write it; enum values by name when the enum is at hand.</summary>
    private static string Constant(object? value, TypeReference? type)
    {
        if (value == null)
        {
            return "null";
        }

        TypeDefinition? enumType = type == null ? null : TryResolve(type);
        if (enumType != null && enumType.IsEnum)
        {
            FieldDefinition? named = enumType.Fields.FirstOrDefault(f => f.HasConstant && Equals(f.Constant, value));
            if (named != null)
            {
                return ApiSignature.TypeName(enumType) + "." + named.Name;
            }
        }

        return value switch
        {
            string s => "\"" + s + "\"",
            bool b => b ? "true" : "false",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
    }

    private static TypeDefinition? TryResolve(TypeReference type)
    {
        if (type is TypeDefinition definition)
        {
            return definition;
        }

        try
        {
            return type.Resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }

    /// <summary>abstract, virtual, override or sealed override; null for a plain method (an interface implementation included).</summary>
    private static string? Virtuality(MethodDefinition method)
    {
        if (method.IsAbstract)
        {
            return "abstract";
        }

        if (!method.IsVirtual)
        {
            return null;
        }

        if (method.IsNewSlot)
        {
            // A non-virtual implementation of an interface member is "virtual final newslot" in IL.
            return method.IsFinal ? null : "virtual";
        }

        return method.IsFinal ? "sealed override" : "override";
    }

    private static void AddAttributeModifiers(ICustomAttributeProvider provider, List<string> modifiers)
    {
        if (provider.CustomAttributes.Any(a => a.AttributeType.FullName == "System.ObsoleteAttribute"))
        {
            modifiers.Add("obsolete");
        }

        if (provider.CustomAttributes.Any(a => a.AttributeType.FullName == "System.Runtime.CompilerServices.ExtensionAttribute"))
        {
            modifiers.Add("extension");
        }
    }

    private static string Modifiers(IReadOnlyList<string> modifiers) => modifiers.Count == 0 ? string.Empty : " (" + string.Join(", ", modifiers) + ")";

    private static bool IsVisible(MethodAttributes access) =>
        access == MethodAttributes.Public || access == MethodAttributes.Family || access == MethodAttributes.FamORAssem;
}
