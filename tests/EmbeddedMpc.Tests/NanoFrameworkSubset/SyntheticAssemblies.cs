using System.Reflection;
using Mono.Cecil;
using Mono.Cecil.Cil;
using MethodAttributes = Mono.Cecil.MethodAttributes;
using TypeAttributes = Mono.Cecil.TypeAttributes;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// Small assemblies built in memory with Mono.Cecil, holding one known violation each, so the
/// checkers are shown to fail on what they must catch (no compiler needed, nothing written to disk).
/// </summary>
internal static class SyntheticAssemblies
{
    public const string SubjectTypeName = "Synthetic.Subject";

    /// <summary>An assembly "Synthetic" with one empty public class <see cref="SubjectTypeName"/>.</summary>
    public static ModuleDefinition CreateModule()
    {
        AssemblyDefinition assembly = AssemblyDefinition.CreateAssembly(
            new AssemblyNameDefinition("Synthetic", new System.Version(1, 0)), "Synthetic", ModuleKind.Dll);
        ModuleDefinition module = assembly.MainModule;
        var subject = new TypeDefinition(
            "Synthetic", "Subject", TypeAttributes.Public | TypeAttributes.Class, module.TypeSystem.Object);
        module.Types.Add(subject);
        return module;
    }

    /// <summary>Adds <c>static float Name(float x) =&gt; called(x)</c> to the subject type.</summary>
    public static MethodDefinition AddStaticMethodCalling(ModuleDefinition module, string name, MethodInfo called)
    {
        MethodDefinition method = AddStaticMethod(module, name);
        ILProcessor il = method.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, module.ImportReference(called));
        il.Emit(OpCodes.Ret);
        return method;
    }

    /// <summary>Adds an empty <c>static float Name(float x)</c> (body: <c>return x;</c>) to the subject type.</summary>
    public static MethodDefinition AddStaticMethod(ModuleDefinition module, string name)
    {
        TypeDefinition subject = module.GetType(SubjectTypeName);
        var method = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static, module.TypeSystem.Single);
        method.Parameters.Add(new ParameterDefinition("x", Mono.Cecil.ParameterAttributes.None, module.TypeSystem.Single));
        subject.Methods.Add(method);
        return method;
    }

    /// <summary>Ends a method built with <see cref="AddStaticMethod"/>: <c>ldarg.0; ret</c>.</summary>
    public static void ReturnArgument(MethodDefinition method)
    {
        ILProcessor il = method.Body.GetILProcessor();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ret);
    }
}
