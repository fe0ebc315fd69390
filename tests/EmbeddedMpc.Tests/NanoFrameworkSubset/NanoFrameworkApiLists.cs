using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// The public API lists of nanoFramework 1.x in ../shared/reference/nanoframework-api (one text file
/// per assembly, one line per type or member; see that folder's README.md). Read in place, never copied.
/// </summary>
internal sealed class NanoFrameworkApiLists
{
    private readonly Dictionary<string, string[]> _linesByAssembly;

    private NanoFrameworkApiLists(string directory, Dictionary<string, string[]> linesByAssembly)
    {
        Directory = directory;
        _linesByAssembly = linesByAssembly;
    }

    public string Directory { get; }

    public IEnumerable<string> Assemblies => _linesByAssembly.Keys.OrderBy(name => name, StringComparer.Ordinal);

    /// <summary>The lists, or null when the folder is not there (a user's clone).</summary>
    public static NanoFrameworkApiLists? TryLoad()
    {
        string directory = RepositoryLayout.NanoFrameworkApiListDirectory;
        if (!System.IO.Directory.Exists(directory))
        {
            return null;
        }

        var linesByAssembly = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string path in System.IO.Directory.GetFiles(directory, "*.txt"))
        {
            linesByAssembly[Path.GetFileNameWithoutExtension(path)] = File.ReadAllLines(path)
                .Select(line => line.TrimEnd())
                .Where(line => line.Length > 0 && !line.StartsWith("#", StringComparison.Ordinal))
                .ToArray();
        }

        return new NanoFrameworkApiLists(directory, linesByAssembly);
    }

    public bool HasAssembly(string assembly) => _linesByAssembly.ContainsKey(assembly);

    public bool Contains(string assembly, string line) =>
        _linesByAssembly.TryGetValue(assembly, out string[]? lines) && lines.Contains(line, StringComparer.Ordinal);

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
}
