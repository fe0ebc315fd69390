using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>One construct that allocates on nanoFramework's interpreter, where it is.</summary>
/// <param name="Method">The method, as <see cref="CompiledAssemblyWalker.DisplayName(MethodDefinition)"/> writes it.</param>
/// <param name="Offset">"IL_002a", or "signature"/"locals" for findings in the method's declaration.</param>
/// <param name="Location">Source file and line when the PDB has them, else null.</param>
/// <param name="Construct">What allocates, and why.</param>
internal sealed record AllocationFinding(string Method, string Offset, string? Location, string Construct)
{
    public override string ToString() =>
        Method + " " + Offset + (Location == null ? string.Empty : " [" + Location + "]") + ": " + Construct;
}

/// <summary>
/// Walks the IL of everything reachable from a root method (e.g. <c>ControlLoop.Tick</c>) in an assembly, and
/// reports every construct that allocates on nanoFramework's interpreter (nanoCLR), which keeps every
/// value-type instance other than a primitive or an enum in a heap block of its own:
/// <list type="bullet">
/// <item>a local variable of a struct type (allocated on each entry of the method);</item>
/// <item>a by-value load or copy of a struct: <c>ldloc</c>/<c>ldarg</c> of a struct, <c>ldfld</c>/<c>ldsfld</c>
/// of a struct field, <c>ldobj</c>, <c>ldelem</c> or <c>unbox.any</c> of a struct, <c>cpobj</c>;</item>
/// <item>a struct passed or returned by value: a parameter or a return type that is a struct (properties
/// included), reported at the method and at each call;</item>
/// <item><c>box</c>, <c>newobj</c>, <c>newarr</c>, <c>ldstr</c>, <c>ldftn</c>/<c>ldvirtftn</c> (delegates and
/// closures), <c>localloc</c>, <c>throw</c>/<c>rethrow</c>, a <c>constrained.</c> call that boxes;</item>
/// <item>any call into the class library except the few listed in <see cref="s_nonAllocatingFrameworkMethods"/>
/// (string building and everything else the check cannot see into).</item>
/// </list>
/// Primitives (<c>bool</c>, integers, <c>float</c>, <c>double</c>) and enums live inside the interpreter's
/// evaluation-stack slots and locals, and access through an address (<c>ldflda</c>, <c>ldloca</c>,
/// <c>ref</c>/<c>out</c> parameters, <c>ref</c> locals) does not copy: none of those are reported.
/// <para>
/// Calls are followed into the inspected assembly: a <c>call</c> to its target; a <c>callvirt</c> of a virtual
/// or interface method to the implementation in each of the given concrete types that derives from the
/// method's declaring type (the types the caller really built). Implementations outside the assembly (the
/// hardware behind the Core's interfaces: sensors, motor, clock) are the firmware's and are not walked.
/// </para>
/// <para>
/// Error paths are exempt (<see cref="ErrorPaths"/>): an instruction from which every path ends in a throw,
/// such as building an exception's message and throwing it after a failed check, runs at most once, when
/// the tick is already failing. Calls on error paths are not followed. A walked method whose every path
/// throws is itself reported.
/// </para>
/// </summary>
internal sealed class InterpreterAllocationCheck
{
    /// <summary>Class-library methods known not to allocate on nanoCLR (native float tests and array copies).</summary>
    private static readonly HashSet<string> s_nonAllocatingFrameworkMethods = new HashSet<string>(StringComparer.Ordinal)
    {
        "System.Boolean System.Single::IsNaN(System.Single)",
        "System.Boolean System.Single::IsInfinity(System.Single)",
        "System.Boolean System.Single::IsPositiveInfinity(System.Single)",
        "System.Boolean System.Single::IsNegativeInfinity(System.Single)",
        "System.Void System.Array::Copy(System.Array,System.Array,System.Int32)",
        "System.Void System.Array::Copy(System.Array,System.Int32,System.Array,System.Int32,System.Int32)",
    };

    private static readonly HashSet<string> s_primitiveTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "System.Boolean", "System.Char", "System.SByte", "System.Byte", "System.Int16", "System.UInt16", "System.Int32",
        "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.IntPtr", "System.UIntPtr",
    };

    private readonly ModuleDefinition _module;
    private readonly ModuleDefinition? _classLibrary;
    private readonly IReadOnlyList<TypeDefinition> _concreteTypes;
    private readonly List<AllocationFinding> _findings = new List<AllocationFinding>();
    private readonly Dictionary<MethodDefinition, string> _reachedFrom = new Dictionary<MethodDefinition, string>();
    private readonly Dictionary<MethodDefinition, bool> _neverReturns = new Dictionary<MethodDefinition, bool>();
    private readonly HashSet<string> _boundaryCalls = new HashSet<string>(StringComparer.Ordinal);

    private InterpreterAllocationCheck(ModuleDefinition module, ModuleDefinition? classLibrary, IEnumerable<string> concreteTypeNames)
    {
        _module = module;
        _classLibrary = classLibrary;
        _concreteTypes = concreteTypeNames
            .Select(name => module.GetType(name))
            .Where(type => type != null)
            .Distinct()
            .ToList();
    }

    /// <summary>The methods walked, each with the method it was first reached from (the root: "root").</summary>
    public IReadOnlyDictionary<MethodDefinition, string> Walked => _reachedFrom;

    /// <summary>Calls leaving the inspected assembly through an interface or virtual method with no implementation in it.</summary>
    public IReadOnlyCollection<string> BoundaryCalls => _boundaryCalls;

    public IReadOnlyList<AllocationFinding> Findings => _findings;

    /// <summary>
    /// Walks <paramref name="root"/> and what it reaches in <paramref name="module"/>.
    /// </summary>
    /// <param name="module">The compiled assembly (ideally compiled against nanoFramework's mscorlib).</param>
    /// <param name="classLibrary">The class library it was compiled against, to tell enums from structs; may be null.</param>
    /// <param name="root">The entry point.</param>
    /// <param name="concreteTypeNames">Full names (Cecil form, '/' for nesting) of the types whose objects the caller built; virtual calls resolve to these.</param>
    public static InterpreterAllocationCheck Run(ModuleDefinition module, ModuleDefinition? classLibrary, MethodDefinition root, IEnumerable<string> concreteTypeNames)
    {
        var check = new InterpreterAllocationCheck(module, classLibrary, concreteTypeNames);
        check.Walk(root);
        return check;
    }

    /// <summary>True for a value type that nanoCLR keeps in a heap block of its own: not a primitive, not an enum, not by reference.</summary>
    public bool IsStruct(TypeReference type)
    {
        if (type is ByReferenceType || type is PointerType || type is ArrayType || type is GenericParameter || !type.IsValueType)
        {
            return false;
        }

        if (s_primitiveTypes.Contains(type.FullName))
        {
            return false;
        }

        TypeDefinition? definition = type as TypeDefinition ?? _module.GetType(type.FullName) ?? _classLibrary?.GetType(type.FullName);
        return definition == null || !definition.IsEnum;
    }

    private void Walk(MethodDefinition root)
    {
        var work = new Queue<MethodDefinition>();
        _reachedFrom[root] = "root";
        work.Enqueue(root);
        while (work.Count > 0)
        {
            MethodDefinition method = work.Dequeue();
            foreach (MethodDefinition callee in InspectMethod(method))
            {
                if (!_reachedFrom.ContainsKey(callee))
                {
                    _reachedFrom[callee] = CompiledAssemblyWalker.DisplayName(method);
                    work.Enqueue(callee);
                }
            }
        }
    }

    /// <summary>Reports the method's allocating constructs; returns the methods its normal path calls.</summary>
    private IEnumerable<MethodDefinition> InspectMethod(MethodDefinition method)
    {
        var callees = new List<MethodDefinition>();
        string name = CompiledAssemblyWalker.DisplayName(method);
        InspectSignature(method, name);
        if (!method.HasBody)
        {
            return callees;
        }

        ErrorPaths paths = ErrorPaths.Of(method, NeverReturns);
        if (!paths.EntryReturns)
        {
            Report(method, name, "signature", null, "every path throws: the method never returns normally, so the tick would fail here");
            return callees;
        }

        foreach (VariableDefinition variable in method.Body.Variables)
        {
            if (IsStruct(variable.VariableType))
            {
                Report(method, name, "locals", null,
                    $"local V_{variable.Index} of struct type {Short(variable.VariableType)} (a heap block per call); use a ref local, fields or floats");
            }
        }

        foreach (Instruction instruction in method.Body.Instructions)
        {
            if (!paths.IsNormal(instruction))
            {
                continue;
            }

            string? construct = Construct(method, instruction, callees);
            if (construct != null)
            {
                Report(method, name, "IL_" + instruction.Offset.ToString("x4"), instruction, construct);
            }
        }

        return callees;
    }

    private void InspectSignature(MethodDefinition method, string name)
    {
        if (IsStruct(method.ReturnType))
        {
            Report(method, name, "signature", null, $"returns struct {Short(method.ReturnType)} by value (a copy per call); use an out parameter");
        }

        foreach (ParameterDefinition parameter in method.Parameters)
        {
            if (IsStruct(parameter.ParameterType))
            {
                Report(method, name, "signature", null,
                    $"parameter '{parameter.Name}' takes struct {Short(parameter.ParameterType)} by value (a copy per call); pass it by ref");
            }
        }
    }

    /// <summary>What the instruction allocates, or null; adds the methods it calls to <paramref name="callees"/>.</summary>
    private string? Construct(MethodDefinition method, Instruction instruction, List<MethodDefinition> callees)
    {
        switch (instruction.OpCode.Code)
        {
            case Code.Newobj:
                FollowCall((MethodReference)instruction.Operand, isVirtual: false, callees);
                return $"newobj {Short(((MethodReference)instruction.Operand).DeclaringType)} (allocates an object)";
            case Code.Newarr:
                return $"newarr {Short((TypeReference)instruction.Operand)}[] (allocates an array)";
            case Code.Box:
                return $"box {Short((TypeReference)instruction.Operand)} (boxing allocates)";
            case Code.Ldstr:
                return "ldstr \"" + (string)instruction.Operand + "\" (a string object)";
            case Code.Ldftn:
            case Code.Ldvirtftn:
                return "ldftn: a delegate or closure (allocates)";
            case Code.Localloc:
                return "localloc (stackalloc)";
            case Code.Throw:
            case Code.Rethrow:
                return "throw on a path that can still return normally (only an error path may throw)";
            case Code.Mkrefany:
                return "mkrefany (a typed reference)";
            case Code.Cpobj:
                return $"cpobj {Short((TypeReference)instruction.Operand)} (a struct copy)";
            case Code.Ldobj:
            case Code.Ldelem_Any:
            case Code.Unbox_Any:
                TypeReference loaded = (TypeReference)instruction.Operand;
                return IsStruct(loaded) ? $"{instruction.OpCode.Name} of struct {Short(loaded)} (a by-value copy)" : null;
            case Code.Ldfld:
            case Code.Ldsfld:
                FieldReference field = (FieldReference)instruction.Operand;
                return IsStruct(field.FieldType)
                    ? $"{instruction.OpCode.Name} {Short(field.DeclaringType)}.{field.Name} of struct {Short(field.FieldType)} (a by-value copy); read it through ldflda / a ref local"
                    : null;
            case Code.Call:
            case Code.Callvirt:
                return CallConstruct(instruction, callees);
            default:
                return LoadConstruct(method, instruction);
        }
    }

    private string? CallConstruct(Instruction instruction, List<MethodDefinition> callees)
    {
        var called = (MethodReference)instruction.Operand;
        var reasons = new List<string>();
        if (IsStruct(called.ReturnType))
        {
            reasons.Add($"returns struct {Short(called.ReturnType)} by value");
        }

        foreach (ParameterDefinition parameter in called.Parameters)
        {
            if (IsStruct(parameter.ParameterType))
            {
                reasons.Add($"passes struct {Short(parameter.ParameterType)} by value");
            }
        }

        if (instruction.Previous?.OpCode.Code == Code.Constrained && IsStruct((TypeReference)instruction.Previous.Operand)
            && !called.DeclaringType.IsValueType)
        {
            reasons.Add("constrained call of a base-class method on a struct (boxes)");
        }

        if (IsInModule(called.DeclaringType))
        {
            bool isVirtual = instruction.OpCode.Code == Code.Callvirt;
            FollowCall(called, isVirtual, callees);
        }
        else if (!s_nonAllocatingFrameworkMethods.Contains(called.FullName))
        {
            reasons.Add("calls the class library, which the check cannot see into (string building, collections, ...)");
        }

        return reasons.Count == 0 ? null : $"{instruction.OpCode.Name} {Short(called.DeclaringType)}.{called.Name}: {string.Join("; ", reasons)}";
    }

    private string? LoadConstruct(MethodDefinition method, Instruction instruction)
    {
        TypeReference? type = null;
        string? what = null;
        switch (instruction.OpCode.Code)
        {
            case Code.Ldloc_0:
            case Code.Ldloc_1:
            case Code.Ldloc_2:
            case Code.Ldloc_3:
            case Code.Ldloc_S:
            case Code.Ldloc:
                VariableDefinition variable = instruction.Operand as VariableDefinition
                    ?? method.Body.Variables[instruction.OpCode.Code - Code.Ldloc_0];
                type = variable.VariableType;
                what = "local V_" + variable.Index;
                break;
            case Code.Ldarg_0:
            case Code.Ldarg_1:
            case Code.Ldarg_2:
            case Code.Ldarg_3:
            case Code.Ldarg_S:
            case Code.Ldarg:
                int index = instruction.Operand is ParameterDefinition p ? p.Index : instruction.OpCode.Code - Code.Ldarg_0 - (method.HasThis ? 1 : 0);
                if (index >= 0)
                {
                    ParameterDefinition parameter = method.Parameters[index];
                    type = parameter.ParameterType;
                    what = "parameter '" + parameter.Name + "'";
                }

                break;
        }

        return type != null && IsStruct(type) ? $"{instruction.OpCode.Name}: by-value load of {what}, struct {Short(type)} (a copy)" : null;
    }

    private void FollowCall(MethodReference called, bool isVirtual, List<MethodDefinition> callees)
    {
        if (!IsInModule(called.DeclaringType))
        {
            return;
        }

        if (called is not MethodDefinition target)
        {
            return;
        }

        if (!isVirtual || !target.IsVirtual)
        {
            callees.Add(target);
            return;
        }

        bool any = false;
        foreach (TypeDefinition type in _concreteTypes)
        {
            MethodDefinition? implementation = Implementation(type, target);
            if (implementation != null)
            {
                any = true;
                callees.Add(implementation);
            }
        }

        if (!any)
        {
            _boundaryCalls.Add(CompiledAssemblyWalker.DisplayName(target));
        }
    }

    /// <summary>The method of <paramref name="type"/> (or its base types) that a call of <paramref name="declared"/> on it runs; null if the type does not derive from the declaring type.</summary>
    private static MethodDefinition? Implementation(TypeDefinition type, MethodDefinition declared)
    {
        if (type.IsAbstract || !DerivesFrom(type, declared.DeclaringType))
        {
            return null;
        }

        for (TypeDefinition? current = type; current != null; current = InModule(current.BaseType))
        {
            foreach (MethodDefinition candidate in current.Methods)
            {
                if (candidate.Overrides.Any(o => o == declared))
                {
                    return candidate;
                }

                if (candidate.IsVirtual && candidate.Name == declared.Name && SameParameters(candidate, declared))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool DerivesFrom(TypeDefinition type, TypeDefinition ancestor)
    {
        for (TypeDefinition? current = type; current != null; current = InModule(current.BaseType))
        {
            if (current == ancestor || current.Interfaces.Any(i => InModule(i.InterfaceType) is TypeDefinition implemented && (implemented == ancestor || InterfaceExtends(implemented, ancestor))))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InterfaceExtends(TypeDefinition @interface, TypeDefinition ancestor) =>
        @interface.Interfaces.Any(i => InModule(i.InterfaceType) is TypeDefinition parent && (parent == ancestor || InterfaceExtends(parent, ancestor)));

    private static bool SameParameters(MethodDefinition a, MethodDefinition b) =>
        a.Parameters.Count == b.Parameters.Count
        && a.ReturnType.FullName == b.ReturnType.FullName
        && a.Parameters.Select(p => p.ParameterType.FullName).SequenceEqual(b.Parameters.Select(p => p.ParameterType.FullName));

    /// <summary>Whether a call to <paramref name="called"/> never returns normally: an in-assembly method whose every path throws.</summary>
    private bool NeverReturns(MethodReference called)
    {
        if (called is not MethodDefinition target || target.Module != _module || !target.HasBody || target.IsVirtual)
        {
            return false;
        }

        if (_neverReturns.TryGetValue(target, out bool known))
        {
            return known;
        }

        _neverReturns[target] = false; // assumed while it is being analysed (recursion)
        bool result = !ErrorPaths.Of(target, NeverReturns).EntryReturns;
        _neverReturns[target] = result;
        return result;
    }

    /// <summary>Cecil hands out definitions for whatever the module defines itself, references for the rest.</summary>
    private bool IsInModule(TypeReference type) => type.GetElementType() is TypeDefinition definition && definition.Module == _module;

    /// <summary>The definition of a type of the inspected module (base types outside it: null, nothing there to follow).</summary>
    private static TypeDefinition? InModule(TypeReference? type) => type as TypeDefinition;

    private void Report(MethodDefinition method, string name, string offset, Instruction? instruction, string construct)
    {
        _findings.Add(new AllocationFinding(name, offset, CompiledAssemblyWalker.SourceLocation(method, instruction), construct));
    }

    private static string Short(TypeReference type)
    {
        string name = type.FullName.Replace('/', '.');
        int dot = name.LastIndexOf('.');
        return dot >= 0 ? name.Substring(dot + 1) : name;
    }
}
