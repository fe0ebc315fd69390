using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// Both builds of the Core (Host/EmbeddedMpc.Core.csproj and Nano/EmbeddedMpc.Core.nfproj) take their
/// sources from EmbeddedMpc.Core.projitems. A .cs file that is in the folder but not in the projitems is
/// silently left out of both builds (and of every subset check); an entry without a file breaks them.
/// </summary>
[TestClass]
public sealed class SharedProjectSourceListTests
{
    /// <summary>Folders of firmware/EmbeddedMpc.Core that are not shared sources: the two project shells and build output.</summary>
    private static readonly string[] s_excludedTopLevelFolders = { "Host", "Nano" };
    private static readonly string[] s_excludedFolderNames = { "bin", "obj" };

    [TestMethod]
    public void SharedProject_ListsEveryCoreSourceFile_AndNoFileThatIsNotThere()
    {
        SortedSet<string> onDisk = new SortedSet<string>(CoreSourceFilesOnDisk(), StringComparer.Ordinal);
        SortedSet<string> listed = new SortedSet<string>(CoreSourceFilesListedInProjitems(), StringComparer.Ordinal);

        List<string> notListed = onDisk.Except(listed, StringComparer.Ordinal).ToList();
        List<string> listedButMissing = listed.Except(onDisk, StringComparer.Ordinal).ToList();

        var problems = new List<string>();
        if (notListed.Count > 0)
        {
            problems.Add("In firmware/EmbeddedMpc.Core but not in EmbeddedMpc.Core.projitems (so built by neither the host nor "
                + "the nanoFramework project); add <Compile Include=\"$(MSBuildThisFileDirectory)...\" /> for:"
                + Environment.NewLine + string.Join(Environment.NewLine, notListed.Select(f => "    " + f)));
        }

        if (listedButMissing.Count > 0)
        {
            problems.Add("Listed in EmbeddedMpc.Core.projitems but no such file under firmware/EmbeddedMpc.Core "
                + "(check the path and its letter case):"
                + Environment.NewLine + string.Join(Environment.NewLine, listedButMissing.Select(f => "    " + f)));
        }

        Assert.AreEqual(0, problems.Count, string.Join(Environment.NewLine, problems));
    }

    /// <summary>
    /// The .cs files under firmware/EmbeddedMpc.Core, relative to it with '/' separators, leaving out
    /// Host/, Nano/ and any bin/ or obj/ folder.
    /// </summary>
    internal static IEnumerable<string> CoreSourceFilesOnDisk()
    {
        string root = RepositoryLayout.CoreSourceDirectory;
        foreach (string path in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            string[] folders = relative.Split('/');
            bool excluded = s_excludedTopLevelFolders.Contains(folders[0], StringComparer.Ordinal)
                || folders.Take(folders.Length - 1).Any(folder => s_excludedFolderNames.Contains(folder, StringComparer.OrdinalIgnoreCase));
            if (!excluded)
            {
                yield return relative;
            }
        }
    }

    /// <summary>The Compile items of EmbeddedMpc.Core.projitems, relative to firmware/EmbeddedMpc.Core with '/' separators.</summary>
    private static IEnumerable<string> CoreSourceFilesListedInProjitems()
    {
        const string thisFileDirectory = "$(MSBuildThisFileDirectory)";
        XDocument projitems = XDocument.Load(RepositoryLayout.CoreProjitemsPath);
        foreach (XElement compile in projitems.Descendants().Where(e => e.Name.LocalName == "Compile"))
        {
            string? include = compile.Attribute("Include")?.Value;
            if (string.IsNullOrWhiteSpace(include))
            {
                continue;
            }

            Assert.IsFalse(
                include.Contains('*', StringComparison.Ordinal),
                $"EmbeddedMpc.Core.projitems uses a wildcard ({include}); list the Core's files one by one so both builds see the same set.");
            string path = include.Trim();
            if (path.StartsWith(thisFileDirectory, StringComparison.Ordinal))
            {
                path = path.Substring(thisFileDirectory.Length);
            }

            yield return path.Replace('\\', '/');
        }
    }
}
