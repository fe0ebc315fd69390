using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// The Core compiles for nanoFramework 1.x, whose class library is small, and nanoFramework can't be
/// built on this machine. So the host build of the Core is inspected: everything it references
/// outside itself must be on the project's short allowlist (CoreApiAllowlist.txt), whose entries are
/// in turn checked against the public API of nanoFramework's real mscorlib.dll (AllowlistAgainstNanoFrameworkApiTests).
/// </summary>
[TestClass]
public sealed class CoreFrameworkReferenceTests
{
    private const int MaxUsersShownPerReference = 8;

    [TestMethod]
    public void CompiledCore_ReferencesOnlyAllowlistedFrameworkMembers()
    {
        string corePath = RepositoryLayout.CoreAssemblyPath;
        CoreApiAllowlist allowlist = CoreApiAllowlist.Load();
        using ModuleDefinition core = CompiledAssemblyWalker.ReadModule(corePath);

        IReadOnlyList<UnlistedReference> unlisted = FrameworkReferenceCheck.FindUnlistedReferences(core, allowlist);

        if (unlisted.Count > 0)
        {
            Assert.Fail(DescribeUnlisted(corePath, unlisted));
        }
    }

    [TestMethod]
    public void CoreSources_DoNotWriteTheAttributesTheCompilerEmitsPerTarget()
    {
        // The exemption in FrameworkReferenceCheck.TargetSpecificCompilerAttributes is honest only if
        // the compiler is the one adding these attributes: written in source, they would not compile
        // against nanoFramework's mscorlib.
        string names = string.Join("|", FrameworkReferenceCheck.TargetSpecificCompilerAttributes
            .Select(a => Regex.Escape(a.FullName.Substring(a.FullName.LastIndexOf('.') + 1).Replace("Attribute", string.Empty))));
        var attributeUse = new Regex(@"\b(" + names + @")(Attribute)?\b");
        var findings = new List<string>();
        foreach (string file in SharedProjectSourceListTests.CoreSourceFilesOnDisk())
        {
            string[] lines = File.ReadAllLines(Path.Combine(RepositoryLayout.CoreSourceDirectory, file));
            for (int i = 0; i < lines.Length; i++)
            {
                string code = lines[i].TrimStart();
                if (!code.StartsWith("//", StringComparison.Ordinal) && attributeUse.IsMatch(code))
                {
                    findings.Add($"  firmware/EmbeddedMpc.Core/{file}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.AreEqual(
            0,
            findings.Count,
            "The Core sources name attributes that nanoFramework's mscorlib does not have and that the subset test "
            + "only tolerates because the .NET compiler adds them by itself (CompilationRelaxations, RuntimeCompatibility, "
            + "RefSafetyRules, CompilerGenerated). Written in source they break the nanoFramework build; remove them:"
            + Environment.NewLine + string.Join(Environment.NewLine, findings));
    }

    [TestMethod]
    public void Checker_ReportsAFrameworkCallMissingFromTheAllowlist_WithTheCoreMethodThatMakesIt()
    {
        // A Core-like assembly whose only method calls MathF.Sin, which the allowlist does not name.
        using ModuleDefinition module = SyntheticAssemblies.CreateModule();
        SyntheticAssemblies.AddStaticMethodCalling(module, "Step", typeof(MathF).GetMethod(nameof(MathF.Sin))!);
        CoreApiAllowlist allowlist = CoreApiAllowlist.Parse(
            new[] { "[mscorlib]", "type System.Object (class)", "type System.Single (struct)" }, "test allowlist");

        IReadOnlyList<UnlistedReference> unlisted = FrameworkReferenceCheck.FindUnlistedReferences(module, allowlist);

        UnlistedReference? sin = unlisted.SingleOrDefault(u => u.Signature == "method System.MathF.Sin(System.Single) : System.Single (static)");
        Assert.IsNotNull(sin, "MathF.Sin is not allowlisted, so the check must report it. Reported: " + string.Join("; ", unlisted.Select(u => u.Signature)));
        CollectionAssert.AreEqual(new[] { "Synthetic.Subject.Step(System.Single)" }, sin.Users.ToArray());
        Assert.IsTrue(unlisted.Any(u => u.Signature == "type System.MathF"), "The MathF type itself must be reported too.");
        Assert.IsFalse(unlisted.Any(u => u.Signature == "type System.Single"), "System.Single is allowlisted and must not be reported.");
    }

    [TestMethod]
    public void Checker_ExemptsTargetSpecificCompilerAttributesOnlyWhereTheCompilerPutsThem()
    {
        using ModuleDefinition module = SyntheticAssemblies.CreateModule();
        TypeDefinition subject = module.GetType(SyntheticAssemblies.SubjectTypeName);
        MethodReference compilationRelaxations = module.ImportReference(
            typeof(System.Runtime.CompilerServices.CompilationRelaxationsAttribute).GetConstructor(new[] { typeof(int) })!);
        var onAssembly = new CustomAttribute(compilationRelaxations);
        onAssembly.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.Int32, 8));
        module.Assembly.CustomAttributes.Add(onAssembly);
        var onType = new CustomAttribute(compilationRelaxations);
        onType.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.Int32, 8));
        subject.CustomAttributes.Add(onType);
        CoreApiAllowlist allowlist = CoreApiAllowlist.Parse(
            new[] { "[mscorlib]", "type System.Object (class)", "type System.Int32 (struct)" }, "test allowlist");

        IReadOnlyList<UnlistedReference> unlisted = FrameworkReferenceCheck.FindUnlistedReferences(module, allowlist);

        UnlistedReference? attribute = unlisted.SingleOrDefault(
            u => u.Signature == "ctor System.Runtime.CompilerServices.CompilationRelaxationsAttribute(System.Int32)");
        Assert.IsNotNull(attribute, "Written on a type, CompilationRelaxations is not the compiler's doing and must be reported.");
        CollectionAssert.AreEqual(
            new[] { "Synthetic.Subject (attribute [System.Runtime.CompilerServices.CompilationRelaxationsAttribute])" },
            attribute.Users.ToArray(),
            "Only the application on the type may be reported; the assembly-level one is the compiler's.");
    }

    private static string DescribeUnlisted(string corePath, IReadOnlyList<UnlistedReference> unlisted)
    {
        NanoFrameworkApiLists lists = NanoFrameworkApiLists.Load();
        var message = new StringBuilder();
        message.AppendLine($"The compiled Core ({corePath}) references {unlisted.Count} framework type(s)/member(s) that "
            + "tests/EmbeddedMpc.Tests/NanoFrameworkSubset/CoreApiAllowlist.txt does not allow. The Core must compile for "
            + "nanoFramework 1.x, whose class library is small (firmware/EmbeddedMpc.Core/README.md, \"nanoFramework compatibility\").");
        foreach (UnlistedReference reference in unlisted)
        {
            message.AppendLine();
            message.AppendLine("  " + reference.Signature);
            foreach (string user in reference.Users.Take(MaxUsersShownPerReference))
            {
                message.AppendLine("      used by " + user);
            }

            if (reference.Users.Count > MaxUsersShownPerReference)
            {
                message.AppendLine($"      ... and {reference.Users.Count - MaxUsersShownPerReference} more");
            }

            message.AppendLine("      " + NanoFrameworkHint(lists, reference.Signature));
        }

        message.AppendLine();
        message.AppendLine("Either change the Core so it does not need these, or, if nanoFramework 1.x really provides one and the Core "
            + "needs it, copy the line printed above (\"nanoFramework has it: [assembly] line\") into CoreApiAllowlist.txt under "
            + "that [assembly] section (AllowlistAgainstNanoFrameworkApiTests then checks it against the real mscorlib.dll).");
        return message.ToString();
    }

    private static string NanoFrameworkHint(NanoFrameworkApiLists lists, string signature)
    {
        List<(string Assembly, string Line)> providers = lists.LinesProviding(signature).ToList();
        if (providers.Count > 0)
        {
            return "nanoFramework has it: " + string.Join(" | ", providers.Select(p => $"[{p.Assembly}] {p.Line}"));
        }

        return "nanoFramework 1.x does NOT have this (not in its real mscorlib.dll, nor in the project's declarations of its other assemblies): change the Core.";
    }
}
