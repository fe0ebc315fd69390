using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using EmbeddedMpc.Tests.NanoFrameworkSubset;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.FirmwareApi;

/// <summary>
/// The device build covers every nanoFramework project: the host build never compiles a .nfproj, so a project
/// left out of EmbeddedMpc.sln's Device configuration or of the firmware workflow would only break on a
/// developer's machine with a board attached.
/// </summary>
[TestClass]
public sealed class DeviceBuildTests
{
    private static readonly string s_workflowPath = Path.Combine(".github", "workflows", "firmware.yml");

    [TestMethod]
    public void EveryNanoFrameworkProject_IsBuiltByTheSolutionsDeviceConfiguration()
    {
        string solution = File.ReadAllText(Path.Combine(RepositoryLayout.RepositoryRoot, RepositoryLayout.SolutionFileName));
        var problems = new List<string>();
        foreach (string project in NanoFrameworkProjects())
        {
            string windowsPath = project.Replace('/', '\\');
            Match entry = Regex.Match(solution, "Project\\(\"[^\"]+\"\\) = \"[^\"]+\", \"" + Regex.Escape(windowsPath) + "\", \"(\\{[0-9A-Fa-f-]+\\})\"");
            if (!entry.Success)
            {
                problems.Add($"  {project} is not a project of {RepositoryLayout.SolutionFileName}.");
                continue;
            }

            string guid = entry.Groups[1].Value;
            if (!solution.Contains(guid + ".Device|Any CPU.Build.0 = Release|Any CPU", StringComparison.Ordinal))
            {
                problems.Add($"  {project} ({guid}) has no 'Device|Any CPU.Build.0 = Release|Any CPU' entry: the Device configuration skips it.");
            }

            foreach (string hostConfiguration in new[] { "Debug", "Release" })
            {
                if (solution.Contains(guid + "." + hostConfiguration + "|Any CPU.Build.0", StringComparison.Ordinal))
                {
                    problems.Add($"  {project} is built in {hostConfiguration}: dotnet build cannot build a .nfproj.");
                }
            }
        }

        Assert.AreEqual(0, problems.Count, string.Join(Environment.NewLine, problems));
    }

    [TestMethod]
    public void TheFirmwareWorkflow_RestoresEveryPackagesConfig_AndBuildsEveryDeviceOnlySolution()
    {
        string workflow = File.ReadAllText(Path.Combine(RepositoryLayout.RepositoryRoot, s_workflowPath));
        var problems = new List<string>();
        foreach (string project in NanoFrameworkProjects())
        {
            string packages = Path.GetDirectoryName(project)!.Replace('\\', '/') + "/packages.config";
            if (File.Exists(Path.Combine(RepositoryLayout.RepositoryRoot, packages)) && !workflow.Contains("'" + packages.Replace('/', '\\') + "'", StringComparison.Ordinal))
            {
                problems.Add($"  {s_workflowPath} does not restore {packages}.");
            }
        }

        // The device-only solutions beside the apps (VS Code's extension builds those, in their own configurations).
        foreach (string solution in Directory.GetFiles(Path.Combine(RepositoryLayout.RepositoryRoot, "firmware"), "*.sln", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(RepositoryLayout.RepositoryRoot, solution).Replace('/', '\\');
            if (!workflow.Contains("'" + relative + "'", StringComparison.Ordinal))
            {
                problems.Add($"  {s_workflowPath} does not build {relative}.");
            }
        }

        StringAssert.Contains(workflow, "msbuild EmbeddedMpc.sln /p:Configuration=Device", "the workflow builds the solution's Device configuration");
        Assert.AreEqual(0, problems.Count, string.Join(Environment.NewLine, problems));
    }

    // Every .nfproj of the repository, relative to its root with forward slashes (build output excluded).
    private static IEnumerable<string> NanoFrameworkProjects()
    {
        string root = RepositoryLayout.RepositoryRoot;
        string[] projects = Directory.GetFiles(root, "*.nfproj", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/obj/", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToArray();
        // The Core's, the firmware, the benchmark, the bring-up app and the device tests: the search must find them.
        Assert.IsTrue(projects.Length >= 5, "nanoFramework projects found: " + string.Join(", ", projects));
        return projects;
    }
}
