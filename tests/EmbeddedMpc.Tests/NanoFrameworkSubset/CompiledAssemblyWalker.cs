using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// Walks a compiled assembly with Mono.Cecil and reports every type, method and field it references:
/// assembly and module attributes; for every type (nested ones included) its base type, interfaces,
/// generic parameters and constraints, attributes; every field, property, event and method signature
/// and attribute; method overrides; every method body's local variables, exception handlers and
/// instruction operands. Types are reported together with their parts (element types of arrays,
/// generic arguments, modifiers), and members together with their declaring type and signature types,
/// so callers see every named type involved. Reading an assembly and writing names and source locations
/// for messages: CompiledAssemblyWalker.Names.cs.
/// </summary>
internal sealed partial class CompiledAssemblyWalker
{
    /// <summary>The <see cref="ReferenceUse.User"/> of references found only in the TypeRef/MemberRef tables.</summary>
    public const string MetadataTableUser = "(module metadata tables)";

    private readonly ModuleDefinition _module;
    private readonly List<ReferenceUse> _uses = new List<ReferenceUse>();

    /// <summary>Source location of the method or instruction being walked, attached to the uses it produces.</summary>
    private string? _location;

    private CompiledAssemblyWalker(ModuleDefinition module)
    {
        _module = module;
    }

    /// <summary>Every reference in <paramref name="module"/>; a reference used in several places is reported once per place.</summary>
    public static IReadOnlyList<ReferenceUse> Walk(ModuleDefinition module)
    {
        var walker = new CompiledAssemblyWalker(module);
        walker.WalkModule();
        return walker._uses;
    }

    private void WalkModule()
    {
        if (_module.Assembly != null)
        {
            WalkAttributes("assembly " + _module.Assembly.Name.Name, _module.Assembly, AttributeOwner.Assembly);
        }

        WalkAttributes("module " + _module.Name, _module, AttributeOwner.Module);

        foreach (TypeDefinition type in _module.GetTypes())
        {
            WalkType(type);
        }

        WalkMetadataTables();
    }

    private void WalkType(TypeDefinition type)
    {
        string user = DisplayName(type);
        AttributeOwner owner = IsCompilerGenerated(type) ? AttributeOwner.CompilerGeneratedMember : AttributeOwner.SourceMember;
        WalkAttributes(user, type, owner);

        if (type.BaseType != null)
        {
            AddType(user, type.BaseType, ReferenceSite.Inheritance);
        }

        foreach (InterfaceImplementation implementation in type.Interfaces)
        {
            AddType(user, implementation.InterfaceType, ReferenceSite.Inheritance);
            WalkAttributes(user, implementation, owner);
        }

        WalkGenericParameters(user, type, owner);

        foreach (FieldDefinition field in type.Fields)
        {
            string fieldUser = user + "." + field.Name;
            AddType(fieldUser, field.FieldType, ReferenceSite.Signature);
            WalkAttributes(fieldUser, field, IsCompilerGenerated(field) ? AttributeOwner.CompilerGeneratedMember : owner);
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            string propertyUser = user + "." + property.Name;
            AddType(propertyUser, property.PropertyType, ReferenceSite.Signature);
            foreach (ParameterDefinition parameter in property.Parameters)
            {
                AddType(propertyUser, parameter.ParameterType, ReferenceSite.Signature);
            }

            WalkAttributes(propertyUser, property, owner);
        }

        foreach (EventDefinition @event in type.Events)
        {
            string eventUser = user + "." + @event.Name;
            AddType(eventUser, @event.EventType, ReferenceSite.Signature);
            WalkAttributes(eventUser, @event, owner);
        }

        foreach (MethodDefinition method in type.Methods)
        {
            WalkMethod(method, owner);
        }
    }

    private void WalkMethod(MethodDefinition method, AttributeOwner typeOwner)
    {
        string user = DisplayName(method);
        _location = SourceLocation(method, null);
        AttributeOwner owner = IsCompilerGenerated(method) ? AttributeOwner.CompilerGeneratedMember : typeOwner;
        WalkAttributes(user, method, owner);

        AddType(user, method.ReturnType, ReferenceSite.Signature);
        WalkAttributes(user, method.MethodReturnType, owner);
        foreach (ParameterDefinition parameter in method.Parameters)
        {
            AddType(user, parameter.ParameterType, ReferenceSite.Signature);
            WalkAttributes(user, parameter, owner);
        }

        WalkGenericParameters(user, method, owner);

        foreach (MethodReference overridden in method.Overrides)
        {
            AddMethod(user, overridden, ReferenceSite.Signature);
        }

        if (!method.HasBody)
        {
            _location = null;
            return;
        }

        foreach (VariableDefinition variable in method.Body.Variables)
        {
            AddType(user, variable.VariableType, ReferenceSite.Signature);
        }

        foreach (ExceptionHandler handler in method.Body.ExceptionHandlers)
        {
            if (handler.CatchType != null)
            {
                AddType(user, handler.CatchType, ReferenceSite.Code);
            }
        }

        foreach (Instruction instruction in method.Body.Instructions)
        {
            _location = SourceLocation(method, instruction);
            switch (instruction.Operand)
            {
                case TypeReference type:
                    AddType(user, type, ReferenceSite.Code, instruction: instruction);
                    break;
                case MethodReference called:
                    AddMethod(user, called, ReferenceSite.Code, instruction: instruction);
                    break;
                case FieldReference field:
                    AddField(user, field, ReferenceSite.Code, instruction: instruction);
                    break;
                case CallSite callSite:
                    AddType(user, callSite.ReturnType, ReferenceSite.Code, instruction: instruction);
                    foreach (ParameterDefinition parameter in callSite.Parameters)
                    {
                        AddType(user, parameter.ParameterType, ReferenceSite.Code, instruction: instruction);
                    }

                    break;
            }
        }

        _location = null;
    }

    private void WalkGenericParameters(string user, IGenericParameterProvider provider, AttributeOwner owner)
    {
        foreach (GenericParameter parameter in provider.GenericParameters)
        {
            AddType(user, parameter, ReferenceSite.Signature);
            WalkAttributes(user, parameter, owner);
            foreach (GenericParameterConstraint constraint in parameter.Constraints)
            {
                AddType(user, constraint.ConstraintType, ReferenceSite.Inheritance);
                WalkAttributes(user, constraint, owner);
            }
        }
    }

    private void WalkAttributes(string user, ICustomAttributeProvider provider, AttributeOwner owner)
    {
        if (!provider.HasCustomAttributes)
        {
            return;
        }

        foreach (CustomAttribute attribute in provider.CustomAttributes)
        {
            string attributeType = attribute.AttributeType.FullName;
            AddMethod(user, attribute.Constructor, ReferenceSite.Attribute, attributeType, owner);
            foreach (CustomAttributeArgument argument in attribute.ConstructorArguments)
            {
                WalkAttributeArgument(user, argument, attributeType, owner);
            }

            foreach (CustomAttributeNamedArgument named in attribute.Properties)
            {
                // A named property argument calls the attribute's setter.
                var setter = new MethodReference("set_" + named.Name, _module.TypeSystem.Void, attribute.AttributeType) { HasThis = true };
                setter.Parameters.Add(new ParameterDefinition(named.Argument.Type));
                AddMethod(user, setter, ReferenceSite.Attribute, attributeType, owner);
                WalkAttributeArgument(user, named.Argument, attributeType, owner);
            }

            foreach (CustomAttributeNamedArgument named in attribute.Fields)
            {
                AddField(user, new FieldReference(named.Name, named.Argument.Type, attribute.AttributeType), ReferenceSite.Attribute, attributeType, owner);
                WalkAttributeArgument(user, named.Argument, attributeType, owner);
            }
        }
    }

    private void WalkAttributeArgument(string user, CustomAttributeArgument argument, string attributeType, AttributeOwner owner)
    {
        AddType(user, argument.Type, ReferenceSite.Attribute, attributeType, owner);
        switch (argument.Value)
        {
            case TypeReference typeOfValue:
                AddType(user, typeOfValue, ReferenceSite.Attribute, attributeType, owner);
                break;
            case CustomAttributeArgument boxed:
                WalkAttributeArgument(user, boxed, attributeType, owner);
                break;
            case CustomAttributeArgument[] array:
                foreach (CustomAttributeArgument element in array)
                {
                    WalkAttributeArgument(user, element, attributeType, owner);
                }

                break;
        }
    }

    private void WalkMetadataTables()
    {
        const string user = MetadataTableUser;
        foreach (TypeReference type in _module.GetTypeReferences())
        {
            AddType(user, type, ReferenceSite.MetadataTable);
        }

        foreach (MemberReference member in _module.GetMemberReferences())
        {
            switch (member)
            {
                case MethodReference method:
                    AddMethod(user, method, ReferenceSite.MetadataTable);
                    break;
                case FieldReference field:
                    AddField(user, field, ReferenceSite.MetadataTable);
                    break;
            }
        }
    }

    private void AddMethod(
        string user, MethodReference method, ReferenceSite site,
        string? attributeType = null, AttributeOwner owner = AttributeOwner.None, Instruction? instruction = null)
    {
        _uses.Add(new ReferenceUse(user, _location, method, site, attributeType, owner, instruction));
        AddType(user, method.DeclaringType, site, attributeType, owner, instruction);
        AddType(user, method.ReturnType, site, attributeType, owner, instruction);
        foreach (ParameterDefinition parameter in method.Parameters)
        {
            AddType(user, parameter.ParameterType, site, attributeType, owner, instruction);
        }

        if (method is GenericInstanceMethod genericInstance)
        {
            _uses.Add(new ReferenceUse(user, _location, genericInstance.ElementMethod, site, attributeType, owner, instruction));
            foreach (TypeReference argument in genericInstance.GenericArguments)
            {
                AddType(user, argument, site, attributeType, owner, instruction);
            }
        }
    }

    private void AddField(
        string user, FieldReference field, ReferenceSite site,
        string? attributeType = null, AttributeOwner owner = AttributeOwner.None, Instruction? instruction = null)
    {
        _uses.Add(new ReferenceUse(user, _location, field, site, attributeType, owner, instruction));
        AddType(user, field.DeclaringType, site, attributeType, owner, instruction);
        AddType(user, field.FieldType, site, attributeType, owner, instruction);
    }

    private void AddType(
        string user, TypeReference type, ReferenceSite site,
        string? attributeType = null, AttributeOwner owner = AttributeOwner.None, Instruction? instruction = null)
    {
        _uses.Add(new ReferenceUse(user, _location, type, site, attributeType, owner, instruction));
        switch (type)
        {
            case GenericInstanceType instance:
                AddType(user, instance.ElementType, site, attributeType, owner, instruction);
                foreach (TypeReference argument in instance.GenericArguments)
                {
                    AddType(user, argument, site, attributeType, owner, instruction);
                }

                break;
            case RequiredModifierType required:
                AddType(user, required.ModifierType, site, attributeType, owner, instruction);
                AddType(user, required.ElementType, site, attributeType, owner, instruction);
                break;
            case OptionalModifierType optional:
                AddType(user, optional.ModifierType, site, attributeType, owner, instruction);
                AddType(user, optional.ElementType, site, attributeType, owner, instruction);
                break;
            case FunctionPointerType functionPointer:
                AddType(user, functionPointer.ReturnType, site, attributeType, owner, instruction);
                foreach (ParameterDefinition parameter in functionPointer.Parameters)
                {
                    AddType(user, parameter.ParameterType, site, attributeType, owner, instruction);
                }

                break;
            case TypeSpecification specification:
                // Arrays, by-reference, pointers, pinned, sentinel.
                AddType(user, specification.ElementType, site, attributeType, owner, instruction);
                break;
            case GenericParameter:
                break;
            default:
                if (type.DeclaringType != null)
                {
                    // A nested type needs its enclosing type to exist too.
                    AddType(user, type.DeclaringType, site, attributeType, owner, instruction);
                }

                break;
        }
    }

    /// <summary>
    /// Compiler-generated names start with '&lt;' (backing fields, lambdas, closures, state machines);
    /// auto-property and field-like-event accessors are recognised by their backing field.
    /// </summary>
    private static bool IsCompilerGenerated(IMemberDefinition member)
    {
        if (member.Name.StartsWith("<", StringComparison.Ordinal))
        {
            return true;
        }

        if (member is MethodDefinition method && method.IsSpecialName)
        {
            TypeDefinition type = method.DeclaringType;
            int underscore = method.Name.IndexOf('_');
            if (underscore > 0)
            {
                string memberName = method.Name.Substring(underscore + 1);
                if ((method.IsGetter || method.IsSetter) && type.Fields.Any(f => f.Name == "<" + memberName + ">k__BackingField"))
                {
                    return true;
                }

                if ((method.IsAddOn || method.IsRemoveOn) && type.Events.Any(e => e.Name == memberName)
                    && type.Fields.Any(f => f.Name == memberName))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
