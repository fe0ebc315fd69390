using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Mono.Cecil;

namespace EmbeddedMpc.Tests.FirmwareApi;

/// <summary>
/// The nanoFramework projects are old-style MSBuild files that list their sources and references by
/// hand, and the dotnet CLI never builds them. What the host build compiles (every .cs file in the
/// folder, see the ApiCheck project) must therefore be what they list, their references must cover the
/// assemblies the code uses, and their HintPaths must point into the packages their packages.config
/// restores. The pin map in code must be the table in hardware/wiring.md.
/// </summary>
[TestClass]
public sealed class FirmwareProjectFilesTests
{
    private static readonly (string Project, string Directory, string File)[] s_nanoProjects =
    {
        ("firmware", "firmware/EmbeddedMpc.Firmware", "EmbeddedMpc.Firmware.nfproj"),
        ("device tests", "tests/EmbeddedMpc.DeviceTests", "EmbeddedMpc.DeviceTests.nfproj"),
    };

    [TestMethod]
    public void EachNanoFrameworkProject_ListsEverySourceFileOfItsFolder_AndNoOther()
    {
        var problems = new List<string>();
        foreach ((string _, string directory, string file) in s_nanoProjects)
        {
            string folder = Path.Combine(RepositoryLayout.RepositoryRoot, directory);
            SortedSet<string> onDisk = new SortedSet<string>(
                Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories)
                    .Select(p => Path.GetRelativePath(folder, p).Replace('\\', '/'))
                    .Where(p => !p.StartsWith("bin/", StringComparison.Ordinal) && !p.StartsWith("obj/", StringComparison.Ordinal)),
                StringComparer.Ordinal);
            SortedSet<string> listed = new SortedSet<string>(
                Items(Path.Combine(folder, file), "Compile").Select(i => i.Include.Replace('\\', '/')),
                StringComparer.Ordinal);

            foreach (string missing in onDisk.Except(listed))
            {
                problems.Add($"  {directory}/{missing} is not a <Compile> item of {file}: the host check compiles it, the device build would not.");
            }

            foreach (string extra in listed.Except(onDisk))
            {
                problems.Add($"  {file} lists {extra}, which is not in {directory} (check the path and its letter case).");
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void EachNanoFrameworkProject_ReferencesEveryAssemblyItsCodeUses()
    {
        NanoFrameworkApiLists lists = NanoFrameworkApiLists.Load();
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        IReadOnlyList<FrameworkUse> uses = FirmwareApiCheck.FrameworkUses(module, lists);
        var problems = new List<string>();
        foreach ((string project, string directory, string file) in s_nanoProjects)
        {
            HashSet<string> referenced = new HashSet<string>(
                Items(Path.Combine(RepositoryLayout.RepositoryRoot, directory, file), "Reference").Select(r => r.Include.Split(',')[0].Trim()),
                StringComparer.Ordinal);
            foreach (FrameworkUse use in uses.Where(u => u.Providers.Count > 0 && u.Users.Any(user => FirmwareApiCheck.ProjectOf(user) == project)))
            {
                List<string> assemblies = use.Providers.Select(p => p.Assembly).Distinct().ToList();
                if (!assemblies.Any(referenced.Contains))
                {
                    problems.Add($"  {directory}/{file} uses {use.Signature}, which nanoFramework has in {string.Join(" or ", assemblies)}, "
                        + "but does not reference that assembly (add the <Reference> and its package to packages.config).");
                }
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void EveryHintPath_PointsIntoAPackageOfPackagesConfig_AndAllProjectsAgreeOnVersions()
    {
        var problems = new List<string>();
        var versionsById = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        var projects = s_nanoProjects.Select(p => (p.Directory, p.File)).Append(("firmware/EmbeddedMpc.Core/Nano", "EmbeddedMpc.Core.nfproj"));
        var hintPath = new Regex(@"^(\.\.\\)+packages\\(?<package>[^\\]+)\\lib\\(?<file>[^\\]+)$");
        foreach ((string directory, string file) in projects)
        {
            string folder = Path.Combine(RepositoryLayout.RepositoryRoot, directory);
            XDocument config = XDocument.Load(Path.Combine(folder, "packages.config"));
            var packages = new HashSet<string>(StringComparer.Ordinal);
            foreach (XElement package in config.Root!.Elements("package"))
            {
                string id = (string)package.Attribute("id")!;
                string version = (string)package.Attribute("version")!;
                packages.Add(id + "." + version);
                if (!versionsById.TryGetValue(id, out HashSet<string>? versions))
                {
                    versions = new HashSet<string>(StringComparer.Ordinal);
                    versionsById.Add(id, versions);
                }

                versions.Add(version);
                if ((string?)package.Attribute("targetFramework") != "netnano1.0")
                {
                    problems.Add($"  {directory}/packages.config: {id} must have targetFramework=\"netnano1.0\".");
                }
            }

            foreach ((string include, string? path) in Items(Path.Combine(folder, file), "Reference").Select(r => (r.Include, r.HintPath)))
            {
                Match match = path == null ? Match.Empty : hintPath.Match(path);
                if (!match.Success)
                {
                    problems.Add($"  {directory}/{file}: reference {include} has no HintPath of the form ..\\..\\packages\\<id>.<version>\\lib\\<file> (got '{path}').");
                    continue;
                }

                string packageFolder = match.Groups["package"].Value;
                string referencedFile = match.Groups["file"].Value;
                if (!packages.Contains(packageFolder))
                {
                    problems.Add($"  {directory}/{file}: {include} points into packages\\{packageFolder}, which its packages.config does not restore.");
                }

                if (referencedFile != include + ".dll" && referencedFile != include + ".exe")
                {
                    problems.Add($"  {directory}/{file}: reference {include} points at {referencedFile}; the file must be named after the assembly.");
                }

                string expectedPrefix = string.Concat(Enumerable.Repeat(@"..\", directory.Count(c => c == '/') + 1));
                if (!path!.StartsWith(expectedPrefix + "packages", StringComparison.Ordinal))
                {
                    problems.Add($"  {directory}/{file}: {include}'s HintPath must start with {expectedPrefix}packages (the packages folder beside EmbeddedMpc.sln).");
                }
            }
        }

        foreach (KeyValuePair<string, HashSet<string>> package in versionsById.Where(p => p.Value.Count > 1))
        {
            problems.Add($"  {package.Key} is restored in several versions ({string.Join(", ", package.Value)}); use one.");
        }

        Assert.AreEqual(0, problems.Count, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void PinMap_IsThePinMapTableOfWiringMd()
    {
        using ModuleDefinition module = CompiledAssemblyWalker.ReadModule(FirmwareApiCheck.AssemblyPath);
        TypeDefinition? pinMap = module.GetType("EmbeddedMpc.Firmware.PinMap");
        Assert.IsNotNull(pinMap, "EmbeddedMpc.Firmware.PinMap was not found in the compiled firmware.");
        Dictionary<int, string> inCode = pinMap.Fields
            .Where(f => f.HasConstant && f.Constant is int)
            .ToDictionary(f => (int)f.Constant, f => f.Name);

        string wiringPath = Path.Combine(RepositoryLayout.RepositoryRoot, "hardware", "wiring.md");
        Dictionary<int, string> inTable = WiringPinMapRows(File.ReadAllLines(wiringPath));
        Assert.IsTrue(inTable.Count >= 10, "Could not read the pin map table of hardware/wiring.md (found " + inTable.Count + " GPIO rows).");

        var problems = new List<string>();
        foreach (KeyValuePair<int, string> row in inTable.Where(r => !inCode.ContainsKey(r.Key)))
        {
            problems.Add($"  GPIO {row.Key} ({row.Value}) is in hardware/wiring.md but not in PinMap.cs.");
        }

        foreach (KeyValuePair<int, string> constant in inCode.Where(c => !inTable.ContainsKey(c.Key)))
        {
            problems.Add($"  PinMap.{constant.Value} = {constant.Key} is not in the pin map of hardware/wiring.md.");
        }

        Assert.AreEqual(0, problems.Count, "firmware/EmbeddedMpc.Firmware/PinMap.cs and the table in hardware/wiring.md (\"Pin map\") "
            + "must list the same GPIOs; change them together:" + Environment.NewLine + string.Join(Environment.NewLine, problems));
    }

    /// <summary>The GPIO rows of the "Pin map" table (up to the next heading) that the firmware uses (a mode other than "—"): GPIO number to signal.</summary>
    private static Dictionary<int, string> WiringPinMapRows(IReadOnlyList<string> lines)
    {
        var rows = new Dictionary<int, string>();
        int start = lines.ToList().FindIndex(l => l.StartsWith("## Pin map", StringComparison.Ordinal));
        for (int i = start + 1; start >= 0 && i < lines.Count && !lines[i].StartsWith("#", StringComparison.Ordinal); i++)
        {
            // | GPIO | Signal | Mode | Connects to | Electrical notes |
            string[] cells = lines[i].Split('|').Select(c => c.Trim()).ToArray();
            if (cells.Length != 7 || !int.TryParse(cells[1], out int gpio) || cells[3] == "—")
            {
                continue;
            }

            rows[gpio] = cells[2];
        }

        return rows;
    }

    /// <summary>The assemblies (by name) that the firmware's and the device tests' .nfproj reference, with the project.</summary>
    internal static IEnumerable<(string Project, string Assembly)> NanoProjectReferences()
    {
        foreach ((string project, string directory, string file) in s_nanoProjects)
        {
            foreach ((string include, string? _) in Items(Path.Combine(RepositoryLayout.RepositoryRoot, directory, file), "Reference"))
            {
                yield return (project, include.Split(',')[0].Trim());
            }
        }
    }

    private static IEnumerable<(string Include, string? HintPath)> Items(string projectPath, string itemName)
    {
        XDocument project = XDocument.Load(projectPath);
        return project.Descendants()
            .Where(e => e.Name.LocalName == itemName)
            .Select(e => (
                (string?)e.Attribute("Include") ?? string.Empty,
                e.Elements().FirstOrDefault(c => c.Name.LocalName == "HintPath")?.Value.Trim()));
    }
}
