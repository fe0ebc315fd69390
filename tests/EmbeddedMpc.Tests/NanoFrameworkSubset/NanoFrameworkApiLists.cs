using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using EmbeddedMpc.Tests.FirmwareApi;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// nanoFramework 1.x's public API as this repository knows it, one line per type or member in the format
/// of <see cref="DeclarationRenderer"/> ("method System.Single.IsNaN(System.Single) : System.Boolean (static)"),
/// by assembly:
/// <list type="bullet">
/// <item>"mscorlib": every public type and member of the real mscorlib.dll of the nanoFramework.CoreLibrary
/// package (restored from NuGet; the ApiCheck build copies it next to its output).</item>
/// <item>every other nanoFramework assembly: the project's declarations of it
/// (tests/EmbeddedMpc.Firmware.ApiCheck/NanoFrameworkDeclarations/&lt;assembly&gt;.cs), as compiled into the
/// ApiCheck assembly. Those packages are not on NuGet, so the declarations are the project's record of them.</item>
/// </list>
/// Nothing outside the repository and its restored packages is read.
/// </summary>
internal sealed class NanoFrameworkApiLists
{
    public const string MscorlibAssembly = "mscorlib";

    private static readonly Lazy<NanoFrameworkApiLists> s_loaded = new Lazy<NanoFrameworkApiLists>(LoadFromBuild);

    private readonly Dictionary<string, string[]> _linesByAssembly;
    private readonly Dictionary<string, HashSet<string>> _lineSetByAssembly;

    public NanoFrameworkApiLists(string source, Dictionary<string, string[]> linesByAssembly)
    {
        Source = source;
        _linesByAssembly = linesByAssembly;
        _lineSetByAssembly = linesByAssembly.ToDictionary(
            pair => pair.Key, pair => new HashSet<string>(pair.Value, StringComparer.Ordinal), StringComparer.Ordinal);
    }

    /// <summary>Where the lines came from, for messages.</summary>
    public string Source { get; }

    public IEnumerable<string> Assemblies => _linesByAssembly.Keys.OrderBy(name => name, StringComparer.Ordinal);

    /// <summary>The real mscorlib.dll the ApiCheck project compiled against (nanoFramework.CoreLibrary 1.17.11).</summary>
    public static string MscorlibPath
    {
        get
        {
            string path = Path.Combine(Path.GetDirectoryName(FirmwareApiCheck.AssemblyPath)!, "mscorlib.dll");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException(
                    $"{path} was not found. tests/{FirmwareApiCheck.ApiCheckProjectName} references nanoFramework.CoreLibrary's "
                    + "mscorlib.dll, so its build copies it there; build the solution.", path);
            }

            return path;
        }
    }

    /// <summary>The lists of the real mscorlib and of the project's declarations (built once per test run).</summary>
    public static NanoFrameworkApiLists Load() => s_loaded.Value;

    /// <summary>The lines of every public type of <paramref name="module"/> and of its public and protected members.</summary>
    public static string[] PublicApiLines(ModuleDefinition module)
    {
        return module.GetTypes()
            .Where(IsPubliclyVisible)
            .SelectMany(DeclarationRenderer.Render)
            .Select(declared => declared.Line)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>
    /// The nanoFramework assembly each declared type belongs to: the name of the declaration file that
    /// declares it ("System.Device.Gpio.cs" -> "System.Device.Gpio"), by type full name ('/' for nesting).
    /// </summary>
    public static Dictionary<string, string> DeclarationAssemblies()
    {
        var assemblyByType = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in Directory.GetFiles(FirmwareApiCheck.DeclarationsDirectory, "*.cs"))
        {
            string assembly = Path.GetFileNameWithoutExtension(file);
            CompilationUnitSyntax root = CSharpSyntaxTree.ParseText(File.ReadAllText(file)).GetCompilationUnitRoot();
            foreach (BaseTypeDeclarationSyntax type in root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>())
            {
                assemblyByType[FullName(type)] = assembly;
            }

            foreach (DelegateDeclarationSyntax type in root.DescendantNodes().OfType<DelegateDeclarationSyntax>())
            {
                assemblyByType[FullName(type)] = assembly;
            }
        }

        return assemblyByType;
    }

    public bool HasAssembly(string assembly) => _linesByAssembly.ContainsKey(assembly);

    public bool Contains(string assembly, string line) =>
        _lineSetByAssembly.TryGetValue(assembly, out HashSet<string>? lines) && lines.Contains(line);

    /// <summary>The list lines (with their assembly) that provide <paramref name="signature"/> (see <see cref="ApiSignature"/>).</summary>
    public IEnumerable<(string Assembly, string Line)> LinesProviding(string signature)
    {
        foreach (KeyValuePair<string, string[]> list in _linesByAssembly.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            foreach (string line in list.Value)
            {
                if (ApiSignature.OfListLine(line).Contains(signature, StringComparer.Ordinal))
                {
                    yield return (list.Key, line);
                }
            }
        }
    }

    /// <summary>List lines whose text starts with <paramref name="prefix"/>, for "did you mean" hints.</summary>
    public IEnumerable<(string Assembly, string Line)> LinesStartingWith(string prefix)
    {
        foreach (KeyValuePair<string, string[]> list in _linesByAssembly.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            foreach (string line in list.Value)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    yield return (list.Key, line);
                }
            }
        }
    }

    private static NanoFrameworkApiLists LoadFromBuild()
    {
        var linesByAssembly = new Dictionary<string, string[]>(StringComparer.Ordinal);
        string mscorlibPath = MscorlibPath;
        using (ModuleDefinition mscorlib = CompiledAssemblyWalker.ReadModule(mscorlibPath))
        {
            linesByAssembly[MscorlibAssembly] = PublicApiLines(mscorlib);
        }

        Dictionary<string, string> assemblyByType = DeclarationAssemblies();
        using (ModuleDefinition apiCheck = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath))
        {
            foreach (IGrouping<string, TypeDefinition> declared in FirmwareApiCheck.DeclaredTypes(apiCheck)
                .GroupBy(type => assemblyByType.TryGetValue(type.FullName, out string? assembly) ? assembly : "(undeclared file)"))
            {
                linesByAssembly[declared.Key] = declared.SelectMany(DeclarationRenderer.Render).Select(d => d.Line).Distinct(StringComparer.Ordinal).ToArray();
            }
        }

        return new NanoFrameworkApiLists(
            mscorlibPath + " and tests/" + FirmwareApiCheck.ApiCheckProjectName + "/NanoFrameworkDeclarations",
            linesByAssembly);
    }

    private static bool IsPubliclyVisible(TypeDefinition type)
    {
        for (TypeDefinition? current = type; current != null; current = current.DeclaringType)
        {
            if (!(current.IsPublic || current.IsNestedPublic))
            {
                return false;
            }
        }

        return true;
    }

    private static string FullName(MemberDeclarationSyntax type)
    {
        var parts = new List<string>();
        string? ns = null;
        for (Microsoft.CodeAnalysis.SyntaxNode? node = type; node != null; node = node.Parent)
        {
            switch (node)
            {
                case BaseTypeDeclarationSyntax t:
                    parts.Insert(0, t.Identifier.Text);
                    break;
                case DelegateDeclarationSyntax d:
                    parts.Insert(0, d.Identifier.Text);
                    break;
                case BaseNamespaceDeclarationSyntax n:
                    ns = ns == null ? n.Name.ToString() : n.Name + "." + ns;
                    break;
            }
        }

        return (ns == null ? string.Empty : ns + ".") + string.Join("/", parts);
    }
}
