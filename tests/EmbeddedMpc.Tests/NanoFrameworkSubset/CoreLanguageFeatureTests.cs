using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;
using Mono.Cecil.Cil;
using FieldAttributes = Mono.Cecil.FieldAttributes;
using TypeAttributes = Mono.Cecil.TypeAttributes;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// nanoFramework 1.x interprets IL without generics and has no LINQ, Span, MathF, nullable value
/// types, tuples, async, records or init accessors; the Core's buffers are flat arrays. The compiled
/// Core is searched for each of these, so a violation fails on the host, long before a device build.
/// </summary>
[TestClass]
public sealed class CoreLanguageFeatureTests
{
    [TestMethod]
    public void CompiledCore_UsesNoGenericsLinqSpanMathFNullableTuplesAsyncLambdasRecordsInitOrUnsafeCode()
    {
        string corePath = RepositoryLayout.CoreAssemblyPath;
        using ModuleDefinition core = CompiledAssemblyWalker.ReadModule(corePath);

        IReadOnlyList<string> violations = LanguageFeatureCheck.FindViolations(core);

        Assert.AreEqual(
            0,
            violations.Count,
            $"The compiled Core ({corePath}) uses {violations.Count} feature(s) outside the nanoFramework 1.x subset "
            + "(firmware/EmbeddedMpc.Core/README.md, \"nanoFramework compatibility\"). Each line names the Core member and what it uses:"
            + Environment.NewLine + string.Join(Environment.NewLine, violations.Select(v => "  " + v)));
    }

    [TestMethod]
    public void Checker_ReportsEachUnsupportedFeature_NamingTheMemberThatUsesIt()
    {
        using ModuleDefinition module = SyntheticAssemblies.CreateModule();
        TypeDefinition subject = module.GetType(SyntheticAssemblies.SubjectTypeName);

        // One of each: the checker must name every one, with the member that uses it.
        // A List<int> field, a float? field and a float[,] field.
        subject.Fields.Add(new FieldDefinition("_list", FieldAttributes.Private, module.ImportReference(typeof(List<int>))));
        subject.Fields.Add(new FieldDefinition("_maybe", FieldAttributes.Private, module.ImportReference(typeof(float?))));
        subject.Fields.Add(new FieldDefinition("_grid", FieldAttributes.Private, new ArrayType(module.TypeSystem.Single, 2)));

        // MathF.Sin and Enumerable.Sum calls, a Span<float> local, a float* local and a stackalloc.
        SyntheticAssemblies.AddStaticMethodCalling(module, "UsesMathF", typeof(MathF).GetMethod(nameof(MathF.Sin))!);
        MethodDefinition usesLinq = SyntheticAssemblies.AddStaticMethod(module, "UsesLinq");
        ILProcessor linqIl = usesLinq.Body.GetILProcessor();
        linqIl.Emit(OpCodes.Ldnull);
        linqIl.Emit(OpCodes.Call, module.ImportReference(typeof(Enumerable).GetMethod(nameof(Enumerable.Sum), new[] { typeof(IEnumerable<float>) })!));
        linqIl.Emit(OpCodes.Ret);
        MethodDefinition usesSpan = SyntheticAssemblies.AddStaticMethod(module, "UsesSpanAndPointers");
        usesSpan.Body.Variables.Add(new VariableDefinition(module.ImportReference(typeof(Span<float>))));
        usesSpan.Body.Variables.Add(new VariableDefinition(new PointerType(module.TypeSystem.Single)));
        ILProcessor spanIl = usesSpan.Body.GetILProcessor();
        spanIl.Emit(OpCodes.Ldc_I4_8);
        spanIl.Emit(OpCodes.Localloc);
        spanIl.Emit(OpCodes.Pop);
        SyntheticAssemblies.ReturnArgument(usesSpan);

        // A generic method definition, and a closure class as the compiler makes for a capturing lambda.
        MethodDefinition generic = SyntheticAssemblies.AddStaticMethod(module, "Generic");
        generic.GenericParameters.Add(new GenericParameter("T", generic));
        SyntheticAssemblies.ReturnArgument(generic);
        subject.NestedTypes.Add(new TypeDefinition(
            string.Empty, "<>c__DisplayClass0_0", TypeAttributes.NestedPrivate | TypeAttributes.Class, module.TypeSystem.Object));

        // An init-only setter (void modreq(IsExternalInit) set_Gain(float)), a record's EqualityContract and a tuple field.
        var initSetter = new MethodDefinition(
            "set_Gain",
            Mono.Cecil.MethodAttributes.Public | Mono.Cecil.MethodAttributes.SpecialName,
            new RequiredModifierType(module.ImportReference(typeof(System.Runtime.CompilerServices.IsExternalInit)), module.TypeSystem.Void));
        initSetter.Parameters.Add(new ParameterDefinition("value", Mono.Cecil.ParameterAttributes.None, module.TypeSystem.Single));
        initSetter.Body.GetILProcessor().Emit(OpCodes.Ret);
        subject.Methods.Add(initSetter);
        subject.Properties.Add(new PropertyDefinition(
            "EqualityContract", Mono.Cecil.PropertyAttributes.None, module.ImportReference(typeof(Type))));
        subject.Fields.Add(new FieldDefinition("_pair", FieldAttributes.Private, module.ImportReference(typeof(ValueTuple<float, float>))));

        IReadOnlyList<string> violations = LanguageFeatureCheck.FindViolations(module);

        string all = string.Join(Environment.NewLine, violations);
        AssertReported(all, "Synthetic.Subject._list: generic type instance System.Collections.Generic.List<System.Int32>");
        AssertReported(all, "Synthetic.Subject._maybe: Nullable<T>");
        AssertReported(all, "Synthetic.Subject._grid: multidimensional array System.Single[,]");
        AssertReported(all, "Synthetic.Subject.UsesMathF(System.Single): System.MathF");
        AssertReported(all, "Synthetic.Subject.UsesLinq(System.Single): LINQ");
        AssertReported(all, "Synthetic.Subject.UsesSpanAndPointers(System.Single): Span<T>");
        AssertReported(all, "Synthetic.Subject.UsesSpanAndPointers(System.Single): pointer type System.Single*");
        AssertReported(all, "Synthetic.Subject.UsesSpanAndPointers(System.Single): stackalloc");
        AssertReported(all, "Synthetic.Subject.Generic(System.Single): generic method definition");
        AssertReported(all, "Synthetic.Subject.<>c__DisplayClass0_0: compiler-generated closure");
        AssertReported(all, "Synthetic.Subject.set_Gain(System.Single): init-only setter");
        AssertReported(all, "Synthetic.Subject: record");
        AssertReported(all, "Synthetic.Subject._pair: ValueTuple");
    }

    private static void AssertReported(string allViolations, string expectedStart)
    {
        Assert.IsTrue(
            allViolations.Split(Environment.NewLine).Any(v => v.StartsWith(expectedStart, StringComparison.Ordinal)),
            $"Expected a violation starting with \"{expectedStart}\". Reported:{Environment.NewLine}{allViolations}");
    }
}
