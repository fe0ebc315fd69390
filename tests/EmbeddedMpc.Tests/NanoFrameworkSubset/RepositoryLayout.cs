using System;
using System.IO;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace EmbeddedMpc.Tests.NanoFrameworkSubset;

/// <summary>
/// Finds the files the subset checks read, without copying anything into the build output: the
/// repository root is the first folder at or above <see cref="AppContext.BaseDirectory"/> that holds
/// EmbeddedMpc.sln, and the compiled Core is the EmbeddedMpc.Core.dll that the project reference puts
/// next to the test assembly.
/// </summary>
internal static class RepositoryLayout
{
    public const string SolutionFileName = "EmbeddedMpc.sln";
    public const string CoreAssemblyFileName = "EmbeddedMpc.Core.dll";

    private static readonly Lazy<string> s_repositoryRoot = new Lazy<string>(FindRepositoryRoot);

    /// <summary>The folder that contains EmbeddedMpc.sln.</summary>
    public static string RepositoryRoot => s_repositoryRoot.Value;

    /// <summary>firmware/EmbeddedMpc.Core: the shared Core sources and EmbeddedMpc.Core.projitems.</summary>
    public static string CoreSourceDirectory => Path.Combine(RepositoryRoot, "firmware", "EmbeddedMpc.Core");

    public static string CoreProjitemsPath => Path.Combine(CoreSourceDirectory, "EmbeddedMpc.Core.projitems");

    /// <summary>The project's allowlist of framework members the Core may reference.</summary>
    public static string AllowlistPath =>
        Path.Combine(RepositoryRoot, "tests", "EmbeddedMpc.Tests", "NanoFrameworkSubset", "CoreApiAllowlist.txt");

    /// <summary>The compiled Core that the test run uses (copied next to the test assembly).</summary>
    public static string CoreAssemblyPath
    {
        get
        {
            string path = Path.Combine(AppContext.BaseDirectory, CoreAssemblyFileName);
            if (!File.Exists(path))
            {
                Assert.Fail(
                    $"{CoreAssemblyFileName} was not found next to the test assembly ({AppContext.BaseDirectory}). "
                    + "The test project references firmware/EmbeddedMpc.Core/Host/EmbeddedMpc.Core.csproj, so a build "
                    + "of the tests should copy it there.");
            }

            return path;
        }
    }

    private static string FindRepositoryRoot()
    {
        DirectoryInfo? directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory != null)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }

            directory = directory.Parent;
        }

        throw new InvalidOperationException(
            $"No folder at or above {AppContext.BaseDirectory} contains {SolutionFileName}; "
            + "the subset tests must run from a build inside the repository.");
    }
}
