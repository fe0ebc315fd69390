using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EmbeddedMpc.Core.Control;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EmbeddedMpc.Tests.Budget;

/// <summary>
/// The Core compiled with optimization, as the device image is, whatever configuration the tests run in:
/// the IL instruction budget is stated for a Release build (a Debug build's IL carries nops and extra
/// stores and loads). Compiled once per test run from the sources EmbeddedMpc.Core.projitems lists, with the
/// language version and assembly version of the Core the tests reference.
/// </summary>
internal static class ReleaseCore
{
    private static readonly Lazy<string> s_path = new(Compile);

    /// <summary>Path of the compiled assembly (a temporary file).</summary>
    public static string Path => s_path.Value;

    private static string Compile()
    {
        string projitems = File.ReadAllText(RepositoryLayout.CoreProjitemsPath);
        string[] sources = Regex.Matches(projitems, "Compile Include=\"\\$\\(MSBuildThisFileDirectory\\)([^\"]+)\"")
            .Select(match => System.IO.Path.Combine(RepositoryLayout.CoreSourceDirectory, match.Groups[1].Value.Replace('\\', System.IO.Path.DirectorySeparatorChar)))
            .ToArray();
        var options = new CSharpParseOptions(LanguageVersion.CSharp9);
        Version version = typeof(ControlLoop).Assembly.GetName().Version!;
        var trees = sources.Select(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), options, file))
            .Append(CSharpSyntaxTree.ParseText($"[assembly: System.Reflection.AssemblyVersion(\"{version}\")]", options))
            .ToArray();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(System.IO.Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(typeof(ControlLoop).Assembly.GetName().Name, trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        string directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "embeddedmpc-release-core", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string path = System.IO.Path.Combine(directory, System.IO.Path.GetFileName(typeof(ControlLoop).Assembly.Location));
        var result = compilation.Emit(path);
        if (!result.Success)
        {
            throw new InvalidOperationException("The Core did not compile: " + string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return path;
    }
}
