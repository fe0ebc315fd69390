using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>One line of CoreApiAllowlist.txt.</summary>
/// <param name="Assembly">The nanoFramework assembly (the [section]) that provides the entry, e.g. "mscorlib".</param>
/// <param name="Line">The entry, verbatim as in that assembly's public API list (<see cref="NanoFrameworkApiLists"/>).</param>
/// <param name="LineNumber">1-based line number in CoreApiAllowlist.txt.</param>
/// <param name="Signatures">What the entry allows, in <see cref="ApiSignature"/> form.</param>
internal sealed record AllowlistEntry(string Assembly, string Line, int LineNumber, IReadOnlyList<string> Signatures);

/// <summary>
/// The project's allowlist of framework types and members the Core may reference
/// (CoreApiAllowlist.txt next to this file). Format: '#' comment lines, blank lines,
/// "[assembly]" section lines naming a nanoFramework assembly (e.g. "mscorlib"),
/// and entry lines copied verbatim from that list.
/// </summary>
internal sealed class CoreApiAllowlist
{
    private CoreApiAllowlist(IReadOnlyList<AllowlistEntry> entries)
    {
        Entries = entries;
        AllowedSignatures = new HashSet<string>(entries.SelectMany(e => e.Signatures), StringComparer.Ordinal);
    }

    public IReadOnlyList<AllowlistEntry> Entries { get; }

    public IReadOnlySet<string> AllowedSignatures { get; }

    public static CoreApiAllowlist Load() => Parse(File.ReadAllLines(RepositoryLayout.AllowlistPath), RepositoryLayout.AllowlistPath);

    public static CoreApiAllowlist Parse(IReadOnlyList<string> lines, string sourceName)
    {
        var entries = new List<AllowlistEntry>();
        string? section = null;
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i].TrimEnd();
            int lineNumber = i + 1;
            if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("[", StringComparison.Ordinal) && line.EndsWith("]", StringComparison.Ordinal))
            {
                section = line.Substring(1, line.Length - 2).Trim();
                continue;
            }

            if (section == null)
            {
                throw new FormatException(
                    $"{sourceName}:{lineNumber}: entry before any [assembly] section line; put it under the section "
                    + $"of the nanoFramework assembly that provides it, e.g. [mscorlib]: {line}");
            }

            IReadOnlyList<string> signatures;
            try
            {
                signatures = ApiSignature.OfListLine(line);
            }
            catch (FormatException exception)
            {
                throw new FormatException(
                    $"{sourceName}:{lineNumber}: not a line in the nanoFramework API list format ({exception.Message})", exception);
            }

            entries.Add(new AllowlistEntry(section, line, lineNumber, signatures));
        }

        return new CoreApiAllowlist(entries);
    }
}
