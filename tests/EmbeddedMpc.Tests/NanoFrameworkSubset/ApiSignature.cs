using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// Turns a compiled reference (Mono.Cecil) and a line of a nanoFramework public API list (<see cref="NanoFrameworkApiLists"/>) into the same
/// comparable signature, so the two sides can be matched exactly.
/// </summary>
/// <remarks>
/// A signature is a list line with what IL cannot tell removed: parameter defaults and
/// <c>params</c>, the difference between <c>out</c>, <c>in</c> and <c>ref</c> (all become
/// <c>ref</c>), and every modifier except <c>static</c> on methods, operators, properties and events
/// (IL knows whether a call has a <c>this</c>, not whether the callee is virtual or obsolete).
/// Property lines give one signature per accessor, because IL calls an accessor. Examples:
/// <code>
/// type System.Single
/// ctor System.ArgumentException(System.String, System.String)
/// method System.Byte.TryParse(System.String, ref System.Byte) : System.Boolean (static)
/// field System.Single.NaN : System.Single
/// property System.Array.Length : System.Int32 { get; }
/// </code>
/// </remarks>
internal static class ApiSignature
{
    private const string StaticSuffix = " (static)";

    /// <summary>The signature of a type, method or field that compiled code references.</summary>
    public static string Of(MemberReference reference)
    {
        switch (reference)
        {
            case TypeReference type:
                return "type " + TypeName(type);
            case MethodReference method:
                return OfMethod(method);
            case FieldReference field:
                return "field " + TypeName(field.DeclaringType) + "." + field.Name + " : " + TypeName(field.FieldType);
            default:
                throw new ArgumentException("Unexpected kind of reference: " + reference.GetType().Name, nameof(reference));
        }
    }

    /// <summary>
    /// The signatures a line of a nanoFramework API list provides (one per accessor for a property,
    /// one otherwise). Header and blank lines give none.
    /// </summary>
    public static IReadOnlyList<string> OfListLine(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line.StartsWith("#", StringComparison.Ordinal))
        {
            return Array.Empty<string>();
        }

        int space = line.IndexOf(' ');
        if (space < 0)
        {
            throw new FormatException("Not an API list line (no kind word): " + line);
        }

        string kind = line.Substring(0, space);
        string rest = line.Substring(space + 1);
        switch (kind)
        {
            case "type":
                return new[] { "type " + CutAt(rest, " (") };
            case "ctor":
                return new[] { "ctor " + NameWithParameters(rest, out _) };
            case "method":
            case "operator":
                return new[] { MethodLikeFromListLine(kind, rest) };
            case "field":
                return new[] { FieldFromListLine(rest) };
            case "property":
                return PropertyFromListLine(rest);
            case "event":
                return new[] { EventFromListLine(rest) };
            default:
                throw new FormatException($"Unknown kind '{kind}' in API list line: {line}");
        }
    }

    /// <summary>
    /// A type's name as the lists spell it: namespace-qualified, nested types joined with '.',
    /// arrays as <c>[]</c>, generic arguments in angle brackets, by-reference as <c>ref T</c>,
    /// custom modifiers dropped.
    /// </summary>
    public static string TypeName(TypeReference type)
    {
        switch (type)
        {
            case GenericParameter parameter:
                return parameter.Name;
            case ArrayType array:
                return TypeName(array.ElementType) + "[" + new string(',', array.Rank - 1) + "]";
            case ByReferenceType byReference:
                return "ref " + TypeName(byReference.ElementType);
            case PointerType pointer:
                return TypeName(pointer.ElementType) + "*";
            case RequiredModifierType required:
                return TypeName(required.ElementType);
            case OptionalModifierType optional:
                return TypeName(optional.ElementType);
            case PinnedType pinned:
                return TypeName(pinned.ElementType);
            case SentinelType sentinel:
                return TypeName(sentinel.ElementType);
            case FunctionPointerType functionPointer:
                return "delegate*<" + string.Join(", ",
                    functionPointer.Parameters.Select(p => TypeName(p.ParameterType))
                        .Concat(new[] { TypeName(functionPointer.ReturnType) })) + ">";
            case GenericInstanceType instance:
                return OpenName(instance.ElementType) + "<" + string.Join(", ", instance.GenericArguments.Select(TypeName)) + ">";
            default:
                return type.HasGenericParameters
                    ? OpenName(type) + "<" + string.Join(", ", type.GenericParameters.Select(p => p.Name)) + ">"
                    : OpenName(type);
        }
    }

    private static string OpenName(TypeReference type)
    {
        string name = type.Name;
        int tick = name.IndexOf('`');
        if (tick >= 0)
        {
            name = name.Substring(0, tick);
        }

        if (type.DeclaringType != null)
        {
            return OpenName(type.DeclaringType) + "." + name;
        }

        return string.IsNullOrEmpty(type.Namespace) ? name : type.Namespace + "." + name;
    }

    private static string OfMethod(MethodReference method)
    {
        string declaringType = TypeName(method.DeclaringType);
        string staticSuffix = method.HasThis ? string.Empty : StaticSuffix;
        string name = method.Name;
        if (method is GenericInstanceMethod genericInstance)
        {
            name += "<" + string.Join(", ", genericInstance.GenericArguments.Select(TypeName)) + ">";
        }
        else if (method.HasGenericParameters)
        {
            name += "<" + string.Join(", ", method.GenericParameters.Select(p => p.Name)) + ">";
        }

        List<string> parameters = method.Parameters.Select(p => TypeName(p.ParameterType)).ToList();
        string returnType = TypeName(method.ReturnType);

        if (name == ".ctor")
        {
            return "ctor " + declaringType + "(" + string.Join(", ", parameters) + ")";
        }

        if (name.StartsWith("get_", StringComparison.Ordinal) && name.Length > 4)
        {
            return "property " + declaringType + "." + name.Substring(4) + Indexer(parameters)
                + " : " + returnType + " { get; }" + staticSuffix;
        }

        if (name.StartsWith("set_", StringComparison.Ordinal) && name.Length > 4 && parameters.Count > 0)
        {
            string valueType = parameters[parameters.Count - 1];
            parameters.RemoveAt(parameters.Count - 1);
            return "property " + declaringType + "." + name.Substring(4) + Indexer(parameters)
                + " : " + valueType + " { set; }" + staticSuffix;
        }

        if ((name.StartsWith("add_", StringComparison.Ordinal) || name.StartsWith("remove_", StringComparison.Ordinal))
            && parameters.Count == 1)
        {
            string eventName = name.Substring(name.IndexOf('_') + 1);
            return "event " + declaringType + "." + eventName + " : " + parameters[0] + staticSuffix;
        }

        string kind = name.StartsWith("op_", StringComparison.Ordinal) ? "operator" : "method";
        return kind + " " + declaringType + "." + name + "(" + string.Join(", ", parameters) + ") : " + returnType + staticSuffix;
    }

    private static string Indexer(IReadOnlyCollection<string> parameters)
    {
        return parameters.Count == 0 ? string.Empty : "[" + string.Join(", ", parameters) + "]";
    }

    private static string MethodLikeFromListLine(string kind, string rest)
    {
        // NAME(PARAMETERS) : RETURN[ (modifiers)]
        string nameWithParameters = NameWithParameters(rest, out int afterParameters);
        string tail = rest.Substring(afterParameters);
        if (!tail.StartsWith(" : ", StringComparison.Ordinal))
        {
            throw new FormatException($"Expected ' : <return type>' after the parameters in: {kind} {rest}");
        }

        string returnAndModifiers = tail.Substring(3);
        string returnType = CutAt(returnAndModifiers, " (");
        return kind + " " + nameWithParameters + " : " + returnType + StaticSuffixOf(returnAndModifiers.Substring(returnType.Length));
    }

    private static string FieldFromListLine(string rest)
    {
        // NAME : TYPE[ = VALUE][ (modifiers)]
        int colon = rest.IndexOf(" : ", StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new FormatException("Expected 'field <name> : <type>' in: field " + rest);
        }

        string name = rest.Substring(0, colon);
        string typeAndMore = rest.Substring(colon + 3);
        string type = CutAt(CutAt(typeAndMore, " = "), " (");
        return "field " + name + " : " + type;
    }

    private static IReadOnlyList<string> PropertyFromListLine(string rest)
    {
        // NAME[INDEX PARAMETERS] : TYPE { get; set; }[ (modifiers)]
        int braceOpen = rest.IndexOf(" { ", StringComparison.Ordinal);
        int braceClose = braceOpen < 0 ? -1 : rest.IndexOf(" }", braceOpen, StringComparison.Ordinal);
        if (braceOpen < 0 || braceClose < 0)
        {
            throw new FormatException("Expected '{ get; }' or '{ set; }' accessors in: property " + rest);
        }

        string head = rest.Substring(0, braceOpen);
        int colon = head.LastIndexOf(" : ", StringComparison.Ordinal);
        if (colon < 0)
        {
            throw new FormatException("Expected 'property <name> : <type>' in: property " + rest);
        }

        string name = head.Substring(0, colon);
        int bracket = name.IndexOf('[');
        if (bracket >= 0 && name.EndsWith("]", StringComparison.Ordinal))
        {
            name = name.Substring(0, bracket) + "[" + NormalizeParameters(name.Substring(bracket + 1, name.Length - bracket - 2)) + "]";
        }

        string type = head.Substring(colon + 3);
        string staticSuffix = StaticSuffixOf(rest.Substring(braceClose + 2));
        var signatures = new List<string>();
        foreach (string accessor in rest.Substring(braceOpen + 3, braceClose - braceOpen - 3)
                     .Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            signatures.Add("property " + name + " : " + type + " { " + accessor + " }" + staticSuffix);
        }

        return signatures;
    }

    private static string EventFromListLine(string rest)
    {
        string nameAndType = CutAt(rest, " (");
        return "event " + nameAndType + StaticSuffixOf(rest.Substring(nameAndType.Length));
    }

    private static string StaticSuffixOf(string modifiers)
    {
        // " (static)", " (static, obsolete)", " (protected, virtual)", ... ; keep only "static".
        string trimmed = modifiers.Trim();
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        if (!trimmed.StartsWith("(", StringComparison.Ordinal) || !trimmed.EndsWith(")", StringComparison.Ordinal))
        {
            throw new FormatException("Unexpected text after a signature: " + modifiers);
        }

        bool isStatic = trimmed.Substring(1, trimmed.Length - 2)
            .Split(',')
            .Any(modifier => modifier.Trim() == "static");
        return isStatic ? StaticSuffix : string.Empty;
    }

    /// <summary>Reads "NAME(PARAMETERS)" from the start of <paramref name="text"/>, normalizing the parameters.</summary>
    private static string NameWithParameters(string text, out int afterParameters)
    {
        int open = text.IndexOf('(');
        if (open < 0)
        {
            throw new FormatException("Expected a parameter list in: " + text);
        }

        int close = FindClosingParenthesis(text, open);
        afterParameters = close + 1;
        return text.Substring(0, open) + "(" + NormalizeParameters(text.Substring(open + 1, close - open - 1)) + ")";
    }

    private static int FindClosingParenthesis(string text, int open)
    {
        int depth = 0;
        bool inString = false;
        for (int i = open; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '"')
            {
                inString = !inString;
            }
            else if (!inString && c == '(')
            {
                depth++;
            }
            else if (!inString && c == ')')
            {
                depth--;
                if (depth == 0)
                {
                    return i;
                }
            }
        }

        throw new FormatException("Unbalanced parentheses in: " + text);
    }

    /// <summary>"params System.Object[], out System.Byte, System.Int32 = 400" -> "System.Object[], ref System.Byte, System.Int32".</summary>
    private static string NormalizeParameters(string parameters)
    {
        var normalized = new List<string>();
        foreach (string parameter in SplitTopLevel(parameters))
        {
            string p = parameter.Trim();
            if (p.Length == 0)
            {
                continue;
            }

            int defaultValue = p.IndexOf(" = ", StringComparison.Ordinal);
            if (defaultValue >= 0)
            {
                p = p.Substring(0, defaultValue);
            }

            if (p.StartsWith("params ", StringComparison.Ordinal))
            {
                p = p.Substring("params ".Length);
            }
            else if (p.StartsWith("out ", StringComparison.Ordinal))
            {
                p = "ref " + p.Substring("out ".Length);
            }
            else if (p.StartsWith("in ", StringComparison.Ordinal))
            {
                p = "ref " + p.Substring("in ".Length);
            }

            normalized.Add(p);
        }

        return string.Join(", ", normalized);
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var current = new StringBuilder();
        int depth = 0;
        bool inString = false;
        foreach (char c in text)
        {
            if (c == '"')
            {
                inString = !inString;
            }
            else if (!inString && (c == '<' || c == '[' || c == '('))
            {
                depth++;
            }
            else if (!inString && (c == '>' || c == ']' || c == ')'))
            {
                depth--;
            }
            else if (!inString && depth == 0 && c == ',')
            {
                yield return current.ToString();
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        yield return current.ToString();
    }

    private static string CutAt(string text, string marker)
    {
        int index = text.IndexOf(marker, StringComparison.Ordinal);
        return index < 0 ? text : text.Substring(0, index);
    }
}
